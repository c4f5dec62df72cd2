import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCluster, type TClusterOptions, type TKubeCluster } from './cluster';
import type { TRequestContext } from './context';
import type { TKubeApiHooks } from './hooks';
import { kubeconfigFor, type TKubeconfigOptions } from './kubeconfig';
import { isNamedClusterPath, namedClusters, type TNamedClusterOptions } from './named-clusters';
import { readBody, sendStatus, tooLarge } from './respond';
import { statusForCode } from './status';
import { makeSelfSignedCert } from './tls';
import type { TTokenSpec } from './types';
import { WatchRegistry } from './watch';

export type TKubeApiOptions = TClusterOptions & {
  port?: number;
  /** Bearer tokens and the user (and per-verb rule) each stands for; default: one random token. */
  tokens?: Record<string, TTokenSpec>;
  https?: boolean;
  hooks?: TKubeApiHooks;
  /** Serve more clusters under `/clusters/<name>` besides the root one (named-clusters.ts). */
  clusters?: TNamedClusterOptions;
};

/** A running emulated API server: its root cluster's out-of-band operations plus the server's own. */
export type TKubeApi = Omit<TKubeCluster, 'state' | 'handle'> & {
  url: string;
  token: string;
  /** PEM of the self-signed certificate when started with https. */
  caCert: string | null;
  /** A kubeconfig for this server (insecure-skip-tls-verify for http; CA data for https). */
  kubeconfig(opts?: TKubeconfigOptions): string;
  /** Ends every open watch stream ('clean' finishes the chunked response; 'abrupt' destroys it); how many. */
  closeWatches(mode?: 'clean' | 'abrupt'): number;
  openWatches(): number;
  /** The URL of the named cluster `name` (served only when started with `clusters`). */
  clusterUrl(name: string): string;
  /** The named cluster's out-of-band operations (made if needed); throws without `clusters`. */
  cluster(name: string): Omit<TKubeCluster, 'state' | 'handle'>;
  /** Destroys every open connection and watch stream (pooled keep-alive connections included). */
  destroyConnections(): void;
  stop(): Promise<void>;
};

function principalOf(req: http.IncomingMessage, tokens: Record<string, TTokenSpec>): TTokenSpec | undefined {
  const auth = req.headers.authorization ?? '';
  const bearer = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null;
  return bearer !== null ? tokens[bearer] : undefined;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * An emulated Kubernetes API server: a real node:http(s) server on 127.0.0.1 that the unmodified
 * @kubernetes/client-node talks to. It reproduces the parts of the contract Ingress Gate relies on
 * (discovery, CRUD with resourceVersion/generation/uid, dry run, preconditions, Status bodies,
 * bearer-token auth with per-verb RBAC, SelfSubjectAccessReview, watch). It is the sandbox cluster
 * of `npm start` (sandbox-cluster.ts) and, with fault hooks, the tests' API server.
 */
export async function startKubeApi(opts: TKubeApiOptions = {}): Promise<TKubeApi> {
  const tokens: Record<string, TTokenSpec> = opts.tokens ?? { [`fake-${randomBytes(16).toString('hex')}`]: { user: 'ingress-gate' } };
  const firstToken = Object.keys(tokens)[0];
  if (!firstToken) throw new Error('startKubeApi: tokens must name at least one token');
  const watches = new WatchRegistry();
  const root = createCluster({ ...opts, watches });
  const base = { watchHistory: opts.watchHistory, bookmarkIntervalMs: opts.bookmarkIntervalMs, gitVersion: opts.gitVersion };
  const named = opts.clusters ? namedClusters(opts.clusters, base, watches) : null;
  const sockets = new Set<Socket>();
  const hooks = opts.hooks ?? {};

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = (req.method ?? 'GET').toUpperCase();
    const read = await readBody(req);
    if ('tooLarge' in read) return tooLarge(res);
    const principal = principalOf(req, tokens);
    const query = Object.fromEntries(url.searchParams);
    const hookRequest = { req, res, method, path: url.pathname, query, body: read.body, user: principal?.user ?? null };
    if (hooks.intercept && (await hooks.intercept(hookRequest))) return;
    const target = isNamedClusterPath(url.pathname) ? named?.resolve(url.pathname) : { cluster: root, path: url.pathname };
    if (!target) return sendStatus(res, { ...statusForCode(404), details: {} });
    const ctx: TRequestContext = { req, res, method, path: target.path, searchParams: url.searchParams, query, ...read, principal };
    target.cluster.handle(ctx);
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendStatus(res, { ...statusForCode(500), message: `fake-kube-api: ${(err as Error).message}` });
      else res.destroy();
    });
  };
  const tls = opts.https ? makeSelfSignedCert() : null;
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  // For https, 'connection' fires with the raw TCP socket before the TLS handshake.
  server.on('connection', (socket: Socket) => {
    if (hooks.acceptConnection && !hooks.acceptConnection(socket)) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, opts.port ?? 0);
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const caCert = tls?.cert ?? null;
  const { state: _state, handle: _handle, ...clusterOps } = root;
  return {
    ...clusterOps,
    url,
    token: firstToken,
    caCert,
    kubeconfig: (k) => kubeconfigFor(url, caCert, firstToken, k),
    clusterUrl: (name) => `${url}/clusters/${name}`,
    cluster(name) {
      if (!named) throw new Error('startKubeApi: started without `clusters`, so it serves no named cluster');
      const { state: _s, handle: _h, ...ops } = named.get(name);
      return ops;
    },
    closeWatches: (mode = 'clean') => watches.closeAll(mode),
    openWatches: () => watches.size,
    destroyConnections() {
      for (const s of sockets) s.destroy();
      watches.destroyAll();
    },
    async stop() {
      watches.destroyAll();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

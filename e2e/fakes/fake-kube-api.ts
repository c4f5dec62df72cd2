import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '@/lib/domain/ingress/k8s-names';
import type { TIssue } from '@/lib/domain/ingress/types';
import { validateIngressObject } from '@/lib/domain/ingress/validate-ingress';
import {
  apiGroupList,
  apiVersionOf,
  apiVersions,
  authenticationResourceList,
  authorizationResourceList,
  coreResourceList,
  networkingResourceList,
  RESOURCES,
  type TResourceInfo,
  type TResourceName,
} from './kube-api/resources';
import {
  badRequest,
  forbidden,
  gone,
  invalid,
  methodNotAllowed,
  notFound,
  statusForCode,
  success,
  unauthorized,
  type TStatus,
  type TStatusCause,
} from './kube-api/status';
import { KubeStore, type TObject, type TWatchEvent } from './kube-api/store';

/**
 * A fake Kubernetes API server: a real node:http(s) server on 127.0.0.1 that the unmodified
 * @kubernetes/client-node talks to. It reproduces the parts of the contract Ingress Gate relies on
 * (discovery, CRUD with resourceVersion/generation/uid, dry run, preconditions, Status bodies,
 * bearer-token auth with per-verb RBAC, SelfSubjectAccessReview, watch) and offers test hooks to
 * inject failures. It is also the sandbox cluster (see sandbox-cluster.ts).
 */
export type TVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
export type TAllow = (verb: TVerb, resource: string, namespace: string | null) => boolean;
export type TTokenSpec = { user: string; allow?: TAllow };

export type TFakeKubeApiOptions = {
  port?: number;
  tokens?: Record<string, TTokenSpec>;
  stateFile?: string;
  https?: boolean;
  /** How often an open watch with allowWatchBookmarks gets a BOOKMARK (the real server: ~1 min). */
  bookmarkIntervalMs?: number;
  /** How many writes a watch can resume across (etcd compaction); older resourceVersions get 410 Gone. */
  watchHistory?: number;
  /** What /version reports. */
  gitVersion?: string;
};

export type TAdmissionPolicy = {
  name: string;
  resource: TResourceName;
  reason: 'Invalid' | 'Forbidden';
  deny: (object: Record<string, unknown>, operation: 'CREATE' | 'UPDATE', user: string) => string | null;
};

/** What kube-apiserver v1.32 answers when a ValidatingAdmissionPolicy (binding of the same name) denies. */
function admissionDenied(info: TResourceInfo, name: string, policy: TAdmissionPolicy, message: string): TStatus {
  const why = `ValidatingAdmissionPolicy '${policy.name}' with binding '${policy.name}' denied request: ${message}`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${info.resource}${info.group ? `.${info.group}` : ''} "${name}" is forbidden: ${why}`,
    reason: policy.reason,
    details: { name, group: info.group, kind: info.resource, causes: [{ message: why }] },
    code: policy.reason === 'Invalid' ? 422 : 403,
    // The real server's admission causes carry only a message (no reason, no field).
  } as unknown as TStatus;
}

export type TRecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  user: string | null;
};

export type TRequestMatch = { method?: string; path?: string | RegExp };

export type TSeed = {
  namespaces?: string[];
  ingresses?: Record<string, unknown>[];
  services?: Record<string, unknown>[];
  ingressClasses?: Record<string, unknown>[];
};

export type FakeKubeApi = {
  url: string;
  token: string;
  /** PEM of the self-signed certificate when started with https. */
  caCert: string | null;
  /** A kubeconfig for this server (insecure-skip-tls-verify for http; CA data for https). */
  kubeconfig(opts?: { token?: string; insecureSkipTlsVerify?: boolean; withCa?: boolean; context?: string }): string;
  requests(): TRecordedRequest[];
  clearRequests(): void;
  /** The next matching request is answered with this status (a Status body unless one is given). */
  failNext(match: TRequestMatch, status: number, body?: unknown): void;
  /** The next matching request is read, then its connection destroyed: before any response
   * ('no-response') or after the headers and half the body ('mid-body'). */
  dropNext(match: TRequestMatch, stage?: 'no-response' | 'mid-body'): void;
  /** Every later request (or only matching ones) waits this long before being answered; 0 turns it off. */
  delay(ms: number, match?: TRequestMatch): void;
  /** Ends every open watch stream, as an API server restart or an idle-cutting proxy does:
   * 'clean' finishes the chunked response; 'abrupt' destroys the connection mid-stream.
   * Returns how many were closed. A client resuming from its last resourceVersion misses nothing. */
  closeWatches(mode?: 'clean' | 'abrupt'): number;
  /** How many watch streams are open now. */
  openWatches(): number;
  /** 'reset': connections are accepted and destroyed at once. 'blackhole': accepted, never answered. */
  setUnreachable(on: boolean, mode?: 'reset' | 'blackhole'): void;
  seed(seed: TSeed): void;
  /** Simulates `kubectl edit` out of band: bumps resourceVersion, records manager kubectl-edit. */
  mutate(namespace: string, name: string, fn: (ingress: TObject) => TObject | void): TObject;
  /** Reads an object straight from the store (no auth, no recording). */
  peek(resource: TResourceName, namespace: string | null, name: string): TObject | null;
  /** A ValidatingAdmissionPolicy with a Deny binding: `deny` returns the refusal message or null.
   * Refusals carry the real server's Status (reason Invalid → 422, Forbidden → 403). Cleared by reset(). */
  addAdmissionPolicy(policy: TAdmissionPolicy): void;
  /** Clears hooks, recorded requests and all objects but kube-system (resourceVersion keeps counting up). */
  reset(): void;
  stop(): Promise<void>;
};

type THook = {
  match: TRequestMatch;
  action: { kind: 'status'; status: number; body?: unknown } | { kind: 'drop'; stage: 'no-response' | 'mid-body' };
};

type TRoute =
  | { kind: 'discovery'; body: Record<string, unknown> }
  | { kind: 'ssar' }
  | { kind: 'ssr' }
  | { kind: 'collection'; info: TResourceInfo; namespace: string | null }
  | { kind: 'item'; info: TResourceInfo; namespace: string | null; name: string }
  | { kind: 'unknown' };

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function matches(m: TRequestMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? m.path === path : m.path.test(path);
}

function route(path: string): TRoute {
  if (path === '/version') return { kind: 'discovery', body: {} };
  if (path === '/api') return { kind: 'discovery', body: apiVersions() };
  if (path === '/apis') return { kind: 'discovery', body: apiGroupList() };
  if (path === '/api/v1') return { kind: 'discovery', body: coreResourceList() };
  if (path === '/apis/networking.k8s.io/v1') return { kind: 'discovery', body: networkingResourceList() };
  if (path === '/apis/authorization.k8s.io/v1') return { kind: 'discovery', body: authorizationResourceList() };
  if (path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return { kind: 'ssar' };
  if (path === '/apis/authentication.k8s.io/v1') return { kind: 'discovery', body: authenticationResourceList() };
  if (path === '/apis/authentication.k8s.io/v1/selfsubjectreviews') return { kind: 'ssr' };
  let group: string;
  let rest: string;
  if (path.startsWith('/api/v1/')) {
    group = '';
    rest = path.slice('/api/v1/'.length);
  } else if (path.startsWith('/apis/networking.k8s.io/v1/')) {
    group = 'networking.k8s.io';
    rest = path.slice('/apis/networking.k8s.io/v1/'.length);
  } else return { kind: 'unknown' };
  const seg = rest.split('/').map(decodeURIComponent);
  const lookup = (r: string | undefined): TResourceInfo | null => {
    const info = r ? RESOURCES[r as TResourceName] : undefined;
    return info && info.group === group ? info : null;
  };
  if (seg.length === 1 || (seg.length === 2 && seg[0] !== 'namespaces')) {
    const info = lookup(seg[0]);
    if (!info) return { kind: 'unknown' };
    if (seg.length === 1) return { kind: 'collection', info, namespace: null };
    return info.namespaced ? { kind: 'unknown' } : { kind: 'item', info, namespace: null, name: seg[1]! };
  }
  if (seg[0] === 'namespaces' && seg.length === 2 && group === '')
    return { kind: 'item', info: RESOURCES.namespaces, namespace: null, name: seg[1]! };
  if (seg[0] === 'namespaces' && (seg.length === 3 || seg.length === 4)) {
    const info = lookup(seg[2]);
    if (!info || !info.namespaced) return { kind: 'unknown' };
    return seg.length === 3 ? { kind: 'collection', info, namespace: seg[1]! } : { kind: 'item', info, namespace: seg[1]!, name: seg[3]! };
  }
  return { kind: 'unknown' };
}

const BAD_REQUEST_CODES = new Set([
  'not-an-object',
  'wrong-kind',
  'removed-api-version',
  'unsupported-api-version',
  'type',
  'annotation-not-string',
]);
const CAUSE_REASON: Record<string, string> = {
  required: 'FieldValueRequired',
  'not-supported': 'FieldValueNotSupported',
  'too-long': 'FieldValueTooLong',
  'annotations-too-large': 'FieldValueTooLong',
};

function nameProblems(info: TResourceInfo, name: string): string[] {
  if (info.nameRule === 'dns1035-label') return isDns1035Label(name);
  if (info.nameRule === 'dns1123-label') return isDns1123Label(name);
  return isDns1123Subdomain(name);
}

type TValidation = { ok: true } | { ok: false; status: TStatus };

/** Mirrors the API server's decode + validation stages for a write. */
function validateWrite(info: TResourceInfo, namespace: string | null, body: Record<string, unknown>): TValidation {
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (body.kind !== undefined && body.kind !== info.kind) {
    return {
      ok: false,
      status: badRequest(`the server could not find the requested resource: kind ${JSON.stringify(body.kind)} is not ${info.kind}`),
    };
  }
  if (info.resource === 'ingresses') {
    // The domain validator is written to match pkg/apis/networking/validation; reusing it keeps
    // the fake and the portal's own pre-checks from drifting apart.
    const issues = validateIngressObject(
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...body },
      { namespace: namespace ?? undefined },
    );
    const decode = issues.find((i) => BAD_REQUEST_CODES.has(i.code));
    if (decode)
      return { ok: false, status: badRequest(`Ingress in version "v1" cannot be handled as a Ingress: ${decode.path}: ${decode.message}`) };
    if (issues.some((i) => i.code === 'namespace-mismatch'))
      return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
    // Unknown fields: the default fieldValidation (Warn) drops them, it does not fail the write.
    const real = issues.filter((i: TIssue) => i.code !== 'unknown-field');
    if (real.length) {
      const causes: TStatusCause[] = real.map((i) => ({
        reason: CAUSE_REASON[i.code] ?? 'FieldValueInvalid',
        message: i.message,
        field: i.path,
      }));
      return { ok: false, status: invalid(info, name, causes) };
    }
    return { ok: true };
  }
  if (meta.namespace !== undefined && namespace !== null && meta.namespace !== namespace) {
    return { ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request') };
  }
  if (!name)
    return {
      ok: false,
      status: invalid(info, name, [
        { reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' },
      ]),
    };
  const problems = nameProblems(info, name);
  if (problems.length) {
    return {
      ok: false,
      status: invalid(
        info,
        name,
        problems.map((m) => ({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(name)}: ${m}`,
          field: 'metadata.name',
        })),
      ),
    };
  }
  return { ok: true };
}

function makeSelfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-kube-api-'));
  try {
    // node cannot mint X.509 certificates itself; openssl is available wherever the tests run.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '30',
        '-subj',
        '/CN=fake-kube-api',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFakeKubeApi(opts: TFakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const defaultToken = `fake-${randomBytes(16).toString('hex')}`;
  const tokens: Record<string, TTokenSpec> = opts.tokens ?? { [defaultToken]: { user: 'ingress-gate' } };
  const firstToken = Object.keys(tokens)[0];
  if (!firstToken) throw new Error('startFakeKubeApi: tokens must name at least one token');
  const store = new KubeStore(opts.stateFile, opts.watchHistory);
  // Every real cluster has kube-system; its uid is what identifies the cluster (and it survives
  // restarts of the sandbox through the state file, as it survives API server restarts).
  const ensureKubeSystem = (): void => {
    if (store.get('namespaces', null, 'kube-system')) return;
    store.put(
      RESOURCES.namespaces,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'kube-system', labels: { 'kubernetes.io/metadata.name': 'kube-system' } } as unknown as TObject['metadata'],
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
      'kube-apiserver',
    );
  };
  ensureKubeSystem();
  const gitVersion = opts.gitVersion ?? 'v1.31.4';
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;

  let recorded: TRecordedRequest[] = [];
  let hooks: THook[] = [];
  let admission: TAdmissionPolicy[] = [];
  let delays: { ms: number; match?: TRequestMatch }[] = [];
  let unreachable: 'reset' | 'blackhole' | null = null;
  const sockets = new Set<Socket>();
  const watches = new Set<http.ServerResponse>();
  const hung = new Set<http.ServerResponse>();

  const send = (res: http.ServerResponse, code: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-cache, private',
    });
    res.end(text);
  };
  const sendStatus = (res: http.ServerResponse, status: TStatus): void => send(res, status.code, status);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) return sendStatus(res, { ...statusForCode(413), message: 'Request entity too large: limit is 3145728' });
      chunks.push(c as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    let bodyError = false;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        bodyError = true;
      }
    }
    if (unreachable === 'blackhole') {
      // Accepted and read, never answered: what a hung API server or a dropping proxy looks like.
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    const auth = req.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null;
    const principal = bearer !== null ? tokens[bearer] : undefined;
    const query = Object.fromEntries(url.searchParams);
    recorded.push({ method, path: url.pathname, query, body, user: principal?.user ?? null });

    for (const d of delays) {
      if (!d.match || matches(d.match, method, url.pathname)) await new Promise((r) => setTimeout(r, d.ms));
    }
    // Like the real API server, a request whose client gave up is still carried out: a write
    // that timed out on the client may have landed.

    const hookIndex = hooks.findIndex((h) => matches(h.match, method, url.pathname));
    if (hookIndex >= 0) {
      const [hook] = hooks.splice(hookIndex, 1);
      if (hook!.action.kind === 'status') {
        const status = hook!.action.status;
        return send(res, status, hook!.action.body ?? statusForCode(status));
      }
      if (hook!.action.stage === 'no-response') {
        req.socket.destroy();
        return;
      }
      const text = JSON.stringify(store.list('ingresses', null));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }

    const r = route(url.pathname);
    if (r.kind === 'discovery' && url.pathname === '/version') {
      // /version is readable without credentials (system:public-info-viewer).
      const [major, minor] = gitVersion.replace(/^v/, '').split('.');
      return send(res, 200, {
        major,
        minor,
        gitVersion,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2024-12-10T11:36:46Z',
        goVersion: 'go1.22.9',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    }
    if (!principal) return sendStatus(res, unauthorized());
    if (r.kind === 'discovery') return method === 'GET' ? send(res, 200, r.body) : sendStatus(res, methodNotAllowed());
    if (r.kind === 'unknown') return sendStatus(res, { ...statusForCode(404), details: {} });
    if (bodyError)
      return sendStatus(
        res,
        badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`),
      );

    if (r.kind === 'ssr') {
      // Every authenticated user may ask who they are (system:basic-user), as on the real server.
      if (method !== 'POST') return sendStatus(res, methodNotAllowed());
      return send(res, 201, {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
        status: { userInfo: { username: principal.user, uid: `uid-${principal.user}`, groups: ['system:authenticated'] } },
      });
    }

    if (r.kind === 'ssar') {
      if (method !== 'POST') return sendStatus(res, methodNotAllowed());
      const spec = ((body as Record<string, unknown> | null)?.spec ?? {}) as Record<string, unknown>;
      const attrs = (spec.resourceAttributes ?? {}) as Record<string, string | undefined>;
      const allowed = (principal.allow ?? (() => true))((attrs.verb ?? '') as TVerb, attrs.resource ?? '', attrs.namespace || null);
      return send(res, 201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec,
        status: allowed ? { allowed: true, reason: `RBAC: allowed by fake-kube-api for User "${principal.user}"` } : { allowed: false },
      });
    }

    const { info, namespace } = r;
    const name = r.kind === 'item' ? r.name : undefined;
    const isWatch = query.watch === '1' || query.watch === 'true';
    const verb: TVerb | null =
      method === 'GET'
        ? r.kind === 'item'
          ? 'get'
          : isWatch
            ? 'watch'
            : 'list'
        : method === 'POST' && r.kind === 'collection'
          ? 'create'
          : method === 'PUT' && r.kind === 'item'
            ? 'update'
            : method === 'PATCH' && r.kind === 'item'
              ? 'patch'
              : method === 'DELETE' && r.kind === 'item'
                ? 'delete'
                : null;
    if (!verb) return sendStatus(res, methodNotAllowed());
    const authzName = verb === 'create' ? undefined : name;
    if (!(principal.allow ?? (() => true))(verb, info.resource, namespace)) {
      return sendStatus(res, forbidden(info, authzName, principal.user, verb, namespace));
    }

    const dryRunValues = url.searchParams.getAll('dryRun');
    const deleteBody = (method === 'DELETE' && body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const bodyDryRun = Array.isArray(deleteBody.dryRun) ? (deleteBody.dryRun as string[]) : [];
    const allDryRun = [...dryRunValues, ...bodyDryRun];
    if (allDryRun.some((v) => v !== 'All')) {
      return sendStatus(
        res,
        badRequest(`Invalid dry run value: ${JSON.stringify(allDryRun.find((v) => v !== 'All'))}: supported values: "All"`),
      );
    }
    const dryRun = allDryRun.length > 0;
    // The API server defaults the manager to the user agent's first token.
    const fieldManager = query.fieldManager || (req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';

    if (verb === 'get') {
      const obj = store.get(info.resource, namespace, name!);
      return obj ? send(res, 200, obj) : sendStatus(res, notFound(info, name!));
    }
    if (verb === 'list' || verb === 'watch') {
      // Listing in a namespace that does not exist is not an error in Kubernetes: an empty list.
      if (verb === 'watch') return watch(req, res, info, namespace, query);
      const items = store.list(info.resource, namespace).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
      return send(res, 200, {
        kind: info.listKind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(store.resourceVersion) },
        items,
      });
    }
    if (verb === 'patch') {
      return sendStatus(res, {
        ...statusForCode(415),
        reason: 'UnsupportedMediaType',
        message: 'the fake API server does not implement PATCH; Ingress Gate writes with PUT and a resourceVersion precondition',
      });
    }
    if (verb === 'create' || verb === 'update') {
      if (!body || typeof body !== 'object' || Array.isArray(body))
        return sendStatus(res, badRequest('the request body must be a JSON object'));
      const obj = body as Record<string, unknown>;
      const meta = (obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {}) as Record<string, unknown>;
      if (verb === 'create' && !meta.name && typeof meta.generateName === 'string') {
        obj.metadata = { ...meta, name: `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}` };
      }
      if (verb === 'create' && meta.resourceVersion) {
        return sendStatus(res, badRequest('resourceVersion should not be set on objects to be created'));
      }
      if (verb === 'update' && meta.name !== undefined && meta.name !== name) {
        return sendStatus(res, badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`));
      }
      if (verb === 'update' && meta.name === undefined) obj.metadata = { ...meta, name };
      // The real server's order: NamespaceLifecycle (mutating admission) refuses a write into a
      // missing namespace before validation runs, so an invalid object there is a 404, not a 422.
      if (namespace !== null && !store.get('namespaces', null, namespace)) {
        return sendStatus(res, notFound(RESOURCES.namespaces, namespace));
      }
      const v = validateWrite(info, namespace, obj);
      if (!v.ok) return sendStatus(res, v.status);
      // Validating admission runs after validation, on dry runs too.
      for (const policy of admission) {
        if (policy.resource !== info.resource) continue;
        const message = policy.deny(obj, verb === 'create' ? 'CREATE' : 'UPDATE', principal.user);
        if (message !== null) return sendStatus(res, admissionDenied(info, String(meta.name ?? name ?? ''), policy, message));
      }
      const result =
        verb === 'create'
          ? store.create(info, namespace, obj, { dryRun, fieldManager })
          : store.update(info, namespace, name!, obj, { dryRun, fieldManager });
      if (!result.ok) return sendStatus(res, result.status);
      return send(res, verb === 'create' ? 201 : 200, result.object);
    }
    // delete
    const pre = (deleteBody.preconditions ?? {}) as { resourceVersion?: string; uid?: string };
    const result = store.delete(info, namespace, name!, pre, { dryRun });
    if (!result.ok) return sendStatus(res, result.status);
    return send(res, 200, success(info, name!, result.object.metadata.uid));
  };

  /** ?watch=1 — newline-delimited watch events, resumable from a resourceVersion. */
  const watch = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    info: TResourceInfo,
    namespace: string | null,
    query: Record<string, string>,
  ): void => {
    const from = query.resourceVersion;
    const inScope = (e: TWatchEvent): boolean => e.resource === info.resource && (namespace === null || e.namespace === namespace);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    const write = (type: string, object: unknown): void => {
      // A stream ended by closeWatches() or timeoutSeconds may still be subscribed until 'close'.
      if (res.writableEnded || res.destroyed) return;
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    if (from && from !== '0' && Number(from) < store.oldestResumableVersion) {
      write('ERROR', gone(`too old resource version: ${from} (${store.oldestResumableVersion})`));
      res.end();
      return;
    }
    watches.add(res);
    let last = store.resourceVersion;
    if (!from || from === '0') {
      for (const o of store.list(info.resource, namespace)) write('ADDED', o);
    } else {
      for (const e of store.eventsSince(Number(from)).filter(inScope)) write(e.type, e.object);
    }
    const unsubscribe = store.subscribe((e) => {
      last = e.rv;
      if (inScope(e)) write(e.type, e.object);
    });
    const timers: NodeJS.Timeout[] = [];
    if (query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1') {
      timers.push(
        setInterval(
          () =>
            write('BOOKMARK', {
              kind: info.kind,
              apiVersion: apiVersionOf(info),
              metadata: { resourceVersion: String(Math.max(last, store.resourceVersion)) },
            }),
          bookmarkIntervalMs,
        ),
      );
    }
    const timeout = Number(query.timeoutSeconds);
    if (Number.isFinite(timeout) && timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));
    const close = (): void => {
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      watches.delete(res);
    };
    res.on('close', close);
    req.on('close', close);
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendStatus(res, { ...statusForCode(500), message: `fake-kube-api: ${(err as Error).message}` });
      else res.destroy();
    });
  };
  const tls = opts.https ? makeSelfSignedCert() : null;
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  const onConnection = (socket: Socket): void => {
    if (unreachable === 'reset') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  // For https, 'connection' fires with the raw TCP socket before the TLS handshake.
  server.on('connection', onConnection);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const api: FakeKubeApi = {
    url,
    token: firstToken,
    caCert: tls?.cert ?? null,
    kubeconfig(k = {}) {
      const token = k.token ?? firstToken;
      const contextName = k.context ?? 'fake';
      const insecure = k.insecureSkipTlsVerify ?? !tls;
      const cluster: Record<string, unknown> = { server: url };
      if (insecure) cluster['insecure-skip-tls-verify'] = true;
      else if (tls && k.withCa !== false) cluster['certificate-authority-data'] = Buffer.from(tls.cert).toString('base64');
      return toYaml(
        {
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'fake', cluster }],
          users: [{ name: 'fake-user', user: { token } }],
          contexts: [{ name: contextName, context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } }],
          'current-context': contextName,
        },
        { lineWidth: 0 },
      );
    },
    requests: () => structuredClone(recorded),
    clearRequests() {
      recorded = [];
    },
    failNext(match, status, body) {
      hooks.push({ match, action: { kind: 'status', status, body } });
    },
    dropNext(match, stage = 'no-response') {
      hooks.push({ match, action: { kind: 'drop', stage } });
    },
    delay(ms, match) {
      delays = delays.filter((d) => d.match !== match);
      if (ms > 0) delays.push({ ms, match });
      else if (match === undefined) delays = [];
    },
    closeWatches(mode = 'clean') {
      const open = [...watches];
      for (const w of open) {
        watches.delete(w);
        if (mode === 'clean') w.end();
        else w.destroy();
      }
      return open.length;
    },
    openWatches: () => watches.size,
    setUnreachable(on, mode = 'reset') {
      unreachable = on ? mode : null;
      if (on) {
        // Kill pooled keep-alive connections too, or the client would keep using them.
        for (const s of sockets) s.destroy();
        for (const w of watches) w.destroy();
      } else {
        for (const r of hung) r.destroy();
      }
    },
    seed(seed) {
      const nsNames = new Set(seed.namespaces ?? []);
      for (const o of [...(seed.ingresses ?? []), ...(seed.services ?? [])]) {
        const ns = (o.metadata as { namespace?: string } | undefined)?.namespace;
        if (ns) nsNames.add(ns);
      }
      for (const ns of nsNames) {
        if (store.get('namespaces', null, ns)) continue;
        store.put(
          RESOURCES.namespaces,
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } as unknown as TObject['metadata'],
            spec: { finalizers: ['kubernetes'] },
            status: { phase: 'Active' },
          },
          'kubectl-create',
        );
      }
      for (const o of seed.ingressClasses ?? []) store.put(RESOURCES.ingressclasses, structuredClone(o) as TObject, 'helm');
      for (const o of seed.services ?? []) store.put(RESOURCES.services, structuredClone(o) as TObject, 'helm');
      for (const o of seed.ingresses ?? []) {
        const ing = structuredClone(o) as TObject;
        if (!('status' in ing)) ing.status = { loadBalancer: {} };
        store.put(RESOURCES.ingresses, ing, 'kubectl-client-side-apply');
      }
    },
    mutate(namespace, name, fn) {
      const current = store.get('ingresses', namespace, name);
      if (!current) throw new Error(`fake-kube-api mutate: ingress ${namespace}/${name} does not exist`);
      const edited = fn(current) ?? current;
      return store.put(RESOURCES.ingresses, edited, 'kubectl-edit');
    },
    peek: (resource, namespace, name) => store.get(resource, namespace, name),
    addAdmissionPolicy(policy) {
      admission.push(policy);
    },
    reset() {
      recorded = [];
      hooks = [];
      admission = [];
      delays = [];
      unreachable = null;
      store.reset();
      ensureKubeSystem();
    },
    async stop() {
      for (const w of [...watches, ...hung]) w.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

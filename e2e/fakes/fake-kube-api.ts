import type http from 'node:http';
import type { THookRequest } from '@/sandbox/kube-api/hooks';
import { send } from '@/sandbox/kube-api/respond';
import { startKubeApi, type TKubeApi, type TKubeApiOptions } from '@/sandbox/kube-api/server';
import { statusForCode } from '@/sandbox/kube-api/status';

export type { TAdmissionPolicy, TAllow, TSeed, TTokenSpec, TVerb } from '@/sandbox/kube-api/types';

/**
 * The tests' Kubernetes API server: the sandbox's emulation (sandbox/kube-api) with fault hooks
 * only tests use — every request recorded, injected statuses, dropped connections, delays and an
 * unreachable server.
 */
export type TFakeKubeApiOptions = Omit<TKubeApiOptions, 'hooks'>;

export type TRecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  user: string | null;
};

export type TRequestMatch = { method?: string; path?: string | RegExp };

export type FakeKubeApi = Omit<TKubeApi, 'destroyConnections'> & {
  requests(): TRecordedRequest[];
  clearRequests(): void;
  /** The next matching request is answered with this status (a Status body unless one is given). */
  failNext(match: TRequestMatch, status: number, body?: unknown): void;
  /** The next matching request is read, then its connection destroyed: before any response
   * ('no-response') or after the headers and half the body ('mid-body'). */
  dropNext(match: TRequestMatch, stage?: 'no-response' | 'mid-body'): void;
  /** Every later request (or only matching ones) waits this long before being answered; 0 turns it off. */
  delay(ms: number, match?: TRequestMatch): void;
  /** 'reset': connections are accepted and destroyed at once. 'blackhole': accepted, never answered. */
  setUnreachable(on: boolean, mode?: 'reset' | 'blackhole'): void;
  /** Clears hooks, recorded requests, admission policies and all objects but kube-system (resourceVersion keeps counting up). */
  reset(): void;
};

type THook = {
  match: TRequestMatch;
  action: { kind: 'status'; status: number; body?: unknown } | { kind: 'drop'; stage: 'no-response' | 'mid-body' };
};

function matches(m: TRequestMatch, method: string, path: string): boolean {
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? m.path === path : m.path.test(path);
}

/** The fault state of one fake server and the intercept hook that applies it. */
function faults(api: () => TKubeApi) {
  const f = {
    recorded: [] as TRecordedRequest[],
    hooks: [] as THook[],
    delays: [] as { ms: number; match?: TRequestMatch }[],
    unreachable: null as 'reset' | 'blackhole' | null,
    hung: new Set<http.ServerResponse>(),
  };
  const answerHook = (r: THookRequest, hook: THook): void => {
    if (hook.action.kind === 'status') return send(r.res, hook.action.status, hook.action.body ?? statusForCode(hook.action.status));
    if (hook.action.stage === 'no-response') return void r.req.socket.destroy();
    const text = JSON.stringify(api().list('ingresses', null));
    r.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    r.res.write(text.slice(0, Math.floor(text.length / 2)));
    setTimeout(() => r.req.socket.destroy(), 20);
  };
  const intercept = async (r: THookRequest): Promise<boolean> => {
    if (f.unreachable === 'blackhole') {
      // Accepted and read, never answered: what a hung API server or a dropping proxy looks like.
      f.hung.add(r.res);
      r.res.on('close', () => f.hung.delete(r.res));
      return true;
    }
    f.recorded.push({ method: r.method, path: r.path, query: r.query, body: r.body, user: r.user });
    for (const d of f.delays) {
      if (!d.match || matches(d.match, r.method, r.path)) await new Promise((resolve) => setTimeout(resolve, d.ms));
    }
    // Like the real API server, a request whose client gave up is still carried out: a write
    // that timed out on the client may have landed.
    const index = f.hooks.findIndex((h) => matches(h.match, r.method, r.path));
    if (index < 0) return false;
    const [hook] = f.hooks.splice(index, 1);
    answerHook(r, hook!);
    return true;
  };
  return { f, intercept, acceptConnection: () => f.unreachable !== 'reset' };
}

export async function startFakeKubeApi(opts: TFakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  let api: TKubeApi | null = null;
  const { f, intercept, acceptConnection } = faults(() => api!);
  api = await startKubeApi({ ...opts, hooks: { intercept, acceptConnection } });
  const { destroyConnections, ...rest } = api;
  return {
    ...rest,
    requests: () => structuredClone(f.recorded),
    clearRequests() {
      f.recorded = [];
    },
    failNext(match, status, body) {
      f.hooks.push({ match, action: { kind: 'status', status, body } });
    },
    dropNext(match, stage = 'no-response') {
      f.hooks.push({ match, action: { kind: 'drop', stage } });
    },
    delay(ms, match) {
      f.delays = f.delays.filter((d) => d.match !== match);
      if (ms > 0) f.delays.push({ ms, match });
      else if (match === undefined) f.delays = [];
    },
    setUnreachable(on, mode = 'reset') {
      f.unreachable = on ? mode : null;
      // Kill pooled keep-alive connections too, or the client would keep using them.
      if (on) destroyConnections();
      else for (const r of f.hung) r.destroy();
    },
    reset() {
      f.recorded = [];
      f.hooks = [];
      f.delays = [];
      f.unreachable = null;
      rest.reset();
    },
    async stop() {
      for (const r of f.hung) r.destroy();
      await rest.stop();
    },
  };
}

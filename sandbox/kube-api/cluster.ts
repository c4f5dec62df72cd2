import type { TClusterState, TRequestContext } from './context';
import { serveDiscovery, serveSelfSubjectAccessReview, serveSelfSubjectReview, serveVersion } from './handlers/meta';
import { serveObjects } from './handlers/objects';
import { sendStatus } from './respond';
import type { TResourceName } from './resources';
import { route } from './router';
import { ensureKubeSystem, editIngress, seedStore } from './seed';
import { badRequest, statusForCode, unauthorized } from './status';
import { KubeStore, type TObject } from './store';
import type { TAdmissionPolicy, TSeed } from './types';
import { WatchRegistry } from './watch';

export type TClusterOptions = {
  stateFile?: string;
  /** How many writes a watch can resume across (etcd compaction); older resourceVersions get 410 Gone. */
  watchHistory?: number;
  /** How often an open watch with allowWatchBookmarks gets a BOOKMARK (the real server: ~1 min). */
  bookmarkIntervalMs?: number;
  /** What /version reports. */
  gitVersion?: string;
};

/** One emulated cluster and what may be done to it out of band (seed, `kubectl edit`, reset). */
export type TKubeCluster = {
  state: TClusterState;
  handle(ctx: TRequestContext): void;
  seed(seed: TSeed): void;
  mutate(namespace: string, name: string, fn: (ingress: TObject) => TObject | void): TObject;
  peek(resource: TResourceName, namespace: string | null, name: string): TObject | null;
  list(resource: TResourceName, namespace: string | null): TObject[];
  addAdmissionPolicy(policy: TAdmissionPolicy): void;
  /** Clears admission policies and all objects but kube-system (resourceVersion keeps counting up). */
  reset(): void;
};

/**
 * Answers one authenticated-or-not request for a cluster, in the API server's order: /version
 * needs no credentials; everything else needs a known bearer token (401); discovery; unknown
 * paths 404; an unparsable body 400; then reviews and resources.
 */
function dispatch(cluster: TClusterState, ctx: TRequestContext): void {
  const { res, principal } = ctx;
  const r = route(ctx.path);
  if (r.kind === 'version') return serveVersion(ctx, cluster.gitVersion);
  if (!principal) return sendStatus(res, unauthorized());
  if (r.kind === 'discovery') return serveDiscovery(ctx, r.body);
  if (r.kind === 'unknown') return sendStatus(res, { ...statusForCode(404), details: {} });
  if (ctx.bodyError)
    return sendStatus(
      res,
      badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`),
    );
  if (r.kind === 'ssr') return serveSelfSubjectReview(ctx, principal);
  if (r.kind === 'ssar') return serveSelfSubjectAccessReview(ctx, principal);
  if (r.kind === 'collection') return serveObjects(ctx, cluster, principal, { target: 'collection', info: r.info, namespace: r.namespace });
  return serveObjects(ctx, cluster, principal, { target: 'item', info: r.info, namespace: r.namespace, name: r.name });
}

export function createCluster(opts: TClusterOptions & { watches?: WatchRegistry } = {}): TKubeCluster {
  const store = new KubeStore(opts.stateFile, opts.watchHistory);
  ensureKubeSystem(store);
  const state: TClusterState = {
    store,
    admission: [],
    watches: opts.watches ?? new WatchRegistry(),
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    gitVersion: opts.gitVersion ?? 'v1.31.4',
  };
  return {
    state,
    handle: (ctx) => dispatch(state, ctx),
    seed: (seed) => seedStore(store, seed),
    mutate: (namespace, name, fn) => editIngress(store, namespace, name, fn),
    peek: (resource, namespace, name) => store.get(resource, namespace, name),
    list: (resource, namespace) => store.list(resource, namespace),
    addAdmissionPolicy(policy) {
      state.admission.push(policy);
    },
    reset() {
      state.admission = [];
      store.reset();
      ensureKubeSystem(store);
    },
  };
}

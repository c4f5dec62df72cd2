import { ingressClassOf } from '@/lib/domain/ingress/routing-table';
import { errorReason } from '../errors';
import { log } from '../log';
import type { KubeClient } from './kube-client';
import type { TLiveIngress } from './kube-types';
import type { TIngressWatch } from './kube-watch';

/**
 * The shared cluster cache (issue 19): per environment and per process, one list-then-watch of
 * every Ingress (kube-watch.ts) feeding an in-memory index by class and by host, which the
 * submit-time analysis context and the route tester read instead of listing the whole cluster on
 * every call. The first read of an environment starts its watch and, like every read while the
 * watch has not finished its first list (or after it lost its stream and relists), falls back to
 * a direct list: a read is never staler than the watch, never blocked on it. An environment not
 * read for `idleMs` (default 10 min) has its watch stopped; a reconfigured one (its updatedAt
 * moved) is rewatched. INGRESS_GATE_CLUSTER_CACHE=off turns it off (every read lists).
 */
export type TClusterIndex = {
  /** 'cache': served from the synced watch; 'list': a direct list (cache not synced). */
  source: 'cache' | 'list';
  all: readonly TLiveIngress[];
  /** Ingresses whose effective class is `ingressClass` (null: those without one). */
  byClass: (ingressClass: string | null) => readonly TLiveIngress[];
  /** Ingresses with a rule for `host` (exact host string). */
  byHost: (host: string) => readonly TLiveIngress[];
};

type TEntry = {
  stamp: number;
  watch: TIngressWatch;
  items: Map<string, TLiveIngress>;
  synced: boolean;
  /** A first list has been received (a resumed watch is then complete again). */
  listed: boolean;
  lastRead: number;
  index: TClusterIndex | null;
};

const key = (i: TLiveIngress) => `${i.metadata.namespace}\u0000${i.metadata.name}`;

function buildIndex(items: readonly TLiveIngress[], source: TClusterIndex['source']): TClusterIndex {
  const classes = new Map<string | null, TLiveIngress[]>();
  const hosts = new Map<string, TLiveIngress[]>();
  for (const i of items) {
    const c = ingressClassOf(i);
    classes.set(c, [...(classes.get(c) ?? []), i]);
    for (const h of new Set((i.spec?.rules ?? []).map((r) => r.host ?? ''))) hosts.set(h, [...(hosts.get(h) ?? []), i]);
  }
  return { source, all: items, byClass: (c) => classes.get(c) ?? [], byHost: (h) => hosts.get(h) ?? [] };
}

export type TClusterCacheOptions = { idleMs?: number; enabled?: boolean };

export class ClusterCache {
  private readonly entries = new Map<string, TEntry>();
  private readonly timer: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly enabled: boolean;

  constructor(opts: TClusterCacheOptions = {}) {
    this.idleMs = opts.idleMs ?? 600_000;
    this.enabled = opts.enabled ?? process.env.INGRESS_GATE_CLUSTER_CACHE !== 'off';
    this.timer = setInterval(() => void this.evictIdle(), Math.min(this.idleMs, 60_000));
    this.timer.unref();
  }

  /** Every Ingress of the environment's cluster, indexed; from the watch when it is synced. */
  async ingresses(env: { id: string; updatedAt: Date }, client: () => KubeClient): Promise<TClusterIndex> {
    if (!this.enabled) return buildIndex((await client().listAllIngresses()).items, 'list');
    const entry = this.entryFor(env, client);
    entry.lastRead = Date.now();
    if (entry.synced) {
      entry.index ??= buildIndex([...entry.items.values()], 'cache');
      return entry.index;
    }
    return buildIndex((await client().listAllIngresses()).items, 'list');
  }

  /** Test hook: resolves when the environment's cache has finished its first list. */
  async synced(envId: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.entries.get(envId)?.synced) {
      if (Date.now() > deadline) throw new Error(`cluster cache of ${envId} not synced after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.watch.stop()));
  }

  private entryFor(env: { id: string; updatedAt: Date }, client: () => KubeClient): TEntry {
    const stamp = env.updatedAt.getTime();
    const existing = this.entries.get(env.id);
    if (existing && existing.stamp === stamp) return existing;
    if (existing) void existing.watch.stop();
    const entry = { stamp, items: new Map(), synced: false, listed: false, lastRead: Date.now(), index: null } as unknown as TEntry;
    entry.watch = client().watchIngresses({
      onEvent: (e) => {
        entry.index = null;
        if (e.type === 'SYNC') {
          entry.items = new Map(e.items.map((i) => [key(i), i]));
          entry.synced = true;
          entry.listed = true;
        } else if (e.type === 'DELETED') entry.items.delete(key(e.object));
        else entry.items.set(key(e.object), e.object);
      },
      onStatus: (s) => {
        // Until the relist after a lost stream, reads go to the API server.
        if (s.kind === 'error' || s.kind === 'expired') entry.synced = false;
        // A resumed stream replays what happened meanwhile: synced again once it watches.
        if (s.kind === 'watching' && entry.listed) entry.synced = true;
        if (s.kind === 'error') log.warn(`cluster cache ${env.id}: ${s.message}`);
      },
    });
    this.entries.set(env.id, entry);
    return entry;
  }

  private async evictIdle(): Promise<void> {
    const now = Date.now();
    for (const [id, e] of this.entries) {
      if (now - e.lastRead < this.idleMs) continue;
      this.entries.delete(id);
      await e.watch.stop().catch((error: unknown) => log.warn(`cluster cache ${id}: stop failed: ${errorReason(error)}`));
    }
  }
}

const globalForCache = globalThis as unknown as { ingressGateClusterCache?: ClusterCache };

/** The process's cache (kept on globalThis: Next's dev server reloads modules). */
export function clusterCache(): ClusterCache {
  globalForCache.ingressGateClusterCache ??= new ClusterCache();
  return globalForCache.ingressGateClusterCache;
}

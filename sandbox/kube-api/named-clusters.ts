import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDns1123Label } from '@/lib/domain/ingress/k8s-names';
import { createCluster, type TClusterOptions, type TKubeCluster } from './cluster';
import type { TSeed } from './types';
import type { WatchRegistry } from './watch';

/**
 * Several clusters behind one server, each under its own path prefix `/clusters/<name>` (as
 * Rancher's and `kubectl proxy --api-prefix`'s URLs look), each with its own objects, its own
 * resourceVersion counter and its own kube-system uid, so Ingress Gate sees distinct clusters.
 * A cluster is made on the first request that names it: from `<stateDir>/<name>.json` when that
 * exists, else fresh and seeded with `seed`.
 */
export type TNamedClusterOptions = {
  /** Where each named cluster keeps its state (`<name>.json`); none: in memory only. */
  stateDir?: string;
  /** What a new named cluster holds. */
  seed?: TSeed;
  /** How many named clusters may exist (default 32): a loopback service, not a cluster farm. */
  max?: number;
};

const PREFIX = '/clusters/';

export type TNamedClusters = {
  /** The cluster a path belongs to and the path inside it; null for a path that names no usable cluster. */
  resolve(path: string): { cluster: TKubeCluster; path: string } | null;
  /** The named cluster, made if needed; throws for a name that is not a DNS label or over the limit. */
  get(name: string): TKubeCluster;
  names(): string[];
};

export function isNamedClusterPath(path: string): boolean {
  return path.startsWith(PREFIX);
}

export function namedClusters(opts: TNamedClusterOptions, base: TClusterOptions, watches: WatchRegistry): TNamedClusters {
  const clusters = new Map<string, TKubeCluster>();
  const max = opts.max ?? 32;
  const make = (name: string): TKubeCluster | null => {
    const existing = clusters.get(name);
    if (existing) return existing;
    if (isDns1123Label(name).length > 0 || clusters.size >= max) return null;
    const stateFile = opts.stateDir ? join(opts.stateDir, `${name}.json`) : undefined;
    const isNew = !stateFile || !existsSync(stateFile);
    const cluster = createCluster({ ...base, stateFile, watches });
    if (isNew && opts.seed) cluster.seed(opts.seed);
    clusters.set(name, cluster);
    return cluster;
  };
  return {
    resolve(path) {
      const rest = path.slice(PREFIX.length);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      const cluster = make(name);
      return cluster ? { cluster, path: slash < 0 ? '/' : rest.slice(slash) } : null;
    },
    get(name) {
      const cluster = make(name);
      if (!cluster) throw new Error(`sandbox: no cluster can be named ${JSON.stringify(name)} (a DNS label, at most ${max} clusters)`);
      return cluster;
    },
    names: () => [...clusters.keys()],
  };
}

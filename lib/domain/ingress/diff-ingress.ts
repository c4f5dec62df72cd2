import type { TChangeAction } from '../change/lifecycle';
import { normaliseIngress } from './normalise-ingress';
import { backendLabel, backendRef, ingressClassOf, routeKey, routingTable, tlsFor, type TRoutingRow } from './routing-table';
import type { TIngress } from './types';

export type TChangeKind = 'added' | 'removed' | 'changed';

export type TRouteChange = {
  change: TChangeKind | 'unchanged';
  host: string;
  path: string;
  pathType: string;
  before: TRoutingRow | null;
  after: TRoutingRow | null;
  /** What differs on a 'changed' row. */
  changedFields: ('backend' | 'tls')[];
};

export type TMapChange = { key: string; change: TChangeKind; before: string | null; after: string | null };

export type TValueChange = { before: string | null; after: string | null };

export type TTlsHostChange = { host: string; before: string | null; after: string | null };

export type TSemanticDiff = {
  action: TChangeAction | 'none';
  /** Canonical forms are equal (nothing to review). */
  isIdentical: boolean;
  /** Every routing row of either side, sorted by host, path, pathType; filter on `change`. */
  routes: TRouteChange[];
  routeCounts: { added: number; removed: number; changed: number; unchanged: number };
  annotations: TMapChange[];
  labels: TMapChange[];
  /** Effective class (ingressClassName, else the legacy annotation) changed. */
  ingressClass: TValueChange | null;
  defaultBackend: TValueChange | null;
  /** Hosts whose TLS secret changed; null means "not covered by TLS". */
  tls: TTlsHostChange[];
};

/**
 * Semantic diff of two Ingresses (normalised first).
 * Cases:
 * - base null → 'create' (everything added); proposed null → 'delete' (everything removed);
 *   both null → 'none'
 * - routing rows keyed by host + path + pathType: added / removed / changed (backend or TLS
 *   secret) / unchanged; a pathType change is a removal plus an addition (a different match)
 * - duplicate keys inside one Ingress are paired in order of appearance
 * - annotations and labels: added / removed / changed by key
 * - effective ingress class, defaultBackend and per-host TLS secret changes
 */
export function diffIngress(base: TIngress | null, proposed: TIngress | null): TSemanticDiff {
  const b = base ? normaliseIngress(base) : null;
  const p = proposed ? normaliseIngress(proposed) : null;
  return diffNormalised(b, p, routingTable(b), routingTable(p));
}

/** diffIngress for already normalised inputs whose routing rows are already computed.
 * `isIdentical` may be passed when the caller already compared content hashes (saves two stringifies). */
export function diffNormalised(
  base: TIngress | null,
  proposed: TIngress | null,
  baseRows: TRoutingRow[],
  proposedRows: TRoutingRow[],
  isIdentical?: boolean,
): TSemanticDiff {
  const action = base && proposed ? 'update' : proposed ? 'create' : base ? 'delete' : 'none';
  const routes = diffRoutes(baseRows, proposedRows);
  const routeCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const r of routes) routeCounts[r.change]++;

  const classBefore = ingressClassOf(base);
  const classAfter = ingressClassOf(proposed);
  const dbBefore = base?.spec.defaultBackend ? backendLabel(backendRef(base.spec.defaultBackend)) : null;
  const dbAfter = proposed?.spec.defaultBackend ? backendLabel(backendRef(proposed.spec.defaultBackend)) : null;

  return {
    action,
    isIdentical: base !== null && proposed !== null && (isIdentical ?? JSON.stringify(base) === JSON.stringify(proposed)),
    routes,
    routeCounts,
    annotations: diffMaps(base?.metadata.annotations, proposed?.metadata.annotations),
    labels: diffMaps(base?.metadata.labels, proposed?.metadata.labels),
    ingressClass: classBefore === classAfter ? null : { before: classBefore, after: classAfter },
    defaultBackend: dbBefore === dbAfter ? null : { before: dbBefore, after: dbAfter },
    tls: diffTls(base, proposed, baseRows, proposedRows),
  };
}

function diffRoutes(before: TRoutingRow[], after: TRoutingRow[]): TRouteChange[] {
  const pending = new Map<string, TRoutingRow[]>();
  for (const row of before) {
    const k = routeKey(row);
    const list = pending.get(k);
    if (list) list.push(row);
    else pending.set(k, [row]);
  }
  const out: TRouteChange[] = [];
  for (const row of after) {
    const prev = pending.get(routeKey(row))?.shift() ?? null;
    if (!prev) {
      out.push({ change: 'added', host: row.host, path: row.path, pathType: row.pathType, before: null, after: row, changedFields: [] });
      continue;
    }
    const changedFields: ('backend' | 'tls')[] = [];
    if (prev.backendLabel !== row.backendLabel) changedFields.push('backend');
    if (prev.tlsSecret !== row.tlsSecret) changedFields.push('tls');
    out.push({
      change: changedFields.length ? 'changed' : 'unchanged',
      host: row.host,
      path: row.path,
      pathType: row.pathType,
      before: prev,
      after: row,
      changedFields,
    });
  }
  for (const rest of pending.values()) {
    for (const row of rest)
      out.push({ change: 'removed', host: row.host, path: row.path, pathType: row.pathType, before: row, after: null, changedFields: [] });
  }
  return out.sort((x, y) => cmp(x.host, y.host) || cmp(x.path, y.path) || cmp(x.pathType, y.pathType));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function diffMaps(before: Record<string, string> | undefined, after: Record<string, string> | undefined): TMapChange[] {
  const out: TMapChange[] = [];
  const b = before ?? {};
  const a = after ?? {};
  for (const key of Object.keys(a)) {
    if (!(key in b)) out.push({ key, change: 'added', before: null, after: a[key] ?? null });
    else if (b[key] !== a[key]) out.push({ key, change: 'changed', before: b[key] ?? null, after: a[key] ?? null });
  }
  for (const key of Object.keys(b)) if (!(key in a)) out.push({ key, change: 'removed', before: b[key] ?? null, after: null });
  return out.sort((x, y) => cmp(x.key, y.key));
}

function diffTls(base: TIngress | null, proposed: TIngress | null, baseRows: TRoutingRow[], proposedRows: TRoutingRow[]): TTlsHostChange[] {
  const hosts = new Set<string>();
  for (const r of baseRows) hosts.add(r.host);
  for (const r of proposedRows) hosts.add(r.host);
  for (const t of base?.spec.tls ?? []) for (const h of t.hosts ?? []) hosts.add(h);
  for (const t of proposed?.spec.tls ?? []) for (const h of t.hosts ?? []) hosts.add(h);
  const out: TTlsHostChange[] = [];
  for (const host of [...hosts].sort()) {
    if (host === '') continue;
    const b = base ? tlsFor(base.spec.tls, host) : null;
    const a = proposed ? tlsFor(proposed.spec.tls, host) : null;
    const before = b ? (b.secretName ?? '') : null;
    const after = a ? (a.secretName ?? '') : null;
    if (before !== after) out.push({ host, before, after });
  }
  return out;
}

import { routingTable } from '../ingress/routing-table';
import type { TIngress } from '../ingress/types';
import type { TOtherRoute } from './types';

/**
 * Indexes the routes of the other Ingresses in the cluster by host, so collision checks cost one
 * map lookup per proposed path instead of a scan over every other Ingress (paths × others).
 * The Ingress under review (same namespace and name as `self`) is skipped: its live copy is the
 * base, not a competitor.
 */
export function indexRoutesByHost(
  others: readonly TIngress[],
  self: { namespace: string; name: string } | null,
): Map<string, TOtherRoute[]> {
  const index = new Map<string, TOtherRoute[]>();
  for (const other of others) {
    const namespace = other?.metadata?.namespace ?? '';
    const name = other?.metadata?.name ?? '';
    if (self && namespace === self.namespace && name === self.name) continue;
    for (const row of routingTable(other)) {
      const entry: TOtherRoute = {
        namespace,
        name,
        host: row.host,
        path: row.path,
        pathType: row.pathType,
        backendLabel: row.backendLabel,
      };
      const list = index.get(row.host);
      if (list) list.push(entry);
      else index.set(row.host, [entry]);
    }
  }
  return index;
}

import { INGRESS_CLASS_ANNOTATION } from './validate-ingress';
import type { TIngress, TIngressBackend, TIngressTLS, TPathType } from './types';

export type TBackendRef =
  { kind: 'service'; service: string; port: string } | { kind: 'resource'; apiGroup: string; resourceKind: string; name: string };

/** One routing decision of one Ingress: host + path (+ pathType) → backend, and its TLS. */
export type TRoutingRow = {
  /** '' means "any host" (a rule without host). */
  host: string;
  path: string;
  pathType: TPathType;
  backend: TBackendRef | null;
  /** `service:port` or `Kind/name` — what the routing-table view shows. */
  backendLabel: string;
  /** Secret of the first TLS entry covering the host; null when the host is not covered. */
  tlsSecret: string | null;
  isTls: boolean;
  /** Field path of the HTTPIngressPath, e.g. `spec.rules[0].http.paths[1]`. */
  fieldPath: string;
};

export function backendRef(b: TIngressBackend | undefined | null): TBackendRef | null {
  if (!b || typeof b !== 'object') return null;
  if (b.service) {
    const port = b.service.port?.number ?? b.service.port?.name ?? '';
    return { kind: 'service', service: String(b.service.name ?? ''), port: String(port) };
  }
  if (b.resource) {
    return { kind: 'resource', apiGroup: b.resource.apiGroup ?? '', resourceKind: b.resource.kind, name: b.resource.name };
  }
  return null;
}

export function backendLabel(ref: TBackendRef | null): string {
  if (!ref) return '(none)';
  if (ref.kind === 'service') return `${ref.service}:${ref.port}`;
  return `${ref.apiGroup ? `${ref.apiGroup}/` : ''}${ref.resourceKind}/${ref.name}`;
}

/** Whether a TLS host pattern (`a.example.com`, `*.example.com`) covers a rule host. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.') || host === '') return false;
  const dot = host.indexOf('.');
  // `*` is exactly one label: *.example.com covers a.example.com, not a.b.example.com.
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

/** The TLS entry that serves `host`, if any. An entry without hosts applies to every host. */
export function tlsFor(tls: readonly TIngressTLS[] | undefined, host: string): TIngressTLS | null {
  if (!Array.isArray(tls)) return null;
  for (const entry of tls) {
    const hosts = entry?.hosts;
    if (!hosts || hosts.length === 0) return entry;
    if (host !== '' && hosts.some((h: string) => hostCovers(h, host))) return entry;
  }
  return null;
}

/** The class an Ingress asks for: spec.ingressClassName, else the legacy annotation, else null. */
export function ingressClassOf(ingress: TIngress | null): string | null {
  if (!ingress) return null;
  return ingress.spec?.ingressClassName ?? ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION] ?? null;
}

export function routeKey(row: Pick<TRoutingRow, 'host' | 'path' | 'pathType'>): string {
  return `${row.host}\u0000${row.path}\u0000${row.pathType}`;
}

/**
 * The routing rows of one Ingress, in manifest order. Tolerates partial objects (other Ingresses
 * read from the cluster are not validated by us): rules or paths that are not maps are skipped.
 * Cases: a rule without host gives host ''; ImplementationSpecific without path gives path '/'
 * as controllers treat it; defaultBackend is not a row (see diff `defaultBackend`).
 */
export function routingTable(ingress: TIngress | null): TRoutingRow[] {
  const rows: TRoutingRow[] = [];
  const rules = ingress?.spec?.rules;
  if (!Array.isArray(rules)) return rows;
  const tls = ingress?.spec?.tls;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const paths = rule?.http?.paths;
    if (!Array.isArray(paths)) continue;
    const host = typeof rule?.host === 'string' ? rule.host : '';
    const tlsEntry = tlsFor(tls, host);
    for (let j = 0; j < paths.length; j++) {
      const p = paths[j];
      if (!p || typeof p !== 'object') continue;
      const backend = backendRef(p.backend);
      rows.push({
        host,
        path: typeof p.path === 'string' && p.path !== '' ? p.path : '/',
        pathType: p.pathType,
        backend,
        backendLabel: backendLabel(backend),
        tlsSecret: tlsEntry ? (tlsEntry.secretName ?? '') : null,
        isTls: tlsEntry !== null,
        fieldPath: `spec.rules[${i}].http.paths[${j}]`,
      });
    }
  }
  return rows;
}

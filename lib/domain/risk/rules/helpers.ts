import { appendKey } from '../../ingress/field-path';
import type { THTTPIngressPath, TIngress } from '../../ingress/types';
import type { TFindingDraft, TRiskContext } from '../types';

export const NGINX = 'nginx.ingress.kubernetes.io/';
export const ALB = 'alb.ingress.kubernetes.io/';
export const TRAEFIK = 'traefik.ingress.kubernetes.io/';
export const HAPROXY = 'haproxy.org/';

export const NVD = (cve: string) => `https://nvd.nist.gov/vuln/detail/${cve}`;
export const DOCS = {
  nginxAnnotations: 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/',
  nginxRewrite: 'https://kubernetes.github.io/ingress-nginx/examples/rewrite/',
  nginxRegex: 'https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/',
  alb: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/',
  traefik: 'https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/',
  haproxy: 'https://www.haproxy.com/documentation/kubernetes-ingress/community/configuration-reference/ingress/',
  certManager: 'https://cert-manager.io/docs/usage/ingress/',
  ingress: 'https://kubernetes.io/docs/concepts/services-networking/ingress/',
  ingressClass: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class',
  ingressTls: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
  defaultBackend: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#default-backend',
  resourceBackend: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#resource-backend',
  pathTypes: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types',
} as const;

export function annPath(key: string): string {
  return appendKey('metadata.annotations', key);
}

/** One finding per proposed annotation whose key satisfies `match` (and, if given, whose value satisfies `value`). */
export function onProposedAnnotations(
  ctx: TRiskContext,
  match: (key: string) => boolean,
  message: (key: string, value: string) => string,
  value: (v: string, key: string) => boolean = () => true,
): TFindingDraft[] {
  const out: TFindingDraft[] = [];
  for (const [k, v] of Object.entries(ctx.proposedAnnotations)) {
    if (match(k) && value(v, k)) out.push({ message: message(k, v), path: annPath(k) });
  }
  return out;
}

/** Annotation keys the base had and the proposal drops (on update; a delete is its own rule). */
export function removedAnnotations(ctx: TRiskContext, match: (key: string) => boolean): string[] {
  if (!ctx.base || !ctx.proposed) return [];
  return Object.keys(ctx.baseAnnotations).filter((k) => match(k) && !(k in ctx.proposedAnnotations));
}

export const WIDE_CIDR = /(^|[\s,])(0\.0\.0\.0\/0|::\/0)($|[\s,])/;

export function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Annotation keys added or changed (proposed side) and removed (base side) on update/create. */
export function changedAnnotations(ctx: TRiskContext, match: (key: string) => boolean): TFindingDraftChange[] {
  const out: TFindingDraftChange[] = [];
  for (const a of ctx.diff.annotations) if (match(a.key)) out.push(a);
  return out;
}
export type TFindingDraftChange = { key: string; change: 'added' | 'removed' | 'changed'; before: string | null; after: string | null };

type TBackendLike = { service?: { name?: string; port?: { name?: string; number?: number } }; resource?: unknown } | undefined;

/**
 * Findings for a backend that moved, one per moved part, each at its own line: the Service name
 * at `…service.name`, the port at `…service.port.number|name`, anything else (service ↔ resource,
 * a resource's target) at the backend itself.
 */
export function backendMoves(before: TBackendLike, after: TBackendLike, at: string, label: string): TFindingDraft[] {
  const out: TFindingDraft[] = [];
  const b = before?.service;
  const a = after?.service;
  if (!b || !a) {
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ message: `${label}: the backend changes kind or target`, path: at });
    return out;
  }
  if (b.name !== a.name) out.push({ message: `${label}: Service ${b.name ?? '?'} → ${a.name ?? '?'}`, path: `${at}.service.name` });
  const bp = b.port?.number ?? b.port?.name;
  const ap = a.port?.number ?? a.port?.name;
  if (bp !== ap) {
    const field = a.port?.number !== undefined ? 'number' : 'name';
    out.push({
      message: `${label}: port ${bp ?? '?'} → ${ap ?? '?'}${b.name !== a.name ? ` (on the new Service ${a.name})` : ` of Service ${a.name}`}`,
      path: `${at}.service.port.${field}`,
    });
  }
  return out;
}

/** The HTTPIngressPath at a routing row's field path (`spec.rules[i].http.paths[j]`). */
export function httpPathAt(ingress: TIngress | null, fieldPath: string): THTTPIngressPath | undefined {
  const m = /^spec\.rules\[(\d+)\]\.http\.paths\[(\d+)\]$/.exec(fieldPath);
  if (!ingress || !m) return undefined;
  return ingress.spec.rules?.[Number(m[1])]?.http?.paths[Number(m[2])];
}

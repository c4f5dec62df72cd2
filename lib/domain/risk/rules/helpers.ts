import { appendKey } from '../../ingress/field-path';
import type { TFindingDraft, TRiskContext } from '../types';

export const NGINX = 'nginx.ingress.kubernetes.io/';
export const ALB = 'alb.ingress.kubernetes.io/';
export const TRAEFIK = 'traefik.ingress.kubernetes.io/';
export const HAPROXY = 'haproxy.org/';

export const NVD = (cve: string) => `https://nvd.nist.gov/vuln/detail/${cve}`;
export const DOCS = {
  nginxAnnotations: 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/',
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

import { INGRESS_CLASS_ANNOTATION } from '../../ingress/validate-ingress';
import type { TFindingDraft, TRiskRule } from '../types';
import { ALB, annPath, DOCS, HAPROXY, NGINX, onProposedAnnotations, removedAnnotations, splitList, TRAEFIK, WIDE_CIDR } from './helpers';

const PUBLIC_CLASS_RE = /public|external|internet/i;
const PRIVATE_CLASS_RE = /private|internal|intranet/i;

const ALLOWLIST_KEYS = new Set([
  `${NGINX}whitelist-source-range`,
  `${NGINX}allowlist-source-range`,
  `${HAPROXY}whitelist`,
  `${HAPROXY}allow-list`,
  `${ALB}inbound-cidrs`,
]);

const AUTH_KEYS = new Set([
  `${NGINX}auth-type`,
  `${NGINX}auth-url`,
  `${NGINX}auth-secret`,
  `${NGINX}auth-tls-secret`,
  `${NGINX}auth-tls-verify-client`,
  `${HAPROXY}auth-type`,
  `${HAPROXY}auth-secret`,
]);

function classPath(ctx: { proposed: { spec: { ingressClassName?: string } } | null }): string {
  return ctx.proposed?.spec.ingressClassName !== undefined ? 'spec.ingressClassName' : annPath(INGRESS_CLASS_ANNOTATION);
}

export const EXPOSURE_RULES: TRiskRule[] = [
  {
    id: 'ingress-class-changed',
    severity: 'medium',
    title: 'Ingress class changed',
    why: 'The class decides which controller — and so which load balancer and network — serves the Ingress. Moving from a private to a public class puts internal services on the internet.',
    reference: DOCS.ingressClass,
    check: (ctx) => {
      const change = ctx.diff.ingressClass;
      if (ctx.action !== 'update' || !change) return [];
      const toPublic =
        change.after !== null && PUBLIC_CLASS_RE.test(change.after) && !(change.before !== null && PUBLIC_CLASS_RE.test(change.before));
      const fromPrivate = change.before !== null && PRIVATE_CLASS_RE.test(change.before);
      return [
        {
          message: `ingress class changes from ${change.before ?? '(none)'} to ${change.after ?? '(none)'}${toPublic ? ' — this exposes it publicly' : ''}`,
          path: change.after === null ? classPath({ proposed: ctx.base }) : classPath(ctx),
          side: change.after === null ? 'base' : 'proposed',
          severity: toPublic || (fromPrivate && change.after === null) ? 'high' : 'medium',
        },
      ];
    },
  },
  {
    id: 'ingress-class-missing',
    severity: 'medium',
    title: 'No ingress class',
    why: "Without ingressClassName (or the legacy annotation) the cluster's default class takes the Ingress — or every controller that watches class-less Ingresses does, which may include a public one.",
    reference: DOCS.ingressClass,
    check: (ctx) => {
      if (!ctx.proposed) return [];
      if (ctx.proposed.spec.ingressClassName || ctx.proposedAnnotations[INGRESS_CLASS_ANNOTATION]) return [];
      return [{ message: 'no ingressClassName: the default class (or any controller) will serve this Ingress', path: 'spec' }];
    },
  },
  {
    id: 'alb-internet-facing',
    severity: 'high',
    title: 'AWS ALB becomes internet-facing',
    why: 'scheme: internet-facing provisions a load balancer with public IPs; the default (internal) is reachable only inside the VPC.',
    reference: DOCS.alb,
    check: (ctx) => {
      const key = `${ALB}scheme`;
      if (ctx.proposedAnnotations[key] !== 'internet-facing' || ctx.baseAnnotations[key] === 'internet-facing') return [];
      return [{ message: `${key} is internet-facing: the ALB gets public addresses`, path: annPath(key) }];
    },
  },
  {
    id: 'alb-open-inbound-cidrs',
    severity: 'high',
    title: 'AWS ALB inbound-cidrs open to the world',
    why: "inbound-cidrs is the ALB security group's allowlist; 0.0.0.0/0 or ::/0 admits every address.",
    reference: DOCS.alb,
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k === `${ALB}inbound-cidrs`,
        (k) => `${k} admits every address`,
        (v) => WIDE_CIDR.test(v),
      ),
  },
  {
    id: 'alb-group-changed',
    severity: 'medium',
    title: 'AWS ALB group changed',
    why: 'group.name merges Ingresses into one shared ALB; joining or leaving a group changes which load balancer (and whose listeners and rules) serve this traffic.',
    reference: DOCS.alb,
    check: (ctx) => {
      const key = `${ALB}group.name`;
      if (ctx.action !== 'update') return [];
      const before = ctx.baseAnnotations[key];
      const after = ctx.proposedAnnotations[key];
      if (before === after) return [];
      return [
        {
          message: `${key} changes from ${before ?? '(none)'} to ${after ?? '(none)'}`,
          path: annPath(key),
          side: after === undefined ? 'base' : 'proposed',
        },
      ];
    },
  },
  {
    id: 'alb-auth-disabled',
    severity: 'high',
    title: 'AWS ALB authentication turned off',
    why: 'auth-type cognito/oidc makes the ALB authenticate every request; removing it or setting none opens the backend to anyone who can reach the ALB.',
    reference: DOCS.alb,
    check: (ctx) => {
      const key = `${ALB}auth-type`;
      if (!ctx.base || !ctx.proposed) return [];
      const before = ctx.baseAnnotations[key];
      const after = ctx.proposedAnnotations[key];
      if ((before !== 'cognito' && before !== 'oidc') || after === 'cognito' || after === 'oidc') return [];
      return [
        { message: `${key} was ${before}, now ${after ?? 'removed'}`, path: annPath(key), side: after === undefined ? 'base' : 'proposed' },
      ];
    },
  },
  {
    id: 'allowlist-removed',
    severity: 'high',
    title: 'Source IP allowlist removed',
    why: 'whitelist-source-range / allowlist-source-range / haproxy.org/whitelist / inbound-cidrs limit who can connect; removing one opens the service to every network that reaches the load balancer.',
    reference: DOCS.nginxAnnotations,
    check: (ctx) =>
      removedAnnotations(ctx, (k) => ALLOWLIST_KEYS.has(k)).map((k) => ({
        message: `${k} (${ctx.baseAnnotations[k]}) is removed`,
        path: annPath(k),
        side: 'base' as const,
      })),
  },
  {
    id: 'allowlist-open',
    severity: 'high',
    title: 'Source IP allowlist widened to everyone',
    why: 'An allowlist containing 0.0.0.0/0 or ::/0 admits every address while still looking restricted in review.',
    reference: DOCS.nginxAnnotations,
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      for (const k of ALLOWLIST_KEYS) {
        if (k === `${ALB}inbound-cidrs`) continue; // its own rule, with the ALB wording
        const v = ctx.proposedAnnotations[k];
        if (v !== undefined && splitList(v).some((c) => c === '0.0.0.0/0' || c === '::/0'))
          out.push({ message: `${k} admits every address (${v})`, path: annPath(k) });
      }
      return out;
    },
  },
  {
    id: 'auth-removed',
    severity: 'high',
    title: 'Authentication annotations removed',
    why: 'Removing auth-type / auth-url / auth-secret / client-certificate settings turns an authenticated endpoint into a public one.',
    reference: DOCS.nginxAnnotations,
    check: (ctx) =>
      removedAnnotations(ctx, (k) => AUTH_KEYS.has(k)).map((k) => ({
        message: `${k} is removed: requests will no longer be authenticated`,
        path: annPath(k),
        side: 'base' as const,
      })),
  },
  {
    id: 'traefik-middlewares-removed',
    severity: 'high',
    title: 'Traefik middlewares removed',
    why: 'router.middlewares is where Traefik users attach authentication, IP allowlists, rate limits and headers; dropping an entry drops that protection.',
    reference: DOCS.traefik,
    check: (ctx) => {
      const key = `${TRAEFIK}router.middlewares`;
      if (!ctx.base || !ctx.proposed) return [];
      const before = splitList(ctx.baseAnnotations[key]);
      const after = new Set(splitList(ctx.proposedAnnotations[key]));
      const gone = before.filter((m) => !after.has(m));
      if (gone.length === 0) return [];
      return [{ message: `middleware(s) removed: ${gone.join(', ')}`, path: annPath(key), side: after.size === 0 ? 'base' : 'proposed' }];
    },
  },
  {
    id: 'traefik-entrypoint-web',
    severity: 'medium',
    title: 'Traefik router gains the plain-HTTP entrypoint',
    why: 'Adding the `web` entrypoint serves the routes over unencrypted HTTP (port 80) as well as, or instead of, `websecure`.',
    reference: DOCS.traefik,
    check: (ctx) => {
      const key = `${TRAEFIK}router.entrypoints`;
      const after = splitList(ctx.proposedAnnotations[key]);
      if (!after.includes('web') || splitList(ctx.baseAnnotations[key]).includes('web')) return [];
      return [{ message: `${key} now includes web (plain HTTP)`, path: annPath(key) }];
    },
  },
  {
    id: 'haproxy-config-snippet',
    severity: 'critical',
    title: 'HAProxy config snippet',
    why: 'haproxy.org/*-config-snippet pastes raw HAProxy configuration into the shared controller; it can reroute or expose any traffic the controller carries.',
    reference: DOCS.haproxy,
    check: (ctx) =>
      onProposedAnnotations(
        ctx,
        (k) => k.startsWith(HAPROXY) && k.endsWith('-config-snippet'),
        (k) => `${k} injects raw HAProxy configuration`,
      ),
  },
];

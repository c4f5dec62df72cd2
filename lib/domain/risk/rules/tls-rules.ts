import type { TFindingDraft, TRiskRule } from '../types';
import { ALB, annPath, DOCS, NGINX, TRAEFIK } from './helpers';

const ISSUER_KEYS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

export const TLS_RULES: TRiskRule[] = [
  {
    id: 'tls-removed',
    severity: 'high',
    title: 'TLS removed',
    why: 'Without spec.tls the controller serves these hosts over plain HTTP (or with its default certificate): credentials and cookies travel in clear text.',
    reference: DOCS.ingressTls,
    check: (ctx) => {
      if (!ctx.base || !ctx.proposed) return [];
      if (!ctx.base.spec.tls?.length || ctx.proposed.spec.tls?.length) return [];
      return [{ message: 'spec.tls is removed', path: 'spec.tls', side: 'base' }];
    },
  },
  {
    id: 'tls-host-uncovered',
    severity: 'medium',
    title: 'Host not covered by TLS',
    why: "A host that no spec.tls entry lists is served without its own certificate: plain HTTP, or the controller's default certificate (a browser error at best).",
    reference: DOCS.ingressTls,
    check: (ctx) => {
      if (!ctx.proposed) return [];
      // ALB terminates TLS with ACM certificates and Traefik with router.tls, outside spec.tls.
      if (ctx.proposedAnnotations[`${ALB}certificate-arn`] || ctx.proposedAnnotations[`${TRAEFIK}router.tls`] === 'true') return [];
      const out: TFindingDraft[] = [];
      const seen = new Set<string>();
      ctx.proposed.spec.rules?.forEach((rule, i) => {
        const host = rule.host ?? '';
        if (host === '' || seen.has(host)) return;
        seen.add(host);
        const row = ctx.proposedRows.find((r) => r.host === host);
        if (row && row.isTls) return;
        if (!row && ctx.proposed?.spec.tls?.some((t) => !t.hosts?.length || t.hosts.includes(host))) return;
        out.push({ message: `host ${host} is not listed in any spec.tls[].hosts`, path: `spec.rules[${i}].host` });
      });
      return out;
    },
  },
  {
    id: 'ssl-redirect-disabled',
    severity: 'medium',
    title: 'HTTPS redirect turned off',
    why: 'ssl-redirect / force-ssl-redirect "false" lets clients stay on plain HTTP instead of being sent to HTTPS.',
    reference:
      'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect',
    check: (ctx) =>
      [`${NGINX}ssl-redirect`, `${NGINX}force-ssl-redirect`]
        .filter((k) => ctx.proposedAnnotations[k]?.toLowerCase() === 'false')
        .map((k) => ({ message: `${k} is "false": clients may stay on plain HTTP`, path: annPath(k) })),
  },
  {
    id: 'tls-secret-changed',
    severity: 'medium',
    title: 'TLS secret swapped',
    why: 'A different secretName serves a different certificate (and private key) for the host; a secret from the wrong issuer or an expired one breaks clients, a look-alike one enables interception.',
    reference: DOCS.ingressTls,
    check: (ctx) => {
      if (!ctx.proposed || !ctx.base) return [];
      const out: TFindingDraft[] = [];
      for (const change of ctx.diff.tls) {
        if (change.before === null || change.after === null) continue;
        const i = ctx.proposed.spec.tls?.findIndex((t) => t.secretName === change.after) ?? -1;
        out.push({
          message: `host ${change.host}: TLS secret ${change.before || '(none)'} → ${change.after || '(none)'}`,
          path: i >= 0 ? `spec.tls[${i}].secretName` : 'spec.tls',
        });
      }
      return out;
    },
  },
  {
    id: 'cert-manager-issuer-changed',
    severity: 'medium',
    title: 'cert-manager issuer changed',
    why: 'The issuer decides who signs the certificate; switching (say, from a production CA to a staging or self-signed issuer) changes what clients are asked to trust.',
    reference: DOCS.certManager,
    check: (ctx) =>
      ISSUER_KEYS.filter(
        (k) =>
          ctx.baseAnnotations[k] !== undefined &&
          ctx.proposedAnnotations[k] !== undefined &&
          ctx.baseAnnotations[k] !== ctx.proposedAnnotations[k],
      ).map((k) => ({ message: `${k}: ${ctx.baseAnnotations[k]} → ${ctx.proposedAnnotations[k]}`, path: annPath(k) })),
  },
  {
    id: 'cert-manager-issuer-removed',
    severity: 'medium',
    title: 'cert-manager issuer removed',
    why: 'Without the issuer annotation cert-manager stops renewing the certificate; it expires silently weeks later.',
    reference: DOCS.certManager,
    check: (ctx) => {
      if (!ctx.base || !ctx.proposed) return [];
      const hadIssuer = ISSUER_KEYS.filter((k) => ctx.baseAnnotations[k] !== undefined);
      if (hadIssuer.length === 0 || ISSUER_KEYS.some((k) => ctx.proposedAnnotations[k] !== undefined)) return [];
      return hadIssuer.map((k) => ({
        message: `${k} (${ctx.baseAnnotations[k]}) is removed: the certificate will not be renewed`,
        path: annPath(k),
        side: 'base' as const,
      }));
    },
  },
];

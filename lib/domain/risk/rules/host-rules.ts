import { matchesHostPattern } from '../../policy/host-pattern';
import type { TFindingDraft, TRiskRule } from '../types';
import { annPath, backendMoves, changedAnnotations, DOCS, NGINX } from './helpers';

export const HOST_RULES: TRiskRule[] = [
  {
    id: 'host-wildcard',
    severity: 'high',
    title: 'Wildcard host',
    why: 'A `*.` host answers for every sub-domain, including ones other teams will create later; traffic meant for them lands here.',
    reference: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards',
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      ctx.proposed?.spec.rules?.forEach((r, i) => {
        if (r.host?.startsWith('*')) out.push({ message: `host ${r.host} matches every sub-domain`, path: `spec.rules[${i}].host` });
      });
      return out;
    },
  },
  {
    id: 'host-empty',
    severity: 'high',
    title: 'Rule without host',
    why: 'A rule without host matches requests for every host name that reaches the controller, including hosts served by other Ingresses that do not define this path.',
    reference: DOCS.ingress,
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      ctx.proposed?.spec.rules?.forEach((r, i) => {
        if (!r.host) out.push({ message: `rule ${i} has no host: it serves every host name`, path: `spec.rules[${i}]` });
      });
      return out;
    },
  },
  {
    id: 'host-not-allowed',
    severity: 'high',
    title: "Host outside the environment's allowed patterns",
    why: "The environment only serves the listed domains; another host is either a mistake or an attempt to claim someone else's domain.",
    reference: DOCS.ingress,
    check: (ctx) => {
      const patterns = ctx.policy.allowedHostPatterns;
      if (patterns.length === 0 || !ctx.proposed) return [];
      const out: TFindingDraft[] = [];
      ctx.proposed.spec.rules?.forEach((r, i) => {
        const host = r.host ?? '';
        if (host === '' || patterns.some((p) => matchesHostPattern(p, host))) return;
        out.push({ message: `host ${host} does not match ${patterns.join(', ')}`, path: `spec.rules[${i}].host` });
      });
      return out;
    },
  },
  {
    id: 'host-path-collision',
    severity: 'high',
    title: 'Host and path already served by another Ingress',
    why: 'When two Ingresses claim the same host and path, the controller picks one (ingress-nginx: the oldest); the other silently gets no traffic, or this change hijacks a route another team owns.',
    reference: 'https://kubernetes.github.io/ingress-nginx/how-it-works/#building-the-nginx-model',
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      for (const row of ctx.proposedRows) {
        const others = ctx.routesByHost.get(row.host);
        if (!others) continue;
        const clash = others.find((o) => o.path === row.path);
        if (!clash) continue;
        out.push({
          message: `${row.host || '(any host)'}${row.path} is already served by ${clash.namespace}/${clash.name} (→ ${clash.backendLabel})`,
          path: `${row.fieldPath}.path`,
        });
      }
      return out;
    },
  },
  {
    id: 'catch-all-shared-host',
    severity: 'medium',
    title: 'Catch-all / on a host other Ingresses share',
    why: 'A Prefix `/` on a shared host receives every request no other Ingress matches more specifically — including paths another team removes or mistypes later.',
    reference: DOCS.pathTypes,
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      for (const row of ctx.proposedRows) {
        if (row.path !== '/' || row.pathType === 'Exact') continue;
        const others = ctx.routesByHost.get(row.host);
        if (!others || others.some((o) => o.path === '/')) continue; // an exact collision is its own rule
        const owners = [...new Set(others.map((o) => `${o.namespace}/${o.name}`))];
        out.push({
          message: `catch-all / on ${row.host || '(any host)'}, which ${owners.slice(0, 3).join(', ')}${owners.length > 3 ? ' and others' : ''} also serve`,
          path: `${row.fieldPath}.path`,
        });
      }
      return out;
    },
  },
  {
    id: 'default-backend-set',
    severity: 'high',
    title: 'Default backend added or changed',
    why: 'A default backend receives every request that matches no rule. spec.defaultBackend of an Ingress without host rules becomes the catch-all of the whole controller (ingress-nginx serves it for every unknown host), so adding or moving it silently captures traffic meant for 404s and for hosts other teams have not created yet. The ingress-nginx `default-backend` annotation does the same for unmatched paths and custom-http-errors of this Ingress.',
    reference: DOCS.defaultBackend,
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      const after = ctx.proposed?.spec.defaultBackend;
      const before = ctx.base?.spec.defaultBackend;
      if (after && ctx.diff.defaultBackend) {
        const isCatchAll = !(ctx.proposed?.spec.rules ?? []).some((r) => r.host);
        const severity = isCatchAll ? 'high' : 'medium';
        const where = isCatchAll ? ' — catch-all for every host this controller serves' : '';
        if (!before)
          out.push({ message: `defaultBackend added → ${ctx.diff.defaultBackend.after}${where}`, path: 'spec.defaultBackend', severity });
        else
          for (const d of backendMoves(before, after, 'spec.defaultBackend', 'defaultBackend'))
            out.push({ ...d, message: `${d.message}${where}`, severity });
      }
      for (const a of changedAnnotations(ctx, (k) => k === `${NGINX}default-backend`)) {
        if (a.change === 'removed') continue;
        out.push({
          message: `${a.key} ${a.change === 'added' ? 'set to' : `changed from ${a.before} to`} ${a.after}: unmatched requests and error pages of this Ingress go there`,
          path: annPath(a.key),
          severity: 'medium',
        });
      }
      return out;
    },
  },
];

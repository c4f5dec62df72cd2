import type { TFindingDraft, TRiskRule } from '../types';
import { backendMoves, DOCS, httpPathAt } from './helpers';

export const BACKEND_RULES: TRiskRule[] = [
  {
    id: 'backend-changed',
    severity: 'medium',
    title: 'Backend Service or port changed',
    why: "Pointing an existing route at another Service or port moves live traffic; a wrong target is an outage, a hostile one receives users' requests and credentials. The Service and the port are separate findings, each at its own line, because either alone moves the traffic.",
    reference: DOCS.ingress,
    check: (ctx) => {
      const out: TFindingDraft[] = [];
      for (const r of ctx.diff.routes) {
        if (r.change !== 'changed' || !r.changedFields.includes('backend') || !r.after || !r.before) continue;
        const before = httpPathAt(ctx.base, r.before.fieldPath)?.backend;
        const after = httpPathAt(ctx.proposed, r.after.fieldPath)?.backend;
        out.push(...backendMoves(before, after, `${r.after.fieldPath}.backend`, `${r.host || '(any host)'}${r.path}`));
      }
      // spec.defaultBackend changes are default-backend-set's (one finding per line, not two).
      return out;
    },
  },
  {
    id: 'backend-service-missing',
    severity: 'high',
    title: 'Backend Service not found in the namespace',
    why: 'A route to a Service that does not exist answers 503 for every request; often a typo in the name.',
    reference: DOCS.ingress,
    check: (ctx) => {
      if (!ctx.services) return [];
      const names = new Set(ctx.services.map((s) => s.name));
      const out: TFindingDraft[] = [];
      const reported = new Set<string>();
      for (const row of ctx.proposedRows) {
        if (row.backend?.kind !== 'service' || names.has(row.backend.service) || reported.has(row.backend.service)) continue;
        reported.add(row.backend.service);
        out.push({
          message: `Service ${row.backend.service} does not exist in namespace ${ctx.namespace}`,
          path: `${row.fieldPath}.backend.service.name`,
        });
      }
      const db = ctx.proposed?.spec.defaultBackend?.service;
      if (db && !names.has(db.name) && !reported.has(db.name))
        out.push({ message: `Service ${db.name} does not exist in namespace ${ctx.namespace}`, path: 'spec.defaultBackend.service.name' });
      return out;
    },
  },
  {
    id: 'backend-port-missing',
    severity: 'high',
    title: 'Backend Service has no such port',
    why: 'A route to a port the Service does not expose fails for every request (503), usually a port number/name mix-up.',
    reference: DOCS.ingress,
    check: (ctx) => {
      if (!ctx.services) return [];
      const byName = new Map(ctx.services.map((s) => [s.name, s]));
      const out: TFindingDraft[] = [];
      const reported = new Set<string>();
      for (const row of ctx.proposedRows) {
        if (row.backend?.kind !== 'service') continue;
        const svc = byName.get(row.backend.service);
        const port = row.backend.port;
        if (!svc || reported.has(`${svc.name}:${port}`)) continue;
        if (svc.ports.some((p) => String(p.port) === port || p.name === port)) continue;
        reported.add(`${svc.name}:${port}`);
        const ports = svc.ports.map((p) => (p.name ? `${p.name}/${p.port}` : String(p.port))).join(', ') || 'none';
        out.push({ message: `Service ${svc.name} has no port ${port} (ports: ${ports})`, path: `${row.fieldPath}.backend.service.port` });
      }
      return out;
    },
  },
  {
    id: 'resource-backend',
    severity: 'medium',
    title: 'Resource backend',
    why: 'A resource backend sends traffic to an arbitrary object (often a storage bucket) instead of a Service; controller support varies and it bypasses Service-level controls.',
    reference: DOCS.resourceBackend,
    check: (ctx) => {
      const out: TFindingDraft[] = ctx.proposedRows
        .filter((r) => r.backend?.kind === 'resource')
        .map((r) => ({ message: `${r.host || '(any host)'}${r.path} → ${r.backendLabel}`, path: `${r.fieldPath}.backend.resource` }));
      if (ctx.proposed?.spec.defaultBackend?.resource)
        out.push({ message: 'defaultBackend is a resource backend', path: 'spec.defaultBackend.resource' });
      return out;
    },
  },
  {
    id: 'ingress-deleted',
    severity: 'high',
    title: 'Ingress deleted',
    why: "Deleting the Ingress stops all of its routes at once; every host and path it serves returns 404 or falls to another Ingress's catch-all.",
    reference: DOCS.ingress,
    check: (ctx) => {
      if (ctx.action !== 'delete' || !ctx.base) return [];
      const hosts = [...new Set(ctx.baseRows.map((r) => r.host || '(any host)'))];
      return [
        {
          message: `deletes ${ctx.baseRows.length} route(s) on ${hosts.slice(0, 5).join(', ')}${hosts.length > 5 ? ` and ${hosts.length - 5} more hosts` : ''}`,
          path: '',
          side: 'base',
        },
      ];
    },
  },
];

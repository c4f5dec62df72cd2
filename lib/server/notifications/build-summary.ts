import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import { isNotificationKind } from '@/lib/domain/notifications/notification-kinds';
import type { TNotificationSummary } from '@/lib/domain/notifications/render-notification';
import type { TTx } from '../db/client';
import type { TDb } from '../db/client';

type TEventRow = {
  id: string;
  kind: string;
  changeRequestId: string | null;
  environmentId: string | null;
  revision: number | null;
  actorLabel: string;
  details: unknown;
  createdAt: Date;
};

/** The request, revision, risk and changed routes one event talks about, read once per event. */
export async function buildSummary(client: TTx | TDb, event: TEventRow, baseUrl: string): Promise<TNotificationSummary> {
  if (!isNotificationKind(event.kind)) throw new Error(`unknown notification kind ${event.kind}`);
  const details = (event.details ?? {}) as { comment?: string; reason?: string; namespace?: string; ingressName?: string };
  const request = event.changeRequestId
    ? await client.changeRequest.findUnique({
        where: { id: event.changeRequestId },
        include: { environment: { select: { name: true } }, requester: { select: { name: true, email: true } } },
      })
    : null;
  const environment =
    request?.environment.name ??
    (event.environmentId
      ? (await client.environment.findUnique({ where: { id: event.environmentId }, select: { name: true } }))?.name
      : null) ??
    'unknown';
  const revisionNumber = event.revision ?? request?.currentRevision ?? null;
  const revision =
    request && revisionNumber
      ? await client.revision.findUnique({
          where: { changeRequestId_number: { changeRequestId: request.id, number: revisionNumber } },
          select: { analysis: true },
        })
      : null;
  const analysis = revision?.analysis as TAnalysis | undefined;
  const findings = analysis?.findings ?? [];
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  const top = [...findings]
    .sort((a, b) => rank.indexOf(b.severity) - rank.indexOf(a.severity))
    .slice(0, 5)
    .map((f) => ({ severity: f.severity, title: f.title }));
  return {
    kind: event.kind,
    eventId: event.id,
    occurredAt: event.createdAt.toISOString(),
    actor: event.actorLabel,
    environment,
    request: request
      ? {
          id: request.id,
          number: request.number,
          title: request.title,
          status: request.status,
          revision: revisionNumber ?? request.currentRevision,
          requester: `${request.requester.name} <${request.requester.email}>`,
        }
      : null,
    target: {
      namespace: request?.namespace ?? details.namespace ?? '',
      name: request?.ingressName ?? details.ingressName ?? '',
      action: request?.action ?? null,
    },
    risk: { maxSeverity: analysis?.maxSeverity ?? 'none', findingCount: findings.length, top },
    changedRoutes: analysis ? changedRoutes(analysis) : [],
    comment: typeof details.comment === 'string' && details.comment ? details.comment : null,
    reason: typeof details.reason === 'string' && details.reason ? details.reason : null,
    link: request ? `${baseUrl}/requests/${request.id}?revision=${revisionNumber ?? request.currentRevision}` : `${baseUrl}/drift`,
  };
}

/** Routing rows whose backend differs between base and proposed (added, removed, retargeted). */
function changedRoutes(analysis: TAnalysis): TNotificationSummary['changedRoutes'] {
  const key = (r: { host: string; path: string }) => `${r.host}\u0000${r.path}`;
  const before = new Map(analysis.routes.base.map((r) => [key(r), r.backendLabel]));
  const after = new Map(analysis.routes.proposed.map((r) => [key(r), r.backendLabel]));
  const out: TNotificationSummary['changedRoutes'] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(k) ?? null;
    const a = after.get(k) ?? null;
    if (b === a) continue;
    const [host, path] = k.split('\u0000') as [string, string];
    out.push({ host, path, before: b, after: a });
  }
  return out.slice(0, 50);
}

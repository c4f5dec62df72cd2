import { can, type TActor } from '@/lib/domain/authz/permissions';
import { Prisma } from '@/lib/generated/prisma/client';
import { changeWindowsOf } from '../schedule/schedule-apply';

/**
 * What the request page's read model (lib/server/change-requests/change-request-read-model.ts)
 * fetches for the schedule and promotion panel, in the same statement: a json object per request
 * `cr` (with its environment `e`). Each fact is read once:
 * - from: the applied version it was promoted from, its environment, who applied it, its request,
 *   and the first drift.detected / change-request.failed there since (and the drift record now)
 * - mine / latest: this request's newest applied version and the Ingress's newest, for "promote"
 * - next: the next enabled environment on the promotion path
 */
export function promotionFactsSql(): Prisma.Sql {
  return Prisma.sql`json_build_object(
    'from', (SELECT json_build_object('id', av.id, 'environment', fe.name, 'environmentId', av.environment_id, 'namespace', av.namespace,
                      'name', av.ingress_name, 'appliedAt', av.applied_at, 'appliedBy', ab.email, 'changeRequestId', fcr.id,
                      'changeRequestNumber', fcr.number,
                      'driftedAt', (SELECT a.occurred_at FROM audit_events a WHERE a.environment_id = av.environment_id AND a.namespace = av.namespace
                                      AND a.ingress_name = av.ingress_name AND a.action = 'drift.detected' AND a.occurred_at > av.applied_at ORDER BY a.seq LIMIT 1),
                      'failedAt', (SELECT a.occurred_at FROM audit_events a WHERE a.environment_id = av.environment_id AND a.namespace = av.namespace
                                      AND a.ingress_name = av.ingress_name AND a.action = 'change-request.failed' AND a.occurred_at > av.applied_at ORDER BY a.seq LIMIT 1),
                      'driftedNow', (SELECT d.detected_at FROM drift_records d WHERE d.environment_id = av.environment_id AND d.namespace = av.namespace
                                      AND d.ingress_name = av.ingress_name AND d.state IN ('DRIFTED', 'DELETED')))
               FROM applied_versions av JOIN environments fe ON fe.id = av.environment_id
               LEFT JOIN users ab ON ab.id = av.applied_by_id LEFT JOIN change_requests fcr ON fcr.id = av.change_request_id
              WHERE av.id = cr.promoted_from_id),
    'mine', CASE WHEN cr.status = 'APPLIED' THEN (SELECT json_build_object('id', m.id, 'hasManifest', m.manifest IS NOT NULL)
               FROM applied_versions m WHERE m.change_request_id = cr.id ORDER BY m.applied_at DESC LIMIT 1) END,
    'latestId', CASE WHEN cr.status = 'APPLIED' THEN (SELECT l.id FROM applied_versions l WHERE l.environment_id = cr.environment_id
               AND l.namespace = cr.namespace AND l.ingress_name = cr.ingress_name ORDER BY l.applied_at DESC LIMIT 1) END,
    'next', CASE WHEN cr.status = 'APPLIED' THEN (SELECT json_build_object('id', n.id, 'name', n.name) FROM environments n
               WHERE n.promotion_order > e.promotion_order AND n.disabled_at IS NULL ORDER BY n.promotion_order LIMIT 1) END)`;
}

export type TPromotionFacts = {
  from: {
    id: string;
    environment: string;
    environmentId: string;
    namespace: string;
    name: string;
    appliedAt: string;
    appliedBy: string | null;
    changeRequestId: string | null;
    changeRequestNumber: number | null;
    driftedAt: string | null;
    failedAt: string | null;
    driftedNow: string | null;
  } | null;
  mine: { id: string; hasManifest: boolean } | null;
  latestId: string | null;
  next: { id: string; name: string } | null;
};

const date = (s: string | null) => (s === null ? null : new Date(s));

/**
 * What the request page and the REST API show about a request's schedule and promotion: its
 * "not before", scheduled time (in the environment's zone), window override; where it was promoted
 * from, with the evidence (applied when, by whom, drift or failure there since); and, for an
 * applied request that is still the Ingress's current version, the next stage it can be promoted to.
 * Pure: the facts come from promotionFactsSql. Whether the viewer may override the window is the
 * lifecycle's answer (getChangeRequest adds it).
 */
export function promotionInfo(
  actor: TActor,
  request: {
    status: string;
    environmentId: string;
    notBefore: Date | null;
    scheduledFor: Date | null;
    windowOverrideAt: Date | null;
    windowOverrideReason: string | null;
  },
  environment: { changeWindows: unknown },
  facts: TPromotionFacts,
) {
  const { from, mine, latestId, next } = facts;
  const promoteTo =
    request.status === 'APPLIED' &&
    mine?.hasManifest &&
    latestId === mine.id &&
    next &&
    can(actor, 'change-request.submit', { environmentId: next.id })
      ? { environment: next.name, appliedVersionId: mine.id }
      : null;
  return {
    schedule: {
      notBefore: request.notBefore,
      scheduledFor: request.scheduledFor,
      timeZone: changeWindowsOf(environment).timeZone,
      windowOverride: request.windowOverrideAt ? { at: request.windowOverrideAt, reason: request.windowOverrideReason } : null,
    },
    promotedFrom: from
      ? {
          appliedVersionId: from.id,
          environment: from.environment,
          namespace: from.namespace,
          name: from.name,
          appliedAt: new Date(from.appliedAt),
          appliedBy: from.appliedBy,
          changeRequestId: from.changeRequestId,
          changeRequestNumber: from.changeRequestNumber,
          // As troubleSince (check-prior-stage.ts) decides it.
          driftedAt: date(from.driftedAt) ?? date(from.driftedNow),
          failedAt: date(from.failedAt),
        }
      : null,
    promoteTo,
  };
}

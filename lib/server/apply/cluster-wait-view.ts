import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

export type TClusterWaitView = {
  /** APPROVED and the cluster unreachable since then. */
  waitingSince: Date | null;
  nextAttemptAt: Date | null;
  /** FAILED only because the cluster was unreachable (a retry needs no new approvals). */
  isFailedUnreachable: boolean;
  canRetry: boolean;
  /** Why this viewer may not retry (the sentence the disabled button shows). */
  retryRefusal: string | null;
};

/**
 * What the request page shows about waiting for the cluster, and whether this viewer may retry
 * (retryChangeRequest decides again on the server). Null when the request is neither waiting nor
 * failed because of the cluster.
 */
export async function clusterWaitView(actor: TActor, changeRequestId: string, now: Date = new Date()): Promise<TClusterWaitView | null> {
  const r = await db().changeRequest.findUnique({
    where: { id: changeRequestId },
    select: {
      status: true,
      environmentId: true,
      requesterId: true,
      clusterWaitingSince: true,
      nextAttemptAt: true,
      expiresAt: true,
      environment: { select: { name: true } },
    },
  });
  if (!r || !can(actor, 'change-request.view', { environmentId: r.environmentId })) return null;
  const waitingSince = r.status === 'APPROVED' ? r.clusterWaitingSince : null;
  let isFailedUnreachable = false;
  if (r.status === 'FAILED') {
    const event = await db().auditEvent.findFirst({
      where: { changeRequestId, action: 'change-request.failed' },
      orderBy: { seq: 'desc' },
      select: { details: true },
    });
    isFailedUnreachable = (event?.details as { error?: { retryable?: boolean } } | null)?.error?.retryable === true;
  }
  if (!waitingSince && !isFailedUnreachable) return null;
  const scope = { environmentId: r.environmentId };
  const isAllowed =
    (r.requesterId === actor.id && can(actor, 'change-request.revise', scope)) || can(actor, 'change-request.review', scope);
  const isExpired = r.expiresAt !== null && r.expiresAt <= now;
  const retryRefusal = !isAllowed
    ? `Only the requester or an approver of ${r.environment.name} can retry this change.`
    : isExpired
      ? 'This request has expired; propose the change again.'
      : null;
  return { waitingSince, nextAttemptAt: r.nextAttemptAt, isFailedUnreachable, canRetry: retryRefusal === null, retryRefusal };
}

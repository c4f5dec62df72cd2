import { can, type TActor } from '@/lib/domain/authz/permissions';
import { auditActor, auditRequestEvent, findVisibleChangeRequest, lockChangeRequest, requireActor, TX_OPTIONS } from '../operation';
import { db, type TTx } from '../db/client';
import { AppError } from '../errors';
import { enqueueApply } from '../jobs/queue';
import { scheduleOrEnqueue } from '../schedule/schedule-apply';

/** The last `change-request.failed` event of a request says whether only the cluster was at fault. */
async function lastFailure(tx: TTx, changeRequestId: string) {
  const event = await tx.auditEvent.findFirst({
    where: { changeRequestId, action: 'change-request.failed' },
    orderBy: { seq: 'desc' },
    select: { reason: true, details: true },
  });
  const error = (event?.details as { error?: { retryable?: boolean; kind?: string } } | null)?.error;
  return { reason: event?.reason ?? null, isClusterOnly: error?.retryable === true, kind: error?.kind ?? null };
}

/**
 * Retry the apply of an approved change whose failure was only the cluster being unreachable
 * (issue 12.4), without new approvals: the worker runs every just-in-time check again (revision
 * hash, quorum on the same revision, change window, prior stage, ownership, resourceVersion,
 * policy, dry run) before it writes. Cases:
 * - not signed in → 401; request not visible → 404
 * - neither its requester (with the revise right) nor an eligible approver of the environment → 403
 * - FAILED, and its last failure was retryable (unreachable, timeout, 5xx: the request failed
 *   that way before the worker kept waiting up to expiry) → APPROVED (or SCHEDULED outside a
 *   window) with its job enqueued, attempts reset
 * - APPROVED and waiting for the cluster → its next attempt is brought forward to now
 * - FAILED for any other reason (the API server refused it, the policy, a tampered revision …) → 409
 * - past its expiry → 409; any other status → 409
 * Audited as `change-request.retry-requested` in the same transaction.
 */
export async function retryChangeRequest(actorIn: TActor | null, changeRequestId: string, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  const request = await findVisibleChangeRequest(actor, changeRequestId);
  const scope = { environmentId: request.environmentId };
  const isRequester = request.requesterId === actor.id && can(actor, 'change-request.revise', scope);
  if (!isRequester && !can(actor, 'change-request.review', scope))
    throw new AppError('FORBIDDEN', `Only the requester or an approver of ${request.environment.name} can retry this change.`);
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, changeRequestId);
    const fresh = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeRequestId }, include: { environment: true } });
    const isWaiting = fresh.status === 'APPROVED' && fresh.clusterWaitingSince !== null;
    if (fresh.status !== 'FAILED' && !isWaiting)
      throw new AppError(
        'CONFLICT',
        `A ${fresh.status.toLowerCase()} request cannot be retried; only one waiting for or failed because of an unreachable cluster can.`,
      );
    const failure = fresh.status === 'FAILED' ? await lastFailure(tx, changeRequestId) : null;
    if (failure && !failure.isClusterOnly)
      throw new AppError(
        'CONFLICT',
        `This change failed for a reason a retry cannot fix${failure.reason ? ` (${failure.reason})` : ''}; rebase or propose it again.`,
      );
    if (fresh.expiresAt && fresh.expiresAt <= now)
      throw new AppError('CONFLICT', `This request expired at ${fresh.expiresAt.toISOString()}; propose the change again.`);
    await auditRequestEvent(
      tx,
      auditActor(actor),
      fresh,
      {
        action: 'change-request.retry-requested',
        reason: failure?.reason ?? fresh.statusReason,
        details: {
          revision: fresh.currentRevision,
          before: { status: fresh.status, applyAttempts: fresh.applyAttempts },
          as: isRequester ? 'requester' : 'approver',
          ...(failure ? { failure: { kind: failure.kind } } : { waitingSince: fresh.clusterWaitingSince!.toISOString() }),
        },
      },
      now,
    );
    if (isWaiting) {
      await tx.changeRequest.update({ where: { id: changeRequestId }, data: { nextAttemptAt: null } });
      await enqueueApply(tx, { changeRequestId, revision: fresh.currentRevision });
      return { status: 'APPROVED' as const };
    }
    await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: { applyAttempts: 0, nextAttemptAt: null, clusterWaitingSince: null },
    });
    const status = await scheduleOrEnqueue(tx, fresh, fresh.environment, { actor: { id: actor.id, email: actor.email }, now });
    return { status };
  }, TX_OPTIONS);
}

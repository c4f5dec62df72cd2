import { z } from 'zod';
import { reviewRefusal } from '@/lib/domain/approval/approval-state';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import {
  auditActor,
  auditRequestEvent,
  findVisibleChangeRequest,
  lockedChangeRequest,
  parseInput,
  requireActor,
  TX_OPTIONS,
} from '../operation';
import { approveIfReady, eligibleApproverIds } from './quorum';

export const ZReview = z
  .object({
    decision: z.enum(['APPROVE', 'REJECT', 'REQUEST_CHANGES'], 'decision must be APPROVE, REJECT or REQUEST_CHANGES.'),
    // The revision the reviewer looked at; a review of anything but the current one is refused.
    revision: z.coerce.number().int().min(1, 'Say which revision you reviewed.'),
    comment: z.string().trim().max(10_000, 'Keep the comment under 10,000 characters.').default(''),
  })
  .refine((v) => v.decision === 'APPROVE' || v.comment.length > 0, {
    path: ['comment'],
    message: 'Say why you reject the change or what should change.',
  });

const REFUSAL_STATUS = {
  'own-request': 'FORBIDDEN',
  'not-eligible': 'FORBIDDEN',
  'not-pending': 'CONFLICT',
  'stale-revision': 'CONFLICT',
  'already-reviewed': 'CONFLICT',
  'changes-requested': 'CONFLICT',
} as const;

const AUDIT_ACTION = {
  APPROVE: 'change-request.review-approved',
  REJECT: 'change-request.review-rejected',
  REQUEST_CHANGES: 'change-request.changes-requested',
} as const;
const NOTIFICATION = { APPROVE: 'approved', REJECT: 'rejected', REQUEST_CHANGES: 'changes-requested' } as const;

/**
 * Approve, reject or request changes. Under the request's row lock (so concurrent reviews queue and none is lost):
 * refuse with the domain rule's reason (own request → 403, not an approver here → 403, not
 * PENDING / stale revision / already reviewed / approving while someone's "request changes" stands
 * → 409); record the review bound to the revision's content hash (the database trigger re-checks
 * self-review); a rejection moves the request to REJECTED; "request changes" keeps it PENDING with
 * the reason shown, and nobody can approve this revision until the requester revises; an approval
 * that completes the quorum moves it to APPROVED and enqueues the apply job in the same
 * transaction.
 */
export async function reviewChangeRequest(actorIn: TActor | null, changeRequestId: string, input: unknown, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  const { decision, revision, comment } = parseInput(ZReview, input);
  await findVisibleChangeRequest(actor, changeRequestId);
  const actorRef = auditActor(actor);
  return db().$transaction(async (tx) => {
    const request = await lockedChangeRequest(tx, changeRequestId);
    const current = await tx.revision.findUniqueOrThrow({
      where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
    });
    const mine = await tx.review.findUnique({ where: { revisionId_reviewerId: { revisionId: current.id, reviewerId: actor.id } } });
    const blockers = await tx.review.findMany({
      where: { revisionId: current.id, decision: 'REQUEST_CHANGES', reviewerId: { not: request.requesterId } },
      select: { reviewer: { select: { name: true } } },
      orderBy: { createdAt: 'asc' },
    });
    const isEligible =
      can(actor, 'change-request.review', { environmentId: request.environmentId }) &&
      (await eligibleApproverIds(tx, request.environmentId, [actor.id])).has(actor.id);
    const refusal = reviewRefusal({
      actorId: actor.id,
      requesterId: request.requesterId,
      status: request.status,
      currentRevision: request.currentRevision,
      reviewedRevision: revision,
      isEligibleApprover: isEligible,
      existingReviewOnRevision: mine?.decision ?? null,
      environmentName: request.environment.name,
      decision,
      changesRequestedBy: blockers.map((b) => b.reviewer.name),
    });
    if (refusal) throw new AppError(REFUSAL_STATUS[refusal.code], refusal.message, { details: { reason: refusal.code } });
    await tx.review.create({
      data: {
        changeRequestId,
        revisionId: current.id,
        reviewerId: actor.id,
        decision,
        contentHash: current.contentHash,
        comment,
        createdAt: now,
      },
    });
    await auditRequestEvent(
      tx,
      actorRef,
      request,
      {
        action: AUDIT_ACTION[decision],
        reason: comment || null,
        details: { revision: current.number, contentHash: current.contentHash },
      },
      now,
    );
    let status: string = request.status;
    if (decision === 'REJECT') {
      await tx.changeRequest.update({
        where: { id: changeRequestId },
        data: { status: 'REJECTED', statusReason: `Rejected by ${actor.name}: ${comment}` },
      });
      status = 'REJECTED';
    } else if (decision === 'REQUEST_CHANGES') {
      await tx.changeRequest.update({
        where: { id: changeRequestId },
        data: { statusReason: `Changes requested by ${actor.name}: ${comment}` },
      });
    } else {
      status = (await approveIfReady(tx, changeRequestId, { actor: actorRef, mode: 'quorum', now })) || status;
    }
    await emitNotification(tx, {
      kind: NOTIFICATION[decision],
      actor: actorRef,
      changeRequestId,
      environmentId: request.environmentId,
      revision: current.number,
      details: { comment: comment || null, status },
    });
    return { status, revision: current.number };
  }, TX_OPTIONS);
}

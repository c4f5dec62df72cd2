import { approvalState, type TApprovalState } from '@/lib/domain/approval/approval-state';
import type { TTx } from '../db/client';
import type { TAuditActor } from '../audit/append-audit-event';
import { auditRequestEvent } from '../operation';
import { scheduleOrEnqueue } from '../schedule/schedule-apply';

/** Users among `userIds` who are active approvers in the environment (global or scoped role). */
export async function eligibleApproverIds(tx: TTx, environmentId: string, userIds: string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await tx.user.findMany({
    where: { id: { in: userIds }, isActive: true, roles: { some: { role: 'APPROVER', OR: [{ environmentId: null }, { environmentId }] } } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

/** The approval state of a request's current revision, as the domain rules count it. */
export async function currentApprovalState(tx: TTx, changeRequestId: string): Promise<TApprovalState> {
  const request = await tx.changeRequest.findUniqueOrThrow({
    where: { id: changeRequestId },
    include: { environment: { select: { requiredApprovals: true } } },
  });
  const current = await tx.revision.findUniqueOrThrow({
    where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
    select: { number: true, contentHash: true },
  });
  const reviews = await tx.review.findMany({ where: { changeRequestId }, include: { revision: { select: { number: true } } } });
  const eligible = await eligibleApproverIds(tx, request.environmentId, [...new Set(reviews.map((r) => r.reviewerId))]);
  return approvalState({
    requesterId: request.requesterId,
    // The prior-stage policy may ask for one approval more than the environment's count.
    requiredApprovals: request.environment.requiredApprovals + request.extraApprovals,
    currentRevision: current.number,
    currentContentHash: current.contentHash,
    reviews: reviews.map((r) => ({
      reviewerId: r.reviewerId,
      decision: r.decision,
      revision: r.revision.number,
      contentHash: r.contentHash,
    })),
    isEligible: (id) => eligible.has(id),
  });
}

/**
 * Moves a PENDING request to APPROVED and enqueues its apply job — in the caller's transaction,
 * which must hold the request's row lock — when its current revision has reached quorum.
 * `mode` records why: quorum of reviews, auto-approval of low risk, or a pre-approved rollback.
 * Outside the environment's change window (or before the requester's "not before") the request
 * becomes SCHEDULED instead, its job due when the window opens. Returns the new status, or false.
 */
export async function approveIfReady(
  tx: TTx,
  changeRequestId: string,
  opts: { actor: TAuditActor; mode: 'quorum' | 'auto-approve' | 'pre-approved-rollback'; now: Date },
): Promise<false | 'APPROVED' | 'SCHEDULED'> {
  const request = await tx.changeRequest.findUniqueOrThrow({
    where: { id: changeRequestId },
    include: { environment: { select: { changeWindows: true } } },
  });
  if (request.status !== 'PENDING') return false;
  if (opts.mode === 'quorum') {
    const state = await currentApprovalState(tx, changeRequestId);
    if (!state.isApproved) return false;
  }
  await tx.changeRequest.update({
    where: { id: changeRequestId },
    data: { status: 'APPROVED', approvedAt: opts.now, autoApproved: opts.mode !== 'quorum', statusReason: null },
  });
  await auditRequestEvent(
    tx,
    opts.actor,
    request,
    {
      action: 'change-request.approved',
      reason:
        opts.mode === 'quorum'
          ? 'required approvals reached'
          : opts.mode === 'auto-approve'
            ? 'auto-approved: every finding within the environment’s threshold'
            : 'rollback to a previously approved state is pre-approved',
      details: { mode: opts.mode, revision: request.currentRevision },
    },
    opts.now,
  );
  return scheduleOrEnqueue(tx, { ...request, status: 'APPROVED' }, request.environment, { actor: opts.actor, now: opts.now });
}

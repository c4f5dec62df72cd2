import { reviewRefusal, type TApprovalState } from '@/lib/domain/approval/approval-state';
import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { promotionInfo } from '../promotion/promotion-info';
import { currentApprovalState, eligibleApproverIds } from './quorum';
import { isUuid } from './shared';

export type TChangeRequestDetail = Awaited<ReturnType<typeof getChangeRequest>>;

/**
 * Everything the request page shows, and what the viewer may do with it (with the reason when
 * not). 404 — not 403 — for a request in an environment the actor cannot see, so ids do not leak.
 */
export async function getChangeRequest(actor: TActor | null, id: string) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await db().changeRequest.findUnique({
    where: { id },
    include: {
      environment: {
        select: { id: true, name: true, isProduction: true, requiredApprovals: true, connectionKind: true, rollbackPreApproved: true },
      },
      requester: { select: { id: true, name: true, email: true } },
      revisions: { orderBy: { number: 'asc' }, include: { author: { select: { name: true, email: true } } } },
      reviews: {
        orderBy: { createdAt: 'asc' },
        include: { reviewer: { select: { id: true, name: true, email: true } }, revision: { select: { number: true } } },
      },
      comments: {
        orderBy: { createdAt: 'asc' },
        include: { author: { select: { name: true, email: true } }, revision: { select: { number: true } } },
      },
      appliedVersions: {
        orderBy: { appliedAt: 'desc' },
        select: { id: true, revisionNumber: true, resourceVersion: true, appliedAt: true },
      },
      rollbackOf: { select: { id: true, number: true, title: true } },
      chosenReviewers: { orderBy: { createdAt: 'asc' }, include: { user: { select: { id: true, name: true, email: true } } } },
    },
  });
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const [approval, timeline, eligible, promotion] = await Promise.all([
    db().$transaction((tx) => currentApprovalState(tx, id)),
    db().auditEvent.findMany({
      where: { changeRequestId: id },
      orderBy: { seq: 'asc' },
      select: { seq: true, occurredAt: true, actorLabel: true, action: true, reason: true, details: true },
    }),
    db().$transaction((tx) => eligibleApproverIds(tx, request.environmentId, [actor.id])),
    promotionInfo(actor, request),
  ]);
  const current = request.revisions.find((r) => r.number === request.currentRevision)!;
  const mine = request.reviews.find((r) => r.reviewer.id === actor.id && r.revision.number === request.currentRevision);
  const refusal = reviewRefusal({
    actorId: actor.id,
    requesterId: request.requesterId,
    status: request.status,
    currentRevision: request.currentRevision,
    reviewedRevision: request.currentRevision,
    isEligibleApprover: can(actor, 'change-request.review', { environmentId: request.environmentId }) && eligible.has(actor.id),
    existingReviewOnRevision: mine?.decision ?? null,
    environmentName: request.environment.name,
  });
  const isRequester = request.requesterId === actor.id;
  const isAdmin = actor.roles.some((r) => r.role === 'ADMIN' && (r.environmentId === null || r.environmentId === request.environmentId));
  const approvers = new Map(request.reviews.map((r) => [r.reviewer.id, r.reviewer]));
  return {
    id: request.id,
    number: request.number,
    title: request.title,
    justification: request.justification,
    status: request.status,
    statusReason: request.statusReason,
    action: request.action,
    kind: request.kind,
    namespace: request.namespace,
    ingressName: request.ingressName,
    maxSeverity: request.maxSeverity,
    autoApproved: request.autoApproved,
    applyAttempts: request.applyAttempts,
    nextAttemptAt: request.nextAttemptAt,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    approvedAt: request.approvedAt,
    appliedAt: request.appliedAt,
    expiresAt: request.expiresAt,
    environment: request.environment,
    requester: request.requester,
    rollbackOf: request.rollbackOf,
    // Change window / "not before" / override, and promotion (from, evidence, next stage).
    ...promotion,
    chosenReviewers: request.chosenReviewers.map((c) => c.user),
    currentRevision: request.currentRevision,
    revisions: request.revisions.map((r) => ({
      number: r.number,
      contentHash: r.contentHash,
      createdAt: r.createdAt,
      author: r.author,
      proposedYaml: r.proposedYaml,
      baseYaml: r.baseYaml,
      baseResourceVersion: r.baseResourceVersion,
      analysis: r.analysis as unknown as TAnalysis,
    })),
    current: { number: current.number, contentHash: current.contentHash, analysis: current.analysis as unknown as TAnalysis },
    // A STALE request's approvals were given on a base that has since moved: they will never be
    // applied, so they are not shown as a met quorum ("2 of 2"); a rebase starts a new count.
    approval:
      request.status === 'STALE'
        ? {
            ...(approval as TApprovalState),
            approvals: [],
            missing: approval.required,
            isApproved: false,
            approvers: [],
            rejecters: approval.rejections.map((id) => approvers.get(id)!).filter(Boolean),
            voided: approval.approvals.length,
          }
        : {
            ...(approval as TApprovalState),
            approvers: approval.approvals.map((id) => approvers.get(id)!).filter(Boolean),
            rejecters: approval.rejections.map((id) => approvers.get(id)!).filter(Boolean),
            voided: 0,
          },
    reviews: request.reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      decision: r.decision,
      revision: r.revision.number,
      comment: r.comment,
      createdAt: r.createdAt,
    })),
    comments: request.comments.map((c) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      line: c.line,
      side: c.side,
      revision: c.revision?.number ?? null,
      createdAt: c.createdAt,
    })),
    appliedVersions: request.appliedVersions,
    timeline: timeline.map((e) => ({
      seq: e.seq.toString(),
      occurredAt: e.occurredAt,
      actor: e.actorLabel,
      action: e.action,
      reason: e.reason,
      details: e.details as Record<string, unknown>,
    })),
    viewer: {
      canReview: refusal === null,
      reviewRefusal: refusal?.message ?? null,
      canRevise: isRequester && ['PENDING', 'REJECTED'].includes(request.status) && request.action !== 'DELETE',
      canRebase: isRequester && request.status === 'STALE',
      canCancel: (isRequester || isAdmin) && ['PENDING', 'REJECTED', 'STALE', 'APPROVED', 'SCHEDULED', 'FAILED'].includes(request.status),
      canRollback: request.status === 'APPLIED' && can(actor, 'change-request.rollback', { environmentId: request.environmentId }),
      canComment: can(actor, 'change-request.comment', { environmentId: request.environmentId }),
    },
  };
}

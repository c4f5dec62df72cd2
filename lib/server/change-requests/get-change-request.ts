import { approvalState, shownApproval } from '@/lib/domain/approval/approval-state';
import type { TAnalysis } from '@/lib/domain/analysis/analyse-change';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { viewerCapabilities } from '@/lib/domain/change/lifecycle';
import { groupThreads, threadLineIn } from '@/lib/domain/review/comment-threads';
import { AppError } from '../errors';
import { isUuid, requireActor } from '../operation';
import { promotionInfo } from '../promotion/promotion-info';
import { readChangeRequest } from './change-request-read-model';

type TReadComment =
  Awaited<ReturnType<typeof readChangeRequest>> extends infer R ? (R extends { comments: (infer C)[] } ? C : never) : never;

/** Comments grouped into threads, each placed in the current revision's text. */
function commentThreads(
  comments: TReadComment[],
  revisions: { number: number; proposedYaml: string; baseYaml: string }[],
  currentRevision: number,
) {
  const byNumber = new Map(revisions.map((r) => [r.number, r]));
  const texts = (n: number, side: 'proposed' | 'base') => {
    const r = byNumber.get(n);
    return r ? (side === 'base' ? r.baseYaml : r.proposedYaml) : null;
  };
  const facts = comments.map((c) => ({
    ...c,
    createdAt: toDate(c.createdAt),
    resolvedAt: c.resolvedAt ? toDate(c.resolvedAt) : null,
  }));
  return groupThreads(facts).map((t) => {
    const currentLine = threadLineIn(t, texts, currentRevision);
    return { ...t, currentLine, isOutdated: t.line !== null && currentLine === null };
  });
}

export type TChangeRequestDetail = Awaited<ReturnType<typeof getChangeRequest>>;

const toDate = (s: string) => new Date(s);

/**
 * Everything the request page shows, and what the viewer may do with it (with the reason when
 * not). 404 — not 403 — for a request in an environment the actor cannot see, so ids do not leak.
 * One statement (readChangeRequest); the approval state is the domain rule over the rows it read.
 */
export async function getChangeRequest(actorIn: TActor | null, id: string) {
  const actor = requireActor(actorIn);
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await readChangeRequest(id, actor.id);
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const eligible = new Set(request.eligible);
  const current = request.revisions.find((r) => r.number === request.currentRevision)!;
  const approval = approvalState({
    requesterId: request.requesterId,
    // The prior-stage policy may ask for one approval more than the environment's count.
    requiredApprovals: request.environment.requiredApprovals + request.extraApprovals,
    currentRevision: current.number,
    currentContentHash: current.contentHash,
    reviews: request.reviews.map((r) => ({
      reviewerId: r.reviewer.id,
      decision: r.decision,
      revision: r.revision,
      contentHash: r.contentHash,
    })),
    isEligible: (userId) => eligible.has(userId),
  });
  const promotion = promotionInfo(actor, request, { changeWindows: request.changeWindows }, request.promotion);
  const mine = request.reviews.find((r) => r.reviewer.id === actor.id && r.revision === request.currentRevision);
  const approvers = new Map(request.reviews.map((r) => [r.reviewer.id, r.reviewer]));
  const changeRequesters = approval.changesRequested.map((id) => approvers.get(id)!).filter(Boolean);
  // What this viewer may do, from the rules the operations enforce (lifecycle.ts, approval-state.ts).
  const viewer = viewerCapabilities(
    actor,
    {
      requesterId: request.requesterId,
      environmentId: request.environmentId,
      environmentName: request.environment.name,
      status: request.status,
      action: request.action,
      windowOverrideAt: request.windowOverrideAt,
    },
    {
      currentRevision: request.currentRevision,
      reviewedRevision: request.currentRevision,
      isEligibleApprover: can(actor, 'change-request.review', { environmentId: request.environmentId }) && eligible.has(actor.id),
      existingReviewOnRevision: mine?.decision ?? null,
      changesRequestedBy: changeRequesters.map((u) => u.name),
    },
  );
  const threads = commentThreads(request.comments, request.revisions, request.currentRevision);
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
    schedule: { ...promotion.schedule, canOverride: viewer.canOverrideWindow },
    chosenReviewers: request.chosenReviewers,
    chosenReviewerGroups: request.chosenReviewerGroups,
    currentRevision: request.currentRevision,
    revisions: request.revisions.map((r) => ({
      number: r.number,
      contentHash: r.contentHash,
      createdAt: toDate(r.createdAt),
      author: r.author,
      proposedYaml: r.proposedYaml,
      baseYaml: r.baseYaml,
      baseResourceVersion: r.baseResourceVersion,
      analysis: r.analysis as unknown as TAnalysis,
    })),
    current: { number: current.number, contentHash: current.contentHash, analysis: current.analysis as unknown as TAnalysis },
    // A STALE request's approvals were given on a base that has since moved: they will never be
    // applied, so they are not shown as a met quorum ("2 of 2"); a rebase starts a new count.
    approval: (() => {
      const shown = shownApproval(request.status, approval);
      return {
        ...shown,
        approvers: shown.approvals.map((id) => approvers.get(id)!).filter(Boolean),
        rejecters: shown.rejections.map((id) => approvers.get(id)!).filter(Boolean),
        changeRequesters,
      };
    })(),
    reviews: request.reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      decision: r.decision,
      revision: r.revision,
      comment: r.comment,
      createdAt: toDate(r.createdAt),
    })),
    comments: request.comments.map((c) => ({
      id: c.id,
      author: c.author,
      body: c.body,
      line: c.line,
      side: c.side,
      revision: c.revision,
      createdAt: toDate(c.createdAt),
      threadId: c.parentId ?? c.id,
    })),
    // Line threads carry where they sit in the current revision (found by content) or `isOutdated`.
    threads,
    appliedVersions: request.appliedVersions.map((v) => ({ ...v, appliedAt: toDate(v.appliedAt) })),
    timeline: request.timeline.map((e) => ({ ...e, occurredAt: toDate(e.occurredAt) })),
    viewer,
  };
}

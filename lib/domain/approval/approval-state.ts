/**
 * Approval rules (ARCHITECTURE.md "Invariants" 1–3), pure so every path — operations, the worker's
 * re-check, the UI's "1 of 2" — computes the same answer.
 */
/** REQUEST_CHANGES blocks approval of the revision it was given on until the requester revises. */
export type TReviewDecision = 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES';

export type TReviewFact = {
  reviewerId: string;
  decision: TReviewDecision;
  /** The revision number the review was given on. */
  revision: number;
  /** The content hash the review was given on. */
  contentHash: string;
};

export type TApprovalInput = {
  requesterId: string;
  requiredApprovals: number;
  currentRevision: number;
  currentContentHash: string;
  reviews: readonly TReviewFact[];
  /** Whether a reviewer is (still) an eligible approver in the environment; ineligible votes do not count. */
  isEligible: (reviewerId: string) => boolean;
};

export type TApprovalState = {
  approvals: string[];
  rejections: string[];
  /** Reviewers who asked for changes on the current revision: nobody can approve it. */
  changesRequested: string[];
  required: number;
  missing: number;
  hasStandingRejection: boolean;
  isApproved: boolean;
};

/**
 * Counts the votes that count. Cases:
 * - only reviews on the current revision AND its current content hash count (stale reviews don't)
 * - the requester's own review never counts (the database also refuses to store it)
 * - a reviewer no longer eligible (role removed, deactivated) does not count
 * - each reviewer counts once (the database allows one review per reviewer per revision)
 * - any counted rejection stands and blocks approval
 * - a counted "request changes" blocks approval of this revision (a new revision has none)
 * - approved when distinct approvals ≥ required, no rejection stands and no changes are requested
 */
export function approvalState(input: TApprovalInput): TApprovalState {
  const approvals = new Set<string>();
  const rejections = new Set<string>();
  const changesRequested = new Set<string>();
  for (const review of input.reviews) {
    if (review.revision !== input.currentRevision || review.contentHash !== input.currentContentHash) continue;
    if (review.reviewerId === input.requesterId) continue;
    if (!input.isEligible(review.reviewerId)) continue;
    (review.decision === 'APPROVE' ? approvals : review.decision === 'REJECT' ? rejections : changesRequested).add(review.reviewerId);
  }
  const hasStandingRejection = rejections.size > 0;
  const missing = Math.max(0, input.requiredApprovals - approvals.size);
  return {
    approvals: [...approvals],
    rejections: [...rejections],
    changesRequested: [...changesRequested],
    required: input.requiredApprovals,
    missing,
    hasStandingRejection,
    isApproved: missing === 0 && !hasStandingRejection && changesRequested.size === 0,
  };
}

export type TReviewRefusal = 'own-request' | 'not-eligible' | 'not-pending' | 'stale-revision' | 'already-reviewed' | 'changes-requested';

export type TReviewEligibilityInput = {
  actorId: string;
  requesterId: string;
  status: string;
  currentRevision: number;
  reviewedRevision: number;
  isEligibleApprover: boolean;
  existingReviewOnRevision: TReviewDecision | null;
  environmentName: string;
  /** The decision asked for; approving is refused while someone's "request changes" stands. */
  decision?: TReviewDecision;
  /** Names of reviewers whose "request changes" stands on the current revision. */
  changesRequestedBy?: readonly string[];
};

const VERB: Record<TReviewDecision, string> = { APPROVE: 'approved', REJECT: 'rejected', REQUEST_CHANGES: 'requested changes on' };

/**
 * Whether the actor may review now, and if not, why — in words the UI shows on a disabled button.
 * Cases, first match wins: own request; not an approver in this environment; request not PENDING;
 * the revision reviewed is not the current one; already reviewed this revision; an approval while
 * someone's "request changes" stands on this revision (rejecting or requesting changes stays open).
 */
export function reviewRefusal(input: TReviewEligibilityInput): { code: TReviewRefusal; message: string } | null {
  if (input.actorId === input.requesterId)
    return { code: 'own-request', message: 'You requested this change; someone else must review it.' };
  if (!input.isEligibleApprover) return { code: 'not-eligible', message: `You are not an approver in ${input.environmentName}.` };
  if (input.status !== 'PENDING')
    return { code: 'not-pending', message: `The request is ${input.status.toLowerCase()}; only pending requests can be reviewed.` };
  if (input.reviewedRevision !== input.currentRevision) {
    return {
      code: 'stale-revision',
      message: `Revision ${input.reviewedRevision} is no longer current; review revision ${input.currentRevision}.`,
    };
  }
  if (input.existingReviewOnRevision) {
    const verb = VERB[input.existingReviewOnRevision];
    return { code: 'already-reviewed', message: `You already ${verb} revision ${input.currentRevision}.` };
  }
  const blockers = input.changesRequestedBy ?? [];
  if ((input.decision ?? 'APPROVE') === 'APPROVE' && blockers.length > 0) {
    return {
      code: 'changes-requested',
      message: `${blockers.join(' and ')} requested changes on revision ${input.currentRevision}; it can be approved after the requester revises.`,
    };
  }
  return null;
}

/**
 * The approval count a page shows. Cases: any status but STALE → the state as counted, nothing
 * voided; STALE → the approvals were given on a base that has since moved and will never be
 * applied, so none is shown as counting ("0 of 2", `voided` = how many were given); rejections stay.
 */
export function shownApproval(status: string, state: TApprovalState): TApprovalState & { voided: number } {
  if (status !== 'STALE') return { ...state, voided: 0 };
  return { ...state, approvals: [], missing: state.required, isApproved: false, voided: state.approvals.length };
}

/**
 * Approval rules (PRODUCT.md invariants 1–3), pure so every path — operations, the worker's
 * re-check, the UI's "1 of 2" — computes the same answer.
 */
export type TReviewFact = {
  reviewerId: string;
  decision: 'APPROVE' | 'REJECT';
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
 * - approved when distinct approvals ≥ required and no rejection stands
 */
export function approvalState(input: TApprovalInput): TApprovalState {
  const approvals = new Set<string>();
  const rejections = new Set<string>();
  for (const review of input.reviews) {
    if (review.revision !== input.currentRevision || review.contentHash !== input.currentContentHash) continue;
    if (review.reviewerId === input.requesterId) continue;
    if (!input.isEligible(review.reviewerId)) continue;
    (review.decision === 'APPROVE' ? approvals : rejections).add(review.reviewerId);
  }
  const hasStandingRejection = rejections.size > 0;
  const missing = Math.max(0, input.requiredApprovals - approvals.size);
  return {
    approvals: [...approvals],
    rejections: [...rejections],
    required: input.requiredApprovals,
    missing,
    hasStandingRejection,
    isApproved: missing === 0 && !hasStandingRejection,
  };
}

export type TReviewRefusal = 'own-request' | 'not-eligible' | 'not-pending' | 'stale-revision' | 'already-reviewed';

export type TReviewEligibilityInput = {
  actorId: string;
  requesterId: string;
  status: string;
  currentRevision: number;
  reviewedRevision: number;
  isEligibleApprover: boolean;
  existingReviewOnRevision: 'APPROVE' | 'REJECT' | null;
  environmentName: string;
};

/**
 * Whether the actor may review now, and if not, why — in words the UI shows on a disabled button.
 * Cases, first match wins: own request; not an approver in this environment; request not PENDING;
 * the revision reviewed is not the current one; already reviewed this revision.
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
    const verb = input.existingReviewOnRevision === 'APPROVE' ? 'approved' : 'rejected';
    return { code: 'already-reviewed', message: `You already ${verb} revision ${input.currentRevision}.` };
  }
  return null;
}

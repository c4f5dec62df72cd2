import { describe, expect, it } from 'vitest';
import { approvalState, reviewRefusal, shownApproval, type TReviewFact } from './approval-state';

const H2 = 'sha256:rev2';
const vote = (reviewerId: string, decision: TReviewFact['decision'], revision = 2, contentHash = H2): TReviewFact => ({
  reviewerId,
  decision,
  revision,
  contentHash,
});
const base = {
  requesterId: 'req',
  requiredApprovals: 2,
  currentRevision: 2,
  currentContentHash: H2,
  isEligible: (id: string) => id !== 'former',
};

describe('approvalState', () => {
  it.each([
    ['no reviews', [], { approvals: 0, missing: 2, isApproved: false }],
    ['one of two', [vote('a', 'APPROVE')], { approvals: 1, missing: 1, isApproved: false }],
    ['two distinct approvers', [vote('a', 'APPROVE'), vote('b', 'APPROVE')], { approvals: 2, missing: 0, isApproved: true }],
    ['the same approver twice counts once', [vote('a', 'APPROVE'), vote('a', 'APPROVE')], { approvals: 1, missing: 1, isApproved: false }],
    [
      'approvals on an earlier revision do not count',
      [vote('a', 'APPROVE', 1, 'sha256:rev1'), vote('b', 'APPROVE')],
      { approvals: 1, missing: 1, isApproved: false },
    ],
    [
      'an approval bound to another hash does not count',
      [vote('a', 'APPROVE', 2, 'sha256:tampered'), vote('b', 'APPROVE')],
      { approvals: 1, isApproved: false },
    ],
    ['the requester’s own approval never counts', [vote('req', 'APPROVE'), vote('b', 'APPROVE')], { approvals: 1, isApproved: false }],
    [
      'an approver who lost eligibility does not count',
      [vote('former', 'APPROVE'), vote('b', 'APPROVE')],
      { approvals: 1, isApproved: false },
    ],
    [
      'a rejection stands even with quorum',
      [vote('a', 'APPROVE'), vote('b', 'APPROVE'), vote('c', 'REJECT')],
      { approvals: 2, missing: 0, isApproved: false, hasStandingRejection: true },
    ],
    [
      'a rejection on an earlier revision does not stand',
      [vote('c', 'REJECT', 1, 'sha256:rev1'), vote('a', 'APPROVE'), vote('b', 'APPROVE')],
      { isApproved: true, hasStandingRejection: false },
    ],
    [
      'changes requested on the current revision block a met quorum',
      [vote('a', 'APPROVE'), vote('b', 'APPROVE'), vote('c', 'REQUEST_CHANGES')],
      { approvals: 2, missing: 0, isApproved: false, hasStandingRejection: false, changesRequested: ['c'] },
    ],
    [
      'changes requested on an earlier revision no longer block (the requester revised)',
      [vote('c', 'REQUEST_CHANGES', 1, 'sha256:rev1'), vote('a', 'APPROVE'), vote('b', 'APPROVE')],
      { isApproved: true, changesRequested: [] },
    ],
    [
      'the requester asking for changes on their own request does not count',
      [vote('req', 'REQUEST_CHANGES'), vote('a', 'APPROVE'), vote('b', 'APPROVE')],
      { isApproved: true, changesRequested: [] },
    ],
  ] as const)('%s', (_name, reviews, expected) => {
    const state = approvalState({ ...base, reviews });
    const { approvals, ...rest } = expected as { approvals?: number } & Record<string, unknown>;
    if (approvals !== undefined) expect(state.approvals).toHaveLength(approvals);
    expect(state).toMatchObject(rest);
  });
});

describe('reviewRefusal', () => {
  const ok = {
    actorId: 'a',
    requesterId: 'req',
    status: 'PENDING',
    currentRevision: 2,
    reviewedRevision: 2,
    isEligibleApprover: true,
    existingReviewOnRevision: null,
    environmentName: 'prod',
  } as const;
  it.each([
    ['allowed', {}, null],
    ['own request', { actorId: 'req' }, 'own-request'],
    ['not an approver here', { isEligibleApprover: false }, 'not-eligible'],
    ['not pending', { status: 'APPROVED' }, 'not-pending'],
    ['stale revision', { reviewedRevision: 1 }, 'stale-revision'],
    ['already approved', { existingReviewOnRevision: 'APPROVE' }, 'already-reviewed'],
    ['already requested changes', { existingReviewOnRevision: 'REQUEST_CHANGES' }, 'already-reviewed'],
    ['approving while changes are requested', { changesRequestedBy: ['Carol'] }, 'changes-requested'],
    ['rejecting while changes are requested', { changesRequestedBy: ['Carol'], decision: 'REJECT' }, null],
    ['requesting changes too', { changesRequestedBy: ['Carol'], decision: 'REQUEST_CHANGES' }, null],
  ] as const)('%s', (_name, patch, code) => {
    expect(reviewRefusal({ ...ok, ...patch })?.code ?? null).toBe(code);
  });

  it('explains itself in words', () => {
    expect(reviewRefusal({ ...ok, actorId: 'req' })?.message).toBe('You requested this change; someone else must review it.');
    expect(reviewRefusal({ ...ok, isEligibleApprover: false })?.message).toBe('You are not an approver in prod.');
    expect(reviewRefusal({ ...ok, existingReviewOnRevision: 'APPROVE' })?.message).toBe('You already approved revision 2.');
    expect(reviewRefusal({ ...ok, changesRequestedBy: ['Carol', 'Dan'] })?.message).toBe(
      'Carol and Dan requested changes on revision 2; it can be approved after the requester revises.',
    );
  });
});

describe('shownApproval', () => {
  const counted = {
    approvals: ['a', 'b'],
    rejections: ['c'],
    changesRequested: [],
    required: 2,
    missing: 0,
    hasStandingRejection: true,
    isApproved: false,
  };
  it.each([
    ['PENDING', { approvals: ['a', 'b'], missing: 0, voided: 0 }],
    ['APPROVED', { approvals: ['a', 'b'], missing: 0, voided: 0 }],
    ['STALE', { approvals: [], missing: 2, voided: 2, isApproved: false, rejections: ['c'] }],
  ])('%s', (status, expected) => {
    expect(shownApproval(status, counted)).toMatchObject(expected);
  });
});

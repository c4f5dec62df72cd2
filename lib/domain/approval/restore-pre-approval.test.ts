import { describe, expect, it } from 'vitest';
import { restorePreApproval, type TRestorePreApprovalInput } from './restore-pre-approval';

const OK: TRestorePreApprovalInput = {
  isEnvironmentPreApproving: true,
  isActorOriginalRequester: true,
  isActorEligibleApprover: false,
  target: 'previous',
  isLiveUnchangedSinceLatest: true,
};

describe('restorePreApproval', () => {
  it.each([
    ['requester undoes their latest change', {}, true],
    ['an eligible approver undoes it', { isActorOriginalRequester: false, isActorEligibleApprover: true }, true],
    ['environment reviews rollbacks', { isEnvironmentPreApproving: false }, false],
    ['another requester undoes someone else’s change', { isActorOriginalRequester: false }, false],
    ['two versions back', { target: 'older' }, false],
    ['live object moved since', { isLiveUnchangedSinceLatest: false }, false],
    ['drift restore to the approved state', { target: 'latest', isLiveUnchangedSinceLatest: false }, true],
    ['drift restore by someone else', { target: 'latest', isActorOriginalRequester: false }, false],
  ] as const)('%s', (_name, over, expected) => {
    const result = restorePreApproval({ ...OK, ...over });
    expect(result.isPreApproved).toBe(expected);
    expect(result.reason.length).toBeGreaterThan(10);
  });
});

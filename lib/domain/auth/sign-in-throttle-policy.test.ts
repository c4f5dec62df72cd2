import { describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, blockAfterFailure, LOCK_SECONDS, throttledMessage } from './sign-in-throttle-policy';

describe('blockAfterFailure', () => {
  it.each([
    [1, 0, null],
    [9, 0, null],
    [10, 0, { blockNumber: 1, seconds: 30, isLock: false }],
    [11, 1, { blockNumber: 2, seconds: 60, isLock: false }],
    [12, 2, { blockNumber: 3, seconds: 120, isLock: false }],
    [13, 3, { blockNumber: 4, seconds: 240, isLock: false }],
    [14, 4, { blockNumber: 5, seconds: LOCK_SECONDS, isLock: true }],
    [15, 9, { blockNumber: 10, seconds: LOCK_SECONDS, isLock: true }],
    // A new window after earlier blocks: free failures again, but the next block continues the series.
    [10, 6, { blockNumber: 7, seconds: LOCK_SECONDS, isLock: true }],
  ])('failure %i with %i earlier blocks → %j', (failures, earlier, expected) => {
    expect(blockAfterFailure(failures, earlier, ACCOUNT_POLICY)).toEqual(expected);
  });

  it('says when to try again', () => {
    expect(throttledMessage(27)).toBe('Too many failed sign-ins. Try again in 27 s.');
  });
});

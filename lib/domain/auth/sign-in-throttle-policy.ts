/**
 * Sign-in throttling, counted separately per account (the email tried) and per client address.
 *
 * - Each failure counts in a window; up to `freeFailures` in the window cost nothing.
 * - From the failure that reaches `freeFailures` on, every further failure blocks the next
 *   attempt, for a growing delay (DELAYS_SECONDS), then for LOCK_SECONDS (a temporary lock).
 *   While blocked, attempts are refused without checking the password (also a right one), so
 *   the block holds; each is answered "try again in N s".
 * - Blocks are counted over BLOCK_HISTORY_SECONDS, so a new window does not restart the delays.
 * - A successful sign-in clears the account's counters (not the address's).
 *
 * Per account: 10 free failures per hour, then 30 s, 1, 2, 4 min, then 15-minute locks: at most
 * about 10 + 4 + 4 guesses an hour against one account. Per address: 50 per 15 minutes, so an
 * office behind one NAT is not locked out by a few typos, while one host spraying many accounts is.
 */
export type TThrottlePolicy = { freeFailures: number; windowSeconds: number };

export const ACCOUNT_POLICY: TThrottlePolicy = { freeFailures: 10, windowSeconds: 3600 };
export const ADDRESS_POLICY: TThrottlePolicy = { freeFailures: 50, windowSeconds: 900 };
export const DELAYS_SECONDS = [30, 60, 120, 240] as const;
export const LOCK_SECONDS = 900;
export const BLOCK_HISTORY_SECONDS = 24 * 3600;

export type TBlock = { blockNumber: number; seconds: number; isLock: boolean };

/**
 * The block a failure causes. Cases: fewer than `freeFailures` failures in the window → none;
 * otherwise block number `earlierBlocks + 1`: the first DELAYS_SECONDS.length blocks are the
 * growing delays, every later one a LOCK_SECONDS lock.
 */
export function blockAfterFailure(failuresInWindow: number, earlierBlocks: number, policy: TThrottlePolicy): TBlock | null {
  if (failuresInWindow < policy.freeFailures) return null;
  const blockNumber = earlierBlocks + 1;
  const delay = DELAYS_SECONDS[blockNumber - 1];
  return delay === undefined ? { blockNumber, seconds: LOCK_SECONDS, isLock: true } : { blockNumber, seconds: delay, isLock: false };
}

/** The message a throttled attempt gets, on the page and from the API. */
export function throttledMessage(retryAfterSeconds: number): string {
  return `Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`;
}

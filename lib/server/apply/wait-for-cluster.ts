import { KubeError } from '../kube/kube-error';
import { finish, type TApplyResult } from './apply-outcome';
import type { TClaimed } from './claim-apply';

/** How long the next attempt waits: 1 s, 2 s, 4 s … capped at 60 s. */
export const defaultBackoff = (attempt: number) => Math.min(1_000 * 2 ** (attempt - 1), 60_000);

/** Without an expiry (an environment that never expires requests), a wait still ends after this long. */
export const MAX_WAIT_WITHOUT_EXPIRY_MS = 7 * 24 * 3_600_000;

/**
 * What an apply attempt that failed at the cluster becomes (issue 12.4). Cases:
 * - not a KubeError, or one that is not retryable (4xx: forbidden, invalid …) → FAILED with the
 *   API server's message; `details.error.retryable` is false, so it cannot be retried as is
 * - retryable (unreachable, timeout, 5xx), and the request's expiry (or, without one, seven days
 *   after the wait began) has passed → EXPIRED, saying since when the cluster was unreachable and
 *   that nothing was written
 * - retryable, before the deadline → stays APPROVED, "waiting for cluster since …", the job
 *   re-enqueued after the backoff — never later than the deadline, so the last try is at expiry.
 *   `clusterWaitingSince` keeps the first failure's time across attempts.
 */
export async function waitOrFail(
  c: TClaimed,
  error: unknown,
  now: Date,
  backoffMs: (attempt: number) => number = defaultBackoff,
): Promise<TApplyResult> {
  const kube = error instanceof KubeError ? error : null;
  const message = kube?.message ?? 'Unexpected error while applying.';
  if (!kube?.retryable) {
    const reason = `The API server refused the change: ${message}`;
    await finish(c, 'FAILED', 'change-request.failed', reason, { error: kube?.toJSON() ?? { message, retryable: false } }, now);
    return { outcome: 'failed', message: reason };
  }
  const since = c.request.clusterWaitingSince ?? now;
  const deadline = c.request.expiresAt ?? new Date(since.getTime() + MAX_WAIT_WITHOUT_EXPIRY_MS);
  if (now.getTime() >= deadline.getTime()) {
    const reason = `Expired while waiting for the cluster: unreachable since ${since.toISOString()}, and the request expired at ${deadline.toISOString()} (${message}). Nothing was written; propose the change again.`;
    await finish(
      c,
      'EXPIRED',
      'change-request.expired',
      reason,
      { error: kube.toJSON(), waitingSince: since.toISOString(), expiresAt: deadline.toISOString(), cause: 'cluster-unreachable' },
      now,
    );
    return { outcome: 'expired', message: reason };
  }
  const next = Math.min(now.getTime() + backoffMs(c.attempt), deadline.getTime());
  const nextAttemptAt = new Date(next);
  await finish(
    c,
    'APPROVED',
    'change-request.waiting-for-cluster',
    `Waiting for cluster since ${since.toISOString()}: ${message}`,
    { error: kube.toJSON(), waitingSince: since.toISOString(), nextAttemptAt: nextAttemptAt.toISOString() },
    now,
    { nextAttemptAt },
  );
  return { outcome: 'retry', message, nextAttemptAt };
}

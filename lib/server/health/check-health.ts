import { describeGuard } from '@/lib/domain/guard/guard-health';
import { db } from '../db/client';
import { databaseErrorReason } from '../db/database-unavailable';
import type { TGuardCheck } from './check-guard-health';

export type THealth = {
  status: 'ok' | 'degraded' | 'down';
  /** Why the status is not ok, in one sentence; absent when ok. */
  reason?: string;
  database: { ok: boolean; latencyMs?: number; error?: string };
  worker: { ok: boolean; lastBeatAt: string | null; ageSeconds: number | null };
  /** Each environment's admission guard as the worker last read it (informational: never changes `status`). */
  guards?: { environment: string; status: string; summary: string; checkedAt: string | null }[];
};

/** protected / unprotected namespaces / guard missing / unknown per environment, from the worker's last guard pass. */
async function guardSummaries(): Promise<NonNullable<THealth['guards']>> {
  const envs = await db().environment.findMany({
    where: { disabledAt: null },
    select: { name: true, guardHealth: true, guardCheckedAt: true },
    orderBy: { name: 'asc' },
  });
  return envs.map((e) => {
    const g = e.guardHealth as TGuardCheck | null;
    return {
      environment: e.name,
      status: g?.status ?? 'unchecked',
      summary: !g ? 'not checked yet' : g.ok ? describeGuard(g) : `Guard unknown: ${g.error}`,
      checkedAt: e.guardCheckedAt?.toISOString() ?? null,
    };
  });
}

// A worker that has not beaten for this long is reported as down (it beats every 5 s).
export const WORKER_STALE_SECONDS = 30;

/**
 * Readiness: database reachability and the freshest worker heartbeat. Never throws.
 * - `down`: the database is unreachable (reason names the error: refused, shutting down, …)
 * - `degraded`: the database answers but no worker has beaten within WORKER_STALE_SECONDS, so
 *   approved changes would not be applied
 * - `ok`: both fine
 * /api/health answers 503 for down and degraded, 200 for ok.
 */
export async function checkHealth(now: Date = new Date()): Promise<THealth> {
  const started = performance.now();
  try {
    await db().$queryRawUnsafe('SELECT 1');
  } catch (error) {
    const reason = databaseErrorReason(error);
    return {
      status: 'down',
      reason: `database unreachable: ${reason}`,
      database: { ok: false, error: reason },
      worker: { ok: false, lastBeatAt: null, ageSeconds: null },
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const beat = await db()
    .workerHeartbeat.findFirst({ orderBy: { beatAt: 'desc' } })
    .catch(() => null);
  const ageSeconds = beat ? Math.round((now.getTime() - beat.beatAt.getTime()) / 1000) : null;
  const workerOk = ageSeconds !== null && ageSeconds <= WORKER_STALE_SECONDS;
  const guards = await guardSummaries().catch(() => []);
  return {
    guards,
    status: workerOk ? 'ok' : 'degraded',
    ...(workerOk
      ? {}
      : {
          reason:
            ageSeconds === null
              ? 'no apply worker has reported a heartbeat; approved changes are not being applied'
              : `no fresh worker heartbeat (last ${ageSeconds} s ago; limit ${WORKER_STALE_SECONDS} s); approved changes are not being applied`,
        }),
    database: { ok: true, latencyMs },
    worker: { ok: workerOk, lastBeatAt: beat?.beatAt.toISOString() ?? null, ageSeconds },
  };
}

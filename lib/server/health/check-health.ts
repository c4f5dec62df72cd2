import { db } from '../db/client';

export type THealth = {
  status: 'ok' | 'degraded' | 'down';
  database: { ok: boolean; latencyMs?: number; error?: string };
  worker: { ok: boolean; lastBeatAt: string | null; ageSeconds: number | null };
};

// A worker that has not beaten for this long is reported as down.
const WORKER_STALE_SECONDS = 30;

/** Database reachability and the freshest worker heartbeat. Never throws. */
export async function checkHealth(now: Date = new Date()): Promise<THealth> {
  const started = performance.now();
  try {
    await db().$queryRawUnsafe('SELECT 1');
  } catch (error) {
    return {
      status: 'down',
      database: { ok: false, error: (error as Error).message.split('\n')[0] },
      worker: { ok: false, lastBeatAt: null, ageSeconds: null },
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const beat = await db().workerHeartbeat.findFirst({ orderBy: { beatAt: 'desc' } });
  const ageSeconds = beat ? Math.round((now.getTime() - beat.beatAt.getTime()) / 1000) : null;
  const workerOk = ageSeconds !== null && ageSeconds <= WORKER_STALE_SECONDS;
  return {
    status: workerOk ? 'ok' : 'degraded',
    database: { ok: true, latencyMs },
    worker: { ok: workerOk, lastBeatAt: beat?.beatAt.toISOString() ?? null, ageSeconds },
  };
}

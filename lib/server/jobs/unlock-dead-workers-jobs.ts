import { db } from '../db/client';

/**
 * Releases the job locks of workers that stopped beating. Each worker's heartbeat row is keyed by
 * its graphile-worker pool id — the `locked_by` of the jobs it holds — and beats every 5 s; a lock
 * whose holder has no heartbeat fresher than `staleSeconds` (and that is itself older than that, so
 * a worker that locked a job just before its first beat is never robbed) belongs to a dead worker.
 * Another worker then retries the job within seconds instead of after graphile-worker's 4 hours or
 * the 2-minute age rule of unlockStuckJobs. The apply's own re-checks reconcile whatever the dead
 * worker did. Returns the released worker ids.
 */
export async function unlockDeadWorkersJobs(staleSeconds = 15): Promise<string[]> {
  const rows = await db().$queryRawUnsafe<{ locked_by: string }[]>(
    `SELECT DISTINCT j.locked_by FROM graphile_worker._private_jobs j
      WHERE j.locked_by IS NOT NULL
        AND j.locked_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h
                         WHERE h.worker_id = j.locked_by AND h.beat_at > now() - make_interval(secs => $1))`,
    staleSeconds,
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => r.locked_by);
  await db().$executeRawUnsafe('SELECT graphile_worker.force_unlock_workers($1::text[])', ids);
  // Their heartbeat rows are history now; /api/health looks at the freshest beat only.
  await db().workerHeartbeat.deleteMany({ where: { workerId: { in: ids } } });
  return ids;
}

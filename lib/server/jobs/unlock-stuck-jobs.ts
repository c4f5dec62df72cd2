import { db } from '../db/client';

/**
 * graphile-worker releases a dead worker's job locks only after 4 hours. An apply never holds one
 * longer than its few bounded cluster calls (10 s deadline each), so a lock older than
 * `olderThanSeconds` belongs to a crashed worker (kill -9): release it so another worker retries
 * the job, whose re-check then reconciles whatever the dead one did.
 */
export async function unlockStuckJobs(olderThanSeconds = 120): Promise<number> {
  const rows = await db().$queryRawUnsafe<{ locked_by: string }[]>(
    `SELECT DISTINCT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)`,
    olderThanSeconds,
  );
  if (!rows.length) return 0;
  await db().$executeRawUnsafe(
    'SELECT graphile_worker.force_unlock_workers($1::text[])',
    rows.map((r) => r.locked_by),
  );
  return rows.length;
}

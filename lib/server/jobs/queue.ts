import { Logger, runMigrations } from 'graphile-worker';
import type { TTx } from '../db/client';

export const APPLY_TASK = 'apply-change-request';

export type TApplyPayload = { changeRequestId: string; revision: number };

/**
 * Enqueues the apply job inside the caller's transaction (graphile-worker's add_job is plain SQL),
 * so an approval never commits without its job nor a job without its approval. The job key makes
 * a second enqueue for the same request replace the first instead of doubling it.
 */
export async function enqueueApply(tx: TTx, payload: TApplyPayload, runAt: Date | null = null): Promise<void> {
  await tx.$executeRawUnsafe(
    `SELECT graphile_worker.add_job($1::text, $2::json, job_key := $3::text, run_at := COALESCE($4::timestamptz, now()), max_attempts := 3, job_key_mode := 'replace')`,
    APPLY_TASK,
    JSON.stringify(payload),
    `apply:${payload.changeRequestId}`,
    runAt,
  );
}

/** Creates or upgrades graphile-worker's own schema (it ships its own migrations). */
export async function ensureQueueSchema(databaseUrl: string): Promise<void> {
  await runMigrations({ connectionString: databaseUrl, logger: workerLogger });
}

/** graphile-worker's logger: warnings and errors only, prefixed. */
export const workerLogger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') console.error(`[worker] ${level}: ${message}`);
});

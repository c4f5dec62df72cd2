import { EventEmitter } from 'node:events';
import { run, type Runner, type WorkerEvents } from 'graphile-worker';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { writeAuditCheckpoint } from '@/lib/server/audit/write-audit-checkpoint';
import { expireChangeRequests } from '@/lib/server/change-requests/expire-change-requests';
import { errorReason } from '@/lib/server/errors';
import { env } from '@/lib/server/env';
import { beat, removeHeartbeat } from '@/lib/server/jobs/heartbeat';
import { APPLY_TASK, ensureQueueSchema, workerLogger, type TApplyPayload } from '@/lib/server/jobs/queue';
import { unlockDeadWorkersJobs } from '@/lib/server/jobs/unlock-dead-workers-jobs';
import { unlockStuckJobs } from '@/lib/server/jobs/unlock-stuck-jobs';
import { startDriftWatch } from '@/lib/server/drift';
import { recordGuardHealth } from '@/lib/server/health/record-guard-health';
import { deliverNotification } from '@/lib/server/notifications/deliver-notification';
import { DELIVER_TASK, NOTIFY_TASK } from '@/lib/server/notifications/emit-notification';
import { fanOutNotification } from '@/lib/server/notifications/fan-out-notification';
import { notifyExpiring } from '@/lib/server/notifications/notify-expiring';
import { log as logger } from '@/lib/server/log';

export type TWorkerOptions = {
  databaseUrl: string;
  concurrency?: number;
  heartbeatMs?: number;
  housekeepingMs?: number;
  /** Guard health pass (admission policy, binding, namespace labels of every environment); default 60 s. */
  guardCheckMs?: number;
  /** How often to look for jobs locked by workers without a fresh heartbeat (default 5 s). */
  deadWorkerCheckMs?: number;
  /** A heartbeat older than this means the worker is dead (default 15 s; beats are every 5 s). */
  deadWorkerSeconds?: number;
  stuckLockSeconds?: number;
  log?: (line: string) => void;
};

/**
 * The apply worker: graphile-worker (PostgreSQL queue, LISTEN/NOTIFY for low latency, SKIP
 * LOCKED so several workers never take the same job) running applyChangeRequest, plus a
 * heartbeat row for /api/health and housekeeping (expiry, locks of dead and crashed workers,
 * signed audit checkpoints). The heartbeat row is keyed by graphile-worker's pool id, which is what it writes into the
 * `locked_by` of the jobs this worker holds: that is how another worker knows whose locks are
 * orphaned (unlockDeadWorkersJobs) within ~20 s of a kill -9.
 */
export async function runWorker(opts: TWorkerOptions): Promise<{ id: string; stop: () => Promise<void>; runner: Runner }> {
  const log = opts.log ?? ((l: string) => logger.info(l));
  await ensureQueueSchema(opts.databaseUrl);
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | null = null;
  events.on('pool:create', ({ workerPool }) => {
    poolId = workerPool.id;
  });
  const startedAt = new Date();
  const runner = await run({
    connectionString: opts.databaseUrl,
    concurrency: opts.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: workerLogger,
    events,
    taskList: {
      [APPLY_TASK]: async (payload) => {
        const result = await applyChangeRequest(payload as TApplyPayload);
        log(
          `${(payload as TApplyPayload).changeRequestId} r${(payload as TApplyPayload).revision}: ${result.outcome}${'message' in result ? ` — ${result.message}` : ''}`,
        );
      },
      // Notifications (lib/server/notifications): fan an outbox event out, then send each delivery.
      [NOTIFY_TASK]: async (payload) => {
        await fanOutNotification((payload as { eventId: string }).eventId);
      },
      [DELIVER_TASK]: async (payload) => {
        const id = (payload as { deliveryId: string }).deliveryId;
        const outcome = await deliverNotification(id);
        if (outcome !== 'sent' && outcome !== 'skipped') log(`notification delivery ${id}: ${outcome}`);
      },
    },
  });
  if (poolId === null) throw new Error('graphile-worker did not report its worker pool id');
  const id: string = poolId;
  const housekeeping = async () => {
    try {
      const unlocked = await unlockStuckJobs(opts.stuckLockSeconds);
      if (unlocked) log(`released job locks of ${unlocked} crashed worker(s)`);
      const expired = await expireChangeRequests();
      if (expired) log(`expired ${expired} request(s)`);
      const warned = await notifyExpiring();
      if (warned) log(`warned of ${warned} request(s) about to expire`);
      await writeAuditCheckpoint({ minIntervalMs: env().INGRESS_GATE_AUDIT_CHECKPOINT_MINUTES * 60_000 });
    } catch (error) {
      log(`housekeeping failed: ${errorReason(error)}`);
    }
  };
  const releaseDeadWorkers = async () => {
    try {
      const dead = await unlockDeadWorkersJobs(opts.deadWorkerSeconds);
      if (dead.length) log(`released the jobs of ${dead.length} worker(s) without a fresh heartbeat: ${dead.join(', ')}`);
    } catch (error) {
      log(`dead-worker check failed: ${errorReason(error)}`);
    }
  };
  await beat(id, startedAt);
  await housekeeping();
  const beatTimer = setInterval(
    () => void beat(id, startedAt).catch((e: unknown) => log(`heartbeat failed: ${errorReason(e)}`)),
    opts.heartbeatMs ?? 5_000,
  );
  const houseTimer = setInterval(() => void housekeeping(), opts.housekeepingMs ?? 30_000);
  const deadTimer = setInterval(() => void releaseDeadWorkers(), opts.deadWorkerCheckMs ?? 5_000);
  const checkGuards = () => void recordGuardHealth().catch((e: unknown) => log(`guard health check failed: ${errorReason(e)}`));
  checkGuards();
  const guardTimer = setInterval(checkGuards, opts.guardCheckMs ?? 60_000);
  log(`${id} started (concurrency ${opts.concurrency ?? 2})`);
  const drift = startDriftWatch({ log: (line) => log(`drift: ${line}`) });
  return {
    id,
    runner,
    stop: async () => {
      await drift.stop();
      clearInterval(beatTimer);
      clearInterval(houseTimer);
      clearInterval(deadTimer);
      clearInterval(guardTimer);
      await runner.stop();
      await removeHeartbeat(id);
    },
  };
}

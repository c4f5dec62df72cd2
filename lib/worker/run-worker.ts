import { randomUUID } from 'node:crypto';
import { run, type Runner } from 'graphile-worker';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { expireChangeRequests } from '@/lib/server/change-requests/expire-change-requests';
import { beat, removeHeartbeat } from '@/lib/server/jobs/heartbeat';
import { APPLY_TASK, ensureQueueSchema, workerLogger, type TApplyPayload } from '@/lib/server/jobs/queue';
import { unlockStuckJobs } from '@/lib/server/jobs/unlock-stuck-jobs';
import { startDriftWatch } from '@/lib/server/drift';
import { deliverNotification } from '@/lib/server/notifications/deliver-notification';
import { DELIVER_TASK, NOTIFY_TASK } from '@/lib/server/notifications/emit-notification';
import { fanOutNotification } from '@/lib/server/notifications/fan-out-notification';
import { notifyExpiring } from '@/lib/server/notifications/notify-expiring';

export type TWorkerOptions = {
  databaseUrl: string;
  concurrency?: number;
  heartbeatMs?: number;
  housekeepingMs?: number;
  stuckLockSeconds?: number;
  log?: (line: string) => void;
};

/**
 * The apply worker: graphile-worker (PostgreSQL queue, LISTEN/NOTIFY for low latency, SKIP
 * LOCKED so several workers never take the same job) running applyChangeRequest, plus a
 * heartbeat row for /api/health and housekeeping (expiry, locks of crashed workers).
 */
export async function runWorker(opts: TWorkerOptions): Promise<{ id: string; stop: () => Promise<void>; runner: Runner }> {
  const log = opts.log ?? ((l: string) => console.log(`[worker] ${l}`));
  await ensureQueueSchema(opts.databaseUrl);
  const id = `worker-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date();
  const runner = await run({
    connectionString: opts.databaseUrl,
    concurrency: opts.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: workerLogger,
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
  const housekeeping = async () => {
    try {
      const unlocked = await unlockStuckJobs(opts.stuckLockSeconds);
      if (unlocked) log(`released job locks of ${unlocked} crashed worker(s)`);
      const expired = await expireChangeRequests();
      if (expired) log(`expired ${expired} request(s)`);
      const warned = await notifyExpiring();
      if (warned) log(`warned of ${warned} request(s) about to expire`);
    } catch (error) {
      log(`housekeeping failed: ${(error as Error).message}`);
    }
  };
  await beat(id, startedAt);
  await housekeeping();
  const beatTimer = setInterval(
    () => void beat(id, startedAt).catch((e: Error) => log(`heartbeat failed: ${e.message}`)),
    opts.heartbeatMs ?? 5_000,
  );
  const houseTimer = setInterval(() => void housekeeping(), opts.housekeepingMs ?? 30_000);
  log(`${id} started (concurrency ${opts.concurrency ?? 2})`);
  const drift = startDriftWatch({ log: (line) => log(`drift: ${line}`) });
  return {
    id,
    runner,
    stop: async () => {
      await drift.stop();
      clearInterval(beatTimer);
      clearInterval(houseTimer);
      await runner.stop();
      await removeHeartbeat(id);
    },
  };
}

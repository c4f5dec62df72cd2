// npm run worker — the apply worker as its own process (npm start also runs one, and restarts it).
import { EnvError, parseEnv } from '@/lib/server/env';
import { errorReason } from '@/lib/server/errors';
import { log } from '@/lib/server/log';
import { runWorker } from './run-worker';

let env;
try {
  env = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) {
    log.fatal(`cannot start: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
const numberFrom = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
let worker: Awaited<ReturnType<typeof runWorker>>;
try {
  worker = await runWorker({
    databaseUrl: env.DATABASE_URL,
    concurrency: numberFrom('WORKER_CONCURRENCY'),
    housekeepingMs: numberFrom('WORKER_HOUSEKEEPING_MS'),
    stuckLockSeconds: numberFrom('WORKER_STUCK_LOCK_SECONDS'),
    deadWorkerSeconds: numberFrom('WORKER_DEAD_SECONDS'),
  });
} catch (error) {
  // Exit non-zero with the cause; `npm start` (or the orchestrator) restarts with backoff.
  log.fatal(`cannot start: ${errorReason(error)}`);
  process.exit(1);
}
const stop = async (signal: string) => {
  log.info(`${signal}: stopping (finishing running jobs)`);
  await worker.stop().catch((error: unknown) => log.error(`stop failed: ${errorReason(error)}`));
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// Under `npm start` the worker has an IPC channel to its supervisor: when the supervisor dies
// (even by SIGKILL) the channel closes, and the worker stops instead of running on orphaned.
process.on('disconnect', () => void stop('supervisor gone'));

// npm run worker — the apply worker as its own process (npm start also runs one).
import { EnvError, parseEnv } from '@/lib/server/env';
import { runWorker } from './run-worker';

let env;
try {
  env = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`[worker] cannot start: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
const numberFrom = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const worker = await runWorker({
  databaseUrl: env.DATABASE_URL,
  concurrency: numberFrom('WORKER_CONCURRENCY'),
  housekeepingMs: numberFrom('WORKER_HOUSEKEEPING_MS'),
  stuckLockSeconds: numberFrom('WORKER_STUCK_LOCK_SECONDS'),
});
const stop = async () => {
  await worker.stop().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

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
const worker = await runWorker({ databaseUrl: env.DATABASE_URL, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2) });
const stop = async () => {
  await worker.stop().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

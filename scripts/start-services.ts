import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { PrismaClient } from '../lib/generated/prisma/client';
import { ensureQueueSchema } from '../lib/server/jobs/queue';
import { startLocalMailServer } from '../lib/server/notifications/local-mail-server';
import { startSandboxCluster } from '../sandbox/sandbox-cluster';

/**
 * Local services `npm start` runs beside the web server:
 * - the sandbox cluster (sandbox/, the Kubernetes API emulation, state kept in the data dir) when
 *   an environment uses it; its URL and a fresh token reach the web server and worker through
 *   INGRESS_GATE_SANDBOX_URL / INGRESS_GATE_SANDBOX_TOKEN. It serves one cluster per name under
 *   /clusters/<name> (the demo's dev, staging and prod each name their own) besides the root one;
 * - with `localMail` and no SMTP_HOST, a catch-all SMTP server on 127.0.0.1 whose mail /mail lists
 *   (SMTP_HOST/SMTP_PORT and INGRESS_GATE_LOCAL_MAIL=1 reach the children).
 * The apply worker is started and supervised by start.ts (spawnWorker below).
 */
export async function startLocalServices(opts: {
  db: PrismaClient;
  dataDir: string;
  log: (l: string) => void;
  localMail?: boolean;
}): Promise<{ children: ChildProcess[]; stop: () => Promise<void> }> {
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  const usesSandbox = (await opts.db.environment.count({ where: { connectionKind: 'SANDBOX' } })) > 0;
  if (usesSandbox && !process.env.INGRESS_GATE_SANDBOX_URL) {
    const sandbox = await startSandboxCluster({
      stateFile: path.join(opts.dataDir, 'sandbox-cluster.json'),
      port: Number(process.env.SANDBOX_PORT ?? 0),
    });
    process.env.INGRESS_GATE_SANDBOX_URL = sandbox.url;
    process.env.INGRESS_GATE_SANDBOX_TOKEN = sandbox.token;
    stops.push(sandbox.stop);
    opts.log(
      `sandbox cluster at ${sandbox.url}${sandbox.seeded ? ' (seeded shop and payments)' : ''}; ` +
        `one cluster per environment at ${sandbox.clusterUrl('<name>')}, seeded on first use`,
    );
  }
  if (opts.localMail && !process.env.SMTP_HOST) {
    const mail = await startLocalMailServer({ databaseUrl: process.env.DATABASE_URL!, port: Number(process.env.LOCAL_MAIL_PORT ?? 0) });
    process.env.SMTP_HOST = '127.0.0.1';
    process.env.SMTP_PORT = String(mail.port);
    process.env.INGRESS_GATE_LOCAL_MAIL = '1';
    stops.push(mail.stop);
    opts.log(`local mail catcher on 127.0.0.1:${mail.port}: sent mail is listed at /mail`);
  }
  await ensureQueueSchema(process.env.DATABASE_URL!);
  return {
    children,
    stop: async () => {
      for (const s of stops) await s();
    },
  };
}

/**
 * The apply worker as a child process, with an IPC channel: if this supervisor dies, even by
 * SIGKILL, the channel closes and the worker stops instead of running on orphaned.
 */
export function spawnWorker(): ChildProcess {
  const root = path.resolve(import.meta.dirname, '..');
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'lib/worker/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, INGRESS_GATE_SERVICE: 'worker' },
  });
}

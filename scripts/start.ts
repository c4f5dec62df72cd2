// npm start / npm run dev — the one command that runs Ingress Gate.
//
// Without DATABASE_URL: an embedded PostgreSQL under .data/ (git-ignored), generated secrets kept
// in .data/secrets.json, migrations applied, demo data seeded once. With DATABASE_URL: that
// database, migrated; nothing seeded unless INGRESS_GATE_DEMO=1. Then the sandbox cluster (when an
// environment uses it), the apply worker, and Next.js on PORT (default 3000).
//
// Supervision: a worker that dies is restarted with backoff (1 s doubling to 30 s; reset after a
// minute of uptime), and each death is logged with its exit code or signal. If the web server
// dies, everything is stopped and this process exits non-zero, so systemd, Kubernetes or
// docker-compose restarts it. SIGTERM/SIGINT stop everything gracefully (children get SIGTERM,
// then SIGKILL after 5 s) and exit 0; so does the death of the parent (npm killed by SIGTERM does
// not pass the signal on).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresAccessError, startEmbeddedPostgres, type TEmbeddedPostgres } from '../lib/server/db/embedded-postgres';
import { deployMigrations } from '../lib/server/db/migrations';
import { createDb } from '../lib/server/db/client';
import { EnvError, parseEnv } from '../lib/server/env';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../lib/server/seed/seed-demo';
import { spawnWorker, startLocalServices } from './start-services';

const isDev = process.argv.includes('--dev');
const root = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(root, process.env.INGRESS_GATE_DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 3000);
const startedAt = performance.now();
const log = (line: string) => console.log(`[ingress-gate] ${line}`);

async function loadOrCreateSecrets(): Promise<Record<string, string>> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  const secrets = { AUTH_SECRET: randomBytes(32).toString('base64url'), INGRESS_GATE_SECRET_KEY: randomBytes(32).toString('base64url') };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

let embedded: TEmbeddedPostgres | null = null;
const children: ChildProcess[] = [];
let stopServices: (() => Promise<void>) | null = null;

// A child and everything it forked (`next dev` forks its server): signalled leaves first. The web
// server stays in this process group, so whoever kills the group (a terminal, Playwright, a
// container runtime) takes it along too.
function descendantPids(pid: number): number[] {
  const listing = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? '';
  const rows = listing
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [p, pp] of rows) {
      if (pp === parent && p !== undefined) {
        found.push(p);
        queue.push(p);
      }
    }
  }
  return found;
}
function signalTree(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid) {
    for (const pid of descendantPids(child.pid).reverse()) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
  child.kill(signal);
}
let web: ChildProcess | null = null;

let isShuttingDown = false;
let workerRestartTimer: NodeJS.Timeout | null = null;
async function shutdown(code: number, why?: string) {
  if (isShuttingDown) return;
  isShuttingDown = true;
  if (why) log(why);
  if (workerRestartTimer) clearTimeout(workerRestartTimer);
  // Children first (the worker finishes its job and releases its locks), then the database.
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            signalTree(child, 'SIGKILL');
            resolve();
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          signalTree(child, 'SIGTERM');
        }),
    ),
  );
  await stopServices?.().catch(() => {});
  await embedded?.stop().catch(() => {});
  process.exit(code);
}
function installSignalHandlers() {
  // embedded-postgres (through async-exit-hook) stops the database on SIGINT/SIGTERM at once, in
  // parallel with this shutdown; replace that so the worker finishes before the database stops.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(0, `${signal}: stopping the web server, worker and database`));
  }
}
installSignalHandlers();
// `npm start` puts npm between the caller and this process; npm exits on SIGTERM without passing
// it on. When the parent is gone we are re-parented: stop everything rather than run orphaned.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(0, `parent process ${parentPid} exited: stopping everything`);
}, 500).unref();

await mkdir(dataDir, { recursive: true });
if (!process.env.DATABASE_URL) {
  const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  log(`no DATABASE_URL: starting embedded PostgreSQL on 127.0.0.1:${pgPort} (data in ${path.relative(root, dataDir)}/postgres)`);
  try {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, database: 'ingress_gate', log });
  } catch (error) {
    if (error instanceof EmbeddedPostgresAccessError) {
      console.error(`[ingress-gate] cannot start: ${error.message}`);
      await shutdown(2);
    }
    throw error;
  }
  installSignalHandlers();
  process.env.DATABASE_URL = embedded.url;
  process.env.INGRESS_GATE_DEMO ??= '1';
  const secrets = await loadOrCreateSecrets();
  for (const [key, value] of Object.entries(secrets)) process.env[key] ??= value;
}
(process.env as Record<string, string | undefined>).NODE_ENV ??= isDev ? 'development' : 'production';

let env;
try {
  env = parseEnv(process.env);
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`[ingress-gate] cannot start: ${error.message}`);
    await shutdown(2);
  }
  throw error;
}

const { applied } = await deployMigrations(env!.DATABASE_URL);
if (applied.length) log(`applied ${applied.length} migration(s)`);

const db = createDb(env!.DATABASE_URL, 2);
if (env!.INGRESS_GATE_DEMO === '1') {
  const { created } = await seedDemo(db);
  if (created) log('seeded demo environments and users');
}

// Embedded mode (or INGRESS_GATE_LOCAL_MAIL=1) without SMTP_HOST: catch mail locally, list it at /mail.
const services = await startLocalServices({
  db,
  dataDir,
  log,
  localMail: Boolean(embedded) || process.env.INGRESS_GATE_LOCAL_MAIL === '1',
});
stopServices = services.stop;
await db.$disconnect();

const nextBin = path.join(root, 'node_modules', '.bin', 'next');
if (!isDev && !existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  log('no production build yet: running `next build` (first start only, about a minute)');
  const build = spawn(nextBin, ['build'], { cwd: root, stdio: 'inherit', env: process.env });
  const code = await new Promise<number>((resolve) => build.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) await shutdown(code);
}

for (const child of services.children) children.push(child);

// The worker: restarted with backoff when it dies, each time saying why.
let workerFailures = 0;
function superviseWorker() {
  if (isShuttingDown) return;
  const worker = spawnWorker();
  const started = Date.now();
  children.push(worker);
  worker.on('exit', (code, signal) => {
    children.splice(children.indexOf(worker), 1);
    if (isShuttingDown) return;
    if (Date.now() - started > 60_000) workerFailures = 0;
    const delay = Math.min(30_000, 1_000 * 2 ** workerFailures);
    workerFailures += 1;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    log(`worker (pid ${worker.pid}) ${how}; restarting it in ${delay / 1000} s (restart ${workerFailures})`);
    workerRestartTimer = setTimeout(superviseWorker, delay);
  });
}
if (process.env.INGRESS_GATE_NO_WORKER !== '1') superviseWorker();

web = spawn(nextBin, [isDev ? 'dev' : 'start', '--port', String(port)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: process.env,
});
children.push(web);
let announced = false;
web.stdout!.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(chunk.toString())) {
    announced = true;
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    log(`ready in ${seconds}s at http://localhost:${port}`);
    if (env!.INGRESS_GATE_DEMO === '1') {
      log(`sign in with any demo account, password "${DEMO_PASSWORD}":`);
      for (const u of DEMO_USERS) log(`  ${u.email.padEnd(24)} ${u.roleText}`);
    }
  }
});
// The web server never exits on its own: whatever the code, that is a failure for the caller.
web.on('exit', (code, signal) => {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  void shutdown(
    code ? code : 1,
    `web server (pid ${web.pid}) ${how}; stopping everything and exiting non-zero so a restart policy restarts Ingress Gate`,
  );
});

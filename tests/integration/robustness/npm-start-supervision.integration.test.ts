import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { capture, descendants, exitOf, freePort, isAlive, until } from './process-tree';

// Issue 14, "no supervision" and "start and stop": `npm start` (here `npm run dev`, the same start
// script with `next dev`, so no production build is needed) is run for real and its children are
// killed for real.
// - a killed worker used to stay dead, silently; now it is restarted with a log line saying why;
// - a killed web server used to make `npm start` exit 0 without a word; now it exits non-zero;
// - SIGTERM to the npm process used to stop only npm; now everything stops within seconds.

const root = path.resolve(import.meta.dirname, '../../..');
const started: ChildProcess[] = [];
// Every process seen under a started npm: killed after each test even if it was orphaned.
const seen = new Set<number>();

beforeEach(resetDb);
afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.pid) for (const p of descendants(child.pid)) seen.add(p.pid);
    child.kill('SIGKILL');
  }
  for (const pid of seen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  seen.clear();
});

async function npmStart() {
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: testDatabaseUrl(),
    INGRESS_GATE_DEMO: '0',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  delete env.NODE_ENV;
  const npm: ChildProcess = spawn('npm', ['run', 'dev'], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(npm);
  const output = capture(npm);
  await until('the web server to be ready', () => output.text().includes('[ingress-gate] ready in'), 90_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.text()}`);
  });
  const beat = await until('a worker heartbeat', () => db().workerHeartbeat.findFirst(), 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.text()}`);
  });
  // The web server is the `next` process; the supervisor is its parent (the start script).
  const tree = descendants(npm.pid!);
  const web = tree.find(
    (p) => /next(-server| dev| start)/.test(p.args) && tree.some((q) => q.pid === p.ppid && q.args.includes('scripts/start.ts')),
  )!;
  expect(web, 'the web server process').toBeDefined();
  const supervisor = tree.find((p) => p.pid === web.ppid)!;
  for (const p of descendants(npm.pid!)) seen.add(p.pid);
  return { npm, output, supervisor, web, workerPid: beat.pid, port };
}

describe('npm start supervises its processes', () => {
  it('restarts a killed worker, saying why; exits non-zero when the web server dies, stopping the worker', async () => {
    const { npm, output, web, workerPid } = await npmStart();

    process.kill(workerPid, 'SIGKILL');
    await until('the restart to be logged', () =>
      output.text().includes(`worker (pid ${workerPid}) was killed by SIGKILL; restarting it in 1 s`),
    );
    const replacement = await until(
      'a new worker heartbeat',
      async () => (await db().workerHeartbeat.findMany()).find((b) => b.pid !== workerPid && isAlive(b.pid)),
      60_000,
    );
    expect(replacement.pid).not.toBe(workerPid);

    process.kill(web.pid, 'SIGKILL');
    const exit = await Promise.race([exitOf(npm), new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(exit, 'npm start exits').not.toBeNull();
    expect(exit!.code).not.toBe(0);
    expect(exit!.code).not.toBeNull();
    expect(output.text()).toContain(`web server (pid ${web.pid}) was killed by SIGKILL; stopping everything and exiting non-zero`);
    await until('the worker to stop', () => !isAlive(replacement.pid), 10_000);
  }, 180_000);

  it('SIGTERM to the npm process stops the start script, the web server and the worker within seconds', async () => {
    const { npm, supervisor, web, workerPid } = await npmStart();
    const all = [supervisor.pid, web.pid, workerPid, ...descendants(supervisor.pid).map((p) => p.pid)];
    const signalledAt = Date.now();
    process.kill(npm.pid!, 'SIGTERM');
    await until('every process to stop', () => all.every((pid) => !isAlive(pid)), 15_000).catch((error: Error) => {
      throw new Error(`${error.message}: still alive ${all.filter(isAlive).join(', ')}`);
    });
    const seconds = (Date.now() - signalledAt) / 1000;
    console.log(`npm start stopped everything ${seconds.toFixed(1)} s after SIGTERM`);
    expect(seconds).toBeLessThan(15);
  }, 180_000);
});

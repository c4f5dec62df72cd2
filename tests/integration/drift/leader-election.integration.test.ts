import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { startDriftWatch, type TDriftWatch } from '@/lib/server/drift/start-drift-watch';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { newIngressYaml } from '../change-requests/world';
import { capture, exitOf, until } from '../robustness/process-tree';
import { driftRecord, editStorefront, reseed, startWorld, STOREFRONT, team, type TWorld } from './world';

// Issue 19: three real worker processes on one database. Each environment's watch and drift
// detection runs on exactly one of them (the holder of its PostgreSQL advisory lock); when that
// worker is killed with SIGKILL another takes over within seconds; applies stay exactly-once.

let fake: FakeKubeApi;
type TWorker = { child: ChildProcess; out: { text: () => string } };
const workers: TWorker[] = [];
beforeAll(async () => {
  fake = await startWorld({ bookmarkIntervalMs: 500 });
});
afterAll(async () => fake.stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});
afterEach(async () => {
  for (const w of workers.splice(0)) {
    w.child.kill('SIGKILL');
    await exitOf(w.child);
  }
});

function startWorkerProcess(): TWorker {
  const root = path.resolve(import.meta.dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'lib/worker/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      INGRESS_GATE_SANDBOX_URL: fake.url,
      INGRESS_GATE_SANDBOX_TOKEN: fake.token,
      WORKER_CONCURRENCY: '3',
    },
  });
  const w = { child, out: capture(child) };
  workers.push(w);
  return w;
}

/** How many times this worker started leading `envName`'s drift detection (its log says so). */
const leadCount = (w: TWorker, envName: string) =>
  w.out
    .text()
    .split('\n')
    .filter((line) => line.includes(`drift: ${envName}: drift detection started`) && line.includes('leading')).length;
const leaders = (envName: string, among = workers) => among.filter((w) => leadCount(w, envName) > 0);
const alive = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);

async function approve(w: TWorld, title: string, action: 'create' | 'update', yaml: string): Promise<string> {
  const cr = await submitChangeRequest(w.requester, { environment: 'prod', namespace: 'shop', action, title, justification: 'test', yaml });
  await reviewChangeRequest(w.approver, cr.id, { decision: 'APPROVE', revision: 1 });
  return cr.id;
}

const allApplied = async (ids: string[]) =>
  (await db().changeRequest.count({ where: { id: { in: ids }, status: 'APPLIED' } })) === ids.length;

const writesOf = (name: string) =>
  fake
    .requests()
    .filter((r) => r.query.dryRun === undefined && ['POST', 'PUT', 'PATCH'].includes(r.method))
    .filter(
      (r) =>
        r.path.endsWith(`/ingresses/${name}`) ||
        (r.method === 'POST' && (r.body as { metadata?: { name?: string } })?.metadata?.name === name),
    );

/** Several leader-retry rounds (1 s each) have passed for every live worker. */
const settle = () => new Promise((r) => setTimeout(r, 4_000));

describe('leader election across worker processes', () => {
  it('one worker leads an environment; after kill -9 another takes over within seconds; applies exactly once', async () => {
    const w = await team({ name: 'prod' });
    for (let i = 0; i < 3; i += 1) startWorkerProcess();
    await until('three worker heartbeats', async () => (await db().workerHeartbeat.count()) === 3);
    await until('a leader for prod', () => leaders('prod').length > 0, 30_000);
    await settle();
    expect(leaders('prod')).toHaveLength(1);
    expect(leadCount(leaders('prod')[0]!, 'prod')).toBe(1);

    // The leader detects drift of an applied Ingress.
    const storefront = await approve(w, 'Add cart API', 'update', STOREFRONT);
    await until('storefront applied', () => allApplied([storefront]));
    editStorefront(fake);
    await until(
      'drift detected by the leader',
      async () => (await driftRecord(w.envId, 'shop', 'storefront'))?.state === 'DRIFTED',
      30_000,
    );

    // Requests approved before and during the failover.
    const before = [];
    for (let i = 0; i < 5; i += 1)
      before.push(await approve(w, `promo ${i}`, 'create', newIngressYaml(`promo-${i}`, `promo-${i}.example.com`)));

    const old = leaders('prod')[0]!;
    old.child.kill('SIGKILL');
    await exitOf(old.child);
    const killedAt = Date.now();
    const survivors = alive();
    expect(survivors).toHaveLength(2);
    const during = [];
    for (let i = 5; i < 10; i += 1)
      during.push(await approve(w, `promo ${i}`, 'create', newIngressYaml(`promo-${i}`, `promo-${i}.example.com`)));
    await until('a new leader for prod', () => leaders('prod', survivors).length > 0, 30_000);
    // When the survivor started leading, by its own log line's timestamp (the approvals above
    // take the test's time meanwhile, so the moment we notice is later).
    const line = leaders('prod', survivors)[0]!
      .out.text()
      .split('\n')
      .find((l) => l.includes('drift: prod: drift detection started'))!;
    const seconds = (Date.parse((JSON.parse(line) as { time: string }).time) - killedAt) / 1000;
    console.log(`leader killed; a survivor leads prod ${seconds.toFixed(1)} s later`);
    expect(seconds).toBeLessThan(10);
    await settle();
    expect(leaders('prod', survivors)).toHaveLength(1);

    // The new leader does drift detection: an applied Ingress edited behind the gate is seen.
    const ids = [...before, ...during];
    await until('all ten applied', () => allApplied(ids), 60_000);
    fake.mutate('shop', 'promo-7', (o) => {
      (o.spec as { rules: { host: string }[] }).rules[0]!.host = 'elsewhere.example.com';
    });
    await until(
      'drift detected by the new leader',
      async () => (await driftRecord(w.envId, 'shop', 'promo-7'))?.state === 'DRIFTED',
      30_000,
    );

    // Exactly-once: each Ingress written once, one AppliedVersion per request.
    for (let i = 0; i < 10; i += 1) expect(writesOf(`promo-${i}`), `promo-${i}`).toHaveLength(1);
    expect(await db().appliedVersion.count({ where: { changeRequestId: { in: ids } } })).toBe(10);
  }, 180_000);
});

describe('leader election when the lock session is lost', () => {
  it('the leader whose PostgreSQL session is terminated stops its watch at once; one leader again within seconds', async () => {
    await team({ name: 'prod' });
    const logs = { a: [] as string[], b: [] as string[] };
    const watches: TDriftWatch[] = [];
    const start = (into: string[]) => {
      const w = startDriftWatch({ log: (l) => into.push(l), leaderRetryMs: 200, recheckMs: 250, environmentRefreshMs: 60_000 });
      watches.push(w);
      return w;
    };
    const leading = (l: string[]) =>
      l.filter((x) => x.startsWith('prod: drift detection started')).length -
      l.filter((x) => x.startsWith('prod: no longer leading')).length;
    try {
      await start(logs.a).ready();
      await start(logs.b).ready();
      await new Promise((r) => setTimeout(r, 1_000));
      expect([leading(logs.a), leading(logs.b)]).toEqual([1, 0]);

      const [holder] = await db().$queryRawUnsafe<{ pid: number }[]>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
           AND classid = (hashtext('ingress-gate:drift')::bigint & 4294967295)::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(holder).toBeDefined();
      await db().$queryRawUnsafe(`SELECT pg_terminate_backend(${Number(holder!.pid)})`);
      await until('the old leader to step down', () => logs.a.some((l) => l.startsWith('prod: no longer leading')), 10_000);
      await until('a leader again', () => leading(logs.a) + leading(logs.b) === 1, 10_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(leading(logs.a) + leading(logs.b)).toBe(1);
    } finally {
      for (const w of watches) await w.stop();
    }
  }, 60_000);
});

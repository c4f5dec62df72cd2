import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from './world';

// The real worker process (`npm run worker`'s entry point) against the fake cluster: several
// workers, and a worker killed with SIGKILL in the middle of a write.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
const children: ChildProcess[] = [];
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function startWorkerProcess(extraEnv: Record<string, string> = {}): ChildProcess {
  const root = path.resolve(import.meta.dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'lib/worker/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      INGRESS_GATE_SANDBOX_URL: fake.url,
      INGRESS_GATE_SANDBOX_TOKEN: fake.token,
      ...extraEnv,
    },
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function approvedCreates(count: number) {
  await env({ name: 'prod' });
  const requester = await actor(['REQUESTER']);
  const approver = await actor(['APPROVER']);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const cr = await submitChangeRequest(requester, {
      environment: 'prod',
      namespace: 'shop',
      action: 'create',
      title: `promo ${i}`,
      justification: 'campaign',
      yaml: newIngressYaml(`promo-${i}`, `promo-${i}.example.com`),
    });
    await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    ids.push(cr.id);
  }
  return ids;
}

const realWrites = () =>
  fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/ingresses') && r.query.dryRun === undefined);

describe('worker processes', () => {
  it('three workers apply 20 approved requests: each Ingress written exactly once', async () => {
    const ids = await approvedCreates(20);
    for (let i = 0; i < 3; i += 1) startWorkerProcess({ WORKER_CONCURRENCY: '3' });
    await until(
      'all applied',
      async () => (await db().changeRequest.count({ where: { id: { in: ids }, status: 'APPLIED' } })) === 20,
      60_000,
    );
    const names = realWrites()
      .map((w) => (w.body as { metadata: { name: string } }).metadata.name)
      .sort();
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `promo-${i}`).sort());
    expect(await db().appliedVersion.count()).toBe(20);
    expect(await db().auditEvent.count({ where: { action: 'change-request.applied' } })).toBe(20);
  }, 90_000);

  it('a worker killed (SIGKILL) mid-write: another worker retries the job and the object is written exactly once', async () => {
    const [id] = await approvedCreates(1);
    // The write is received and carried out by the server after 2 s; the worker dies before the answer.
    fake.delay(2_000, { method: 'POST', path: /\/ingresses$/ });
    const first = startWorkerProcess();
    await until('the write to reach the server', async () => realWrites().length === 1);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id } })).status).toBe('APPLYING');
    await new Promise((r) => setTimeout(r, 2_200));
    fake.delay(0);
    // A new worker releases the dead worker's job lock and reconciles.
    startWorkerProcess({ WORKER_STUCK_LOCK_SECONDS: '1', WORKER_HOUSEKEEPING_MS: '300' });
    const done = await until('APPLIED', async () => {
      const r = await db().changeRequest.findUniqueOrThrow({ where: { id } });
      return r.status === 'APPLIED' ? r : null;
    });
    expect(done.status).toBe('APPLIED');
    expect(realWrites()).toHaveLength(1);
    expect(fake.peek('ingresses', 'shop', 'promo-0')).not.toBeNull();
    const applied = await db().auditEvent.findFirstOrThrow({ where: { changeRequestId: id, action: 'change-request.applied' } });
    expect(applied.details).toMatchObject({ reconciled: true });
  }, 60_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from '../change-requests/world';

// Issue 14: a killed worker's approved changes waited ~2–3 minutes for its job lock to be freed.
// Locks are now tied to heartbeats: with the product's default settings, another live worker picks
// up a dead worker's job within ~30 s of the kill.

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

function startWorkerProcess(): ChildProcess {
  const root = path.resolve(import.meta.dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'lib/worker/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), INGRESS_GATE_SANDBOX_URL: fake.url, INGRESS_GATE_SANDBOX_TOKEN: fake.token },
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const realWrites = () =>
  fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/ingresses') && r.query.dryRun === undefined);

describe('a dead worker', () => {
  it('its job is picked up by another live worker within 30 s of a kill -9 (default settings), written once', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const approver = await actor(['APPROVER']);
    const doomed = startWorkerProcess();
    await until('a heartbeat', async () => (await db().workerHeartbeat.count()) === 1);
    // The write hangs 3 s, so the worker is mid-write when it is killed.
    fake.delay(3_000, { method: 'POST', path: /\/ingresses$/ });
    const cr = await submitChangeRequest(requester, {
      environment: 'prod',
      namespace: 'shop',
      action: 'create',
      title: 'promo',
      justification: 'campaign',
      yaml: newIngressYaml('promo', 'promo.example.com'),
    });
    await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    await until('the write to reach the server', async () => realWrites().length === 1);
    doomed.kill('SIGKILL');
    await new Promise((r) => doomed.once('exit', r));
    const killedAt = Date.now();
    fake.delay(0);
    const survivor = startWorkerProcess();
    await until('APPLIED', async () => (await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status === 'APPLIED', 45_000);
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`dead worker's job applied by the survivor ${seconds.toFixed(1)} s after the kill`);
    expect(seconds).toBeLessThan(30);
    expect(survivor.exitCode).toBeNull();
    expect(realWrites()).toHaveLength(1);
    expect(await db().appliedVersion.count()).toBe(1);
  }, 90_000);
});

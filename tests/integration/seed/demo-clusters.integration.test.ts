import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEnvironmentConnection } from '@/lib/server/admin/test-environment-connection';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { loadActor } from '@/lib/server/auth/load-actor';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { seedDemo } from '@/lib/server/seed/seed-demo';
import { startSandboxCluster, type TSandboxCluster } from '@/sandbox/sandbox-cluster';
import { STOREFRONT_UPDATE } from '../change-requests/world';
import { db, resetDb } from '../helpers';

// Issue 11 item 4, the demo's part: an environment is (cluster identity, namespaces), and the demo
// must show that model — dev, staging and prod each on a sandbox cluster of their own, so "Test
// connection" records three identities, nobody overlaps, and a dev apply never touches prod.

let sandbox: TSandboxCluster;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'demo-sandbox-'));
  sandbox = await startSandboxCluster({ stateFile: join(dir, 'sandbox-cluster.json') });
  process.env.INGRESS_GATE_SANDBOX_URL = sandbox.url;
  process.env.INGRESS_GATE_SANDBOX_TOKEN = sandbox.token;
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetDb();
  expect(await seedDemo(db(), { prodWindow: false })).toEqual({ created: true });
});

async function demoActor(email: string) {
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  return (await loadActor(user.id))!;
}

const paths = (o: unknown) => JSON.stringify((o as { spec: unknown }).spec).match(/"path":"[^"]*"/g);

describe('the demo: one sandbox cluster per environment', () => {
  it('Test connection on every demo environment succeeds and records a distinct cluster identity; nobody overlaps', async () => {
    const admin = await demoActor('admin@example.com');
    const envs = await db().environment.findMany({ orderBy: { name: 'asc' } });
    expect(envs.map((e) => e.name)).toEqual(['dev', 'prod', 'staging']);
    for (const e of envs) {
      const report = await testEnvironmentConnection(admin, e.id);
      expect({ env: e.name, ok: report.ok, problems: report.problems }).toEqual({ env: e.name, ok: true, problems: [] });
    }
    const recorded = await db().environment.findMany({ select: { name: true, clusterUid: true } });
    expect(recorded.every((r) => r.clusterUid)).toBe(true);
    expect(new Set(recorded.map((r) => r.clusterUid)).size).toBe(3);
    // Each identity is the kube-system uid of that environment's own sandbox cluster.
    for (const r of recorded) expect(r.clusterUid).toBe(sandbox.api.cluster(r.name).peek('namespaces', null, 'kube-system')!.metadata.uid);
  });

  it("a change applied in dev is in dev's cluster only: prod's and staging's objects are unchanged", async () => {
    const admin = await demoActor('admin@example.com');
    for (const e of await db().environment.findMany()) expect((await testEnvironmentConnection(admin, e.id)).ok).toBe(true);
    const before = Object.fromEntries(
      ['dev', 'staging', 'prod'].map((n) => [n, sandbox.api.cluster(n).peek('ingresses', 'shop', 'storefront')!]),
    );
    const requester = await demoActor('requester@example.com');
    const approver = await demoActor('approver1@example.com');
    const cr = await submitChangeRequest(requester, {
      environment: 'dev',
      namespace: 'shop',
      action: 'update',
      title: 'Add /api in dev',
      justification: 'demo separation',
      yaml: STOREFRONT_UPDATE,
    });
    if ((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status === 'PENDING')
      await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'applied' });

    const dev = sandbox.api.cluster('dev').peek('ingresses', 'shop', 'storefront')!;
    expect(paths(dev)).toContain('"path":"/api"');
    expect(dev.metadata.resourceVersion).not.toBe(before.dev!.metadata.resourceVersion);
    for (const n of ['staging', 'prod']) {
      const live = sandbox.api.cluster(n).peek('ingresses', 'shop', 'storefront')!;
      expect({ env: n, live }).toEqual({ env: n, live: before[n] });
      expect(paths(live)).not.toContain('"path":"/api"');
    }
    // The root cluster (environments that name no sandbox cluster) is untouched too.
    expect(paths(sandbox.api.peek('ingresses', 'shop', 'storefront'))).not.toContain('"path":"/api"');
  });

  it("an admin's save keeps the environment's sandbox cluster (the form sends it back as the context); a name that is not a DNS label is a 422 naming the field", async () => {
    const admin = await demoActor('admin@example.com');
    const prod = await db().environment.findUniqueOrThrow({ where: { name: 'prod' } });
    const settings = (connection: Record<string, unknown>) => ({
      description: prod.description,
      isProduction: true,
      requiredApprovals: 2,
      requestExpiryHours: 168,
      rollbackPreApproved: false,
      autoApproveEnabled: false,
      policy: { requireTls: true },
      connection,
    });
    await updateEnvironment(admin, prod.id, settings({ kind: 'SANDBOX', context: 'prod' }));
    expect((await db().environment.findUniqueOrThrow({ where: { id: prod.id } })).kubeContext).toBe('prod');
    expect((await testEnvironmentConnection(admin, prod.id)).ok).toBe(true);
    const uid = (await db().environment.findUniqueOrThrow({ where: { id: prod.id } })).clusterUid;
    expect(uid).toBe(sandbox.api.cluster('prod').peek('namespaces', null, 'kube-system')!.metadata.uid);

    await expect(updateEnvironment(admin, prod.id, settings({ kind: 'SANDBOX', context: '../Prod' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'connection.context', message: expect.stringContaining('DNS label') }],
    });
    expect((await db().environment.findUniqueOrThrow({ where: { id: prod.id } })).kubeContext).toBe('prod');

    // Moving it to another sandbox cluster forgets the recorded identity until the next test.
    await updateEnvironment(admin, prod.id, settings({ kind: 'SANDBOX', context: 'prod-eu' }));
    const moved = await db().environment.findUniqueOrThrow({ where: { id: prod.id } });
    expect([moved.kubeContext, moved.clusterUid]).toEqual(['prod-eu', null]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { createEnvironment as createEnvironmentOp } from '@/lib/server/admin/create-environment';
import { testEnvironmentConnection } from '@/lib/server/admin/test-environment-connection';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { actor, env, reseed, startWorld, STOREFRONT_UPDATE } from '../change-requests/world';
import { db, resetDb } from '../helpers';

// Issue 11 item 4: one owner per object. Two environments on one cluster must govern disjoint
// namespaces — refused at save (naming the other), reported by "Test connection", and re-checked
// right before apply.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

function settings(namespaces: string[], connection: Record<string, unknown>) {
  return {
    description: '',
    isProduction: false,
    requiredApprovals: 1,
    requestExpiryHours: 168,
    rollbackPreApproved: false,
    autoApproveEnabled: false,
    policy: { allowedNamespaces: namespaces },
    connection,
  };
}

describe('one owner per object', () => {
  it('an environment overlapping another on the same cluster is refused at save, naming it; disjoint namespaces or another cluster pass', async () => {
    const admin = await actor(['ADMIN', 'APPROVER'], 'admin');
    const inline = { kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() };
    await createEnvironmentOp(admin, { name: 'prod', ...settings(['shop', 'payments'], inline) });
    const refused = await createEnvironmentOp(admin, { name: 'dev', ...settings([], inline) }).then(
      () => ({ code: 'created', fieldErrors: [] as { path: string; message: string }[] }),
      (e: { code: string; fieldErrors: { path: string; message: string }[] }) => e,
    );
    expect(refused).toMatchObject({ code: 'UNPROCESSABLE', fieldErrors: [{ path: 'policy.allowedNamespaces' }] });
    expect(refused.fieldErrors[0]!.message).toMatch(
      /^Environment "prod" \(one governs every namespace, the other shop, payments\) already governs/,
    );
    await expect(createEnvironmentOp(admin, { name: 'dev', ...settings(['shop*'], inline) })).rejects.toMatchObject({
      fieldErrors: [{ message: expect.stringContaining('"shop*" overlaps "shop"') }],
    });
    expect(await db().environment.count()).toBe(1);
    const dev = await createEnvironmentOp(admin, { name: 'dev', ...settings(['shop-dev'], inline) });
    // Widening dev later is refused the same way.
    await expect(updateEnvironment(admin, dev.id, settings(['shop-dev', 'payments'], { kind: 'KUBECONFIG_INLINE' }))).rejects.toMatchObject(
      {
        code: 'UNPROCESSABLE',
      },
    );
    const other = await import('@/e2e/fakes/fake-kube-api').then((m) => m.startFakeKubeApi());
    try {
      await createEnvironmentOp(admin, {
        name: 'eu-prod',
        ...settings(['shop'], { kind: 'KUBECONFIG_INLINE', kubeconfig: other.kubeconfig() }),
      });
    } finally {
      await other.stop();
    }
    const rows = await db().environment.findMany({ orderBy: { name: 'asc' } });
    expect(rows.map((r) => [r.name, r.clusterUid !== null])).toEqual([
      ['dev', true],
      ['eu-prod', true],
      ['prod', true],
    ]);
    expect(rows.find((r) => r.name === 'dev')!.clusterUid).toBe(rows.find((r) => r.name === 'prod')!.clusterUid);
    expect(rows.find((r) => r.name === 'eu-prod')!.clusterUid).not.toBe(rows.find((r) => r.name === 'prod')!.clusterUid);
  });

  it('Test connection reveals the shared cluster: the second environment is told which one overlaps', async () => {
    const admin = await actor(['ADMIN'], 'admin');
    const prod = await env({ name: 'prod', policy: { allowedNamespaces: ['shop'] } });
    const dev = await env({ name: 'dev' });
    expect((await testEnvironmentConnection(admin, prod.id)).ok).toBe(true);
    const report = await testEnvironmentConnection(admin, dev.id);
    expect(report.ok).toBe(false);
    expect(report.problems.join(' ')).toContain('Environment "prod" (one governs every namespace, the other shop) already governs');
  });

  it('apply re-checks ownership: once another environment is known to govern the namespace, nothing is written', async () => {
    const admin = await actor(['ADMIN'], 'admin');
    const prod = await env({ name: 'prod', policy: { allowedNamespaces: ['shop'] } });
    const dev = await env({ name: 'dev' });
    const requester = await actor(['REQUESTER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    const cr = await submitChangeRequest(requester, {
      environment: 'prod',
      namespace: 'shop',
      action: 'update',
      title: 'Add /api',
      justification: 'ownership',
      yaml: STOREFRONT_UPDATE,
    });
    await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    await testEnvironmentConnection(admin, prod.id);
    await testEnvironmentConnection(admin, dev.id);
    const before = fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion;
    const result = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 });
    expect(result).toEqual({
      outcome: 'failed',
      message:
        'Namespace "shop" of this cluster is also governed by environment "dev"; one environment must own it before anything is written. Nothing was written.',
    });
    expect(fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion).toBe(before);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('FAILED');
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import type { TActor } from '@/lib/domain/authz/permissions';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { previewRestore, previewRollback, restoreAppliedVersion, rollbackChangeRequest } from '@/lib/server/history/rollback';
import { db, resetDb } from '../helpers';
import { actor, env, reseed, startWorld, STOREFRONT_UPDATE } from './world';

// Issue 11 item 3: rollback pre-approval only for the requester of the change being undone or an
// approver of the environment, only one step back, and only while the live object is what the
// last apply wrote. Everything else becomes an ordinary request, and the preview says which.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

async function applied(requester: TActor, approver: TActor, path: string) {
  const cr = await submitChangeRequest(requester, {
    environment: 'staging',
    namespace: 'shop',
    action: 'update',
    title: `Add ${path}`,
    justification: 'rollback rules',
    yaml: STOREFRONT_UPDATE.replace('path: /api', `path: ${path}`),
  });
  await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
  expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
  return cr;
}

describe('rollback pre-approval', () => {
  it('another requester’s rollback of someone’s change becomes an ordinary request; the requester’s own is pre-approved', async () => {
    await env({ name: 'staging', rollbackPreApproved: true });
    const alice = await actor(['REQUESTER'], 'alice');
    const mallory = await actor(['REQUESTER'], 'mallory');
    const approver = await actor(['APPROVER'], 'approver');
    const cr = await applied(alice, approver, '/api');

    const preview = await previewRollback(mallory, cr.id);
    expect(preview).toMatchObject({
      isPreApproved: false,
      preApprovalReason:
        'Only the person who requested the change being undone, or an approver of this environment, can roll it back without review.',
    });
    const byMallory = await rollbackChangeRequest(mallory, cr.id);
    expect(byMallory.status).toBe('PENDING');
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: byMallory.id } })).toMatchObject({
      autoApproved: false,
      kind: 'ROLLBACK',
    });
    await db().changeRequest.update({ where: { id: byMallory.id }, data: { status: 'CANCELLED' } });

    expect(await previewRollback(alice, cr.id)).toMatchObject({ isPreApproved: true });
    const byAlice = await rollbackChangeRequest(alice, cr.id);
    expect(byAlice.status).toBe('APPROVED');
  });

  it('an approver of the environment (also a requester) may roll back without review', async () => {
    await env({ name: 'staging', rollbackPreApproved: true });
    const alice = await actor(['REQUESTER'], 'alice');
    const lead = await actor(['REQUESTER', 'APPROVER'], 'lead');
    const approver = await actor(['APPROVER'], 'approver');
    const cr = await applied(alice, approver, '/api');
    expect((await rollbackChangeRequest(lead, cr.id)).status).toBe('APPROVED');
  });

  it('only one step back: rolling back an older change, or restoring two versions back, needs review', async () => {
    await env({ name: 'staging', rollbackPreApproved: true });
    const alice = await actor(['REQUESTER'], 'alice');
    const approver = await actor(['APPROVER'], 'approver');
    const first = await applied(alice, approver, '/api');
    const second = await applied(alice, approver, '/v2');
    const versions = await db().appliedVersion.findMany({ orderBy: { appliedAt: 'asc' } });
    expect(versions.map((v) => v.changeRequestId)).toEqual([first.id, second.id]);

    expect(await previewRollback(alice, first.id)).toMatchObject({
      isPreApproved: false,
      preApprovalReason: 'Only a rollback to the immediately previous applied version is pre-approved.',
    });
    expect((await rollbackChangeRequest(alice, first.id)).status).toBe('PENDING');
    await db().changeRequest.updateMany({ where: { kind: 'ROLLBACK' }, data: { status: 'CANCELLED' } });
    // Restoring the version right before the latest is one step back.
    expect(await previewRestore(alice, versions[0]!.id)).toMatchObject({ isPreApproved: true });
    expect((await restoreAppliedVersion(alice, versions[0]!.id)).status).toBe('APPROVED');
  });

  it('the live object changed since the last apply: the rollback needs review', async () => {
    await env({ name: 'staging', rollbackPreApproved: true });
    const alice = await actor(['REQUESTER'], 'alice');
    const approver = await actor(['APPROVER'], 'approver');
    const cr = await applied(alice, approver, '/api');
    fake.mutate('shop', 'storefront', (ing) => {
      (ing.metadata as { annotations: Record<string, string> }).annotations['example.com/owner'] = 'someone-else';
    });
    expect(await previewRollback(alice, cr.id)).toMatchObject({
      isPreApproved: false,
      preApprovalReason: 'The live Ingress changed since the last applied version, so undoing it needs review.',
    });
    expect((await rollbackChangeRequest(alice, cr.id)).status).toBe('PENDING');
  });
});

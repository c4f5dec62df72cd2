import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { demoAccountsForSignIn } from '@/lib/server/auth/demo-accounts';
import { ingressLiveSync } from '@/lib/server/history/live-sync';
import { DEMO_USERS } from '@/lib/server/seed/seed-demo';
import { createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../helpers';
import { applyStorefront, editStorefront, person, reseed, startWorld, team } from '../drift/world';

let fake: FakeKubeApi;
beforeAll(async () => {
  fake = await startWorld();
});
afterAll(async () => fake.stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

describe('ingressLiveSync (the Ingress page badge)', () => {
  it('in sync after an apply; drifted with the fields and who changed them after kubectl edit', async () => {
    const w = await team();
    await applyStorefront(w);
    const before = await ingressLiveSync(w.auditor, { environmentId: w.envId, namespace: 'shop', name: 'storefront' });
    expect(before.state).toBe('IN_SYNC');
    if (!('liveYaml' in before)) throw new Error('expected the live manifest');
    expect(before.liveYaml).toBe(before.approvedYaml);
    expect(before.liveYaml).toContain('name: storefront');

    editStorefront(fake);
    const after = await ingressLiveSync(w.auditor, { environmentId: w.envId, namespace: 'shop', name: 'storefront' });
    expect(after.state).toBe('DRIFTED');
    if (!('liveYaml' in after)) throw new Error('expected the live manifest');
    expect(after.liveYaml).toContain('whitelist-source-range');
    expect(after.approvedYaml).not.toContain('whitelist-source-range');
    expect(after.changedFields).toBe(2);
    expect(after.managers).toContain('kubectl-edit');
  });

  it('never applied through the portal: unmanaged when live, absent when not; unreachable is a state, not an error', async () => {
    const w = await team();
    const unmanaged = await ingressLiveSync(w.requester, { environmentId: w.envId, namespace: 'shop', name: 'storefront' });
    expect(unmanaged.state).toBe('UNMANAGED');
    if (!('liveYaml' in unmanaged)) throw new Error('expected the live manifest');
    expect(unmanaged.approvedYaml).toBeNull();
    expect(unmanaged.liveYaml).toContain('name: storefront');
    expect((await ingressLiveSync(w.requester, { environmentId: w.envId, namespace: 'shop', name: 'nothing-here' })).state).toBe('ABSENT');
    fake.setUnreachable(true);
    try {
      const down = await ingressLiveSync(w.requester, { environmentId: w.envId, namespace: 'shop', name: 'storefront' });
      expect(down).toMatchObject({ state: 'UNREACHABLE', message: expect.stringContaining('prod') });
    } finally {
      fake.setUnreachable(false);
    }
  });

  it('someone who may not see the environment gets not-found, and the cluster is not asked', async () => {
    const w = await team();
    const outsider = await person([], 'outsider');
    fake.clearRequests();
    await expect(ingressLiveSync(outsider, { environmentId: w.envId, namespace: 'shop', name: 'storefront' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(fake.requests()).toHaveLength(0);
  });
});

describe('demoAccountsForSignIn', () => {
  it('lists nothing outside demo mode, even when the demo accounts exist', async () => {
    for (const u of DEMO_USERS) await createUser(db(), u);
    expect(await demoAccountsForSignIn(false)).toBeNull();
  });

  it('in demo mode lists the demo accounts that exist and are active, with the demo password', async () => {
    expect(await demoAccountsForSignIn(true)).toBeNull();
    for (const u of DEMO_USERS) await createUser(db(), { ...u, isActive: u.email !== 'auditor@example.com' });
    const demo = await demoAccountsForSignIn(true);
    expect(demo?.password).toBe('ingress-gate-demo');
    expect(demo?.accounts.map((a) => a.email)).toEqual([
      'requester@example.com',
      'approver1@example.com',
      'approver2@example.com',
      'admin@example.com',
    ]);
  });
});

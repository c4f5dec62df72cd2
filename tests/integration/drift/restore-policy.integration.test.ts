import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { ingressYaml } from '@/e2e/support/manifests';
import { clusterFor } from '@/lib/server/kube/environment-cluster';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { detectDriftOnce } from '@/lib/server/drift/detect-drift-once';
import { restoreApprovedState } from '@/lib/server/drift/restore-approved-state';
import { db, resetDb } from '../helpers';
import { approveAndApply, driftRecord, reseed, startWorld, team } from './world';

let fake: FakeKubeApi;
beforeAll(async () => {
  fake = await startWorld();
});
afterAll(async () => fake.stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

describe('restore approved state under a policy introduced after the approved state', () => {
  it('a TLS breach the live object already has is a warning, not a refusal; the restore is proposed', async () => {
    const w = await team();
    const created = await submitChangeRequest(w.requester, {
      environment: w.envId,
      namespace: 'shop',
      action: 'create',
      title: 'Plain entry',
      justification: 'before TLS was required',
      yaml: ingressYaml({ name: 'plain', namespace: 'shop', host: 'plain.shop.example.com', tls: false, className: 'nginx-public' }),
    });
    expect((await approveAndApply(w, created.id)).outcome).toBe('applied');
    // Later the environment starts requiring TLS, and someone edits the Ingress out of band.
    await db().environment.update({ where: { id: w.envId }, data: { policy: { requireTls: true } } });
    fake.mutate('shop', 'plain', (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations as Record<string, string>), 'oob.example.com/edited': 'yes' };
    });
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'plain'))!;
    expect(record.state).toBe('DRIFTED');

    const restore = await restoreApprovedState(w.requester, record.id).catch((e: Error) => e);
    expect(restore, String(restore)).not.toBeInstanceOf(Error);
    const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: (restore as { id: string }).id } });
    const analysis = revision.analysis as { policy: { violations: unknown[]; warnings: { code: string }[] } };
    expect(analysis.policy.violations).toEqual([]);
    expect(analysis.policy.warnings.map((w) => w.code)).toContain('tls-required');
  });
});

/**
 * The shapes of drift that leave an approved state without TLS to be restored under a TLS policy
 * introduced later (issue 12.3). Each restore returns to a state the environment had approved
 * and applied, so the TLS breach it brings back is pre-existing: a warning, never a refusal —
 * at submission and again in the worker's just-in-time check.
 */
describe('restore approved state: every drift shape under a TLS policy introduced later', () => {
  async function appliedPlain(w: Awaited<ReturnType<typeof team>>) {
    const created = await submitChangeRequest(w.requester, {
      environment: w.envId,
      namespace: 'shop',
      action: 'create',
      title: 'Plain entry',
      justification: 'before TLS was required',
      yaml: ingressYaml({ name: 'plain', namespace: 'shop', host: 'plain.shop.example.com', tls: false, className: 'nginx-public' }),
    });
    expect((await approveAndApply(w, created.id)).outcome).toBe('applied');
    await db().environment.update({ where: { id: w.envId }, data: { policy: { requireTls: true } } });
  }

  async function restoreAndApply(w: Awaited<ReturnType<typeof team>>, state: 'DRIFTED' | 'DELETED') {
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'plain'))!;
    expect(record.state).toBe(state);
    const restore = await restoreApprovedState(w.requester, record.id).catch((e: Error) => e);
    expect(restore, String(restore)).not.toBeInstanceOf(Error);
    const id = (restore as { id: string }).id;
    const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: id } });
    const analysis = revision.analysis as { policy: { violations: unknown[]; warnings: { code: string }[] } };
    expect(analysis.policy.violations).toEqual([]);
    expect(analysis.policy.warnings.map((x) => x.code)).toContain('tls-required');
    const applied = await approveAndApply(w, id);
    expect(applied, JSON.stringify(applied)).toMatchObject({ outcome: 'applied' });
    const live = fake.peek('ingresses', 'shop', 'plain') as { spec: { tls?: unknown; rules: { host: string }[] } } | null;
    expect(live?.spec.rules[0]!.host).toBe('plain.shop.example.com');
    expect(live?.spec.tls).toBeUndefined();
  }

  it('TLS added out of band: restoring the approved state (no TLS) is proposed and applied', async () => {
    const w = await team();
    await appliedPlain(w);
    fake.mutate('shop', 'plain', (o) => {
      (o.spec as Record<string, unknown>).tls = [{ hosts: ['plain.shop.example.com'], secretName: 'oob-tls' }];
    });
    await restoreAndApply(w, 'DRIFTED');
  });

  it('host changed out of band: the approved host comes back without TLS', async () => {
    const w = await team();
    await appliedPlain(w);
    fake.mutate('shop', 'plain', (o) => {
      (o.spec as { rules: { host: string }[] }).rules[0]!.host = 'other.shop.example.com';
    });
    await restoreAndApply(w, 'DRIFTED');
  });

  it('deleted out of band: the restore is a create of the approved state', async () => {
    const w = await team();
    await appliedPlain(w);
    const env = await db().environment.findUniqueOrThrow({ where: { id: w.envId } });
    const live = fake.peek('ingresses', 'shop', 'plain') as { metadata: { resourceVersion: string } };
    await clusterFor(env).deleteIngress('shop', 'plain', live.metadata.resourceVersion);
    await restoreAndApply(w, 'DELETED');
  });

  it('an ordinary change that drops TLS is still refused (the rule is only for returning to an applied state)', async () => {
    const w = await team();
    await appliedPlain(w);
    fake.mutate('shop', 'plain', (o) => {
      (o.spec as Record<string, unknown>).tls = [{ hosts: ['plain.shop.example.com'], secretName: 'oob-tls' }];
    });
    const refused = await submitChangeRequest(w.requester, {
      environment: w.envId,
      namespace: 'shop',
      action: 'update',
      name: 'plain',
      title: 'Drop TLS',
      justification: 'TLS is handled elsewhere now',
      yaml: ingressYaml({ name: 'plain', namespace: 'shop', host: 'plain.shop.example.com', tls: false, className: 'nginx-public' }),
    }).catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/TLS is required/);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { ingressYaml } from '@/e2e/support/manifests';
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

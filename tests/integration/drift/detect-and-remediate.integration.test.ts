import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { contentHash } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { adoptLiveState } from '@/lib/server/drift/adopt-live-state';
import { detectDriftOnce } from '@/lib/server/drift/detect-drift-once';
import type { TDriftDetails } from '@/lib/server/drift/drift-details';
import { listDrift } from '@/lib/server/drift/list-drift';
import { restoreApprovedState } from '@/lib/server/drift/restore-approved-state';
import { AppError } from '@/lib/server/errors';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db, resetDb } from '../helpers';
import {
  applyStorefront,
  approveAndApply,
  auditCount,
  driftRecord,
  editStorefront,
  person,
  reseed,
  role,
  startWorld,
  STOREFRONT,
  team,
} from './world';

let fake: FakeKubeApi;
beforeAll(async () => {
  fake = await startWorld();
});
afterAll(async () => fake.stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

async function expectAppError(p: Promise<unknown>, code: AppError['code'], message?: RegExp): Promise<AppError> {
  try {
    await p;
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(AppError);
    expect((error as AppError).code, (error as AppError).message).toBe(code);
    if (message) expect((error as AppError).message).toMatch(message);
    return error as AppError;
  }
  throw new Error(`expected AppError ${code}, but it succeeded`);
}

const liveHash = (ns: string, name: string) => contentHash(fake.peek('ingresses', ns, name) as unknown as TIngress);

describe('detection', () => {
  it('an Ingress applied through the portal is in sync; its untouched neighbour is UNMANAGED; other namespaces are ignored', async () => {
    const w = await team();
    await applyStorefront(w);
    const summary = await detectDriftOnce(w.envId);
    expect(summary.states).toEqual({ IN_SYNC: 1, DRIFTED: 0, DELETED: 0, UNMANAGED: 1 });
    expect((await driftRecord(w.envId, 'shop', 'storefront'))?.state).toBe('IN_SYNC');
    expect((await driftRecord(w.envId, 'shop', 'shop-admin'))?.state).toBe('UNMANAGED');
    expect(await driftRecord(w.envId, 'payments', 'checkout')).toBeNull();
  });

  it('policy.allowedNamespaces makes a namespace managed before anything is applied there', async () => {
    const w = await team({ policy: { allowedNamespaces: ['pay*'] } });
    const summary = await detectDriftOnce(w.envId);
    expect(summary.states.UNMANAGED).toBe(2);
    expect((await driftRecord(w.envId, 'payments', 'checkout'))?.state).toBe('UNMANAGED');
    expect(await driftRecord(w.envId, 'shop', 'storefront')).toBeNull();
  });

  it('an out-of-band edit becomes DRIFTED with the changed fields, the manager that made them, findings, and exactly one audit event', async () => {
    const w = await team();
    await applyStorefront(w);
    await detectDriftOnce(w.envId);
    const edited = editStorefront(fake);

    const first = await detectDriftOnce(w.envId);
    expect(first.detected).toBe(1);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;
    expect(record.state).toBe('DRIFTED');
    expect(record.liveResourceVersion).toBe(edited.metadata.resourceVersion);
    const details = record.details as unknown as TDriftDetails;
    expect(details.fields.map((f) => [f.path, f.change, f.before, f.after])).toEqual([
      ['metadata.annotations[nginx.ingress.kubernetes.io/whitelist-source-range]', 'added', null, '0.0.0.0/0'],
      ['spec.rules[0].http.paths[0].backend.service.port.number', 'changed', 80, 8080],
    ]);
    expect(details.fields.every((f) => f.manager?.manager === 'kubectl-edit')).toBe(true);
    expect(details.managers).toEqual(['kubectl-edit']);
    expect(details.liveHash).toBe(liveHash('shop', 'storefront'));
    const ruleIds = details.analysis!.findings.map((f) => f.ruleId);
    expect(ruleIds).toContain('drift-detected');
    expect(details.analysis!.baseYaml).toContain('number: 80');
    expect(details.analysis!.proposedYaml).toContain('number: 8080');

    // Polling again (and again) re-reports nothing.
    await detectDriftOnce(w.envId);
    await detectDriftOnce(w.envId);
    expect(await auditCount('drift.detected', 'storefront')).toBe(1);
    // …and notifies once (issue 16: the outbox row is written with the audit event).
    expect(
      await db().notificationEvent.count({ where: { kind: 'drift-detected', details: { path: ['ingressName'], equals: 'storefront' } } }),
    ).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: 'drift.detected', ingressName: 'storefront' } });
    expect(event.actorLabel).toBe('worker');
    expect(event.details).toMatchObject({
      state: 'DRIFTED',
      reason: 'changed',
      managers: ['kubectl-edit'],
      live: { resourceVersion: edited.metadata.resourceVersion },
    });

    // A second, different out-of-band edit is a new detection.
    fake.mutate('shop', 'storefront', (o) => void (o.metadata.labels = { ...o.metadata.labels, hotfix: 'yes' }));
    await detectDriftOnce(w.envId);
    expect(await auditCount('drift.detected', 'storefront')).toBe(2);
    expect(
      await db().notificationEvent.count({ where: { kind: 'drift-detected', details: { path: ['ingressName'], equals: 'storefront' } } }),
    ).toBe(2);
  });

  it("the portal's own write, live before its AppliedVersion commits, is deferred and never reported", async () => {
    const w = await team();
    await applyStorefront(w);
    await detectDriftOnce(w.envId);
    const next = STOREFRONT.replace('number: 8080', 'number: 8081');
    const change = await submitChangeRequest(w.requester, {
      environment: w.envId,
      namespace: 'shop',
      action: 'update',
      title: 'Move cart port',
      justification: 'New port',
      yaml: next,
    });
    await reviewChangeRequest(w.approver, change.id, { decision: 'APPROVE', revision: 1 });
    // The worker's state between its write and its commit: APPLYING, the new object live, no AppliedVersion yet.
    await db().changeRequest.update({ where: { id: change.id }, data: { status: 'APPLYING' } });
    const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: change.id } });
    const { clusterFor } = await import('@/lib/server/kube/environment-cluster');
    await clusterFor(await db().environment.findUniqueOrThrow({ where: { id: w.envId } })).updateIngress(
      revision.proposedManifest as unknown as TIngress,
      revision.baseResourceVersion!,
    );

    const during = await detectDriftOnce(w.envId);
    expect(during.deferred).toEqual([{ namespace: 'shop', name: 'storefront' }]);
    expect((await driftRecord(w.envId, 'shop', 'storefront'))!.state).toBe('IN_SYNC');

    // The worker (here: the real apply, which reconciles a write whose record is missing) commits.
    await db().changeRequest.update({ where: { id: change.id }, data: { status: 'APPROVED' } });
    expect(await applyChangeRequest({ changeRequestId: change.id, revision: 1 })).toMatchObject({ outcome: 'applied', reconciled: true });
    const after = await detectDriftOnce(w.envId);
    expect(after.deferred).toEqual([]);
    expect((await driftRecord(w.envId, 'shop', 'storefront'))!.state).toBe('IN_SYNC');
    expect(await auditCount('drift.detected', 'storefront')).toBe(0);
  });

  it('status and server-set fields changing is not drift', async () => {
    const w = await team();
    await applyStorefront(w);
    await detectDriftOnce(w.envId);
    fake.mutate('shop', 'storefront', (o) => void (o.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } }));
    await detectDriftOnce(w.envId);
    expect((await driftRecord(w.envId, 'shop', 'storefront'))?.state).toBe('IN_SYNC');
    expect(await auditCount('drift.detected', 'storefront')).toBe(0);
  });

  it('an Ingress deleted outside the portal is DELETED', async () => {
    const w = await team();
    await applyStorefront(w);
    const client = (await import('@/lib/server/kube/environment-cluster')).clusterFor(
      await db().environment.findUniqueOrThrow({ where: { id: w.envId } }),
    );
    const live = fake.peek('ingresses', 'shop', 'storefront')!;
    await client.deleteIngress('shop', 'storefront', live.metadata.resourceVersion);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;
    expect(record.state).toBe('DELETED');
    expect(record.liveManifest).toBeNull();
    expect((record.details as unknown as TDriftDetails).analysis!.findings.map((f) => f.ruleId)).toContain('ingress-deleted');
    expect(await auditCount('drift.detected', 'storefront')).toBe(1);
  });

  it('an unreachable cluster is a 503 and changes nothing', async () => {
    const w = await team();
    await applyStorefront(w);
    fake.setUnreachable(true);
    try {
      await expectAppError(detectDriftOnce(w.envId), 'CLUSTER_UNAVAILABLE');
    } finally {
      fake.setUnreachable(false);
    }
    expect(await db().driftRecord.count()).toBe(0);
  });
});

describe('restore approved state', () => {
  it('pre-approved when the environment pre-approves rollbacks: the apply re-writes the approved manifest and the drift resolves', async () => {
    const w = await team({ rollbackPreApproved: true });
    const original = await applyStorefront(w);
    const approved = await db().appliedVersion.findFirstOrThrow({ where: { changeRequestId: original.id } });
    editStorefront(fake);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;

    const restore = await restoreApprovedState(w.requester, record.id);
    expect(restore.status).toBe('APPROVED');
    const request = await db().changeRequest.findUniqueOrThrow({ where: { id: restore.id } });
    expect(request).toMatchObject({ kind: 'RESTORE', action: 'UPDATE', namespace: 'shop', ingressName: 'storefront' });
    expect(request.justification).toMatch(/changed outside the portal by kubectl-edit/);
    expect(((await driftRecord(w.envId, 'shop', 'storefront'))!.details as unknown as TDriftDetails).remediation).toMatchObject({
      kind: 'RESTORE',
      changeRequestId: restore.id,
    });
    // A second click while the first request is open does not make a duplicate.
    await expectAppError(restoreApprovedState(w.requester, record.id), 'CONFLICT', new RegExp(`#${restore.number}`));

    const result = await applyChangeRequest({ changeRequestId: restore.id, revision: 1 });
    expect(result.outcome).toBe('applied');
    expect(liveHash('shop', 'storefront')).toBe(approved.contentHash);
    expect(fake.peek('ingresses', 'shop', 'storefront')!.metadata.annotations).not.toHaveProperty(
      'nginx.ingress.kubernetes.io/whitelist-source-range',
    );

    const after = await detectDriftOnce(w.envId);
    expect(after.resolved).toBe(1);
    const resolved = (await driftRecord(w.envId, 'shop', 'storefront'))!;
    expect(resolved.state).toBe('IN_SYNC');
    expect((resolved.details as unknown as TDriftDetails).remediation).toBeNull();
    expect(await auditCount('drift.resolved', 'storefront')).toBe(1);
    expect(await auditCount('drift.detected', 'storefront')).toBe(1);
  });

  it('needs approval when the environment does not pre-approve rollbacks', async () => {
    const w = await team({ rollbackPreApproved: false });
    await applyStorefront(w);
    editStorefront(fake);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;
    const restore = await restoreApprovedState(w.requester, record.id, { reason: 'Someone opened the allowlist by hand.' });
    expect(restore.status).toBe('PENDING');
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: restore.id } })).justification).toBe(
      'Someone opened the allowlist by hand.',
    );
  });

  it('an Ingress deleted outside the portal is restored by a create', async () => {
    const w = await team({ rollbackPreApproved: true });
    await applyStorefront(w);
    const approvedHash = liveHash('shop', 'storefront');
    const rv = fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion;
    const { clusterFor } = await import('@/lib/server/kube/environment-cluster');
    await clusterFor(await db().environment.findUniqueOrThrow({ where: { id: w.envId } })).deleteIngress('shop', 'storefront', rv);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;
    const restore = await restoreApprovedState(w.requester, record.id);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: restore.id } })).action).toBe('CREATE');
    expect((await applyChangeRequest({ changeRequestId: restore.id, revision: 1 })).outcome).toBe('applied');
    expect(liveHash('shop', 'storefront')).toBe(approvedHash);
    await detectDriftOnce(w.envId);
    expect((await driftRecord(w.envId, 'shop', 'storefront'))!.state).toBe('IN_SYNC');
  });

  it('an UNMANAGED Ingress has no approved state to restore', async () => {
    const w = await team();
    await applyStorefront(w);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'shop-admin'))!;
    await expectAppError(restoreApprovedState(w.requester, record.id), 'CONFLICT', /import it instead/);
  });
});

describe('adopt live state and import', () => {
  it('adopt creates a normal reviewable request whose proposed manifest is the live object; once applied the drift resolves', async () => {
    const w = await team({ rollbackPreApproved: true });
    await applyStorefront(w);
    editStorefront(fake);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;

    const adopt = await adoptLiveState(w.requester, record.id);
    // Never pre-approved: the out-of-band change gets reviewed like any change.
    expect(adopt.status).toBe('PENDING');
    const request = await db().changeRequest.findUniqueOrThrow({ where: { id: adopt.id }, include: { revisions: true } });
    expect(request).toMatchObject({ kind: 'ADOPT', action: 'UPDATE', title: 'Adopt live state of shop/storefront' });
    const revision = request.revisions[0]!;
    expect(contentHash(revision.proposedManifest as unknown as TIngress)).toBe(liveHash('shop', 'storefront'));
    expect(revision.baseResourceVersion).toBe(record.liveResourceVersion);
    expect(((await driftRecord(w.envId, 'shop', 'storefront'))!.details as unknown as TDriftDetails).remediation).toMatchObject({
      kind: 'ADOPT',
      changeRequestId: adopt.id,
      number: adopt.number,
    });
    await expectAppError(adoptLiveState(w.requester, record.id), 'CONFLICT');

    expect((await approveAndApply(w, adopt.id)).outcome).toBe('applied');
    const applied = await db().appliedVersion.findFirstOrThrow({ where: { changeRequestId: adopt.id } });
    expect(applied.contentHash).toBe(liveHash('shop', 'storefront'));
    await detectDriftOnce(w.envId);
    expect((await driftRecord(w.envId, 'shop', 'storefront'))!.state).toBe('IN_SYNC');
  });

  it('an unmanaged Ingress can be imported: a request titled Import, reviewed, applied, then tracked in sync', async () => {
    const w = await team();
    await applyStorefront(w);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'shop-admin'))!;
    expect(record.state).toBe('UNMANAGED');
    const imported = await adoptLiveState(w.requester, record.id);
    const request = await db().changeRequest.findUniqueOrThrow({ where: { id: imported.id } });
    expect(request).toMatchObject({ kind: 'ADOPT', title: 'Import shop/shop-admin', status: 'PENDING' });
    expect((await approveAndApply(w, imported.id)).outcome).toBe('applied');
    await detectDriftOnce(w.envId);
    expect((await driftRecord(w.envId, 'shop', 'shop-admin'))!.state).toBe('IN_SYNC');
    expect(await auditCount('drift.resolved', 'shop-admin')).toBe(1);
  });

  it('a DELETED Ingress cannot be adopted', async () => {
    const w = await team();
    await applyStorefront(w);
    const rv = fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion;
    const { clusterFor } = await import('@/lib/server/kube/environment-cluster');
    await clusterFor(await db().environment.findUniqueOrThrow({ where: { id: w.envId } })).deleteIngress('shop', 'storefront', rv);
    await detectDriftOnce(w.envId);
    await expectAppError(
      adoptLiveState(w.requester, (await driftRecord(w.envId, 'shop', 'storefront'))!.id),
      'CONFLICT',
      /no longer exists/,
    );
  });
});

describe('who may see and remediate drift', () => {
  it('auditors see drift but cannot remediate; people of another environment get 404; nobody else sees anything', async () => {
    const w = await team();
    await applyStorefront(w);
    editStorefront(fake);
    await detectDriftOnce(w.envId);
    const record = (await driftRecord(w.envId, 'shop', 'storefront'))!;

    const page = await listDrift(w.auditor);
    expect(page.selected?.name).toBe('prod');
    expect(page.records.map((r) => [r.namespace, r.ingressName, r.state])).toEqual([
      ['shop', 'storefront', 'DRIFTED'],
      ['shop', 'shop-admin', 'UNMANAGED'],
    ]);
    expect(page.permissions).toEqual({ canRemediate: false, canRestore: false, canAdopt: false });
    expect(page.environments[0]!.counts).toMatchObject({ DRIFTED: 1, UNMANAGED: 1, IN_SYNC: 0 });
    await expectAppError(restoreApprovedState(w.auditor, record.id), 'FORBIDDEN');
    await expectAppError(adoptLiveState(w.approver, record.id), 'FORBIDDEN');

    await db().environment.create({ data: { name: 'staging' } });
    const stranger = await person([role('REQUESTER', 'staging')], 'stranger');
    await expectAppError(restoreApprovedState(stranger, record.id), 'NOT_FOUND');
    await expectAppError(listDrift(stranger, 'prod'), 'NOT_FOUND');
    expect((await listDrift(stranger)).records).toEqual([]);
    const nobody = await person([], 'nobody');
    await expectAppError(listDrift(nobody), 'FORBIDDEN');
    await expectAppError(restoreApprovedState(null, record.id), 'UNAUTHENTICATED');

    const requesterPage = await listDrift(w.requester, 'prod');
    expect(requesterPage.permissions).toEqual({ canRemediate: true, canRestore: true, canAdopt: true });
    expect(await db().changeRequest.count({ where: { kind: { in: ['RESTORE', 'ADOPT'] } } })).toBe(0);
  });
});

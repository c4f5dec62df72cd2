import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { cancelChangeRequest } from '@/lib/server/change-requests/cancel-change-request';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { rebaseChangeRequest, reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { expireChangeRequests } from '@/lib/server/change-requests/expire-change-requests';
import { rollbackChangeRequest } from '@/lib/server/history/rollback';
import { AppError } from '@/lib/server/errors';
import { canonicalYaml, contentHash } from '@/lib/domain/ingress/normalise-ingress';
import { SANDBOX_INGRESSES } from '@/sandbox/sandbox-seed';
import type { TIngress } from '@/lib/domain/ingress/types';
import { createKubeClient } from '@/lib/server/kube/kube-client';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { actor, env, jobsFor, newIngressYaml, reseed, role, startWorld, STOREFRONT_UPDATE } from './world';

let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ fake, stop } = await startWorld());
});
afterAll(async () => stop());
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

const writes = () =>
  fake
    .requests()
    .filter((r) => ['POST', 'PUT', 'DELETE'].includes(r.method) && r.query.dryRun === undefined && r.path.includes('/ingresses'));

async function submitUpdate(requester: Awaited<ReturnType<typeof actor>>, environment = 'prod') {
  return submitChangeRequest(requester, {
    environment,
    namespace: 'shop',
    action: 'update',
    title: 'Add cart API',
    justification: 'Checkout needs it',
    yaml: STOREFRONT_UPDATE,
  });
}

async function submitCreate(requester: Awaited<ReturnType<typeof actor>>, name: string, environment = 'prod') {
  return submitChangeRequest(requester, {
    environment,
    namespace: 'shop',
    action: 'create',
    title: `New ${name}`,
    justification: 'a new entry point',
    yaml: newIngressYaml(name, `${name}.example.com`),
  });
}

describe('submit', () => {
  it('stores revision 1 with the live base, analysis and an audit event; nothing is written to the cluster', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const created = await submitUpdate(requester);
    expect(created.status).toBe('PENDING');
    const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: created.id } });
    expect(revision.number).toBe(1);
    expect(revision.baseResourceVersion).toBe(fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion);
    expect(revision.proposedYaml).toContain('/api');
    expect(revision.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await db().auditEvent.count({ where: { changeRequestId: created.id, action: 'change-request.submitted' } })).toBe(1);
    expect(writes()).toEqual([]);
    expect(fake.requests().some((r) => r.method === 'PUT' && r.query.dryRun === 'All')).toBe(true);
  });

  it.each([
    ['YAML syntax error, with its line', { yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: [' }, 'UNPROCESSABLE'],
    ['another kind', { yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n' }, 'UNPROCESSABLE'],
    ['missing title', { title: '' }, 'INVALID_INPUT'],
    ['create of an existing Ingress', { action: 'create' }, 'CONFLICT'],
    ['update of a missing Ingress', { yaml: newIngressYaml('nope', 'nope.example.com') }, 'NOT_FOUND'],
    ['unknown environment', { environment: 'mars' }, 'NOT_FOUND'],
    ['bad namespace', { namespace: 'Shop!' }, 'UNPROCESSABLE'],
    // Issue 13, class 1: a NUL reached the database (and failed there) through every source.
    ['a raw NUL in the YAML', { yaml: STOREFRONT_UPDATE.replace('name: storefront', 'name: store\u0000front') }, 'UNPROCESSABLE'],
    ['a NUL written as a YAML escape', { yaml: STOREFRONT_UPDATE.replace('"true"', '"tr\\0ue"') }, 'UNPROCESSABLE'],
    [
      'a NUL in a form annotation',
      {
        yaml: undefined,
        form: {
          name: 'storefront',
          ingressClassName: 'nginx-public',
          rules: [{ host: 'shop.example.com', paths: [{ path: '/', pathType: 'Prefix', serviceName: 'storefront', servicePort: '80' }] }],
          annotations: [{ key: 'example.com/note', value: 'a\u0000b' }],
        },
      },
      'UNPROCESSABLE',
    ],
  ])('refuses %s and stores nothing', async (_name, patch, code) => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    await expectAppError(
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'update',
        title: 'Title',
        justification: 'Because',
        yaml: STOREFRONT_UPDATE,
        ...patch,
      }),
      code as AppError['code'],
    );
    expect(await db().changeRequest.count()).toBe(0);
    expect(await db().auditEvent.count()).toBe(0);
  });

  it('reports YAML problems with path and line', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const error = await expectAppError(
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'create',
        title: 'New',
        justification: 'x y z',
        yaml: newIngressYaml('fresh', 'fresh.example.com').replace('number: 80', 'number: 70000'),
      }),
      'UNPROCESSABLE',
    );
    expect(error.fieldErrors).toContainEqual(
      expect.objectContaining({ path: 'spec.rules[0].http.paths[0].backend.service.port.number', line: expect.any(Number) }),
    );
  });

  it('blocks a policy violation with the reason', async () => {
    await env({ name: 'prod', policy: { allowedHostPatterns: ['*.internal.example.com'] } });
    const requester = await actor(['REQUESTER']);
    const error = await expectAppError(
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'create',
        title: 'New',
        justification: 'x y z',
        yaml: newIngressYaml('fresh', 'fresh.example.com'),
      }),
      'UNPROCESSABLE',
      /policy/,
    );
    expect(error.fieldErrors.length).toBeGreaterThan(0);
    expect(await db().changeRequest.count()).toBe(0);
  });

  it('auto-approves and enqueues in one transaction when the change is on the environment’s low-risk list', async () => {
    await env({
      name: 'dev',
      autoApproveEnabled: true,
      policy: { autoApproveMaxSeverity: 'info', autoApprove: { annotations: ['nginx.ingress.kubernetes.io/proxy-body-size'] } },
    });
    const requester = await actor(['REQUESTER']);
    // The live shop/storefront plus one path on a host it serves, to a Service it already uses.
    const live = structuredClone(SANDBOX_INGRESSES[0]) as unknown as TIngress;
    delete (live as { status?: unknown }).status;
    live.spec.rules![0]!.http!.paths.push({
      path: '/gift-cards',
      pathType: 'Prefix',
      backend: { service: { name: 'storefront', port: { number: 80 } } },
    });
    const created = await submitChangeRequest(requester, {
      environment: 'dev',
      namespace: 'shop',
      action: 'update',
      title: 'Gift cards page',
      justification: 'x y z',
      yaml: canonicalYaml(live),
    });
    expect(created.status).toBe('APPROVED');
    expect(await jobsFor(created.id)).toBe(1);
    const approved = await db().auditEvent.findFirstOrThrow({ where: { changeRequestId: created.id, action: 'change-request.approved' } });
    expect(approved.details).toMatchObject({ mode: 'auto-approve' });
  });

  it('never auto-approves what the low-risk list does not name, even without findings (a new Ingress, an old "medium" threshold)', async () => {
    await env({ name: 'dev', autoApproveEnabled: true, policy: { autoApproveMaxSeverity: 'medium' } });
    const requester = await actor(['REQUESTER']);
    const created = await submitChangeRequest(requester, {
      environment: 'dev',
      namespace: 'shop',
      action: 'create',
      title: 'New',
      justification: 'x y z',
      yaml: newIngressYaml('fresh', 'fresh.example.com'),
    });
    expect(created.status).toBe('PENDING');
    expect(await jobsFor(created.id)).toBe(0);
  });
});

describe('review and quorum', () => {
  it('needs the environment’s count of distinct approvers; the second approval approves and enqueues exactly once', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const [a, b] = [await actor([role('APPROVER', 'prod')]), await actor(['APPROVER'])];
    const cr = await submitUpdate(requester);
    expect(await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 })).toMatchObject({ status: 'PENDING' });
    expect(await jobsFor(cr.id)).toBe(0);
    expect((await getChangeRequest(requester, cr.id)).approval).toMatchObject({ required: 2, missing: 1 });
    expect(await reviewChangeRequest(b, cr.id, { decision: 'APPROVE', revision: 1 })).toMatchObject({ status: 'APPROVED' });
    expect(await jobsFor(cr.id)).toBe(1);
  });

  it('refuses self-approval through the operation, even for a requester who is also an approver', async () => {
    await env({ name: 'prod' });
    const both = await actor(['REQUESTER', 'APPROVER']);
    const cr = await submitUpdate(both);
    await expectAppError(reviewChangeRequest(both, cr.id, { decision: 'APPROVE', revision: 1 }), 'FORBIDDEN', /You requested this change/);
    expect(await db().review.count()).toBe(0);
  });

  it.each([
    [
      'an approver scoped to another environment',
      () => actor([role('APPROVER', 'staging'), role('REQUESTER', 'prod')]),
      'FORBIDDEN',
      /not an approver in prod/,
    ],
    [
      'someone who cannot see prod at all (404, not 403)',
      () => actor([role('APPROVER', 'staging')]),
      'NOT_FOUND',
      /No such change request/,
    ],
    ['an auditor', () => actor(['AUDITOR']), 'FORBIDDEN', /not an approver/],
    ['an admin without the approver role', () => actor(['ADMIN']), 'FORBIDDEN', /not an approver/],
  ])('refuses %s', async (_n, make, code, message) => {
    await env({ name: 'prod' });
    await env({ name: 'staging' });
    const requester = await actor(['REQUESTER']);
    const cr = await submitUpdate(requester);
    await expectAppError(reviewChangeRequest(await make(), cr.id, { decision: 'APPROVE', revision: 1 }), code as AppError['code'], message);
  });

  it('refuses a second review by the same person, a review of an old revision, and a review of a closed request', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const a = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 });
    await expectAppError(reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 }), 'CONFLICT', /already approved revision 1/);
    await reviseChangeRequest(requester, cr.id, { yaml: STOREFRONT_UPDATE.replace('/api', '/api/v2') });
    await expectAppError(reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 }), 'CONFLICT', /no longer current/);
    await cancelChangeRequest(requester, cr.id, 'not needed');
    await expectAppError(reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 2 }), 'CONFLICT', /cancelled/);
  });

  it('a revision resets approvals: approvals on revision 1 do not count for revision 2', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const [a, b] = [await actor(['APPROVER']), await actor(['APPROVER'])];
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 });
    await reviseChangeRequest(requester, cr.id, { yaml: STOREFRONT_UPDATE.replace('/api', '/api/v2'), note: 'rename' });
    expect((await getChangeRequest(requester, cr.id)).approval).toMatchObject({ approvals: [], missing: 2 });
    expect(await reviewChangeRequest(b, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'PENDING' });
    expect(await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'APPROVED' });
  });

  it('a rejection closes the request; a revision reopens it', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const a = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    await expectAppError(reviewChangeRequest(a, cr.id, { decision: 'REJECT', revision: 1, comment: '' }), 'INVALID_INPUT');
    expect(await reviewChangeRequest(a, cr.id, { decision: 'REJECT', revision: 1, comment: 'wrong backend' })).toMatchObject({
      status: 'REJECTED',
    });
    expect(await reviseChangeRequest(requester, cr.id, { yaml: STOREFRONT_UPDATE.replace('/api', '/api/v2') })).toMatchObject({
      status: 'PENDING',
      revision: 2,
    });
    expect(await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'APPROVED' });
  });

  it('50 concurrent approvals: no vote lost, exactly one APPROVED transition and one job', async () => {
    await env({ name: 'prod', requiredApprovals: 10 });
    const requester = await actor(['REQUESTER']);
    const approvers = await Promise.all(Array.from({ length: 50 }, (_, i) => actor(['APPROVER'], `approver${i}`)));
    const cr = await submitUpdate(requester);
    const results = await Promise.allSettled(approvers.map((a) => reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect((r.reason as AppError).message).toMatch(/approved; only pending requests can be reviewed/);
    expect(await db().review.count({ where: { changeRequestId: cr.id } })).toBe(ok.length);
    expect(ok.length).toBeGreaterThanOrEqual(10);
    expect(await db().auditEvent.count({ where: { changeRequestId: cr.id, action: 'change-request.approved' } })).toBe(1);
    expect(await jobsFor(cr.id)).toBe(1);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('APPROVED');
  }, 60_000);
});

describe('apply (the worker’s job, run inline)', () => {
  async function approved(requiredApprovals = 1) {
    await env({ name: 'prod', requiredApprovals });
    const requester = await actor(['REQUESTER']);
    const approver = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    return { cr, requester, approver };
  }

  it('writes once with the base resourceVersion as precondition and records the applied version', async () => {
    const { cr } = await approved();
    const result = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 });
    expect(result).toMatchObject({ outcome: 'applied', reconciled: false });
    const live = fake.peek('ingresses', 'shop', 'storefront')!;
    expect(JSON.stringify(live)).toContain('/api');
    const puts = writes();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ method: 'PUT', query: expect.objectContaining({ fieldManager: 'ingress-gate' }) });
    const version = await db().appliedVersion.findFirstOrThrow({ where: { changeRequestId: cr.id } });
    expect(version.resourceVersion).toBe(live.metadata.resourceVersion);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('APPLIED');
    // A duplicate delivery of the same job writes nothing more.
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'skipped' });
    expect(writes()).toHaveLength(1);
  });

  it('a live object changed between approval and apply ends STALE with nothing written; rebase needs new approvals', async () => {
    const { cr, requester, approver } = await approved();
    fake.mutate('shop', 'storefront', (o) => {
      (o.metadata as { annotations: Record<string, string> }).annotations['nginx.ingress.kubernetes.io/proxy-body-size'] = '64m';
    });
    const result = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 });
    expect(result).toMatchObject({ outcome: 'stale' });
    expect(writes()).toEqual([]);
    const stale = await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } });
    expect(stale.status).toBe('STALE');
    expect(stale.statusReason).toMatch(/changed in the cluster after review: .*kubectl-edit/);
    await expectAppError(rebaseChangeRequest(approver, cr.id), 'FORBIDDEN');
    const movedTo = fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion;
    expect(await rebaseChangeRequest(requester, cr.id)).toMatchObject({ status: 'PENDING', revision: 2 });
    // The new revision is based on the moved object, so its diff shows the out-of-band change being undone.
    const rev2 = await db().revision.findFirstOrThrow({ where: { changeRequestId: cr.id, number: 2 } });
    expect(rev2.baseResourceVersion).toBe(movedTo);
    expect(rev2.baseYaml).toContain('64m');
    expect(await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'APPROVED' });
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 2 })).toMatchObject({ outcome: 'applied' });
    expect(JSON.stringify(fake.peek('ingresses', 'shop', 'storefront'))).toContain('/api');
  });

  it('an unreachable cluster: waits with backoff, then applies once it is back', async () => {
    const { cr } = await approved();
    fake.setUnreachable(true);
    const first = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { backoffMs: () => 10 });
    expect(first).toMatchObject({ outcome: 'retry' });
    const waiting = await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } });
    expect(waiting).toMatchObject({ status: 'APPROVED', applyAttempts: 1 });
    expect(waiting.statusReason).toMatch(/^Waiting for cluster/);
    expect(waiting.nextAttemptAt).not.toBeNull();
    expect(await jobsFor(cr.id)).toBe(1);
    fake.setUnreachable(false);
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
    expect(writes()).toHaveLength(1);
  });

  it('an API server 4xx ends FAILED with its message', async () => {
    const { cr } = await approved();
    fake.failNext({ method: 'PUT', path: /storefront$/ }, 403);
    // The dry-run in submit already happened; the next PUT is the real write.
    const result = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 });
    expect(result).toMatchObject({ outcome: 'failed' });
    const failed = await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } });
    expect(failed.status).toBe('FAILED');
    expect(failed.statusReason).toMatch(/refused/);
  });

  it('a write whose record was lost (worker died after the PUT) is reconciled, not written twice', async () => {
    const { cr } = await approved();
    // The PUT reaches the server and is carried out, but the client gives up before the answer
    // (as if the worker died mid-request): the outcome of the first attempt is unknown to it.
    const client = createKubeClient({ kind: 'SANDBOX', server: fake.url, token: fake.token }, { timeoutMs: 300 });
    fake.delay(800, { method: 'PUT', path: /storefront$/ });
    const first = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { backoffMs: () => 10, client });
    expect(first.outcome).toBe('retry');
    fake.delay(0);
    await new Promise((r) => setTimeout(r, 900));
    const second = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { client });
    expect(second).toMatchObject({ outcome: 'applied', reconciled: true });
    expect(writes().filter((w) => w.method === 'PUT')).toHaveLength(1);
    expect(await db().appliedVersion.count({ where: { changeRequestId: cr.id } })).toBe(1);
  });

  it('approvals that stopped counting (approver lost the role) send the request back to review', async () => {
    const { cr, approver } = await approved();
    await db().roleAssignment.deleteMany({ where: { userId: approver.id } });
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'reopened' });
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('PENDING');
    expect(writes()).toEqual([]);
  });

  it('a cancelled request’s queued job writes nothing', async () => {
    const { cr, requester } = await approved();
    await cancelChangeRequest(requester, cr.id, 'changed my mind');
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'skipped' });
    expect(writes()).toEqual([]);
  });

  it('create and delete go through the same path', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const approver = await actor(['APPROVER']);
    const create = await submitCreate(requester, 'promo');
    await reviewChangeRequest(approver, create.id, { decision: 'APPROVE', revision: 1 });
    expect(await applyChangeRequest({ changeRequestId: create.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
    expect(fake.peek('ingresses', 'shop', 'promo')).not.toBeNull();
    const del = await submitChangeRequest(requester, {
      environment: 'prod',
      namespace: 'shop',
      name: 'promo',
      action: 'delete',
      title: 'Remove promo',
      justification: 'campaign over',
    });
    await reviewChangeRequest(approver, del.id, { decision: 'APPROVE', revision: 1 });
    expect(await applyChangeRequest({ changeRequestId: del.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
    expect(fake.peek('ingresses', 'shop', 'promo')).toBeNull();
  });
});

describe('rollback', () => {
  it('restores the earlier manifest; pre-approved when the environment says so', async () => {
    await env({ name: 'prod', rollbackPreApproved: true });
    const requester = await actor(['REQUESTER']);
    const approver = await actor(['APPROVER']);
    const liveHash = () => contentHash(fake.peek('ingresses', 'shop', 'storefront') as unknown as TIngress);
    const original = liveHash();
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
    await applyChangeRequest({ changeRequestId: cr.id, revision: 1 });
    expect(liveHash()).not.toBe(original);
    const rollback = await rollbackChangeRequest(requester, cr.id, { reason: 'broke checkout' });
    expect(rollback.status).toBe('APPROVED');
    const row = await db().changeRequest.findUniqueOrThrow({ where: { id: rollback.id } });
    expect(row).toMatchObject({ kind: 'ROLLBACK', rollbackOfId: cr.id, autoApproved: true });
    expect(await applyChangeRequest({ changeRequestId: rollback.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
    expect(liveHash()).toBe(original);
    expect(await db().auditEvent.count({ where: { changeRequestId: rollback.id, action: 'change-request.rollback-proposed' } })).toBe(1);
  });

  it('goes through review when rollbacks are not pre-approved; rolling back a create deletes', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const approver = await actor(['APPROVER']);
    const create = await submitCreate(requester, 'promo');
    await reviewChangeRequest(approver, create.id, { decision: 'APPROVE', revision: 1 });
    await applyChangeRequest({ changeRequestId: create.id, revision: 1 });
    const rollback = await rollbackChangeRequest(requester, create.id);
    expect(rollback.status).toBe('PENDING');
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: rollback.id } })).action).toBe('DELETE');
    await reviewChangeRequest(approver, rollback.id, { decision: 'APPROVE', revision: 1 });
    await applyChangeRequest({ changeRequestId: rollback.id, revision: 1 });
    expect(fake.peek('ingresses', 'shop', 'promo')).toBeNull();
  });
});

describe('comments, visibility, expiry', () => {
  it('anchors a comment to a line and refuses one past the end', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const auditor = await actor(['AUDITOR']);
    const cr = await submitUpdate(requester);
    await commentOnChangeRequest(auditor, cr.id, { body: 'why /api?', line: 3 });
    await expectAppError(commentOnChangeRequest(auditor, cr.id, { body: 'x', line: 9999 }), 'UNPROCESSABLE', /past the end/);
    await expectAppError(commentOnChangeRequest(auditor, cr.id, { body: '   ' }), 'INVALID_INPUT');
    expect(await db().comment.count()).toBe(1);
  });

  it('hides requests of environments the actor has no role in (404, not 403)', async () => {
    await env({ name: 'prod' });
    await env({ name: 'dev' });
    const requester = await actor([role('REQUESTER', 'prod')]);
    const devOnly = await actor([role('APPROVER', 'dev')]);
    const cr = await submitUpdate(requester);
    await expectAppError(getChangeRequest(devOnly, cr.id), 'NOT_FOUND');
    expect((await listChangeRequests(devOnly, {})).items).toEqual([]);
    expect((await listChangeRequests(requester, { view: 'mine' })).items.map((i) => i.id)).toEqual([cr.id]);
  });

  it('pages both ways with keyset cursors', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      ids.unshift(
        (
          await submitChangeRequest(
            requester,
            {
              environment: 'prod',
              namespace: 'shop',
              action: 'create',
              title: `page ${i}`,
              justification: 'paging',
              yaml: newIngressYaml(`page-${i}`, `page-${i}.example.com`),
            },
            { now: new Date(Date.UTC(2026, 0, 1, 0, i)) },
          )
        ).id,
      );
    }
    const page1 = await listChangeRequests(requester, { limit: 3 });
    expect(page1.items.map((i) => i.id)).toEqual(ids.slice(0, 3));
    expect(page1.prevCursor).toBeNull();
    const page2 = await listChangeRequests(requester, { limit: 3, cursor: page1.nextCursor! });
    expect(page2.items.map((i) => i.id)).toEqual(ids.slice(3, 6));
    const page3 = await listChangeRequests(requester, { limit: 3, cursor: page2.nextCursor! });
    expect(page3.items.map((i) => i.id)).toEqual(ids.slice(6));
    expect(page3.nextCursor).toBeNull();
    const back2 = await listChangeRequests(requester, { limit: 3, before: page3.prevCursor! });
    expect(back2.items.map((i) => i.id)).toEqual(ids.slice(3, 6));
    const back1 = await listChangeRequests(requester, { limit: 3, before: back2.prevCursor! });
    expect(back1.items.map((i) => i.id)).toEqual(ids.slice(0, 3));
    expect(back1.prevCursor).toBeNull();
    await expectAppError(listChangeRequests(requester, { cursor: 'not-a-cursor' }), 'INVALID_INPUT');
  });

  it('needs-review lists what the approver has not reviewed yet on the current revision', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const a = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    expect((await listChangeRequests(a, { view: 'needs-review' })).items.map((i) => i.id)).toEqual([cr.id]);
    await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 });
    expect((await listChangeRequests(a, { view: 'needs-review' })).items).toEqual([]);
    expect((await listChangeRequests(requester, { view: 'needs-review' })).items).toEqual([]);
  });

  it('expires pending requests past the environment’s limit', async () => {
    await env({ name: 'prod', requestExpiryHours: 1 });
    const requester = await actor(['REQUESTER']);
    const cr = await submitUpdate(requester);
    expect(await expireChangeRequests(new Date(Date.now() + 30 * 60_000))).toBe(0);
    expect(await expireChangeRequests(new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: cr.id } })).status).toBe('EXPIRED');
  });

  it('the database refuses a self-review inserted by direct SQL', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const cr = await submitUpdate(requester);
    const revision = await db().revision.findFirstOrThrow({ where: { changeRequestId: cr.id } });
    const sql = new pg.Client({ connectionString: testDatabaseUrl() });
    await sql.connect();
    await expect(
      sql.query(
        `INSERT INTO reviews (change_request_id, revision_id, reviewer_id, decision, content_hash) VALUES ($1, $2, $3, 'APPROVE', $4)`,
        [cr.id, revision.id, requester.id, revision.contentHash],
      ),
    ).rejects.toThrow(/cannot review their own/);
    await sql.end();
  });
});

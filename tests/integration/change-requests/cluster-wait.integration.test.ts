import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { clusterWaitView } from '@/lib/server/apply/cluster-wait-view';
import { retryChangeRequest } from '@/lib/server/apply/retry-change-request';
import { appendAuditEvent } from '@/lib/server/audit/append-audit-event';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { AppError } from '@/lib/server/errors';
import { db, resetDb } from '../helpers';
import { actor, env, jobsFor, reseed, role, startWorld, STOREFRONT_UPDATE } from './world';

// Issue 12.4: an approved change used to be dropped after 10 attempts (~4 minutes of outage).
// Now it waits, with backoff, until the request expires; a change that failed only because the
// cluster was unreachable can be retried by its requester or an approver without new approvals.

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

const writes = () =>
  fake
    .requests()
    .filter((r) => ['POST', 'PUT', 'DELETE'].includes(r.method) && r.query.dryRun === undefined && r.path.includes('/ingresses'));

async function approved() {
  await env({ name: 'prod' });
  const requester = await actor([role('REQUESTER', 'prod')]);
  const approver = await actor([role('APPROVER', 'prod')]);
  const outsider = await actor([role('REQUESTER', 'prod')]);
  const auditor = await actor([role('AUDITOR', 'prod')]);
  const cr = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    title: 'Add cart API',
    justification: 'Checkout needs it',
    yaml: STOREFRONT_UPDATE,
  });
  await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
  return { cr, requester, approver, outsider, auditor };
}

const minutes = (t0: Date, m: number) => new Date(t0.getTime() + m * 60_000);
const row = (id: string) => db().changeRequest.findUniqueOrThrow({ where: { id } });

async function expectAppError(p: Promise<unknown>, code: AppError['code'], message?: RegExp) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(AppError);
  expect((error as AppError).code, (error as AppError).message).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
}

/** A request FAILED the way the worker failed it before it kept waiting: "Gave up after 10 attempts". */
async function failedUnreachable(id: string, retryable = true) {
  const r = await row(id);
  await db().$transaction(async (tx) => {
    await tx.changeRequest.update({ where: { id }, data: { status: 'FAILED', statusReason: 'Gave up after 10 attempts: unreachable' } });
    await appendAuditEvent(tx, {
      actor: { system: 'worker' },
      action: 'change-request.failed',
      environmentId: r.environmentId,
      namespace: r.namespace,
      ingressName: r.ingressName,
      changeRequestId: id,
      reason: retryable
        ? 'Gave up after 10 attempts: The prod cluster could not be reached.'
        : 'The API server refused the change: forbidden',
      details: { revision: 1, attempt: 10, error: { kind: retryable ? 'unreachable' : 'forbidden', retryable } },
    });
  });
}

describe('waiting for the cluster', () => {
  it('an outage longer than the old give-up (14 attempts over 40 minutes) keeps the approval; on recovery it is applied once', async () => {
    const { cr, approver, auditor } = await approved();
    const t0 = new Date();
    fake.setUnreachable(true);
    let last: Awaited<ReturnType<typeof applyChangeRequest>> | null = null;
    for (let i = 0; i < 14; i += 1) {
      last = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => minutes(t0, i * 3) });
      expect(last.outcome).toBe('retry');
    }
    const waiting = await row(cr.id);
    expect(waiting).toMatchObject({ status: 'APPROVED', applyAttempts: 14 });
    expect(waiting.clusterWaitingSince?.toISOString()).toBe(t0.toISOString());
    expect(waiting.statusReason).toBe(`Waiting for cluster since ${t0.toISOString()}: ${(last as { message: string }).message}`);
    // Backoff: the 14th attempt waits the 60 s cap.
    expect(waiting.nextAttemptAt!.getTime() - minutes(t0, 39).getTime()).toBe(60_000);
    expect(await jobsFor(cr.id)).toBe(1);
    // One "waiting for cluster" notification per wait (not one per attempt), audited every attempt.
    expect(await db().notificationEvent.count({ where: { changeRequestId: cr.id, kind: 'waiting-for-cluster' } })).toBe(1);
    expect(await db().auditEvent.count({ where: { changeRequestId: cr.id, action: 'change-request.waiting-for-cluster' } })).toBe(14);
    // The request page and the inbox say since when; anyone who can see it sees that.
    expect(await clusterWaitView(auditor, cr.id)).toMatchObject({ waitingSince: t0, canRetry: false });
    expect(await clusterWaitView(approver, cr.id)).toMatchObject({ waitingSince: t0, canRetry: true, retryRefusal: null });
    const inbox = await listChangeRequests(approver, {});
    expect(inbox.items.find((i) => i.id === cr.id)?.clusterWaitingSince?.toISOString()).toBe(t0.toISOString());

    fake.setUnreachable(false);
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => minutes(t0, 41) })).toMatchObject({
      outcome: 'applied',
    });
    expect(writes()).toHaveLength(1);
    expect(await row(cr.id)).toMatchObject({ status: 'APPLIED', clusterWaitingSince: null, nextAttemptAt: null, statusReason: null });
  });

  it('an outage past the request’s expiry ends EXPIRED with since when and why; nothing is written', async () => {
    const { cr } = await approved();
    const t0 = new Date();
    await db().changeRequest.update({ where: { id: cr.id }, data: { expiresAt: minutes(t0, 5) } });
    fake.setUnreachable(true);
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => t0 })).outcome).toBe('retry');
    // The next attempt is never later than the expiry, so the last try is at expiry.
    const late = await applyChangeRequest(
      { changeRequestId: cr.id, revision: 1 },
      { now: () => minutes(t0, 4.99), backoffMs: () => 3_600_000 },
    );
    expect(late).toMatchObject({ outcome: 'retry', nextAttemptAt: minutes(t0, 5) });
    const expired = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => minutes(t0, 5) });
    expect(expired.outcome).toBe('expired');
    const r = await row(cr.id);
    expect(r.status).toBe('EXPIRED');
    expect(r.statusReason).toMatch(
      new RegExp(
        `^Expired while waiting for the cluster: unreachable since ${t0.toISOString()}, and the request expired at ${minutes(t0, 5).toISOString()}`,
      ),
    );
    expect(r.statusReason).toMatch(/Nothing was written/);
    expect(writes()).toEqual([]);
    expect(await db().auditEvent.count({ where: { changeRequestId: cr.id, action: 'change-request.expired' } })).toBe(1);
    // Requester and reviewers are told it did not apply.
    expect(await db().notificationEvent.count({ where: { changeRequestId: cr.id, kind: 'failed' } })).toBe(1);
    fake.setUnreachable(false);
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).outcome).toBe('skipped');
    expect(writes()).toEqual([]);
  });
});

describe('retry of a change that failed only because the cluster was unreachable', () => {
  it('the requester retries: no new approvals, the just-in-time checks run again, applied once', async () => {
    const { cr, requester } = await approved();
    await failedUnreachable(cr.id);
    expect(await retryChangeRequest(requester, cr.id)).toEqual({ status: 'APPROVED' });
    expect(await row(cr.id)).toMatchObject({ status: 'APPROVED', applyAttempts: 0, statusReason: null });
    expect(await jobsFor(cr.id)).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { changeRequestId: cr.id, action: 'change-request.retry-requested' } });
    expect(event.details).toMatchObject({ as: 'requester', before: { status: 'FAILED' }, failure: { kind: 'unreachable' } });
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
    expect(writes()).toHaveLength(1);
    expect(await db().review.count({ where: { changeRequestId: cr.id } })).toBe(1);
  });

  it('an approver retries; the live object moved meanwhile → STALE, nothing written (the checks ran again)', async () => {
    const { cr, approver } = await approved();
    await failedUnreachable(cr.id);
    fake.mutate('shop', 'storefront', (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations as Record<string, string>), 'oob.example.com/edited': 'yes' };
    });
    expect(await retryChangeRequest(approver, cr.id)).toEqual({ status: 'APPROVED' });
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'stale' });
    expect(writes()).toEqual([]);
  });

  it('anyone else is refused (403, or 404 outside the environment) and nothing changes', async () => {
    const { cr, outsider, auditor } = await approved();
    await failedUnreachable(cr.id);
    const jobsBefore = await jobsFor(cr.id);
    await env({ name: 'staging' });
    const stranger = await actor([role('APPROVER', 'staging')]);
    await expectAppError(retryChangeRequest(outsider, cr.id), 'FORBIDDEN', /requester or an approver of prod/);
    await expectAppError(retryChangeRequest(auditor, cr.id), 'FORBIDDEN');
    await expectAppError(retryChangeRequest(stranger, cr.id), 'NOT_FOUND');
    await expectAppError(retryChangeRequest(null, cr.id), 'UNAUTHENTICATED');
    expect(await row(cr.id)).toMatchObject({ status: 'FAILED' });
    expect(await jobsFor(cr.id)).toBe(jobsBefore);
    expect(await db().auditEvent.count({ where: { changeRequestId: cr.id, action: 'change-request.retry-requested' } })).toBe(0);
    expect(await clusterWaitView(outsider, cr.id)).toMatchObject({ isFailedUnreachable: true, canRetry: false });
  });

  it('a failure the API server gave (not the cluster being away) cannot be retried; nor an expired request', async () => {
    const { cr, requester } = await approved();
    await failedUnreachable(cr.id, false);
    await expectAppError(retryChangeRequest(requester, cr.id), 'CONFLICT', /reason a retry cannot fix/);
    expect(await clusterWaitView(requester, cr.id)).toBeNull();
    await failedUnreachable(cr.id, true);
    await db().changeRequest.update({ where: { id: cr.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(retryChangeRequest(requester, cr.id), 'CONFLICT', /expired/);
    expect(await row(cr.id)).toMatchObject({ status: 'FAILED' });
  });

  it('while waiting, "Retry now" brings the next attempt forward without resetting since when it waits', async () => {
    const { cr, approver } = await approved();
    fake.setUnreachable(true);
    const t0 = new Date();
    await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => t0, backoffMs: () => 3_600_000 });
    expect(await retryChangeRequest(approver, cr.id)).toEqual({ status: 'APPROVED' });
    const job = await db().$queryRawUnsafe<{ run_at: Date }[]>(
      `SELECT run_at FROM graphile_worker._private_jobs WHERE key = $1`,
      `apply:${cr.id}`,
    );
    expect(job[0]!.run_at.getTime()).toBeLessThan(Date.now() + 1000);
    fake.setUnreachable(false);
    expect(await applyChangeRequest({ changeRequestId: cr.id, revision: 1 })).toMatchObject({ outcome: 'applied' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { cancelChangeRequest } from '@/lib/server/change-requests/cancel-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { AppError } from '@/lib/server/errors';
import { overrideChangeWindow } from '@/lib/server/schedule/override-change-window';
import { db, resetDb } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from '../change-requests/world';

// Every time here is a fake clock passed in as `now`; nothing waits for real time.
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

const at = (iso: string) => new Date(iso);
const BERLIN_9_TO_10 = {
  timeZone: 'Europe/Berlin',
  windows: [{ rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0', durationMinutes: 60, label: 'morning' }],
};

const writes = () =>
  fake
    .requests()
    .filter((r) => ['POST', 'PUT', 'DELETE'].includes(r.method) && r.query.dryRun === undefined && r.path.includes('/ingresses'));

async function world(changeWindows: object = BERLIN_9_TO_10) {
  const prod = await env({ name: 'prod', requiredApprovals: 1 });
  await db().environment.update({ where: { id: prod.id }, data: { changeWindows } });
  return { prod, requester: await actor(['REQUESTER']), approver: await actor(['APPROVER']), admin: await actor(['ADMIN']) };
}

async function approvedAt(w: Awaited<ReturnType<typeof world>>, now: Date, name = 'promo', extra: object = {}) {
  const cr = await submitChangeRequest(
    w.requester,
    {
      environment: 'prod',
      namespace: 'shop',
      action: 'create',
      title: `New ${name}`,
      justification: 'launch',
      yaml: newIngressYaml(name, `${name}.example.com`),
      ...extra,
    },
    { now },
  );
  const review = await reviewChangeRequest(w.approver, cr.id, { decision: 'APPROVE', revision: 1, comment: 'ok' }, now);
  return { id: cr.id, status: review.status };
}

async function jobRunAt(id: string): Promise<Date | null> {
  const rows = await db().$queryRawUnsafe<{ run_at: Date }[]>(
    `SELECT run_at FROM graphile_worker._private_jobs WHERE key = $1`,
    `apply:${id}`,
  );
  return rows[0]?.run_at ?? null;
}

const request = (id: string) => db().changeRequest.findUniqueOrThrow({ where: { id } });
const events = async (id: string) =>
  (await db().auditEvent.findMany({ where: { changeRequestId: id }, orderBy: { seq: 'asc' } })).map((e) => e.action);

describe('change windows and SCHEDULED', () => {
  it('an approval outside the window is SCHEDULED for the opening; the worker waits, then applies when the window opens', async () => {
    const w = await world();
    // 06:00 UTC = 07:00 Berlin (winter): the window opens at 09:00 Berlin = 08:00 UTC.
    const cr = await approvedAt(w, at('2026-12-01T06:00:00Z'));
    expect(cr.status).toBe('SCHEDULED');
    const r = await request(cr.id);
    expect(r.scheduledFor?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(r.statusReason).toBe('Applies at Tue 1 Dec 09:00 Europe/Berlin (outside the environment’s change window).');
    expect((await jobRunAt(cr.id))?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(await events(cr.id)).toEqual([
      'change-request.submitted',
      'change-request.review-approved',
      'change-request.approved',
      'change-request.scheduled',
    ]);

    // A job that runs early (a clock skew, a manual retry) writes nothing and stays scheduled.
    const early = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T07:59:59Z') });
    expect(early.outcome).toBe('scheduled');
    expect((await request(cr.id)).status).toBe('SCHEDULED');
    expect(writes()).toEqual([]);

    const open = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T08:00:00Z') });
    expect(open.outcome).toBe('applied');
    expect((await request(cr.id)).status).toBe('APPLIED');
    expect(writes()).toHaveLength(1);
  });

  it('inside the window an approval is applied at once (APPROVED, job due now)', async () => {
    const w = await world();
    const cr = await approvedAt(w, at('2026-12-01T08:30:00Z'));
    expect(cr.status).toBe('APPROVED');
    expect((await request(cr.id)).scheduledFor).toBeNull();
  });

  it('a job that runs after the window closed is rescheduled to the next opening, not applied', async () => {
    const w = await world();
    const cr = await approvedAt(w, at('2026-12-01T08:30:00Z'));
    expect(cr.status).toBe('APPROVED');
    // The worker was down; it picks the job up at 10:00 Berlin, when the window has closed.
    const late = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T09:00:00Z') });
    expect(late.outcome).toBe('scheduled');
    const r = await request(cr.id);
    expect(r.status).toBe('SCHEDULED');
    expect(r.scheduledFor?.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    expect((await jobRunAt(cr.id))?.toISOString()).toBe('2026-12-02T08:00:00.000Z');
    expect(writes()).toEqual([]);
  });

  it('across the DST change the window stays at 09:00 local: 08:00 UTC before, 07:00 UTC after', async () => {
    const w = await world();
    // Saturday 28 March 2026, 12:00 UTC; clocks go forward in the night to Sunday 29 March.
    const cr = await approvedAt(w, at('2026-03-28T12:00:00Z'));
    expect((await request(cr.id)).scheduledFor?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-03-29T06:59:00Z') })).outcome).toBe(
      'scheduled',
    );
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-03-29T07:00:00Z') })).outcome).toBe(
      'applied',
    );
    // and the day before the change it was 08:00 UTC
    const before = await approvedAt(w, at('2026-03-27T12:00:00Z'), 'promo2');
    expect((await request(before.id)).scheduledFor?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
  });

  it('a freeze added after scheduling covers the scheduled time: the worker re-checks and moves it past the freeze', async () => {
    const w = await world();
    const cr = await approvedAt(w, at('2026-12-01T06:00:00Z'));
    expect((await request(cr.id)).scheduledFor?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    await db().environment.update({
      where: { id: w.prod.id },
      data: {
        changeWindows: { ...BERLIN_9_TO_10, freezes: [{ from: '2026-12-01T00:00', to: '2026-12-03T00:00', reason: 'Black Friday' }] },
      },
    });
    const result = await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T08:00:00Z') });
    expect(result).toMatchObject({ outcome: 'scheduled', message: expect.stringContaining('changes are frozen: Black Friday') });
    const r = await request(cr.id);
    expect(r.scheduledFor?.toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(writes()).toEqual([]);
    const scheduled = await db().auditEvent.findMany({
      where: { changeRequestId: cr.id, action: 'change-request.scheduled' },
      orderBy: { seq: 'asc' },
    });
    expect(scheduled).toHaveLength(2);
    expect(scheduled[1]!.details).toMatchObject({
      why: 'freeze',
      scheduledFor: '2026-12-03T08:00:00.000Z',
      freeze: { label: 'Black Friday' },
    });
  });

  it('an admin override (with a reason, audited) applies a frozen request now; others may not override', async () => {
    const w = await world({ ...BERLIN_9_TO_10, freezes: [{ from: '2026-12-01T00:00', to: '2026-12-03T00:00', reason: 'Black Friday' }] });
    const now = at('2026-12-01T08:30:00Z');
    const cr = await approvedAt(w, now);
    expect(cr.status).toBe('SCHEDULED');
    await expect(overrideChangeWindow(w.approver, cr.id, { reason: 'Security fix for CVE-2026-1' }, now)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(overrideChangeWindow(w.requester, cr.id, { reason: 'Security fix for CVE-2026-1' }, now)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const short = await overrideChangeWindow(w.admin, cr.id, { reason: 'now' }, now).catch((e: AppError) => e);
    expect(short).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: [{ path: 'reason' }] });
    expect((await request(cr.id)).windowOverrideAt).toBeNull();

    const overridden = await overrideChangeWindow(w.admin, cr.id, { reason: 'Security fix for CVE-2026-1' }, now);
    expect(overridden.status).toBe('APPROVED');
    // Due now (the database's clock: the job queue runs on real time).
    expect((await jobRunAt(cr.id))!.getTime()).toBeLessThanOrEqual(Date.now());
    const ev = await db().auditEvent.findFirstOrThrow({ where: { changeRequestId: cr.id, action: 'change-request.window-overridden' } });
    expect(ev.reason).toBe('Security fix for CVE-2026-1');
    expect(ev.actorId).toBe(w.admin.id);
    // Notified (the outbox row commits with the override).
    const notified = await db().$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM notification_events WHERE kind = 'window-overridden' AND change_request_id = $1::uuid`,
      cr.id,
    );
    expect(Number(notified[0]!.n)).toBe(1);
    await expect(overrideChangeWindow(w.admin, cr.id, { reason: 'Security fix for CVE-2026-1' }, now)).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => now })).outcome).toBe('applied');
    expect(writes()).toHaveLength(1);
  });

  it('"not before" holds an approved request until then, even inside a window; approvals still count', async () => {
    const w = await world({});
    const cr = await approvedAt(w, at('2026-12-01T08:00:00Z'), 'promo', { notBefore: '2026-12-01T20:00:00+01:00' });
    expect(cr.status).toBe('SCHEDULED');
    const r = await request(cr.id);
    expect(r.notBefore?.toISOString()).toBe('2026-12-01T19:00:00.000Z');
    expect(r.scheduledFor?.toISOString()).toBe('2026-12-01T19:00:00.000Z');
    expect(r.statusReason).toMatch(/the requester asked for not before then/);
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T18:59:00Z') })).outcome).toBe(
      'scheduled',
    );
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T19:00:00Z') })).outcome).toBe(
      'applied',
    );
  });

  it('refuses a malformed "not before" naming the field, and stores nothing', async () => {
    const w = await world({});
    const err = await submitChangeRequest(w.requester, {
      environment: 'prod',
      namespace: 'shop',
      action: 'create',
      title: 'New x',
      justification: 'launch',
      yaml: newIngressYaml('x', 'x.example.com'),
      notBefore: 'tomorrow',
    }).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: [{ path: 'notBefore' }] });
    expect(await db().changeRequest.count()).toBe(0);
  });

  it('a SCHEDULED request can be cancelled and its job then writes nothing', async () => {
    const w = await world();
    const cr = await approvedAt(w, at('2026-12-01T06:00:00Z'));
    await cancelChangeRequest(w.requester, cr.id, 'not needed', at('2026-12-01T06:10:00Z'));
    expect((await applyChangeRequest({ changeRequestId: cr.id, revision: 1 }, { now: () => at('2026-12-01T08:00:00Z') })).outcome).toBe(
      'skipped',
    );
    expect(writes()).toEqual([]);
  });
});

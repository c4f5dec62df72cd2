import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { AppError } from '@/lib/server/errors';
import {
  auditRequestEvent,
  findChangeRequestOr404,
  findVisibleChangeRequest,
  lockedChangeRequest,
  TX_OPTIONS,
} from '@/lib/server/operation';
import { db, resetDb } from '../helpers';
import { actor, env, reseed, role, startWorld, STOREFRONT_UPDATE } from '../change-requests/world';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';

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

async function world() {
  const prod = await env({ name: 'prod' });
  await env({ name: 'dev' });
  const requester = await actor([role('REQUESTER', 'prod')], 'req');
  const outsider = await actor([role('REQUESTER', 'dev')], 'outsider');
  const request = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    title: 'Add cart API',
    justification: 'Checkout needs it',
    yaml: STOREFRONT_UPDATE,
  });
  return { prod, requester, outsider, request };
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('finding a request', () => {
  it('finds a visible request with its environment', async () => {
    const { requester, request } = await world();
    const found = await findVisibleChangeRequest(requester, request.id);
    expect([found.id, found.environment.name]).toEqual([request.id, 'prod']);
  });

  it('is 404 for a malformed id, an unknown id and a request the actor may not see', async () => {
    const { outsider, request } = await world();
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', request.id]) {
      const error = await appError(findVisibleChangeRequest(outsider, id));
      expect([error.status, error.message]).toEqual([404, 'No such change request.']);
    }
    // Without the visibility check, the request exists.
    expect((await findChangeRequestOr404(request.id)).id).toBe(request.id);
  });
});

describe('lockedChangeRequest', () => {
  it('is 409 with the caller’s sentence when the status is not expected', async () => {
    const { request } = await world();
    const error = await appError(
      db().$transaction(
        (tx) => lockedChangeRequest(tx, request.id, { statuses: ['STALE'], conflict: (s) => `The request became ${s} meanwhile.` }),
        TX_OPTIONS,
      ),
    );
    expect([error.status, error.message]).toEqual([409, 'The request became pending meanwhile.']);
  });

  it('holds the row: a second writer waits for the first to commit and sees its write', async () => {
    const { request } = await world();
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));
    const order: string[] = [];
    const first = db().$transaction(async (tx) => {
      await lockedChangeRequest(tx, request.id);
      firstLocked();
      await firstHolds;
      await tx.changeRequest.update({ where: { id: request.id }, data: { statusReason: 'first was here' } });
      order.push('first commits');
    }, TX_OPTIONS);
    await locked;
    const second = db().$transaction(async (tx) => {
      const row = await lockedChangeRequest(tx, request.id);
      order.push('second locked');
      return row.statusReason;
    }, TX_OPTIONS);
    // Give the second transaction every chance to (wrongly) get the lock before the first commits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    releaseFirst();
    await first;
    expect(await second).toBe('first was here');
    expect(order).toEqual(['first commits', 'second locked']);
  });

  it('is 404 for a request that does not exist', async () => {
    await world();
    const error = await appError(db().$transaction((tx) => lockedChangeRequest(tx, '00000000-0000-4000-8000-000000000000')));
    expect(error.status).toBe(404);
  });
});

describe('auditRequestEvent', () => {
  it('records the request’s environment, namespace, Ingress and id with the event', async () => {
    const { prod, requester, request } = await world();
    const row = await db().changeRequest.findUniqueOrThrow({ where: { id: request.id } });
    const now = new Date('2026-01-02T03:04:05Z');
    const { seq } = await db().$transaction((tx) =>
      auditRequestEvent(
        tx,
        { id: requester.id, email: requester.email },
        row,
        { action: 'change-request.commented', details: { commentId: 'c1', revision: 1, line: null, side: null } },
        now,
      ),
    );
    const event = await db().auditEvent.findUniqueOrThrow({ where: { seq } });
    expect(event).toMatchObject({
      action: 'change-request.commented',
      actorId: requester.id,
      actorLabel: requester.email,
      environmentId: prod.id,
      namespace: 'shop',
      ingressName: 'storefront',
      changeRequestId: request.id,
      reason: null,
      occurredAt: now,
    });
    expect(event.details).toEqual({ commentId: 'c1', revision: 1, line: null, side: null });
  });
});

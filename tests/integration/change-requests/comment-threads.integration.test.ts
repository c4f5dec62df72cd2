import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { resolveCommentThread } from '@/lib/server/change-requests/resolve-comment-thread';
import { reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { AppError } from '@/lib/server/errors';
import { db, resetDb } from '../helpers';
import { actor, env, jobsFor, reseed, role, startWorld, STOREFRONT_UPDATE } from './world';

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
    if (message)
      expect([(error as AppError).message, ...(error as AppError).fieldErrors.map((f) => `${f.path}: ${f.message}`)].join(' ')).toMatch(
        message,
      );
    return error as AppError;
  }
  throw new Error(`expected AppError ${code}, but it succeeded`);
}

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

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
}

const auditActions = async (changeRequestId: string) =>
  (await db().auditEvent.findMany({ where: { changeRequestId }, orderBy: { seq: 'asc' }, select: { action: true } })).map((e) => e.action);

describe('comment threads', () => {
  it('a line comment starts a thread anchored to revision, side, line and the line text; replies join it; resolve and reopen are audited', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const reviewer = await actor(['APPROVER'], 'Rita');
    const cr = await submitUpdate(requester);
    const yaml = (await getChangeRequest(reviewer, cr.id)).revisions[0]!.proposedYaml;
    const line = lineOf(yaml, 'cart-api');
    const root = await commentOnChangeRequest(reviewer, cr.id, { body: 'Why cart-api?', line, side: 'proposed', revision: 1 });
    const reply = await commentOnChangeRequest(requester, cr.id, { body: 'Checkout calls it.', replyTo: root.id });
    // A reply to a reply joins the root's thread.
    const nested = await commentOnChangeRequest(reviewer, cr.id, { body: 'OK.', replyTo: reply.id });
    expect(reply.threadId).toBe(root.id);
    expect(nested.threadId).toBe(root.id);
    const stored = await db().comment.findUniqueOrThrow({ where: { id: root.id } });
    expect(stored).toMatchObject({ line, side: 'proposed', anchorText: yaml.split('\n')[line - 1], parentId: null });

    let detail = await getChangeRequest(requester, cr.id);
    expect(detail.threads).toHaveLength(1);
    expect(detail.threads[0]).toMatchObject({ id: root.id, line, currentLine: line, isOutdated: false, isResolved: false });
    expect(detail.threads[0]!.comments.map((c) => c.body)).toEqual(['Why cart-api?', 'Checkout calls it.', 'OK.']);

    expect(await resolveCommentThread(requester, cr.id, root.id, { resolved: true })).toMatchObject({ changed: true });
    // Resolving twice changes nothing and records nothing.
    expect(await resolveCommentThread(reviewer, cr.id, root.id, { resolved: true })).toMatchObject({ changed: false });
    detail = await getChangeRequest(requester, cr.id);
    expect(detail.threads[0]).toMatchObject({ isResolved: true, resolvedBy: { name: requester.name } });
    await resolveCommentThread(reviewer, cr.id, root.id, { resolved: false });
    expect((await getChangeRequest(requester, cr.id)).threads[0]).toMatchObject({ isResolved: false, resolvedBy: null });
    const actions = await auditActions(cr.id);
    expect(actions.filter((a) => a === 'change-request.commented')).toHaveLength(3);
    expect(actions.filter((a) => a === 'change-request.thread-resolved')).toHaveLength(1);
    expect(actions.filter((a) => a === 'change-request.thread-reopened')).toHaveLength(1);
  });

  it('threads follow the line into later revisions by content, and are outdated where the line changed', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const reviewer = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    const rev1 = (await getChangeRequest(reviewer, cr.id)).revisions[0]!.proposedYaml;
    const kept = await commentOnChangeRequest(reviewer, cr.id, { body: 'TLS ok?', line: lineOf(rev1, 'secretName'), revision: 1 });
    const changed = await commentOnChangeRequest(reviewer, cr.id, { body: 'Port?', line: lineOf(rev1, 'number: 8080'), revision: 1 });
    const general = await commentOnChangeRequest(reviewer, cr.id, { body: 'Looks reasonable overall.' });
    // Revision 2 adds an annotation above (every later line moves down) and changes the port.
    await reviseChangeRequest(requester, cr.id, {
      yaml: STOREFRONT_UPDATE.replace(
        'nginx.ingress.kubernetes.io/ssl-redirect: "true"',
        'nginx.ingress.kubernetes.io/ssl-redirect: "true"\n    team: checkout',
      ).replace('number: 8080', 'number: 9090'),
    });
    const detail = await getChangeRequest(reviewer, cr.id);
    const rev2 = detail.revisions[1]!.proposedYaml;
    const byId = new Map(detail.threads.map((t) => [t.id, t]));
    expect(byId.get(kept.id)).toMatchObject({
      revision: 1,
      line: lineOf(rev1, 'secretName'),
      currentLine: lineOf(rev2, 'secretName'),
      isOutdated: false,
    });
    expect(lineOf(rev2, 'secretName')).not.toBe(lineOf(rev1, 'secretName'));
    expect(byId.get(changed.id)).toMatchObject({ currentLine: null, isOutdated: true });
    expect(byId.get(general.id)).toMatchObject({ line: null, currentLine: null, isOutdated: false });
  });

  it('refuses bad input and people who may not comment, changing nothing', async () => {
    await env({ name: 'prod' });
    await env({ name: 'staging' });
    const requester = await actor(['REQUESTER']);
    const reviewer = await actor(['APPROVER']);
    const outsider = await actor([role('APPROVER', 'staging')]);
    const cr = await submitUpdate(requester);
    const other = await submitUpdate(requester, 'staging');
    const root = await commentOnChangeRequest(reviewer, cr.id, { body: 'First', line: 1 });
    const before = await db().comment.count();
    await expectAppError(commentOnChangeRequest(reviewer, cr.id, { body: 'x', line: 999 }), 'UNPROCESSABLE', /past the end/);
    await expectAppError(
      commentOnChangeRequest(reviewer, cr.id, { body: 'x', replyTo: root.id, line: 2 }),
      'INVALID_INPUT',
      /no line of its own/,
    );
    await expectAppError(commentOnChangeRequest(reviewer, cr.id, { body: 'x', replyTo: 'nope' }), 'INVALID_INPUT');
    await expectAppError(commentOnChangeRequest(reviewer, other.id, { body: 'x', replyTo: root.id }), 'UNPROCESSABLE', /no such comment/);
    await expectAppError(commentOnChangeRequest(reviewer, cr.id, { body: '   ', replyTo: root.id }), 'INVALID_INPUT');
    await expectAppError(commentOnChangeRequest(outsider, cr.id, { body: 'x', replyTo: root.id }), 'NOT_FOUND');
    await expectAppError(resolveCommentThread(outsider, cr.id, root.id, { resolved: true }), 'NOT_FOUND');
    await expectAppError(resolveCommentThread(reviewer, cr.id, root.id, { resolved: 'yes' }), 'INVALID_INPUT');
    await expectAppError(resolveCommentThread(reviewer, other.id, root.id, { resolved: true }), 'NOT_FOUND', /No such comment thread/);
    await expectAppError(resolveCommentThread(null, cr.id, root.id, { resolved: true }), 'UNAUTHENTICATED');
    expect(await db().comment.count()).toBe(before);
    expect((await db().comment.findUniqueOrThrow({ where: { id: root.id } })).resolvedAt).toBeNull();
  });

  it('the database refuses a reply that answers another request or a reply', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const reviewer = await actor(['APPROVER']);
    const cr = await submitUpdate(requester);
    const other = await submitUpdate(requester);
    const root = await commentOnChangeRequest(reviewer, cr.id, { body: 'root' });
    const reply = await commentOnChangeRequest(reviewer, cr.id, { body: 'reply', replyTo: root.id });
    await expect(
      db().comment.create({ data: { changeRequestId: other.id, authorId: reviewer.id, body: 'x', parentId: root.id } }),
    ).rejects.toThrow(/reply must answer a thread/);
    await expect(
      db().comment.create({ data: { changeRequestId: cr.id, authorId: reviewer.id, body: 'x', parentId: reply.id } }),
    ).rejects.toThrow(/reply must answer a thread/);
    await expect(
      db().comment.create({
        data: { changeRequestId: cr.id, authorId: reviewer.id, body: 'x', parentId: root.id, line: 3, side: 'proposed' },
      }),
    ).rejects.toThrow(/comments_reply_unanchored/);
  });
});

describe('request changes', () => {
  it('blocks approval by anyone until the requester revises; the request stays PENDING; revising lifts the block', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER']);
    const [a, b, c] = [await actor(['APPROVER'], 'Alice'), await actor(['APPROVER'], 'Bob'), await actor(['APPROVER'], 'Cleo')];
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1 });
    await expectAppError(reviewChangeRequest(b, cr.id, { decision: 'REQUEST_CHANGES', revision: 1, comment: '' }), 'INVALID_INPUT');
    expect(await reviewChangeRequest(b, cr.id, { decision: 'REQUEST_CHANGES', revision: 1, comment: 'Use port 9090' })).toMatchObject({
      status: 'PENDING',
    });
    let detail = await getChangeRequest(requester, cr.id);
    expect(detail.status).toBe('PENDING');
    expect(detail.statusReason).toBe('Changes requested by Bob: Use port 9090');
    expect(detail.approval.changeRequesters.map((u) => u.name)).toEqual(['Bob']);
    expect(detail.approval.isApproved).toBe(false);
    // Cleo's approval would complete the quorum: refused, with the reason, and nothing stored.
    await expectAppError(
      reviewChangeRequest(c, cr.id, { decision: 'APPROVE', revision: 1 }),
      'CONFLICT',
      /Bob requested changes on revision 1/,
    );
    expect((await getChangeRequest(c, cr.id)).viewer).toMatchObject({
      canReview: false,
      reviewRefusal: expect.stringMatching(/requested changes/),
    });
    expect(await db().review.count({ where: { changeRequestId: cr.id } })).toBe(2);
    expect(await jobsFor(cr.id)).toBe(0);
    // Bob cannot take it back by approving the same revision either.
    await expectAppError(reviewChangeRequest(b, cr.id, { decision: 'APPROVE', revision: 1 }), 'CONFLICT', /already requested changes/);

    await reviseChangeRequest(requester, cr.id, { yaml: STOREFRONT_UPDATE.replace('number: 8080', 'number: 9090') });
    detail = await getChangeRequest(requester, cr.id);
    expect(detail.statusReason).toBeNull();
    expect(detail.approval.changeRequesters).toEqual([]);
    expect(await reviewChangeRequest(b, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'PENDING' });
    expect(await reviewChangeRequest(c, cr.id, { decision: 'APPROVE', revision: 2 })).toMatchObject({ status: 'APPROVED' });
    expect(await jobsFor(cr.id)).toBe(1);
    const actions = await auditActions(cr.id);
    expect(actions).toContain('change-request.changes-requested');
    const notified = await db().notificationEvent.findMany({ where: { changeRequestId: cr.id, kind: 'changes-requested' } });
    expect(notified).toHaveLength(1);
  });

  it('the requester cannot request changes on their own request; non-approvers cannot either', async () => {
    await env({ name: 'prod' });
    const both = await actor(['REQUESTER', 'APPROVER']);
    const auditor = await actor(['AUDITOR']);
    const cr = await submitUpdate(both);
    await expectAppError(
      reviewChangeRequest(both, cr.id, { decision: 'REQUEST_CHANGES', revision: 1, comment: 'hm' }),
      'FORBIDDEN',
      /You requested this change/,
    );
    await expectAppError(
      reviewChangeRequest(auditor, cr.id, { decision: 'REQUEST_CHANGES', revision: 1, comment: 'hm' }),
      'FORBIDDEN',
      /not an approver/,
    );
    await expectAppError(
      reviewChangeRequest(auditor, cr.id, { decision: 'MAYBE', revision: 1, comment: 'hm' }),
      'INVALID_INPUT',
      /decision must be/,
    );
    expect(await db().review.count()).toBe(0);
  });

  it('rejecting still works while changes are requested', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER']);
    const [a, b] = [await actor(['APPROVER']), await actor(['APPROVER'])];
    const cr = await submitUpdate(requester);
    await reviewChangeRequest(a, cr.id, { decision: 'REQUEST_CHANGES', revision: 1, comment: 'rename the path' });
    expect(await reviewChangeRequest(b, cr.id, { decision: 'REJECT', revision: 1, comment: 'not needed at all' })).toMatchObject({
      status: 'REJECTED',
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { currentApprovalState } from '@/lib/server/change-requests/quorum';
import { reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db, resetDb } from '../helpers';
import { actor, env, reseed, startWorld, STOREFRONT_UPDATE } from '../change-requests/world';
import { logStatements } from './statement-log';

// Issue 19, "one read per fact": the request page's read model and the inbox, counted with a hook
// on every statement pg sends, and checked against the transactional reads the engine decides with.
let stop: () => Promise<void>;
let fake: Awaited<ReturnType<typeof startWorld>>['fake'];
beforeAll(async () => {
  ({ fake, stop } = await startWorld());
});
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

async function requestWithHistory() {
  await env({ name: 'prod', requiredApprovals: 2 });
  const requester = await actor(['REQUESTER'], 'req');
  const [a, b, c] = [await actor(['APPROVER'], 'a'), await actor(['APPROVER'], 'b'), await actor(['APPROVER'], 'c')];
  const cr = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    title: 'Add cart API',
    justification: 'Checkout needs it',
    yaml: STOREFRONT_UPDATE,
  });
  await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 1, comment: 'fine' });
  await commentOnChangeRequest(b, cr.id, { body: 'why /cart?', revision: 1, line: 3 });
  await reviseChangeRequest(requester, cr.id, { yaml: STOREFRONT_UPDATE.replace('path: /', 'path: /v2'), note: 'renamed' });
  await reviewChangeRequest(b, cr.id, { decision: 'APPROVE', revision: 2, comment: 'ok now' });
  return { cr, requester, a, b, c };
}

describe('the request page read model', () => {
  it('reads everything in at most 8 statements (one), each row once', async () => {
    const { cr, c } = await requestWithHistory();
    const { result: detail, statements } = await logStatements(() => getChangeRequest(c, cr.id));
    expect(statements.length, statements.map((s) => s.text.slice(0, 80)).join('\n')).toBeLessThanOrEqual(8);
    expect(statements).toHaveLength(1);
    expect(detail.revisions.map((r) => r.number)).toEqual([1, 2]);
    expect(detail.reviews.map((r) => [r.reviewer.name, r.revision, r.decision])).toEqual([
      ['a', 1, 'APPROVE'],
      ['b', 2, 'APPROVE'],
    ]);
    expect(detail.comments.map((x) => [x.body, x.line, x.revision])).toEqual([['why /cart?', 3, 1]]);
    expect(detail.createdAt).toBeInstanceOf(Date);
    expect(detail.revisions[0]!.createdAt).toBeInstanceOf(Date);
    const events = await db().auditEvent.findMany({ where: { changeRequestId: cr.id }, orderBy: { seq: 'asc' } });
    expect(detail.timeline.map((e) => [e.seq, e.action, e.occurredAt.getTime()])).toEqual(
      events.map((e) => [e.seq.toString(), e.action, e.occurredAt.getTime()]),
    );
    // c is an eligible approver who has not reviewed: may review.
    expect(detail.viewer.canReview).toBe(true);
  });

  it('counts approvals as the engine does (only the current revision, only approvers who still hold the role)', async () => {
    const { cr, a, b, c, requester } = await requestWithHistory();
    const engine = () => db().$transaction((tx) => currentApprovalState(tx, cr.id));
    const page = async () => {
      const { approval } = await getChangeRequest(requester, cr.id);
      const { approvers: _a, rejecters: _r, changeRequesters: _c, voided: _v, ...state } = approval;
      return state;
    };
    expect(await page()).toEqual(await engine());
    expect((await page()).approvals).toEqual([b.id]);
    expect((await getChangeRequest(c, cr.id)).viewer.canReview).toBe(true);
    // b and c lose the approver role: the engine stops counting b's approval, and so does the page;
    // c (whose session still says approver) may no longer review, as the database decides.
    await db().roleAssignment.deleteMany({ where: { userId: { in: [b.id, c.id] } } });
    expect(await page()).toEqual(await engine());
    expect((await page()).approvals).toEqual([]);
    expect((await getChangeRequest(c, cr.id)).viewer.canReview).toBe(false);
    await reviewChangeRequest(a, cr.id, { decision: 'APPROVE', revision: 2 });
    expect(await page()).toEqual(await engine());
    expect((await page()).approvals).toEqual([a.id]);
  });

  it('the inbox is one statement for every view', async () => {
    const { a, requester } = await requestWithHistory();
    for (const [who, view] of [
      [requester, 'mine'],
      [a, 'needs-review'],
      [a, 'all'],
    ] as const) {
      const { statements } = await logStatements(() => listChangeRequests(who, { view }));
      expect(statements, view).toHaveLength(1);
    }
  });
});

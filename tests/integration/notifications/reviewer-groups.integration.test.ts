import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { countNeedsMyReview } from '@/lib/server/queries/count-needs-my-review';
import { listReviewerGroupOptions } from '@/lib/server/reviewer-groups/list-reviewer-group-options';
import {
  addReviewerGroupMember,
  createReviewerGroup,
  deleteReviewerGroup,
  listReviewerGroups,
  removeReviewerGroupMember,
} from '@/lib/server/reviewer-groups/manage-reviewer-groups';
import { runWorker } from '@/lib/worker/run-worker';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from '../change-requests/world';
import { startMailCatcher } from './mail-catcher';

// Reviewer groups (issue 16): admin-managed sets of users; naming one at submission asks its
// members who may approve in the environment — never the requester — by email and in their inbox.

let fake: FakeKubeApi;
let stopWorld: () => Promise<void>;
let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let worker: Awaited<ReturnType<typeof runWorker>>;

beforeAll(async () => {
  ({ fake, stop: stopWorld } = await startWorld());
  mail = await startMailCatcher();
  process.env.SMTP_HOST = '127.0.0.1';
  process.env.SMTP_PORT = String(mail.port);
  process.env.INGRESS_GATE_URL = 'https://gate.example.test';
  worker = await runWorker({ databaseUrl: testDatabaseUrl(), log: () => {}, housekeepingMs: 3_600_000 });
});
afterAll(async () => {
  await worker?.stop();
  await mail?.stop();
  await stopWorld();
});
beforeEach(async () => {
  await resetDb();
  reseed(fake);
  mail.mails.length = 0;
});

async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
const mailsTo = (address: string) => mail.mails.filter((m) => to(m).includes(address));

const submit = (requester: Awaited<ReturnType<typeof actor>>, extra: Record<string, unknown>) =>
  submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'create',
    title: 'Promo page',
    justification: 'campaign',
    yaml: newIngressYaml('promo', 'promo.example.com'),
    ...extra,
  });

async function group(admin: Awaited<ReturnType<typeof actor>>, name: string, members: string[]) {
  const g = await createReviewerGroup(admin, { name });
  for (const email of members) await addReviewerGroupMember(admin, { groupId: g.id, email });
  return g;
}

describe('managing reviewer groups', { timeout: 60_000 }, () => {
  it('global admins create groups, add and remove members and delete them, each audited; bad input names the field', async () => {
    await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const member = await actor(['APPROVER'], 'member');
    const g = await createReviewerGroup(admin, { name: '  SRE-Oncall ', description: 'Pager rota' });
    expect(g.name).toBe('sre-oncall');
    await expect(createReviewerGroup(admin, { name: 'sre-oncall' })).rejects.toMatchObject({
      code: 'CONFLICT',
      fieldErrors: [{ path: 'name', message: 'already taken' }],
    });
    await expect(createReviewerGroup(admin, { name: 'has space' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'name' }],
    });
    await addReviewerGroupMember(admin, { groupId: g.id, email: member.email.toUpperCase() });
    await expect(addReviewerGroupMember(admin, { groupId: g.id, email: member.email })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addReviewerGroupMember(admin, { groupId: g.id, email: 'nobody@example.com' })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [{ path: 'email', message: 'nobody@example.com is not a user here.' }],
    });
    expect(await listReviewerGroups(admin)).toMatchObject([
      { name: 'sre-oncall', description: 'Pager rota', members: [{ id: member.id, email: member.email }] },
    ]);
    await removeReviewerGroupMember(admin, { groupId: g.id, userId: member.id });
    await expect(removeReviewerGroupMember(admin, { groupId: g.id, userId: member.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await deleteReviewerGroup(admin, g.id);
    expect(await listReviewerGroups(admin)).toEqual([]);
    const audit = await db().auditEvent.findMany({ where: { action: { startsWith: 'reviewer-group.' } }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual([
      'reviewer-group.created',
      'reviewer-group.member-added',
      'reviewer-group.member-removed',
      'reviewer-group.deleted',
    ]);
    expect(audit[1]!.details).toMatchObject({ name: 'sre-oncall', email: member.email });
  });

  it('only global admins manage groups: an environment admin, a requester and an approver are refused and nothing changes', async () => {
    await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const g = await createReviewerGroup(admin, { name: 'payments' });
    const envAdmin = await actor([{ role: 'ADMIN', environment: 'prod' }], 'envadmin');
    const requester = await actor(['REQUESTER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    for (const who of [envAdmin, requester, approver]) {
      await expect(createReviewerGroup(who, { name: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(addReviewerGroupMember(who, { groupId: g.id, email: who.email })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(deleteReviewerGroup(who, g.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(listReviewerGroups(who)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(createReviewerGroup(null, { name: 'anon' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await listReviewerGroups(admin)).map((x) => [x.name, x.members.length])).toEqual([['payments', 0]]);
  });
});

describe('naming a group when submitting', { timeout: 60_000 }, () => {
  it('asks the members who may approve in the environment, never the requester; they are emailed and see it as named', async () => {
    await env({ name: 'prod' });
    await env({ name: 'dev' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER', 'APPROVER'], 'req');
    const m1 = await actor(['APPROVER'], 'm1');
    const m2 = await actor([{ role: 'APPROVER', environment: 'prod' }], 'm2');
    const devOnly = await actor([{ role: 'APPROVER', environment: 'dev' }], 'devonly');
    const bystander = await actor(['APPROVER'], 'bystander');
    await group(admin, 'sre', [requester.email, m1.email, m2.email, devOnly.email]);

    // The form's options: the group is offered with the members who may approve there, not the requester.
    const prodId = (await db().environment.findUniqueOrThrow({ where: { name: 'prod' } })).id;
    expect((await listReviewerGroupOptions(requester, [prodId]))[prodId]).toMatchObject([
      { name: 'sre', eligibleMembers: [m1.name, m2.name].sort() },
    ]);

    const cr = await submit(requester, { reviewerGroups: 'SRE' });
    const chosen = await db().chosenReviewer.findMany({ where: { changeRequestId: cr.id }, select: { userId: true } });
    expect(chosen.map((c) => c.userId).sort()).toEqual([m1.id, m2.id].sort());
    const page = await getChangeRequest(requester, cr.id);
    expect(page.chosenReviewerGroups.map((g) => g.name)).toEqual(['sre']);

    await until('both members’ emails', () => mailsTo(m1.email).length === 1 && mailsTo(m2.email).length === 1);
    await new Promise((r) => setTimeout(r, 400));
    for (const u of [requester, devOnly, bystander]) expect(mailsTo(u.email), u.email).toHaveLength(0);

    // "Needs my review": named for the group's members; the bystander still may review (not named).
    expect(await countNeedsMyReview(m1)).toEqual({ total: 1, named: 1 });
    expect(await countNeedsMyReview(bystander)).toEqual({ total: 1, named: 0 });
    const inbox = await listChangeRequests(m2, { view: 'needs-review' });
    expect(JSON.stringify(inbox)).toContain(cr.id);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'change-request.submitted', changeRequestId: cr.id } });
    expect(audit.details).toMatchObject({ reviewerGroups: ['sre'] });
  });

  it('people and groups together are asked once each', async () => {
    await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER'], 'req');
    const a = await actor(['APPROVER'], 'a');
    const b = await actor(['APPROVER'], 'b');
    await group(admin, 'one', [a.email, b.email]);
    await group(admin, 'two', [b.email]);
    const cr = await submit(requester, { reviewers: [a.email], reviewerGroups: ['one', 'two'] });
    expect(await db().chosenReviewer.count({ where: { changeRequestId: cr.id } })).toBe(2);
    await until('one email each', () => mailsTo(a.email).length === 1 && mailsTo(b.email).length === 1);
    await new Promise((r) => setTimeout(r, 400));
    expect([mailsTo(a.email).length, mailsTo(b.email).length]).toEqual([1, 1]);
  });

  it('refuses an unknown group and a group with nobody eligible (only the requester, or approvers elsewhere) with 422 naming it; nothing stored', async () => {
    await env({ name: 'prod' });
    await env({ name: 'dev' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER', 'APPROVER'], 'req');
    const devOnly = await actor([{ role: 'APPROVER', environment: 'dev' }], 'devonly');
    const auditor = await actor(['AUDITOR'], 'aud');
    await actor(['APPROVER'], 'somebody');
    await group(admin, 'just-me', [requester.email]);
    await group(admin, 'elsewhere', [devOnly.email, auditor.email]);
    await group(admin, 'empty', []);
    const error = await submit(requester, { reviewerGroups: ['just-me', 'elsewhere', 'ghosts', 'empty'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [
        { path: 'reviewerGroups.0', message: 'Group just-me has no member who may approve in prod other than you.' },
        { path: 'reviewerGroups.1', message: 'Group elsewhere has no member who may approve in prod.' },
        { path: 'reviewerGroups.2', message: 'There is no reviewer group named ghosts.' },
        { path: 'reviewerGroups.3', message: 'Group empty has no member who may approve in prod.' },
      ],
    });
    expect(await db().changeRequest.count()).toBe(0);
    expect(await db().chosenReviewer.count()).toBe(0);
    expect(await db().notificationEvent.count()).toBe(0);
    // The same group is fine where its member approves.
    const devReq = await submitChangeRequest(requester, {
      environment: 'dev',
      namespace: 'shop',
      action: 'create',
      title: 'Dev promo',
      justification: 'campaign',
      yaml: newIngressYaml('promo', 'promo.example.com'),
      reviewerGroups: 'elsewhere',
    });
    expect((await db().chosenReviewer.findMany({ where: { changeRequestId: devReq.id } })).map((c) => c.userId)).toEqual([devOnly.id]);
  });

  it('an inactive member is not asked', async () => {
    await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER'], 'req');
    const gone = await actor(['APPROVER'], 'gone');
    await group(admin, 'ops', [gone.email]);
    await db().user.update({ where: { id: gone.id }, data: { isActive: false } });
    await expect(submit(requester, { reviewerGroups: ['ops'] })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [{ path: 'reviewerGroups.0', message: 'Group ops has no member who may approve in prod.' }],
    });
  });
});

import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '@/lib/server/audit/append-audit-event';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb, testDatabaseUrl } from './helpers';

// The invariants (ARCHITECTURE.md "Invariants") enforced by the database itself, exercised with direct SQL
// (the path that bypasses every TypeScript check).

let sql: pg.Client;
beforeAll(async () => {
  sql = new pg.Client({ connectionString: testDatabaseUrl() });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
});
beforeEach(resetDb);

async function requestWithRevision() {
  const env = await createEnvironment(db(), { name: 'prod', requiredApprovals: 2 });
  const requester = await createUser(db(), { email: 'req@example.com', roles: ['REQUESTER'] });
  const approver = await createUser(db(), { email: 'app@example.com', roles: ['APPROVER'] });
  // One transaction: a request's current revision must exist when it commits (deferred FK).
  const { request, revision } = await db().$transaction(async (tx) => {
    const request = await tx.changeRequest.create({
      data: {
        environmentId: env.id,
        namespace: 'shop',
        ingressName: 'web',
        action: 'UPDATE',
        requesterId: requester.id,
        title: 't',
        justification: 'j',
      },
    });
    const revision = await tx.revision.create({
      data: {
        changeRequestId: request.id,
        number: 1,
        authorId: requester.id,
        proposedYaml: 'x',
        contentHash: 'sha256:aaa',
        baseYaml: '',
        analysis: {},
      },
    });
    return { request, revision };
  });
  return { env, requester, approver, request, revision };
}

const insertReview = (r: { request: { id: string }; revision: { id: string } }, reviewerId: string, hash = 'sha256:aaa') =>
  sql.query(
    `INSERT INTO reviews (change_request_id, revision_id, reviewer_id, decision, content_hash) VALUES ($1, $2, $3, 'APPROVE', $4)`,
    [r.request.id, r.revision.id, reviewerId, hash],
  );

describe('reviews', () => {
  it('rejects a review by the request’s own requester, even through direct SQL', async () => {
    const r = await requestWithRevision();
    await expect(insertReview(r, r.requester.id)).rejects.toThrow(/cannot review their own change request/);
    expect(await db().review.count()).toBe(0);
  });

  it('accepts one review per reviewer per revision and rejects the second', async () => {
    const r = await requestWithRevision();
    await insertReview(r, r.approver.id);
    await expect(insertReview(r, r.approver.id)).rejects.toThrow(/reviews_revision_id_reviewer_id_key/);
    expect(await db().review.count()).toBe(1);
  });

  it('rejects a review whose content hash is not the revision’s', async () => {
    const r = await requestWithRevision();
    await expect(insertReview(r, r.approver.id, 'sha256:other')).rejects.toThrow(/content hash does not match/);
  });

  it('rejects a review of a request that is not pending, even through direct SQL', async () => {
    const r = await requestWithRevision();
    await sql.query(`UPDATE change_requests SET status = 'CANCELLED' WHERE id = $1`, [r.request.id]);
    await expect(insertReview(r, r.approver.id)).rejects.toThrow(/only a pending change request can be reviewed/);
  });

  it('rejects a review of a revision that is no longer current', async () => {
    const r = await requestWithRevision();
    await db().$transaction(async (tx) => {
      await tx.revision.create({
        data: {
          changeRequestId: r.request.id,
          number: 2,
          authorId: r.requester.id,
          proposedYaml: 'y',
          contentHash: 'sha256:bbb',
          baseYaml: '',
          analysis: {},
        },
      });
      await tx.changeRequest.update({ where: { id: r.request.id }, data: { currentRevision: 2 } });
    });
    await expect(insertReview(r, r.approver.id)).rejects.toThrow(/revision 1 is not the current revision \(2\)/);
  });

  it('rejects turning an existing review into a self-review by UPDATE', async () => {
    const r = await requestWithRevision();
    await insertReview(r, r.approver.id);
    await expect(sql.query('UPDATE reviews SET reviewer_id = $1', [r.requester.id])).rejects.toThrow(/cannot review their own/);
  });
});

describe('audit_events', () => {
  it('appends a linked chain and rejects UPDATE, DELETE and TRUNCATE', async () => {
    const user = await createUser(db(), { email: 'a@example.com' });
    const first = await db().$transaction((tx) => appendAuditEvent(tx, { actor: user, action: 'test.one' }));
    const second = await db().$transaction((tx) => appendAuditEvent(tx, { actor: user, action: 'test.two' }));
    const rows = await db().auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((r) => [r.prevHash, r.hash])).toEqual([
      ['genesis', first.hash],
      [first.hash, second.hash],
    ]);
    await expect(sql.query(`UPDATE audit_events SET reason = 'edited'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql.query('DELETE FROM audit_events')).rejects.toThrow(/append-only: DELETE/);
    await expect(sql.query('TRUNCATE audit_events')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await db().auditEvent.count()).toBe(2);
  });

  it('rejects an event that does not link to the current head (a fork)', async () => {
    const user = await createUser(db(), { email: 'b@example.com' });
    await db().$transaction((tx) => appendAuditEvent(tx, { actor: user, action: 'test.one' }));
    await expect(
      sql.query(`INSERT INTO audit_events (actor_label, action, prev_hash, hash) VALUES ('x', 'forged', 'genesis', 'f00')`),
    ).rejects.toThrow(/audit chain fork/);
  });

  it('keeps one chain under 20 concurrent appends', async () => {
    const user = await createUser(db(), { email: 'c@example.com' });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => db().$transaction((tx) => appendAuditEvent(tx, { actor: user, action: `test.${i}` }))),
    );
    const rows = await db().auditEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(rows).toHaveLength(20);
    rows.forEach((row, i) => expect(row.prevHash).toBe(i === 0 ? 'genesis' : rows[i - 1]!.hash));
  });
});

describe('change_requests', () => {
  it('rejects a request whose current revision does not exist (checked at commit)', async () => {
    const r = await requestWithRevision();
    await expect(sql.query('UPDATE change_requests SET current_revision = 5 WHERE id = $1', [r.request.id])).rejects.toThrow(
      /change_requests_current_revision_exists/,
    );
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: r.request.id } })).currentRevision).toBe(1);
  });
});

describe('environments', () => {
  it.each([0, 11])('rejects required_approvals = %i', async (n) => {
    await expect(
      sql.query(`INSERT INTO environments (name, required_approvals, updated_at) VALUES ('e${n}', $1, now())`, [n]),
    ).rejects.toThrow(/environments_required_approvals_range/);
  });

  it('allows a role once per scope, global included', async () => {
    const user = await createUser(db(), { email: 'd@example.com', roles: ['APPROVER'] });
    await expect(sql.query(`INSERT INTO role_assignments (user_id, role) VALUES ($1, 'APPROVER')`, [user.id])).rejects.toThrow(
      /role_assignments_user_role_scope_key/,
    );
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createExportVerifier, type TExportVerifyResult } from '@/lib/domain/audit/audit-export-format';
import { appendAuditEvent, type TAuditInput } from '@/lib/server/audit/append-audit-event';
import { exportAuditEvents, sqlCsvCell } from '@/lib/server/audit/export-audit-events';
import { csvCell } from '@/lib/domain/audit/audit-csv';
import { listAuditEvents } from '@/lib/server/audit/list-audit-events';
import { verifyLiveAuditChain } from '@/lib/server/audit/verify-live-audit-chain';
import { loadActor } from '@/lib/server/auth/load-actor';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb, testDatabaseUrl } from '../helpers';

let owner: pg.Client;
beforeAll(async () => {
  owner = new pg.Client({ connectionString: testDatabaseUrl() });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
});
beforeEach(resetDb);

async function actorWith(email: string, roles: Parameters<typeof createUser>[1]['roles']): Promise<TActor> {
  const user = await createUser(db(), { email, roles });
  return (await loadActor(user.id))!;
}

async function append(input: Omit<TAuditInput, 'actor'> & { actor?: TAuditInput['actor'] }, at?: Date) {
  return db().$transaction((tx) => appendAuditEvent(tx, { actor: { system: 'system' }, ...input }, at));
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

function verifyText(text: string): TExportVerifyResult {
  const v = createExportVerifier();
  for (const line of text.split('\n')) {
    const r = v.pushLine(line);
    if (r) return r;
  }
  return v.finish();
}

/** Edits a stored event as the database owner, bypassing the append-only trigger. */
async function tamper(sql: string, params: unknown[]) {
  await owner.query('SET session_replication_role = replica');
  try {
    await owner.query(sql, params);
  } finally {
    await owner.query('SET session_replication_role = DEFAULT');
  }
}

describe('tamper evidence', () => {
  it('verify finds an event edited by the database owner, at that event, live and in an export', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    for (let i = 1; i <= 6; i++) await append({ action: 'test.event', reason: `event ${i}`, details: { i } });
    expect(await verifyLiveAuditChain(auditor)).toMatchObject({ ok: true, count: 6 });

    await tamper(`UPDATE audit_events SET reason = 'rewritten' WHERE seq = 4`, []);
    const live = await verifyLiveAuditChain(auditor);
    expect(live).toMatchObject({ ok: false, count: 3, brokenAt: { seq: '4', reason: expect.stringMatching(/modified/) } });

    const exported = await exportAuditEvents(auditor, {}, { format: 'ndjson' });
    const result = verifyText(await readAll(exported.stream));
    expect(result).toMatchObject({ ok: false, seq: '4', eventsVerified: 3, reason: expect.stringMatching(/modified/) });
  });

  it('verify finds a deleted event at the event after it', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    for (let i = 1; i <= 5; i++) await append({ action: 'test.event', details: { i } });
    await tamper('DELETE FROM audit_events WHERE seq = 2', []);
    expect(await verifyLiveAuditChain(auditor)).toMatchObject({
      ok: false,
      brokenAt: { seq: '3', reason: expect.stringMatching(/removed or reordered/) },
    });
  });

  it('verify finds a recomputed-hash edit at the next event (the chain, not the row, proves it)', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    for (let i = 1; i <= 4; i++) await append({ action: 'test.event', details: { i } });
    // The attacker rewrites event 2 and fixes its own hash, but cannot fix event 3's prev_hash without rewriting everything after.
    await tamper(`UPDATE audit_events SET hash = 'f00d' WHERE seq = 2`, []);
    expect(await verifyLiveAuditChain(auditor)).toMatchObject({ ok: false, brokenAt: { seq: '2' } });
  });

  it('the application cannot UPDATE or DELETE events (the trigger refuses)', async () => {
    await append({ action: 'test.event' });
    await expect(db().$executeRawUnsafe(`UPDATE audit_events SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  });

  it('concurrent appends from many transactions keep one unforked chain', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    await Promise.all(Array.from({ length: 40 }, (_, i) => append({ action: 'test.concurrent', details: { i } })));
    const rows = await db().auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { prevHash: true, hash: true } });
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(40);
    rows.forEach((r, i) => expect(r.prevHash).toBe(i === 0 ? 'genesis' : rows[i - 1]!.hash));
    expect(await verifyLiveAuditChain(auditor)).toMatchObject({ ok: true, count: 40 });
  });

  it('a direct INSERT that names a stale head is refused (no fork even bypassing the application)', async () => {
    await append({ action: 'test.one' });
    await append({ action: 'test.two' });
    await expect(
      owner.query(`INSERT INTO audit_events (actor_label, action, prev_hash, hash) VALUES ('x', 'forged', 'genesis', 'abc')`),
    ).rejects.toThrow(/audit chain fork/);
  });
});

describe('export', () => {
  it('the SQL rendering of a CSV cell equals csvCell for every case', async () => {
    const cases = ['plain', '=1+2', '+x', '-2', '@a', '\tx', '\rx', 'a,b', 'say "hi"', 'l1\nl2', '', "it's", 'mid=x', 'ünïcode', null];
    for (const value of cases) {
      const { rows } = await owner.query<{ cell: string }>(`SELECT ${sqlCsvCell('$1::text')} AS cell`, [value]);
      expect(rows[0]!.cell, JSON.stringify(value)).toBe(csvCell(value));
    }
  });

  it('CSV neutralises formula cells and quotes separators; every event is a row with its hashes', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    const env = await createEnvironment(db(), { name: 'prod' });
    const nasty = [
      '=HYPERLINK("http://evil.example","click")',
      '+cmd|/C calc!A0',
      '-2+3',
      '@SUM(A1)',
      '\t=1+1',
      '\r=1+1',
      'a, "quoted"\nline',
    ];
    for (const reason of nasty) await append({ action: 'change-request.submitted', environmentId: env.id, reason });
    const exported = await exportAuditEvents(auditor, { action: 'change-request.submitted' }, { format: 'csv' });
    expect(exported.contentType).toMatch(/^text\/csv/);
    expect(exported.fileName).toMatch(/^audit_beginning_now_exported-\d{8}T\d{6}Z\.csv$/);
    const text = await readAll(exported.stream);
    expect(text.startsWith('seq,occurred_at,actor,actor_id,action,environment,')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain(",'+cmd|/C calc!A0,");
    expect(text).toContain(",'-2+3,");
    expect(text).toContain(",'@SUM(A1),");
    expect(text).toContain(",'\t=1+1,");
    expect(text).toContain(`,"'\r=1+1",`);
    expect(text).toContain(`,"a, ""quoted""\nline",`);
    expect(text).toContain(',prod,');
    // No data cell starts with a formula character outside quotes.
    const records = text.split('\r\n').filter(Boolean);
    expect(records).toHaveLength(1 + nasty.length);
  });

  it('a filtered CSV export is the same whatever the page size (pages in parallel, ranges with no match skipped)', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    const prod = await createEnvironment(db(), { name: 'prod' });
    const dev = await createEnvironment(db(), { name: 'dev' });
    // Matching events in runs separated by longer runs of others, so some 2-row ranges hold no match.
    for (let i = 0; i < 30; i++) await append({ action: 'test.event', environmentId: i % 7 < 2 ? prod.id : dev.id, details: { i } });
    const body = async (pageSize: number) =>
      (await readAll((await exportAuditEvents(auditor, { environmentId: prod.id }, { format: 'csv', pageSize })).stream))
        .split('\r\n')
        .slice(1);
    const whole = await body(5_000);
    expect(whole.filter(Boolean)).toHaveLength(10);
    expect(await body(2)).toEqual(whole);
    expect(await body(3)).toEqual(whole);
  });

  it('NDJSON of a filter verifies: matching events in full, others as links, end record', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    const prod = await createEnvironment(db(), { name: 'prod' });
    const dev = await createEnvironment(db(), { name: 'dev' });
    for (let i = 0; i < 12; i++)
      await append({ action: 'test.event', environmentId: i % 3 === 0 ? prod.id : dev.id, namespace: 'shop', details: { i } });
    const exported = await exportAuditEvents(auditor, { environmentId: prod.id }, { format: 'ndjson', pageSize: 5 });
    const text = await readAll(exported.stream);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; environmentId?: string });
    expect(lines[0]).toMatchObject({ type: 'header', format: 'ingress-gate-audit/v1', filter: { environmentId: prod.id } });
    expect(lines.filter((l) => l.type === 'event').every((l) => l.environmentId === prod.id)).toBe(true);
    expect(lines.filter((l) => l.type === 'event')).toHaveLength(4);
    expect(lines.filter((l) => l.type === 'link')).toHaveLength(6); // dev events between the first and last prod event
    expect(lines.at(-1)).toMatchObject({ type: 'end', events: 4, links: 6 });
    expect(verifyText(text)).toMatchObject({ ok: true, events: 4, links: 6, isFromGenesis: true });
  });

  it('an unfiltered NDJSON export is the whole chain from genesis and passes the CLI verifier; an edited file fails it', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    for (let i = 0; i < 7; i++) await append({ action: 'test.event', reason: `r${i}`, details: { i } });
    const exported = await exportAuditEvents(auditor, {}, { format: 'ndjson', pageSize: 3 });
    const text = await readAll(exported.stream);
    const dir = await mkdtemp(path.join(tmpdir(), 'audit-verify-'));
    const good = path.join(dir, 'good.ndjson');
    const bad = path.join(dir, 'bad.ndjson');
    await writeFile(good, text);
    await writeFile(bad, text.replace('"r4"', '"r4 (edited)"'));
    const run = promisify(execFile);
    const ok = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/audit-verify.ts', good]);
    // 7 events + the export's own audit.exported event, and the checkpoint the export signed.
    expect(ok.stdout).toMatch(
      /^8 events verified, from genesis, head hash [0-9a-f]{64}; 1 signed checkpoint\(s\) verified, the latest at seq 8\n$/,
    );
    const failed = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/audit-verify.ts', bad]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringMatching(/^BROKEN at line 7 \(event seq 5\): hash does not match/) });
  });

  it('the export is itself audited, and an unknown format is a 400', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    await exportAuditEvents(auditor, { from: '2026-01-01' }, { format: 'csv' });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: 'audit.exported' } });
    expect(event).toMatchObject({ actorId: auditor.id, details: { format: 'csv', filter: { from: '2026-01-01' } } });
    await expect(exportAuditEvents(auditor, {}, { format: 'xlsx' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(exportAuditEvents(auditor, { from: 'yesterday' }, { format: 'csv' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'from' }],
    });
  });
});

describe('auditor page query', () => {
  it('filters by time, environment, namespace, ingress, actor, action and request; pages newest first', async () => {
    const auditor = await actorWith('auditor@example.com', ['AUDITOR']);
    const alice = await createUser(db(), { email: 'alice@example.com' });
    const env = await createEnvironment(db(), { name: 'prod' });
    const t = (d: number) => new Date(Date.UTC(2026, 0, d, 12));
    await append({ action: 'change-request.submitted', environmentId: env.id, namespace: 'shop', ingressName: 'web' }, t(1));
    await append(
      {
        actor: { id: alice.id, email: alice.email },
        action: 'change-request.review-approved',
        environmentId: env.id,
        namespace: 'shop',
        ingressName: 'web',
      },
      t(5),
    );
    await append({ action: 'user.signed-in' }, t(10));
    const list = async (filter: Record<string, string>) => (await listAuditEvents(auditor, filter)).events.map((e) => e.action);
    expect(await list({})).toEqual(['user.signed-in', 'change-request.review-approved', 'change-request.submitted']);
    expect(await list({ from: '2026-01-02', to: '2026-01-05' })).toEqual(['change-request.review-approved']);
    expect(await list({ environmentId: env.id, ingressName: 'web', namespace: 'shop' })).toHaveLength(2);
    expect(await list({ actor: 'ALICE' })).toEqual(['change-request.review-approved']);
    expect(await list({ action: 'change-request.*' })).toHaveLength(2);
    expect(await list({ actor: '%' })).toEqual([]);
    const first = await listAuditEvents(auditor, {}, { limit: 2 });
    expect(first.nextBefore).not.toBeNull();
    const second = await listAuditEvents(auditor, {}, { limit: 2, before: first.nextBefore });
    expect(second.events.map((e) => e.action)).toEqual(['change-request.submitted']);
    expect(second.nextBefore).toBeNull();
  });

  it('an auditor scoped to one environment sees and exports only its events', async () => {
    const prod = await createEnvironment(db(), { name: 'prod' });
    const dev = await createEnvironment(db(), { name: 'dev' });
    const scoped = await actorWith('scoped@example.com', [{ role: 'AUDITOR', environment: 'dev' }]);
    await append({ action: 'a', environmentId: prod.id });
    await append({ action: 'b', environmentId: dev.id });
    await append({ action: 'c' });
    expect((await listAuditEvents(scoped, {})).events.map((e) => e.action)).toEqual(['b']);
    const text = await readAll((await exportAuditEvents(scoped, {}, { format: 'ndjson' })).stream);
    expect(text).not.toContain('"action":"a"');
    expect(verifyText(text)).toMatchObject({ ok: true, events: 1 });
    await expect(verifyLiveAuditChain(scoped)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('permission matrix: audit operations', () => {
  const ROLES = [
    { roles: [] as const, view: false, exp: false },
    { roles: ['REQUESTER'] as const, view: false, exp: false },
    { roles: ['APPROVER'] as const, view: false, exp: false },
    { roles: ['AUDITOR'] as const, view: true, exp: true },
    { roles: ['ADMIN'] as const, view: true, exp: true },
  ];
  for (const row of ROLES) {
    it(`${row.roles.join('+') || 'no role'}: view ${row.view}, export ${row.exp}, verify ${row.view}`, async () => {
      const actor = await actorWith('who@example.com', [...row.roles]);
      const outcome = async (p: Promise<unknown>) =>
        p.then(
          () => true,
          (e: { code?: string }) => {
            if (e.code !== 'FORBIDDEN') throw e;
            return false;
          },
        );
      expect(await outcome(listAuditEvents(actor, {}))).toBe(row.view);
      expect(await outcome(exportAuditEvents(actor, {}, { format: 'csv' }))).toBe(row.exp);
      expect(await outcome(exportAuditEvents(actor, {}, { format: 'ndjson' }))).toBe(row.exp);
      expect(await outcome(verifyLiveAuditChain(actor))).toBe(row.view);
    });
  }
  it('no actor is a 401 everywhere', async () => {
    await expect(listAuditEvents(null, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(exportAuditEvents(null, {}, { format: 'csv' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifyLiveAuditChain(null)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

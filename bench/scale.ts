/**
 * The scale bench of issue 19: 100,000 requests and 1,000,000 audit events (bench/scale-seed.ts),
 * and for each page and filter of the table the server time of the read model the page
 * calls (p50 / p95 over N runs) beside the time of the very SQL it sent, replayed on a plain pg
 * client ("its SQL", the floor) — measured interleaved, side by side, in one run. Statement
 * counts come from a hook on pg.Client.prototype.query (every statement this process sends).
 * Targets: every page p95 ≤ 50 ms; page 2,000 costs what page 2 costs.
 *
 *   node_modules/.bin/tsx bench/scale.ts [--runs 40] [--fresh]
 *
 * Data: database `scale_<TEST_DB_SUFFIX>` (kept; --fresh regenerates, ~2 minutes).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TActor } from '../lib/domain/authz/permissions';
import { scaleServer, seedScale } from './scale-seed';

type TStatement = { text: string; values: unknown[] };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs fn while recording every statement sent through pg. */
async function recorded<T>(fn: () => Promise<T>): Promise<{ result: T; statements: TStatement[] }> {
  const statements: TStatement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [q, v] = args as [string | { text: string; values?: unknown[] }, unknown];
    if (typeof q === 'string') statements.push({ text: q, values: Array.isArray(v) ? v : [] });
    else if (q && typeof q === 'object' && 'text' in q) statements.push({ text: q.text, values: q.values ?? [] });
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    proto.query = original;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

type TCase = { name: string; run: () => Promise<unknown> };

async function measure(cases: TCase[], floorClient: pg.Client, runs: number) {
  const rows: { name: string; statements: number; p50: number; p95: number; f50: number; f95: number; pg50: number }[] = [];
  for (const c of cases) {
    const { statements } = await recorded(c.run);
    const replay = statements.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(s.text));
    const server: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs + 3; i += 1) {
      const t0 = performance.now();
      await c.run();
      const t1 = performance.now();
      for (const s of replay) await floorClient.query(s.text, s.values as unknown[]);
      const t2 = performance.now();
      if (i >= 3) {
        server.push(t1 - t0);
        floor.push(t2 - t1);
      }
    }
    // PostgreSQL's own planning + execution time of the same statements (EXPLAIN ANALYZE), which
    // the machine's load inflates far less than round trips do.
    const inPg: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      let ms = 0;
      for (const s of replay) {
        const { rows: plan } = await floorClient.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) ${s.text}`,
          s.values as unknown[],
        );
        ms += plan[0]!['QUERY PLAN'][0]['Planning Time'] + plan[0]!['QUERY PLAN'][0]['Execution Time'];
      }
      inPg.push(ms);
    }
    rows.push({
      name: c.name,
      statements: statements.length,
      p50: pct(server, 50),
      p95: pct(server, 95),
      f50: pct(floor, 50),
      f95: pct(floor, 95),
      pg50: pct(inPg, 50),
    });
  }
  return rows;
}

const server = await scaleServer();
const world = await seedScale(server.url, { isFresh: process.argv.includes('--fresh') });
Object.assign(process.env, {
  DATABASE_URL: server.url,
  AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString('base64'),
  INGRESS_GATE_SECRET_KEY: process.env.INGRESS_GATE_SECRET_KEY ?? randomBytes(32).toString('base64'),
  NODE_ENV: 'production',
});
const { listChangeRequests } = await import('../lib/server/change-requests/list-change-requests');
const { getChangeRequest } = await import('../lib/server/change-requests/get-change-request');
const { listAuditEvents } = await import('../lib/server/audit/list-audit-events');
const runs = Number(arg('runs') ?? 40);
const admin: TActor = {
  id: world.adminId,
  email: 'scale-admin-0001@example.com',
  name: 'Admin',
  roles: [{ role: 'ADMIN', environmentId: null }],
};
const auditor: TActor = {
  id: world.auditorId,
  email: 'scale-auditor-0001@example.com',
  name: 'Auditor',
  roles: [{ role: 'AUDITOR', environmentId: null }],
};
const approver: TActor = {
  id: world.approverIds[0]!,
  email: 'scale-approver-0001@example.com',
  name: 'Approver',
  roles: [{ role: 'APPROVER', environmentId: null }],
};

const floorClient = new pg.Client({ connectionString: server.url });
await floorClient.connect();
// Cursors at depth: the (created_at, id) of the last row of page n (25 per page), as the UI encodes them.
async function cursorAt(page: number): Promise<string> {
  const { rows } = await floorClient.query<{ t: Date; id: string }>(
    `SELECT created_at AS t, id::text FROM change_requests ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [page * 25 - 1],
  );
  return Buffer.from(JSON.stringify({ t: rows[0]!.t.toISOString(), id: rows[0]!.id })).toString('base64url');
}
const { rows: sample } = await floorClient.query<{ id: string }>(
  `SELECT id::text FROM change_requests WHERE status = 'APPLIED' ORDER BY number DESC LIMIT 1`,
);
const [c2, c2000, c3999] = [await cursorAt(1), await cursorAt(1999), await cursorAt(3999)];

const cases: TCase[] = [
  { name: 'inbox, "all", page 1', run: () => listChangeRequests(admin, {}) },
  { name: 'inbox page 2 via cursor', run: () => listChangeRequests(admin, { cursor: c2 }) },
  { name: 'inbox page 2,000 via cursor', run: () => listChangeRequests(admin, { cursor: c2000 }) },
  { name: 'inbox page 4,000 via cursor', run: () => listChangeRequests(admin, { cursor: c3999 }) },
  { name: 'inbox env + status + text', run: () => listChangeRequests(admin, { environment: 'scale-03', status: 'APPLIED', q: 'web-42' }) },
  { name: 'inbox, needs my review', run: () => listChangeRequests(approver, { view: 'needs-review' }) },
  { name: 'REST list (limit 100)', run: () => listChangeRequests(admin, { limit: 100 }) },
  { name: 'audit, no filter', run: () => listAuditEvents(auditor, {}) },
  { name: 'audit, actor matching nothing', run: () => listAuditEvents(auditor, { actor: 'no-such-actor' }) },
  { name: 'audit, actor matching everything', run: () => listAuditEvents(auditor, { actor: 'example.com' }) },
  { name: 'audit, actor matching 0.4 %', run: () => listAuditEvents(auditor, { actor: 'requester-0042' }) },
  { name: 'audit, action matching nothing', run: () => listAuditEvents(auditor, { action: 'no.such.action' }) },
  { name: 'audit, action prefix', run: () => listAuditEvents(auditor, { action: 'change-request.*' }) },
  { name: 'audit, environment', run: () => listAuditEvents(auditor, { environmentId: world.environmentIds[2] }) },
  { name: 'request page (read model)', run: () => getChangeRequest(admin, sample[0]!.id) },
];

console.log(
  `\n${world.requests.toLocaleString('en')} requests, ${world.events.toLocaleString('en')} audit events; ${runs} runs each, server and its SQL interleaved`,
);
console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
);
console.log(
  `${'what'.padEnd(34)} stmts   server p50 / p95 ms   its SQL p50 / p95 ms   ratio p50   in PostgreSQL p50 ms   target p95 ≤ 50 ms`,
);
const results = await measure(cases, floorClient, runs);
for (const r of results) {
  console.log(
    `${r.name.padEnd(34)} ${String(r.statements).padStart(5)}   ${r.p50.toFixed(2).padStart(8)} / ${r.p95.toFixed(2).padStart(7)}     ${r.f50.toFixed(2).padStart(8)} / ${r.f95.toFixed(2).padStart(7)}   ${(r.p50 / r.f50).toFixed(1).padStart(7)}×   ${r.pg50.toFixed(2).padStart(13)}          ${r.p95 <= 50 ? 'ok' : 'MISSED'}`,
  );
}
const depth = results.filter((r) => r.name.startsWith('inbox page'));
console.log(
  `depth: page 2 → 2,000 → 4,000: its SQL p50 ${depth.map((r) => r.f50.toFixed(2)).join(' → ')} ms; in PostgreSQL ${depth.map((r) => r.pg50.toFixed(2)).join(' → ')} ms`,
);
await floorClient.end();
const { db } = await import('../lib/server/db/client');
await db().$disconnect();
const { auditReadPool } = await import('../lib/server/audit/audit-query');
await auditReadPool().end();
await server.stop();

/**
 * Benchmark of the audit export (issue 7, "Speed"): 1,000,000 chained events exported as NDJSON
 * and as CSV through exportAuditEvents — the function the route handler
 * app/api/audit/export/route.ts wraps in a Response — reading the Response body to the end.
 * Target: ≥ 100,000 rows/s and peak RSS < 300 MB for the exporting process.
 *
 *   node_modules/.bin/tsx bench/audit-export.ts [--events 1000000] [--fresh]
 *
 * Data goes to a scratch database `ingress_gate_bench` (TEST_DATABASE_URL's server, else an
 * embedded PostgreSQL under .data/bench-pg on port 54349) and is kept for the next run unless
 * --fresh. Rows are generated in Node with hashAuditEvent (a valid chain, checked by verifying
 * the NDJSON output) and inserted 10,000 at a time with `unnest`, with
 * session_replication_role = replica so the per-row chain trigger is skipped (superuser only).
 * Each export runs in a child process, so its peak RSS is the export's and not the seeding's.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { GENESIS_HASH, canonicalJson, hashAuditEvent, type TAuditEventBody } from '../lib/domain/audit/audit-chain';
import { createExportVerifier } from '../lib/domain/audit/audit-export-format';

const DB_NAME = 'ingress_gate_bench';
const EMBEDDED_PORT = 54349;
const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function serverUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${DB_NAME}`;
    return { url: u.toString(), stop: async () => {} };
  }
  const { startEmbeddedPostgres } = await import('../lib/server/db/embedded-postgres');
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, '.data', 'bench-pg'), port: EMBEDDED_PORT, database: DB_NAME });
  return { url: server.url, stop: server.stop };
}

async function seed(url: string, total: number, isFresh: boolean): Promise<string> {
  const { deployMigrations } = await import('../lib/server/db/migrations');
  const admin = new pg.Client({ connectionString: url.replace(`/${DB_NAME}`, '/postgres') });
  await admin.connect();
  if (isFresh) await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount === 0)
    await admin.query(`CREATE DATABASE "${DB_NAME}"`);
  await admin.end();
  await deployMigrations(url);
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const { rows: auditors } = await sql.query<{ id: string }>(`SELECT id FROM users WHERE email = 'bench-auditor@example.com'`);
    const { rows: counted } = await sql.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_events WHERE action <> 'audit.exported'`,
    );
    if (auditors[0] && Number(counted[0]!.n) === total) {
      console.log(`reusing ${total.toLocaleString('en')} events in ${DB_NAME} (pass --fresh to regenerate)`);
      return auditors[0].id;
    }
    await sql.query(`SET session_replication_role = replica`);
    await sql.query(`TRUNCATE audit_events, role_assignments, users, environments RESTART IDENTITY CASCADE`);
    await sql.query(`SET session_replication_role = DEFAULT`);
    const {
      rows: [user],
    } = await sql.query<{ id: string }>(
      `INSERT INTO users (email, name, updated_at) VALUES ('bench-auditor@example.com', 'Bench Auditor', now()) RETURNING id`,
    );
    await sql.query(`INSERT INTO role_assignments (user_id, role) VALUES ($1, 'AUDITOR')`, [user!.id]);
    const { rows: envs } = await sql.query<{ id: string }>(
      `INSERT INTO environments (name, updated_at) VALUES ('dev', now()), ('staging', now()), ('prod', now()) RETURNING id`,
    );
    const t0 = performance.now();
    await sql.query(`SET session_replication_role = replica`);
    let prev = GENESIS_HASH;
    const start = Date.UTC(2025, 0, 1);
    const BATCH = 10_000;
    const ACTIONS = [
      'change-request.submitted',
      'change-request.review-approved',
      'change-request.approved',
      'change-request.applied',
      'user.signed-in',
    ];
    for (let base = 0; base < total; base += BATCH) {
      const cols: unknown[][] = Array.from({ length: 12 }, () => []);
      for (let i = base; i < Math.min(total, base + BATCH); i++) {
        const action = ACTIONS[i % ACTIONS.length]!;
        const isUser = action === 'user.signed-in';
        const body: TAuditEventBody = {
          occurredAt: new Date(start + i * 30_000).toISOString(),
          actorId: null,
          actorLabel: `user${i % 97}@example.com`,
          action,
          environmentId: isUser ? null : envs[i % 3]!.id,
          namespace: isUser ? null : `team-${i % 13}`,
          ingressName: isUser ? null : `web-${i % 101}`,
          changeRequestId: null,
          reason: isUser
            ? null
            : i % 7 === 0
              ? '=HYPERLINK("http://x","justification with, commas")'
              : `Rotate the TLS secret for web-${i % 101}; ticket OPS-${i}`,
          details: isUser
            ? { method: 'password' }
            : JSON.parse(
                canonicalJson({
                  number: i,
                  revision: 1 + (i % 3),
                  before: { resourceVersion: String(1000 + i), hash: `sha256:${(i * 2654435761).toString(16).padStart(16, '0')}` },
                  after: { hash: `sha256:${(i * 40503).toString(16).padStart(16, '0')}` },
                }),
              ),
        };
        const hash = hashAuditEvent(prev, body);
        const row = [
          i + 1,
          body.occurredAt,
          body.actorLabel,
          body.action,
          body.environmentId,
          body.namespace,
          body.ingressName,
          body.reason,
          JSON.stringify(body.details),
          prev,
          hash,
          null,
        ];
        row.forEach((v, c) => cols[c]!.push(v));
        prev = hash;
      }
      await sql.query(
        `INSERT INTO audit_events (seq, occurred_at, actor_label, action, environment_id, namespace, ingress_name, reason, details, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::text[], $11::text[])`,
        cols.slice(0, 11),
      );
      if ((base / BATCH) % 10 === 9) process.stdout.write(`  inserted ${(base + BATCH).toLocaleString('en')}\r`);
    }
    await sql.query(`SET session_replication_role = DEFAULT`);
    await sql.query(`SELECT setval(pg_get_serial_sequence('audit_events', 'seq'), $1)`, [total]);
    await sql.query('VACUUM ANALYZE audit_events');
    console.log(`seeded ${total.toLocaleString('en')} chained events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return user!.id;
  } finally {
    await sql.end();
  }
}

/** Child mode: one export, read to the end; prints a JSON result line. */
async function exportChild(url: string, format: string, auditorId: string): Promise<void> {
  const { createDb } = await import('../lib/server/db/client');
  const { exportAuditEvents } = await import('../lib/server/audit/export-audit-events');
  const client = createDb(url, 1);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const actor = {
    id: auditorId,
    email: 'bench-auditor@example.com',
    name: 'Bench Auditor',
    roles: [{ role: 'AUDITOR' as const, environmentId: null }],
  };
  const t0 = performance.now();
  const exported = await exportAuditEvents(actor, {}, { format, client, pool });
  const response = new Response(exported.stream, { headers: { 'content-type': exported.contentType } });
  // The consumer does what a socket does: takes the bytes. Lines are counted on the bytes, and the
  // NDJSON is written to a file and verified after the clock and the RSS sampler stop.
  const reader = response.body!.getReader();
  const file = format === 'ndjson' ? createWriteStream(path.join(tmpdir(), `bench-audit-${process.pid}.ndjson`)) : null;
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines += 1;
    if (file && !file.write(value)) await once(file, 'drain');
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  let verdict = null;
  if (file) {
    file.end();
    await once(file, 'finish');
    const verifier = createExportVerifier();
    for await (const line of createInterface({ input: createReadStream(file.path as string), crlfDelay: Infinity }))
      verdict ??= verifier.pushLine(line);
    verdict ??= verifier.finish();
    await unlink(file.path as string);
  }
  await client.$disconnect();
  await pool.end();
  const rows = format === 'ndjson' ? lines - 2 : lines - 1;
  console.log(
    JSON.stringify({
      format,
      rows,
      bytes,
      seconds,
      baselineRss: baseline,
      peakRss: peak,
      verified: verdict ? (verdict.ok ? `${verdict.events} events verified` : `BROKEN: ${verdict.reason}`) : null,
    }),
  );
}

function runChild(
  url: string,
  format: string,
  auditorId: string,
): Promise<{
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  baselineRss: number;
  peakRss: number;
  verified: string | null;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [here, '--child', format, '--url', url, '--auditor', auditorId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`export child exited ${code}: ${out}`)),
    );
  });
}

if (process.argv.includes('--child')) {
  await exportChild(arg('url')!, arg('child')!, arg('auditor')!);
  process.exit(0);
}

const total = Number(arg('events') ?? 1_000_000);
const server = await serverUrl();
try {
  const auditorId = await seed(server.url, total, process.argv.includes('--fresh'));
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(`format   rows        seconds   rows/s      output     peak RSS (baseline)   check`);
  for (const format of ['ndjson', 'csv']) {
    const r = await runChild(server.url, format, auditorId);
    const rate = r.rows / r.seconds;
    console.log(
      `${r.format.padEnd(8)} ${r.rows.toLocaleString('en').padStart(10)}  ${r.seconds.toFixed(2).padStart(7)}  ${Math.round(rate).toLocaleString('en').padStart(9)}   ${mb(r.bytes).padStart(8)}   ${mb(r.peakRss).padStart(7)} (${mb(r.baselineRss)})       ${r.verified ?? ''}`,
    );
    if (rate < 100_000 || r.peakRss > 300 * 1024 * 1024) console.log(`  ↑ misses the target (≥ 100,000 rows/s, peak RSS < 300 MB)`);
  }
} finally {
  await server.stop();
}

/**
 * Benchmark of the audit export (issues 7 and 19): 1,000,000 chained events exported as NDJSON
 * and as CSV through exportAuditEvents — the function the route handler
 * app/api/audit/export/route.ts wraps in a Response — reading the Response body to the end, side
 * by side with the floor: PostgreSQL's own `COPY (SELECT <the same columns>) TO STDOUT (FORMAT
 * csv)` read by pg-copy-streams. Two rounds, interleaved. Targets (issue 19): ≥ 70 % of COPY's
 * rows/s, peak RSS ≤ 200 MB for the exporting process.
 *
 *   node_modules/.bin/tsx bench/audit-export.ts [--rounds 2] [--fresh]
 *
 * Data: the scale data set (bench/scale-seed.ts, database `scale_<TEST_DB_SUFFIX>`, kept; the
 * events are a valid chain, checked by verifying the NDJSON output). Each export runs in a child
 * process, so its peak RSS is the export's and not the seeding's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createExportVerifier } from '../lib/domain/audit/audit-export-format';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const COPY_COLUMNS = `a.seq, to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), a.actor_label, a.actor_id, a.action,
  e.name, a.environment_id, a.namespace, a.ingress_name, a.change_request_id, a.reason, a.details, a.prev_hash, a.hash`;

/** Child mode, the floor: PostgreSQL's COPY of the same columns as CSV, read to the end. */
async function copyChild(url: string): Promise<void> {
  const { to: copyTo } = await import('pg-copy-streams');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const stream = client.query(
    copyTo(
      `COPY (SELECT ${COPY_COLUMNS} FROM audit_events a LEFT JOIN environments e ON e.id = a.environment_id ORDER BY a.seq) TO STDOUT (FORMAT csv)`,
    ),
  );
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events');
  await client.end();
  console.log(
    JSON.stringify({ format: 'COPY csv', rows: Number(rows[0]!.n), bytes, seconds, baselineRss: baseline, peakRss: peak, verified: null }),
  );
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

type TResult = {
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  baselineRss: number;
  peakRss: number;
  verified: string | null;
};

function runChild(url: string, format: string, auditorId: string): Promise<TResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [here, '--child', format, '--url', url, '--auditor', auditorId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      // The export signs a checkpoint (issue 11): it needs the app's configuration.
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString('base64'),
        INGRESS_GATE_SECRET_KEY: process.env.INGRESS_GATE_SECRET_KEY ?? randomBytes(32).toString('base64'),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`export child exited ${code}: ${out}`)),
    );
  });
}

if (process.argv.includes('--child')) {
  const format = arg('child')!;
  if (format === 'copy') await copyChild(arg('url')!);
  else await exportChild(arg('url')!, format, arg('auditor')!);
  process.exit(0);
}

const { scaleServer, seedScale } = await import('./scale-seed');
const server = await scaleServer();
try {
  const world = await seedScale(server.url, { isFresh: process.argv.includes('--fresh') });
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  console.log(`format     rows        seconds   rows/s      of COPY   output     peak RSS (baseline)   check`);
  const rounds = Number(arg('rounds') ?? 2);
  for (let round = 0; round < rounds; round += 1) {
    const results: TResult[] = [];
    for (const format of ['copy', 'ndjson', 'csv', 'copy']) results.push(await runChild(server.url, format, world.auditorId));
    const copyRate = (results[0]!.rows / results[0]!.seconds + results[3]!.rows / results[3]!.seconds) / 2;
    for (const r of results) {
      const rate = r.rows / r.seconds;
      const share = rate / copyRate;
      console.log(
        `${r.format.padEnd(10)} ${r.rows.toLocaleString('en').padStart(10)}  ${r.seconds.toFixed(2).padStart(7)}  ${Math.round(rate).toLocaleString('en').padStart(9)}   ${(share * 100).toFixed(0).padStart(5)} %   ${mb(r.bytes).padStart(8)}   ${mb(r.peakRss).padStart(7)} (${mb(r.baselineRss)})       ${r.verified ?? ''}`,
      );
      if (r.format !== 'COPY csv' && (share < 0.7 || r.peakRss > 200 * 1024 * 1024))
        console.log(`  ↑ misses the target (≥ 70 % of COPY's rows/s, peak RSS ≤ 200 MB)`);
    }
  }
} finally {
  await server.stop();
}

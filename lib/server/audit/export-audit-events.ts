import type pg from 'pg';
import type { TActor } from '@/lib/domain/authz/permissions';
import { AUDIT_CSV_COLUMNS, csvLine } from '@/lib/domain/audit/audit-csv';
import { AUDIT_EXPORT_FORMAT, ndjsonCheckpoint } from '@/lib/domain/audit/audit-export-format';
import { auditExportFileName, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { Prisma } from '@/lib/generated/prisma/client';
import { assertCan } from '../authz/assert-can';
import { db, type TDb } from '../db/client';
import { AppError } from '../errors';
import { recordAuditEvent } from './append-audit-event';
import { copyColumn, copyCsv } from './copy-column';
import { writeAuditCheckpoint } from './write-audit-checkpoint';
import { auditReadPool, auditWhere, queryText, visibleEnvironments } from './audit-query';
import { parseAuditFilter } from './list-audit-events';

export type TExportFormat = 'csv' | 'ndjson';

export const EXPORT_CONTENT_TYPE: Record<TExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

export type TAuditExport = { fileName: string; contentType: string; stream: ReadableStream<Uint8Array> };

/**
 * Export of the filtered history, streamed: a ReadableStream whose every pull takes the next
 * seq-range page (`seq > a AND seq <= a + 20000`, two in flight, each a `COPY … TO STDOUT (FORMAT
 * binary)` of lines PostgreSQL formats) and enqueues its bytes, so memory holds two pages
 * whatever the size, and a slow client slows the queries down instead of filling memory.
 * - CSV: the matching events, spreadsheet-safe, with their hashes and the environment's name.
 * - NDJSON: header, the events from the first to the last match (non-matching ones in between as
 *   link records: seq + hashes only), end record — verifiable with `npm run audit:verify`.
 * Checks audit.export, validates the filter and format (400), and records the export itself
 * (`audit.exported`) before the first byte. Each page is a separate query on the read pool, so an
 * abandoned download holds no connection.
 */
export async function exportAuditEvents(
  actor: TActor | null,
  input: unknown,
  opts: { format: string; now?: Date; client?: TDb; pool?: pg.Pool; pageSize?: number },
): Promise<TAuditExport> {
  assertCan(actor, 'audit.export');
  if (opts.format !== 'csv' && opts.format !== 'ndjson')
    throw new AppError('INVALID_INPUT', 'format must be "csv" or "ndjson".', {
      fieldErrors: [{ path: 'format', message: 'Choose csv or ndjson.' }],
    });
  const format: TExportFormat = opts.format;
  const filter = parseAuditFilter(input);
  const now = opts.now ?? new Date();
  await (opts.client ?? db()).$transaction((tx) =>
    recordAuditEvent(tx, { actor: { id: actor.id, email: actor.email }, action: 'audit.exported', details: { format, filter } }, now),
  );
  // Every export leaves a signed checkpoint behind, covering the export's own event.
  await writeAuditCheckpoint({ client: opts.client, now });
  const where = auditWhere(filter, visibleEnvironments(actor));
  const pool = opts.pool ?? auditReadPool();
  const pageSize = opts.pageSize ?? EXPORT_RANGE_SIZE;
  const stream = format === 'csv' ? csvStream(pool, where, pageSize) : ndjsonStream(pool, filter, where, now, pageSize);
  return { fileName: auditExportFileName(filter, now, format), contentType: EXPORT_CONTENT_TYPE[format], stream };
}

const encoder = new TextEncoder();

/** `first()` produces the opening text, then `next()` one page per pull until it returns null. */
function pagedStream(first: () => Promise<string>, next: () => Promise<string | Uint8Array[] | null>): ReadableStream<Uint8Array> {
  let isStarted = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const text = isStarted ? await next() : await first();
          isStarted = true;
          if (text === null) controller.close();
          else if (typeof text === 'string') controller.enqueue(encoder.encode(text));
          else for (const piece of text) controller.enqueue(piece);
        } catch (error) {
          // Headers are gone by now; the client sees a cut-off body (and verify says "cut short").
          console.error('[ingress-gate] audit export failed mid-stream:', error);
          controller.error(error);
        }
      },
    },
    // One page in flight: backpressure reaches the database.
    { highWaterMark: 1 },
  );
}

/**
 * One page, formatted by PostgreSQL and streamed out by COPY (copy-column.ts): the range
 * `seq > after [AND seq <= upTo]`, one line per row in seq order, as bytes. `onlyMatching`: the
 * filter is part of the page's WHERE (CSV); otherwise every row of the range is read and `matched`
 * says which are events (NDJSON link records) — counted by the line's first bytes.
 */
type TPage = { count: number; events: number; pieces: Buffer[] };

const NDJSON_EVENT_PREFIX = Buffer.from('{"type" : "event"');

/** A CSV page: the range's matching events as COPY's CSV with CRLF record ends. */
async function fetchCsvPage(pool: pg.Pool, where: Prisma.Sql, opts: { after: string; upTo: string }): Promise<TPage> {
  const copied = await copyCsv(
    pool,
    Prisma.sql`SELECT ${CSV_COLUMNS} FROM (SELECT *, details::text AS details_text FROM audit_events
               WHERE seq > ${opts.after}::bigint AND seq <= ${opts.upTo}::bigint AND ${where}) a
               LEFT JOIN environments e ON e.id = a.environment_id ORDER BY a.seq`,
  );
  return { count: copied.rows, events: copied.rows, pieces: copied.pieces };
}

async function fetchPage(
  pool: pg.Pool,
  line: Prisma.Sql,
  where: Prisma.Sql,
  opts: { after: string; upTo: string | null; onlyMatching: boolean },
): Promise<TPage> {
  const bound = opts.upTo === null ? Prisma.sql`TRUE` : Prisma.sql`seq <= ${opts.upTo}::bigint`;
  const rows = opts.onlyMatching ? where : Prisma.sql`TRUE`;
  const copied = await copyColumn(
    pool,
    // details_text: jsonb → text once per row (the CSV cell rule reads it up to six times).
    Prisma.sql`SELECT ${line} FROM (SELECT *, details::text AS details_text, (${where}) AS matched FROM audit_events
               WHERE seq > ${opts.after}::bigint AND ${bound} AND ${rows}) a
               LEFT JOIN environments e ON e.id = a.environment_id ORDER BY a.seq`,
    opts.onlyMatching ? undefined : NDJSON_EVENT_PREFIX,
  );
  return { count: copied.rows, events: opts.onlyMatching ? copied.rows : copied.countPrefixed, pieces: copied.pieces };
}

/** csvCell's rule (lib/domain/audit/audit-csv.ts) in SQL; an integration test keeps the two equal. */
export function sqlCsvCell(expr: string): string {
  const v = `(${expr})::text`;
  const neutralised = `CASE WHEN left(${v}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${v} ELSE ${v} END`;
  const needsQuotes = `(strpos(${v}, '"') > 0 OR strpos(${v}, ',') > 0 OR strpos(${v}, E'\\n') > 0 OR strpos(${v}, E'\\r') > 0)`;
  return `(CASE WHEN ${v} IS NULL THEN '' WHEN ${needsQuotes} THEN '"' || replace(${neutralised}, '"', '""') || '"' ELSE ${neutralised} END)`;
}

const ISO_TIME = `to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** csvCell's formula rule in SQL, leaving quoting to COPY's CSV: `'` before = + - @ TAB CR; '' → NULL (an empty cell). */
const neutral = (expr: string) =>
  `NULLIF(CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expr} ELSE ${expr} END, '')`;

// Same columns and order as AUDIT_CSV_COLUMNS. seq, time, uuids and hashes are digits, hex and
// dashes that never start with a formula character nor need quotes: they are written as they are.
const CSV_COLUMNS = Prisma.raw(
  [
    'a.seq',
    ISO_TIME,
    neutral('a.actor_label'),
    'a.actor_id',
    neutral('a.action'),
    neutral('e.name'),
    'a.environment_id',
    neutral('a.namespace'),
    neutral('a.ingress_name'),
    'a.change_request_id',
    neutral('a.reason'),
    neutral('a.details_text'),
    'a.prev_hash',
    'a.hash',
  ].join(', '),
);

// Same keys and order as ndjsonEvent() / ndjsonLink(); json (not jsonb) keeps key order, details embed as JSON.
const NDJSON_EVENT = `json_build_object('type', 'event', 'seq', a.seq::text, 'occurredAt', ${ISO_TIME},
  'actorId', a.actor_id, 'actorLabel', a.actor_label, 'action', a.action, 'environmentId', a.environment_id, 'namespace', a.namespace,
  'ingressName', a.ingress_name, 'changeRequestId', a.change_request_id, 'reason', a.reason, 'details', a.details,
  'prevHash', a.prev_hash, 'hash', a.hash)::text || E'\\n'`;
const NDJSON_LINK = `json_build_object('type', 'link', 'seq', a.seq::text, 'prevHash', a.prev_hash, 'hash', a.hash)::text || E'\\n'`;
const NDJSON_LINE = Prisma.raw(`CASE WHEN a.matched THEN ${NDJSON_EVENT} ELSE ${NDJSON_LINK} END`);

/**
 * Seq-range pages (first, first+n], (first+n, first+2n], … up to `upTo`, with `parallel` queries in
 * flight on separate pool connections, so PostgreSQL formats the next pages (on the other core)
 * while this one is written. Pages come back in order; memory holds at most `parallel` pages.
 * Ranges, unlike LIMIT pages, do not depend on the previous page's last seq, which is what lets
 * them run ahead in parallel; a range may hold fewer rows (gaps, or rows outside the filter).
 */
function rangePages(
  fetch: (after: string, upTo: string) => Promise<TPage>,
  first: bigint,
  upTo: bigint,
  pageSize: number,
  parallel = EXPORT_PARALLEL_PAGES,
) {
  let nextStart = first;
  const inflight: Promise<TPage>[] = [];
  const fill = () => {
    while (inflight.length < parallel && nextStart < upTo) {
      const end = nextStart + BigInt(pageSize) < upTo ? nextStart + BigInt(pageSize) : upTo;
      const page = fetch(nextStart.toString(), end.toString());
      // Awaited in order below; a cancelled download must not leave an unhandled rejection.
      page.catch(() => {});
      inflight.push(page);
      nextStart = end;
    }
  };
  return async (): Promise<TPage | null> => {
    fill();
    const page = inflight.shift();
    if (!page) return null;
    const result = await page;
    fill();
    return result;
  };
}

const EXPORT_PARALLEL_PAGES = 2;
// Seq values per COPY: fewer statements than 5,000-row pages, and two in flight hold ~2 × 8 MB.
const EXPORT_RANGE_SIZE = 20_000;

/** First (exclusive) and last seq of the matching events, and the last one's hash; null when nothing matches. */
async function matchingRange(pool: pg.Pool, where: Prisma.Sql): Promise<{ first: bigint; upTo: bigint; headHash: string } | null> {
  const [range] = await queryText<[string | null, string | null, string | null]>(
    Prisma.sql`SELECT (r.lo - 1)::text, r.hi::text, (SELECT hash FROM audit_events WHERE seq = r.hi)
                 FROM (SELECT min(seq) AS lo, max(seq) AS hi FROM audit_events WHERE ${where}) r`,
    pool,
  );
  if (!range?.[0] || !range[1] || !range[2]) return null;
  return { first: BigInt(range[0]), upTo: BigInt(range[1]), headHash: range[2] };
}

function csvStream(pool: pg.Pool, where: Prisma.Sql, pageSize: number): ReadableStream<Uint8Array> {
  let nextPage: (() => Promise<TPage | null>) | null = null;
  return pagedStream(
    async () => {
      const range = await matchingRange(pool, where);
      if (range) nextPage = rangePages((after, upTo) => fetchCsvPage(pool, where, { after, upTo }), range.first, range.upTo, pageSize);
      return csvLine(AUDIT_CSV_COLUMNS);
    },
    async () => {
      if (!nextPage) return null;
      // Skip ranges with no matching rows: an empty chunk is not worth a write.
      for (let page = await nextPage(); page; page = await nextPage()) if (page.count) return page.pieces;
      return null;
    },
  );
}

/** The signed checkpoints within (first, upTo], as NDJSON lines, oldest first. */
async function checkpointsIn(pool: pg.Pool, first: bigint, upTo: bigint): Promise<string> {
  const rows = await queryText<[string, string, string, string, string]>(
    Prisma.sql`SELECT seq::text, hash, ${Prisma.raw(ISO_TIME.replaceAll('a.occurred_at', 'created_at'))}, key_id, signature
               FROM audit_checkpoints WHERE seq > ${first.toString()}::bigint AND seq <= ${upTo.toString()}::bigint ORDER BY seq`,
    pool,
  );
  return rows.map(([seq, hash, createdAt, keyId, signature]) => ndjsonCheckpoint({ seq, hash, createdAt, keyId, signature })).join('');
}

function ndjsonStream(pool: pg.Pool, filter: TAuditFilter, where: Prisma.Sql, now: Date, pageSize: number): ReadableStream<Uint8Array> {
  let isDone = false;
  let events = 0;
  let links = 0;
  let head: string | null = null;
  let nextPage: (() => Promise<TPage | null>) | null = null;
  return pagedStream(
    async () => {
      // The covered range: first to last matching event (visibility applied); the whole chain when unfiltered.
      const range = await matchingRange(pool, where);
      if (!range) isDone = true;
      else head = range.headHash;
      if (range)
        nextPage = rangePages(
          (after, upTo) => fetchPage(pool, NDJSON_LINE, where, { after, upTo, onlyMatching: false }),
          range.first,
          range.upTo,
          pageSize,
        );
      const header = { type: 'header', format: AUDIT_EXPORT_FORMAT, exportedAt: now.toISOString(), filter };
      const checkpoints = range ? await checkpointsIn(pool, range.first, range.upTo) : '';
      return `${JSON.stringify(header)}\n${checkpoints}${isDone ? `${JSON.stringify({ type: 'end', events: 0, links: 0, headHash: null })}\n` : ''}`;
    },
    async () => {
      if (isDone || !nextPage) return null;
      let page = await nextPage();
      while (page && page.count === 0) page = await nextPage();
      if (!page) {
        isDone = true;
        // The last line written is the last matching event's (upTo is its seq).
        return `${JSON.stringify({ type: 'end', events, links, headHash: head })}\n`;
      }
      events += page.events;
      links += page.count - page.events;
      return page.pieces;
    },
  );
}

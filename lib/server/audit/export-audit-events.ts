import type { TActor } from '@/lib/domain/authz/permissions';
import { AUDIT_CSV_COLUMNS, csvLine } from '@/lib/domain/audit/audit-csv';
import { AUDIT_EXPORT_FORMAT, ndjsonEvent, ndjsonLink } from '@/lib/domain/audit/audit-export-format';
import { auditExportFileName, isFiltered, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { Prisma } from '@/lib/generated/prisma/client';
import { assertCan } from '../authz/assert-can';
import { db, type TDb } from '../db/client';
import { AppError } from '../errors';
import { appendAuditEvent } from './append-audit-event';
import { AUDIT_COLUMNS, auditPageAfter, auditWhere, EXPORT_PAGE_SIZE, toChainedEvent, visibleEnvironments, type TAuditRow } from './audit-query';
import { parseAuditFilter } from './list-audit-events';

export type TExportFormat = 'csv' | 'ndjson';

export const EXPORT_CONTENT_TYPE: Record<TExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

export type TAuditExport = { fileName: string; contentType: string; stream: ReadableStream<Uint8Array> };

/**
 * Export of the filtered history, streamed: a ReadableStream whose every pull runs one keyset
 * query (`seq > last ORDER BY seq LIMIT 5000`) and enqueues that page's text, so memory holds one
 * page whatever the size and a slow client slows the queries down instead of filling memory.
 * - CSV: the matching events, spreadsheet-safe, with their hashes.
 * - NDJSON: header, the events from the first to the last match (non-matching ones as link
 *   records: seq + hashes only), end record — verifiable with `npm run audit:verify`.
 * The export itself is audited (`audit.exported`) before the first byte is produced.
 */
export async function exportAuditEvents(
  actor: TActor | null,
  input: unknown,
  opts: { format: string; now?: Date; client?: TDb; pageSize?: number },
): Promise<TAuditExport> {
  assertCan(actor, 'audit.export');
  if (opts.format !== 'csv' && opts.format !== 'ndjson') throw new AppError('INVALID_INPUT', 'format must be "csv" or "ndjson".', { fieldErrors: [{ path: 'format', message: 'Choose csv or ndjson.' }] });
  const format: TExportFormat = opts.format;
  const filter = parseAuditFilter(input);
  const now = opts.now ?? new Date();
  const client = opts.client ?? db();
  await client.$transaction((tx) =>
    appendAuditEvent(tx, { actor: { id: actor.id, email: actor.email }, action: 'audit.exported', details: { format, filter } }, now),
  );
  const where = auditWhere(filter, visibleEnvironments(actor));
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const stream = format === 'csv' ? csvStream(client, where, pageSize) : ndjsonStream(client, filter, where, now, pageSize);
  return { fileName: auditExportFileName(filter, now, format), contentType: EXPORT_CONTENT_TYPE[format], stream };
}

const encoder = new TextEncoder();

function pagedStream(start: () => Promise<string>, next: () => Promise<string | null>): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const text = started ? await next() : await start();
          started = true;
          if (text === null) controller.close();
          else controller.enqueue(encoder.encode(text));
        } catch (error) {
          console.error('[ingress-gate] audit export failed mid-stream:', error);
          controller.error(error);
        }
      },
    },
    // One page in flight: backpressure reaches the database.
    { highWaterMark: 1 },
  );
}

function csvStream(client: TDb, where: Prisma.Sql, pageSize: number): ReadableStream<Uint8Array> {
  let last = 0n;
  let isDone = false;
  let names = new Map<string, string>();
  return pagedStream(
    async () => {
      const envs = await client.environment.findMany({ select: { id: true, name: true } });
      names = new Map(envs.map((e) => [e.id, e.name]));
      return csvLine(AUDIT_CSV_COLUMNS);
    },
    async () => {
      if (isDone) return null;
      const rows = await auditPageAfter(client, last, where, pageSize);
      if (rows.length < pageSize) isDone = true;
      if (!rows.length) return null;
      last = rows[rows.length - 1]!.seq;
      let out = '';
      for (const r of rows) {
        out += csvLine([
          r.seq.toString(),
          r.occurred_at.toISOString(),
          r.actor_label,
          r.actor_id,
          r.action,
          r.environment_id ? (names.get(r.environment_id) ?? '') : '',
          r.environment_id,
          r.namespace,
          r.ingress_name,
          r.change_request_id,
          r.reason,
          JSON.stringify(r.details),
          r.prev_hash,
          r.hash,
        ]);
      }
      return out;
    },
  );
}

type TRangeRow = TAuditRow & { matched: boolean };

function ndjsonStream(client: TDb, filter: TAuditFilter, where: Prisma.Sql, now: Date, pageSize: number): ReadableStream<Uint8Array> {
  const filtered = isFiltered(filter);
  let last = 0n;
  let upTo: bigint | null = null;
  let isDone = false;
  let events = 0;
  let links = 0;
  let head: string | null = null;
  return pagedStream(
    async () => {
      // The covered range: first to last matching event (with visibility applied).
      const [range] = await client.$queryRaw<{ lo: bigint | null; hi: bigint | null }[]>`SELECT min(seq) AS lo, max(seq) AS hi FROM audit_events WHERE ${where}`;
      if (range?.lo == null || range.hi == null) isDone = true;
      else {
        last = range.lo - 1n;
        upTo = range.hi;
      }
      const header = { type: 'header', format: AUDIT_EXPORT_FORMAT, exportedAt: now.toISOString(), filter };
      return `${JSON.stringify(header)}\n`;
    },
    async () => {
      if (isDone) return null;
      let rows: TRangeRow[];
      if (filtered) {
        rows = await client.$queryRaw<TRangeRow[]>`SELECT ${AUDIT_COLUMNS}, (${where}) AS matched FROM audit_events WHERE seq > ${last} AND seq <= ${upTo} ORDER BY seq LIMIT ${pageSize}`;
      } else {
        rows = (await auditPageAfter(client, last, Prisma.sql`TRUE`, pageSize, upTo)) as TRangeRow[];
      }
      let out = '';
      for (const r of rows) {
        if (!filtered || r.matched) {
          out += ndjsonEvent(toChainedEvent(r));
          events += 1;
        } else {
          out += ndjsonLink({ seq: r.seq.toString(), prevHash: r.prev_hash, hash: r.hash });
          links += 1;
        }
        head = r.hash;
      }
      if (rows.length) last = rows[rows.length - 1]!.seq;
      if (rows.length < pageSize || last === upTo) {
        isDone = true;
        out += `${JSON.stringify({ type: 'end', events, links, headHash: head })}\n`;
      }
      return out;
    },
  );
}

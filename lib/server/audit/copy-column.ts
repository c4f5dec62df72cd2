import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Prisma } from '@/lib/generated/prisma/client';

/**
 * `COPY (<one-column query>) TO STDOUT (FORMAT binary)` on a pooled connection, its values
 * concatenated as PostgreSQL produced them: the export's lines arrive as bytes and leave as the
 * same bytes — no row objects, no UTF-8 decode and re-encode, no per-page string_agg in the
 * server (bench/audit-export.ts: the export against a plain COPY of the same columns).
 */

/** The value as an SQL literal: COPY takes no bind parameters, so a Prisma.Sql's values are inlined. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  throw new Error(`copyColumn: cannot inline a ${typeof value} as an SQL literal`);
}

/** Prisma.Sql text with each `$n` replaced by its value as a literal (one pass: values are never re-scanned). */
export function inlineSql(query: Prisma.Sql): string {
  return query.text.replace(/\$(\d+)/g, (_, n: string) => literal(query.values[Number(n) - 1]));
}

// PGCOPY\n\377\r\n\0, then int32 flags and int32 header-extension length.
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

export type TCopied = { rows: number; pieces: Buffer[]; countPrefixed: number };

/**
 * Runs the one-column query under COPY and returns its values back to back, as the chunks the
 * socket delivered with the row headers squeezed out in place (no page-sized allocation: memory is
 * the page's bytes in the socket's own chunks). `prefix`: how many rows start with these bytes (the
 * NDJSON export counts its event lines with it). NULL values are skipped.
 */
export async function copyColumn(pool: pg.Pool, query: Prisma.Sql, prefix?: Buffer): Promise<TCopied> {
  const client = await pool.connect();
  let isBroken = false;
  try {
    const parser = createBinaryCopyParser(prefix);
    const stream = client.query(copyTo(`COPY (${inlineSql(query)}) TO STDOUT (FORMAT binary)`));
    for await (const chunk of stream) parser.push(chunk as Buffer);
    return parser.finish();
  } catch (error) {
    isBroken = true;
    throw error;
  } finally {
    client.release(isBroken);
  }
}

/**
 * Incremental parser of the binary COPY format of a one-column result (PostgreSQL docs, "Binary
 * Format"): file header, then per row int16 field count, int32 length, the bytes; int16 -1 ends.
 * A row header (and, with `prefix`, the value's first bytes) split across chunks is carried over
 * to the next chunk; a value split across chunks passes through in parts.
 */
export function createBinaryCopyParser(prefix?: Buffer) {
  const pieces: Buffer[] = [];
  let carry: Buffer | null = null;
  let isStarted = false;
  let isDone = false;
  let remaining = 0;
  let rows = 0;
  let countPrefixed = 0;
  return {
    push(incoming: Buffer): void {
      let c = carry ? Buffer.concat([carry, incoming]) : incoming;
      carry = null;
      let at = 0;
      if (!isStarted) {
        if (c.length >= 11 && !c.subarray(0, 11).equals(SIGNATURE)) throw new Error('copyColumn: not a binary COPY stream');
        if (c.length < 19 || c.length < 19 + c.readUInt32BE(15)) {
          carry = c;
          return;
        }
        at = 19 + c.readUInt32BE(15);
        isStarted = true;
      }
      let w = 0;
      const keep = (from: number, n: number) => {
        if (w !== from) c.copyWithin(w, from, from + n);
        w += n;
      };
      while (at < c.length && !isDone) {
        if (remaining > 0) {
          const n = Math.min(remaining, c.length - at);
          keep(at, n);
          remaining -= n;
          at += n;
          continue;
        }
        if (c.length - at < 2) break;
        const fields = c.readInt16BE(at);
        if (fields === -1) {
          isDone = true;
          at += 2;
          break;
        }
        if (fields !== 1) throw new Error(`copyColumn: expected one column, got ${fields}`);
        if (c.length - at < 6) break;
        const length = c.readInt32BE(at + 2);
        const probe = prefix && length > 0 ? Math.min(length, prefix.length) : 0;
        if (c.length - at - 6 < probe) break;
        at += 6;
        rows += 1;
        if (length <= 0) continue;
        if (probe === prefix?.length && c.compare(prefix, 0, probe, at, at + probe) === 0) countPrefixed += 1;
        remaining = length;
      }
      if (at < c.length && !isDone) {
        // An incomplete row header: keep its bytes for the next chunk (a copy: c is reused below).
        carry = Buffer.from(c.subarray(at));
        c = c.subarray(0, w);
      }
      if (w > 0) pieces.push(c.subarray(0, w));
    },
    finish(): TCopied {
      if (!isDone || carry || remaining) throw new Error('copyColumn: the COPY stream ended early');
      return { rows, pieces, countPrefixed };
    },
  };
}

/**
 * `COPY (<query>) TO STDOUT (FORMAT csv)`: PostgreSQL's own CSV quoting (a value containing a comma,
 * a quote, CR or LF is quoted, quotes doubled; NULL is an empty unquoted cell), with its LF record
 * ends turned into RFC 4180's CRLF by createCrlfFixer. Returns the chunks and the row count.
 */
export async function copyCsv(pool: pg.Pool, query: Prisma.Sql): Promise<{ rows: number; pieces: Buffer[] }> {
  const client = await pool.connect();
  let isBroken = false;
  try {
    const fixer = createCrlfFixer();
    const pieces: Buffer[] = [];
    const stream = client.query(copyTo(`COPY (${inlineSql(query)}) TO STDOUT (FORMAT csv)`));
    for await (const chunk of stream) pieces.push(fixer.push(chunk as Buffer));
    return { rows: stream.rowCount, pieces };
  } catch (error) {
    isBroken = true;
    throw error;
  } finally {
    client.release(isBroken);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * LF → CRLF for the LFs that end CSV records, i.e. those outside quoted cells (a quoted cell's own
 * line breaks stay as they are). Tracks the quote state across chunks; a doubled quote inside a
 * quoted cell toggles twice, so it needs no special case.
 */
export function createCrlfFixer() {
  let isQuoted = false;
  return {
    push(chunk: Buffer): Buffer {
      const ends: number[] = [];
      let at = 0;
      for (;;) {
        const q = chunk.indexOf(QUOTE, at);
        if (isQuoted) {
          if (q === -1) break;
          isQuoted = false;
          at = q + 1;
          continue;
        }
        const n = chunk.indexOf(LF, at);
        if (n !== -1 && (q === -1 || n < q)) {
          ends.push(n);
          at = n + 1;
          continue;
        }
        if (q === -1) break;
        isQuoted = true;
        at = q + 1;
      }
      if (!ends.length) return chunk;
      const out = Buffer.allocUnsafe(chunk.length + ends.length);
      let from = 0;
      let w = 0;
      for (const n of ends) {
        w += chunk.copy(out, w, from, n);
        out[w++] = 0x0d;
        from = n;
      }
      chunk.copy(out, w, from);
      return out;
    },
  };
}

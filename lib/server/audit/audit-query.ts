import pg from 'pg';
import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import type { TChainedAuditEvent } from '@/lib/domain/audit/audit-chain';
import { toRange, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { Prisma } from '@/lib/generated/prisma/client';
import { env } from '../env';

/**
 * Reads of the audit log go through a small plain `pg` pool, not Prisma: an export or a verify
 * walks up to millions of rows, and Prisma's raw queries convert every value (Date, BigInt, parsed
 * JSON) and cost ~10× the time and memory (bench/audit-export.ts). Here every column arrives as
 * text in an array row, details as JSONB's own JSON text, occurred_at already as the ISO string
 * the chain hashed — so a row becomes an export line with string concatenation only.
 * Writes still go through Prisma (recordAuditEvent) so they share the caller's transaction.
 */
const globalForPool = globalThis as unknown as { ingressGateAuditPool?: pg.Pool };

export function auditReadPool(): pg.Pool {
  globalForPool.ingressGateAuditPool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: 4 });
  return globalForPool.ingressGateAuditPool;
}

/**
 * The one SQL rendering of an auditor's filter plus the actor's visibility, shared by the page,
 * the export and its link records, so what is listed, exported and linked can never disagree.
 * Visibility: a global audit.view role sees everything; an environment-scoped one sees that
 * environment's events only (not sign-ins and user administration, which have no environment).
 * Each condition has an index in seq order (migration …_scale_indexes), so a filter that matches
 * nothing is answered from its index, not by scanning the log backwards: environment, change
 * request, (namespace, Ingress), Ingress, action (COLLATE "C", so a prefix is an index range in
 * any database collation), and the actor's label through a pg_trgm GIN index.
 */
export function auditWhere(filter: TAuditFilter, visible: 'all' | string[]): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const { from, to } = toRange(filter);
  if (from) parts.push(Prisma.sql`occurred_at >= ${from}`);
  if (to) parts.push(Prisma.sql`occurred_at < ${to}`);
  if (filter.environmentId) parts.push(Prisma.sql`environment_id = ${filter.environmentId}::uuid`);
  if (filter.namespace) parts.push(Prisma.sql`namespace = ${filter.namespace}`);
  if (filter.ingressName) parts.push(Prisma.sql`ingress_name = ${filter.ingressName}`);
  if (filter.actor) parts.push(Prisma.sql`actor_label ILIKE ${`%${escapeLike(filter.actor)}%`}`);
  if (filter.action) {
    parts.push(
      filter.action.endsWith('*')
        ? Prisma.sql`action COLLATE "C" LIKE ${`${escapeLike(filter.action.slice(0, -1))}%`}`
        : Prisma.sql`action COLLATE "C" = ${filter.action}`,
    );
  }
  if (filter.changeRequestId) parts.push(Prisma.sql`change_request_id = ${filter.changeRequestId}::uuid`);
  if (visible !== 'all') parts.push(visible.length ? Prisma.sql`environment_id = ANY(${visible}::uuid[])` : Prisma.sql`FALSE`);
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function visibleEnvironments(actor: TActor): 'all' | string[] {
  return environmentsWhere(actor, 'audit.view');
}

/** Column order of TAuditRow; every value is text (or null). The output column `seq` is text, so
 * ORDER BY must name `audit_events.seq` (a bare `seq` would sort by the text alias). */
export const AUDIT_COLUMNS = Prisma.raw(
  `seq::text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id::text, actor_label, action, environment_id::text, namespace, ingress_name, change_request_id::text, reason, details::text, prev_hash, hash`,
);

export type TAuditRow = [
  seq: string,
  occurredAt: string,
  actorId: string | null,
  actorLabel: string,
  action: string,
  environmentId: string | null,
  namespace: string | null,
  ingressName: string | null,
  changeRequestId: string | null,
  reason: string | null,
  detailsJson: string,
  prevHash: string,
  hash: string,
  ...extra: (string | null)[],
];

export const R = {
  seq: 0,
  occurredAt: 1,
  actorId: 2,
  actorLabel: 3,
  action: 4,
  environmentId: 5,
  namespace: 6,
  ingressName: 7,
  changeRequestId: 8,
  reason: 9,
  details: 10,
  prevHash: 11,
  hash: 12,
} as const;

const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** Runs a Prisma.sql query on the read pool; rows are arrays of text. */
export async function queryText<T extends unknown[] = (string | null)[]>(query: Prisma.Sql, pool: pg.Pool = auditReadPool()): Promise<T[]> {
  const result = await pool.query<T>({ text: query.text, values: query.values as unknown[], rowMode: 'array', types: AS_TEXT });
  return result.rows;
}

/** A stored row as the chain hashes it (the same body appendAuditEvent hashed). */
export function toChainedEvent(row: TAuditRow): TChainedAuditEvent {
  return {
    seq: row[R.seq],
    occurredAt: row[R.occurredAt],
    actorId: row[R.actorId],
    actorLabel: row[R.actorLabel],
    action: row[R.action],
    environmentId: row[R.environmentId],
    namespace: row[R.namespace],
    ingressName: row[R.ingressName],
    changeRequestId: row[R.changeRequestId],
    reason: row[R.reason],
    details: JSON.parse(row[R.details]) as unknown,
    prevHash: row[R.prevHash],
    hash: row[R.hash],
  };
}

export const EXPORT_PAGE_SIZE = 5000;

/** One keyset page in chain order: `WHERE seq > after AND <where> ORDER BY audit_events.seq LIMIT n`. */
export function auditPageAfter(
  pool: pg.Pool,
  after: string,
  where: Prisma.Sql,
  limit = EXPORT_PAGE_SIZE,
  upTo: string | null = null,
): Promise<TAuditRow[]> {
  const bound = upTo === null ? Prisma.sql`TRUE` : Prisma.sql`seq <= ${upTo}::bigint`;
  return queryText<TAuditRow>(
    Prisma.sql`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > ${after}::bigint AND ${bound} AND ${where} ORDER BY audit_events.seq LIMIT ${limit}`,
    pool,
  );
}

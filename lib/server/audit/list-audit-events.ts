import { assertCan } from '../authz/assert-can';
import type { TActor } from '@/lib/domain/authz/permissions';
import { ZAuditFilter, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { Prisma } from '@/lib/generated/prisma/client';
import { parseInput } from '../operation';
import { AUDIT_COLUMNS, auditWhere, queryText, R, toChainedEvent, visibleEnvironments, type TAuditRow } from './audit-query';

export const AUDIT_PAGE_SIZE = 50;

/** Parses an auditor's filter (from search params or a form); 400 naming each bad field. */
export function parseAuditFilter(input: unknown): TAuditFilter {
  return parseInput(ZAuditFilter, input ?? {}, 'The filter needs attention.');
}

/**
 * The auditor's page: newest first, keyset-paginated on seq (`before` = the last seq shown), with
 * each event's environment name for display. Only auditors and admins; a scoped auditor sees their
 * environments' events.
 */
export async function listAuditEvents(actor: TActor | null, input: unknown, opts: { before?: string | null; limit?: number } = {}) {
  assertCan(actor, 'audit.view');
  const filter = parseAuditFilter(input);
  const limit = Math.min(Math.max(opts.limit ?? AUDIT_PAGE_SIZE, 1), 500);
  const before = opts.before && /^\d{1,18}$/.test(opts.before) ? opts.before : null;
  const where = auditWhere(filter, visibleEnvironments(actor));
  const cursor = before === null ? Prisma.sql`TRUE` : Prisma.sql`seq < ${before}::bigint`;
  const rows = await queryText<TAuditRow>(
    Prisma.sql`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${cursor} AND ${where} ORDER BY audit_events.seq DESC LIMIT ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  return {
    filter,
    events: page.map(toChainedEvent),
    nextBefore: rows.length > limit ? page[page.length - 1]![R.seq] : null,
  };
}

/** Distinct actions seen so far, for the filter's suggestions (a loose index scan: one probe per action). */
export async function listAuditActions(actor: TActor | null): Promise<string[]> {
  assertCan(actor, 'audit.view');
  const rows = await queryText<[string]>(Prisma.sql`
    WITH RECURSIVE t AS (
      SELECT min(action COLLATE "C") AS a FROM audit_events
      UNION ALL SELECT (SELECT min(action COLLATE "C") FROM audit_events WHERE action COLLATE "C" > t.a) FROM t WHERE t.a IS NOT NULL
    ) SELECT a FROM t WHERE a IS NOT NULL`);
  return rows.map((r) => r[0]);
}

import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import type { TChainedAuditEvent } from '@/lib/domain/audit/audit-chain';
import { toRange, type TAuditFilter } from '@/lib/domain/audit/audit-filter';
import { Prisma } from '@/lib/generated/prisma/client';
import type { TDb, TTx } from '../db/client';

/**
 * The one SQL rendering of an auditor's filter plus the actor's visibility, shared by the page,
 * the export and its link records, so what is listed, exported and linked can never disagree.
 * Visibility: a global audit.view role sees everything; an environment-scoped one sees that
 * environment's events only (not sign-ins and user administration, which have no environment).
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
    parts.push(filter.action.endsWith('*') ? Prisma.sql`action LIKE ${`${escapeLike(filter.action.slice(0, -1))}%`}` : Prisma.sql`action = ${filter.action}`);
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

export type TAuditRow = {
  seq: bigint;
  occurred_at: Date;
  actor_id: string | null;
  actor_label: string;
  action: string;
  environment_id: string | null;
  namespace: string | null;
  ingress_name: string | null;
  change_request_id: string | null;
  reason: string | null;
  details: unknown;
  prev_hash: string;
  hash: string;
};

/** A stored row as the chain hashes it (the same body appendAuditEvent hashed). */
export function toChainedEvent(row: TAuditRow): TChainedAuditEvent {
  return {
    seq: row.seq.toString(),
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    environmentId: row.environment_id,
    namespace: row.namespace,
    ingressName: row.ingress_name,
    changeRequestId: row.change_request_id,
    reason: row.reason,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const AUDIT_COLUMNS = Prisma.sql`seq, occurred_at, actor_id, actor_label, action, environment_id, namespace, ingress_name, change_request_id, reason, details, prev_hash, hash`;

export const EXPORT_PAGE_SIZE = 5000;

/** One keyset page in chain order: `WHERE seq > after AND <where> ORDER BY seq LIMIT n`. */
export function auditPageAfter(client: TDb | TTx, after: bigint, where: Prisma.Sql, limit = EXPORT_PAGE_SIZE, upTo: bigint | null = null): Promise<TAuditRow[]> {
  const bound = upTo === null ? Prisma.sql`TRUE` : Prisma.sql`seq <= ${upTo}`;
  return client.$queryRaw<TAuditRow[]>`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > ${after} AND ${bound} AND ${where} ORDER BY seq LIMIT ${limit}`;
}

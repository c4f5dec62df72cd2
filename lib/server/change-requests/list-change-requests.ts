import { z } from 'zod';
import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import { CHANGE_STATUSES, type TChangeStatus } from '@/lib/domain/change/lifecycle';
import { Prisma } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError } from '../errors';
import { isUuid, parseInput, requireActor } from '../operation';

const SEVERITIES = ['NONE', 'INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export const ZListChangeRequests = z.object({
  view: z.enum(['needs-review', 'mine', 'all']).default('all'),
  // An environment's name or id.
  environment: z.string().trim().optional(),
  namespace: z.string().trim().optional(),
  status: z.enum(CHANGE_STATUSES).optional(),
  // At least this severity.
  risk: z.enum(SEVERITIES).optional(),
  requester: z.string().trim().optional(),
  q: z.string().trim().max(200).optional(),
  // Keyset cursors: `cursor` pages to older requests, `before` back to newer ones.
  cursor: z.string().optional(),
  before: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export type TListFilters = z.input<typeof ZListChangeRequests>;
type TParsedFilters = z.output<typeof ZListChangeRequests>;

type TCursor = { t: Date; id: string };
const encodeCursor = (r: { createdAt: Date; id: string }) =>
  Buffer.from(JSON.stringify({ t: r.createdAt.toISOString(), id: r.id })).toString('base64url');
function decodeCursor(raw: string, path: string): TCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as { t: unknown; id: unknown };
    const t = typeof c.t === 'string' ? new Date(c.t) : null;
    if (!t || Number.isNaN(t.getTime()) || typeof c.id !== 'string' || !isUuid(c.id)) throw new Error();
    return { t, id: c.id };
  } catch {
    throw new AppError('INVALID_INPUT', 'The page cursor is malformed.', { fieldErrors: [{ path, message: 'malformed' }] });
  }
}

const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The WHERE of the inbox and the REST list, over `change_requests cr`. Every condition is one an
 * index serves (migration …_scale_indexes): environment by id (a name is resolved in the same
 * statement), status, requester, the keyset `(created_at, id) < (t, id)` in the order of each
 * (…, created_at DESC, id DESC) index, and text through pg_trgm GIN indexes on title and
 * ingress_name. needs-review is a NOT EXISTS on the (revision, reviewer) unique index, not a list
 * of reviewed ids that grows with the history.
 */
function listWhere(actor: TActor, f: TParsedFilters): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  const visible = environmentsWhere(actor, 'change-request.view');
  if (visible !== 'all') and.push(Prisma.sql`cr.environment_id = ANY(${visible}::uuid[])`);
  if (f.view === 'mine') and.push(Prisma.sql`cr.requester_id = ${actor.id}::uuid`);
  if (f.view === 'needs-review') {
    const reviewable = environmentsWhere(actor, 'change-request.review');
    if (reviewable !== 'all') and.push(Prisma.sql`cr.environment_id = ANY(${reviewable}::uuid[])`);
    and.push(Prisma.sql`cr.status = 'PENDING' AND cr.requester_id <> ${actor.id}::uuid AND NOT EXISTS (
      SELECT 1 FROM revisions v JOIN reviews r ON r.revision_id = v.id AND r.reviewer_id = ${actor.id}::uuid
       WHERE v.change_request_id = cr.id AND v.number = cr.current_revision)`);
  }
  if (f.environment)
    and.push(
      isUuid(f.environment)
        ? Prisma.sql`cr.environment_id = ${f.environment}::uuid`
        : Prisma.sql`cr.environment_id = (SELECT id FROM environments WHERE name = ${f.environment})`,
    );
  if (f.namespace) and.push(Prisma.sql`cr.namespace = ${f.namespace}`);
  if (f.status) and.push(Prisma.sql`cr.status = ${f.status}::"ChangeStatus"`);
  if (f.risk) and.push(Prisma.sql`cr.max_severity = ANY(${SEVERITIES.slice(SEVERITIES.indexOf(f.risk))}::"Severity"[])`);
  if (f.requester) and.push(Prisma.sql`cr.requester_id IN (SELECT id FROM users WHERE email ILIKE ${likeContains(f.requester)})`);
  if (f.q) {
    const n = /^#?(\d{1,9})$/.exec(f.q);
    const q = likeContains(f.q);
    and.push(
      Prisma.sql`(cr.title ILIKE ${q} OR cr.ingress_name ILIKE ${q}${n ? Prisma.sql` OR cr.number = ${Number(n[1])}` : Prisma.empty})`,
    );
  }
  if (f.before) {
    const c = decodeCursor(f.before, 'before');
    and.push(Prisma.sql`(cr.created_at, cr.id) > (${c.t}::timestamptz, ${c.id}::uuid)`);
  } else if (f.cursor) {
    const c = decodeCursor(f.cursor, 'cursor');
    and.push(Prisma.sql`(cr.created_at, cr.id) < (${c.t}::timestamptz, ${c.id}::uuid)`);
  }
  return and.length ? Prisma.join(and, ' AND ') : Prisma.sql`TRUE`;
}

type TRow = {
  id: string;
  number: number;
  title: string;
  status: TChangeStatus;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  kind: 'CHANGE' | 'ROLLBACK' | 'RESTORE' | 'ADOPT';
  namespace: string;
  ingressName: string;
  maxSeverity: (typeof SEVERITIES)[number];
  currentRevision: number;
  clusterWaitingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
  envName: string;
  envIsProduction: boolean;
  envRequiredApprovals: number;
  requesterName: string;
  requesterEmail: string;
  isNamed: boolean;
};

/**
 * Inbox and search. Only environments the actor may see; keyset pagination on
 * (created_at DESC, id DESC), both ways, so page 4,000 costs what page 1 costs. One statement:
 * the page's rows with their environment, requester and "review requested from you".
 * - needs-review: PENDING, in an environment where the actor approves, not requested by the
 *   actor, and not yet reviewed by the actor on the current revision
 * - mine: requested by the actor
 */
export async function listChangeRequests(actorIn: TActor | null, input: unknown) {
  const actor = requireActor(actorIn);
  const f = parseInput(ZListChangeRequests, input ?? {}, 'Invalid filters.');
  const isBackward = Boolean(f.before);
  const order = isBackward ? Prisma.sql`cr.created_at ASC, cr.id ASC` : Prisma.sql`cr.created_at DESC, cr.id DESC`;
  const rows = await db().$queryRaw<TRow[]>(Prisma.sql`
    SELECT cr.id::text, cr.number, cr.title, cr.status::text, cr.action::text, cr.kind::text, cr.namespace,
           cr.ingress_name AS "ingressName", cr.max_severity::text AS "maxSeverity", cr.current_revision AS "currentRevision",
           cr.cluster_waiting_since AS "clusterWaitingSince", cr.created_at AS "createdAt", cr.updated_at AS "updatedAt",
           e.name AS "envName", e.is_production AS "envIsProduction", e.required_approvals AS "envRequiredApprovals",
           u.name AS "requesterName", u.email AS "requesterEmail",
           EXISTS (SELECT 1 FROM chosen_reviewers c WHERE c.change_request_id = cr.id AND c.user_id = ${actor.id}::uuid) AS "isNamed"
      FROM (SELECT cr.* FROM change_requests cr WHERE ${listWhere(actor, f)} ORDER BY ${order} LIMIT ${f.limit + 1}) cr
      JOIN environments e ON e.id = cr.environment_id
      JOIN users u ON u.id = cr.requester_id
     ORDER BY ${order}`);
  const hasMore = rows.length > f.limit;
  const page = (isBackward ? rows.slice(0, f.limit).reverse() : rows.slice(0, f.limit)).map(toItem(actor.id));
  const first = page.at(0);
  const last = page.at(-1);
  return {
    items: page,
    // Going back, older requests always exist (we came from them); going forward, newer ones exist once a cursor was used.
    nextCursor: last && (isBackward || hasMore) ? encodeCursor(last) : null,
    prevCursor: first && (isBackward ? hasMore : Boolean(f.cursor)) ? encodeCursor(first) : null,
  };
}

const toItem = (actorId: string) => (r: TRow) => ({
  id: r.id,
  number: r.number,
  title: r.title,
  status: r.status,
  action: r.action,
  kind: r.kind,
  namespace: r.namespace,
  ingressName: r.ingressName,
  maxSeverity: r.maxSeverity,
  currentRevision: r.currentRevision,
  clusterWaitingSince: r.clusterWaitingSince,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  environment: { name: r.envName, isProduction: r.envIsProduction, requiredApprovals: r.envRequiredApprovals },
  requester: { name: r.requesterName, email: r.requesterEmail },
  // Named as a reviewer by the requester: the inbox marks it "review requested from you".
  chosenReviewers: r.isNamed ? [{ userId: actorId }] : [],
});

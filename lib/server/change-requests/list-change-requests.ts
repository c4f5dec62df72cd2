import { z } from 'zod';
import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import type { Prisma } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError } from '../errors';

const STATUSES = [
  'PENDING',
  'APPROVED',
  'SCHEDULED',
  'APPLYING',
  'APPLIED',
  'REJECTED',
  'CANCELLED',
  'STALE',
  'FAILED',
  'EXPIRED',
] as const;
const SEVERITIES = ['NONE', 'INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export const ZListChangeRequests = z.object({
  view: z.enum(['needs-review', 'mine', 'all']).default('all'),
  environment: z.string().trim().optional(),
  namespace: z.string().trim().optional(),
  status: z.enum(STATUSES).optional(),
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

type TCursor = { t: string; id: string };
const encodeCursor = (c: TCursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string): TCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as TCursor;
    if (typeof c.t !== 'string' || typeof c.id !== 'string') throw new Error();
    return c;
  } catch {
    throw new AppError('INVALID_INPUT', 'The page cursor is malformed.', { fieldErrors: [{ path: 'cursor', message: 'malformed' }] });
  }
}

/**
 * Inbox and search. Only environments the actor may see; keyset pagination on
 * (created_at DESC, id DESC), both ways, so page 4,000 costs what page 1 costs (indexes in the init migration).
 * - needs-review: PENDING, in an environment where the actor approves, not requested by the
 *   actor, and not yet reviewed by the actor on the current revision
 * - mine: requested by the actor
 */
export async function listChangeRequests(actor: TActor | null, input: unknown) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const parsed = ZListChangeRequests.safeParse(input ?? {});
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', 'Invalid filters.', {
      fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  const f = parsed.data;
  const visible = environmentsWhere(actor, 'change-request.view');
  const and: Prisma.ChangeRequestWhereInput[] = [];
  if (visible !== 'all') and.push({ environmentId: { in: visible } });
  if (f.view === 'mine') and.push({ requesterId: actor.id });
  if (f.view === 'needs-review') {
    const reviewable = environmentsWhere(actor, 'change-request.review');
    if (reviewable !== 'all') and.push({ environmentId: { in: reviewable } });
    and.push({ status: 'PENDING', requesterId: { not: actor.id } });
    const reviewed = await db().$queryRawUnsafe<{ id: string }[]>(
      `SELECT cr.id FROM change_requests cr JOIN revisions v ON v.change_request_id = cr.id AND v.number = cr.current_revision
       JOIN reviews r ON r.revision_id = v.id AND r.reviewer_id = $1::uuid WHERE cr.status = 'PENDING'`,
      actor.id,
    );
    if (reviewed.length) and.push({ id: { notIn: reviewed.map((r) => r.id) } });
  }
  if (f.environment) and.push({ environment: { name: f.environment } });
  if (f.namespace) and.push({ namespace: f.namespace });
  if (f.status) and.push({ status: f.status });
  if (f.risk) and.push({ maxSeverity: { in: SEVERITIES.slice(SEVERITIES.indexOf(f.risk)) as unknown as (typeof SEVERITIES)[number][] } });
  if (f.requester) and.push({ requester: { email: { contains: f.requester, mode: 'insensitive' } } });
  if (f.q) {
    const n = /^#?(\d+)$/.exec(f.q);
    and.push({
      OR: [
        { title: { contains: f.q, mode: 'insensitive' } },
        { ingressName: { contains: f.q, mode: 'insensitive' } },
        ...(n ? [{ number: Number(n[1]) }] : []),
      ],
    });
  }
  const isBackward = Boolean(f.before);
  if (f.before) {
    const c = decodeCursor(f.before);
    const t = new Date(c.t);
    and.push({ OR: [{ createdAt: { gt: t } }, { createdAt: t, id: { gt: c.id } }] });
  } else if (f.cursor) {
    const c = decodeCursor(f.cursor);
    const t = new Date(c.t);
    and.push({ OR: [{ createdAt: { lt: t } }, { createdAt: t, id: { lt: c.id } }] });
  }
  const rows = await db().changeRequest.findMany({
    where: { AND: and },
    orderBy: isBackward ? [{ createdAt: 'asc' }, { id: 'asc' }] : [{ createdAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      action: true,
      kind: true,
      namespace: true,
      ingressName: true,
      maxSeverity: true,
      currentRevision: true,
      createdAt: true,
      updatedAt: true,
      environment: { select: { name: true, isProduction: true, requiredApprovals: true } },
      requester: { select: { name: true, email: true } },
      // Named as a reviewer by the requester: the inbox marks it "review requested from you".
      chosenReviewers: { where: { userId: actor.id }, select: { userId: true } },
    },
  });
  const hasMore = rows.length > f.limit;
  const page = isBackward ? rows.slice(0, f.limit).reverse() : rows.slice(0, f.limit);
  const first = page.at(0);
  const last = page.at(-1);
  const key = (r: { createdAt: Date; id: string }) => encodeCursor({ t: r.createdAt.toISOString(), id: r.id });
  return {
    items: page,
    // Going back, older requests always exist (we came from them); going forward, newer ones exist once a cursor was used.
    nextCursor: last && (isBackward || hasMore) ? key(last) : null,
    prevCursor: first && (isBackward ? hasMore : Boolean(f.cursor)) ? key(first) : null,
  };
}

import { can, environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

/**
 * The header's "needs your review" count: PENDING requests in environments where the actor
 * approves, not their own, not yet reviewed by them on the current revision (the inbox's
 * needs-review view, counted), and how many of those name them as a reviewer. One query.
 */
export async function countNeedsMyReview(actor: TActor): Promise<{ total: number; named: number }> {
  if (!can(actor, 'change-request.review')) return { total: 0, named: 0 };
  const reviewable = environmentsWhere(actor, 'change-request.review');
  const rows = await db().$queryRawUnsafe<{ total: bigint; named: bigint }[]>(
    `SELECT count(*) AS total, count(cr_named.user_id) AS named
       FROM change_requests cr
       JOIN revisions v ON v.change_request_id = cr.id AND v.number = cr.current_revision
       LEFT JOIN chosen_reviewers cr_named ON cr_named.change_request_id = cr.id AND cr_named.user_id = $1::uuid
      WHERE cr.status = 'PENDING' AND cr.requester_id <> $1::uuid
        AND ($2::boolean OR cr.environment_id = ANY($3::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.revision_id = v.id AND r.reviewer_id = $1::uuid)`,
    actor.id,
    reviewable === 'all',
    reviewable === 'all' ? [] : reviewable,
  );
  return { total: Number(rows[0]?.total ?? 0), named: Number(rows[0]?.named ?? 0) };
}

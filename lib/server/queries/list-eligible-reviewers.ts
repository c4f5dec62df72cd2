import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

export type TEligibleReviewer = { id: string; name: string; email: string };

/**
 * Who the requester may name as reviewers, per environment they can submit to: active approvers
 * of it (global or scoped), never the requester themselves. The submit operation re-checks.
 */
export async function listEligibleReviewers(actor: TActor, environmentIds: string[]): Promise<Record<string, TEligibleReviewer[]>> {
  const ids = environmentIds.filter((id) => can(actor, 'change-request.submit', { environmentId: id }));
  if (!ids.length) return {};
  const users = await db().user.findMany({
    where: {
      isActive: true,
      id: { not: actor.id },
      roles: { some: { role: 'APPROVER', OR: [{ environmentId: null }, { environmentId: { in: ids } }] } },
    },
    select: { id: true, name: true, email: true, roles: { where: { role: 'APPROVER' }, select: { environmentId: true } } },
    orderBy: { name: 'asc' },
  });
  const out: Record<string, TEligibleReviewer[]> = {};
  for (const envId of ids)
    out[envId] = users
      .filter((u) => u.roles.some((r) => r.environmentId === null || r.environmentId === envId))
      .map((u) => ({ id: u.id, name: u.name, email: u.email }));
  return out;
}

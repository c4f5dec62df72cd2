import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

export type TReviewerGroupOption = { id: string; name: string; description: string; eligibleMembers: string[] };

/**
 * The groups a requester may name, per environment they can submit to: each group with at least
 * one member who is an active approver of that environment other than the requester (names of
 * those members, for the form's hint). The submit operation re-checks.
 */
export async function listReviewerGroupOptions(actor: TActor, environmentIds: string[]): Promise<Record<string, TReviewerGroupOption[]>> {
  const ids = environmentIds.filter((id) => can(actor, 'change-request.submit', { environmentId: id }));
  if (!ids.length) return {};
  const groups = await db().reviewerGroup.findMany({
    orderBy: { name: 'asc' },
    include: {
      members: {
        where: { userId: { not: actor.id }, user: { isActive: true } },
        include: {
          user: { select: { name: true, roles: { where: { role: 'APPROVER' }, select: { environmentId: true } } } },
        },
      },
    },
  });
  const out: Record<string, TReviewerGroupOption[]> = {};
  for (const envId of ids)
    out[envId] = groups
      .map((g) => ({
        id: g.id,
        name: g.name,
        description: g.description,
        eligibleMembers: g.members
          .filter((m) => m.user.roles.some((r) => r.environmentId === null || r.environmentId === envId))
          .map((m) => m.user.name)
          .sort(),
      }))
      .filter((g) => g.eligibleMembers.length > 0);
  return out;
}

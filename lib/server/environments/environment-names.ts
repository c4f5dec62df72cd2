import type { TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

/**
 * id → name of the environments the actor's scoped roles name (for "approver in prod" in the
 * header); nothing else is looked up, so it reveals no environment the actor has no role in.
 */
export async function environmentNamesForRoles(actor: TActor): Promise<Map<string, string>> {
  const ids = [...new Set(actor.roles.flatMap((r) => (r.environmentId ? [r.environmentId] : [])))];
  if (!ids.length) return new Map();
  const rows = await db().environment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

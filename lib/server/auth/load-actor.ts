import type { TActor, TRole } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';

/**
 * The acting user with their roles, read from the database on every request so a role change
 * or a deactivation takes effect at once. Null when the user is gone, deactivated, or the
 * session predates a session-version bump (password change, deactivation).
 */
export async function loadActor(userId: string, sessionVersion?: number): Promise<TActor | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      isActive: true,
      sessionVersion: true,
      roles: { select: { role: true, environmentId: true } },
    },
  });
  if (!user || !user.isActive) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles.map((r) => ({ role: r.role as TRole, environmentId: r.environmentId })),
  };
}

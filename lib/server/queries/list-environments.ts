import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { requireActor } from '../operation';

export type TVisibleEnvironment = Awaited<ReturnType<typeof listVisibleEnvironments>>[number];

/**
 * Environments the actor may see (environment.view, global or scoped), production last so the
 * safer choice comes first in pickers. Never includes connection secrets.
 */
export async function listVisibleEnvironments(actorIn: TActor | null) {
  const actor = requireActor(actorIn);
  const visible = environmentsWhere(actor, 'environment.view');
  if (visible !== 'all' && visible.length === 0) return [];
  const rows = await db().environment.findMany({
    where: visible === 'all' ? {} : { id: { in: visible } },
    orderBy: [{ isProduction: 'asc' }, { name: 'asc' }],
    select: {
      id: true,
      name: true,
      description: true,
      isProduction: true,
      requiredApprovals: true,
      connectionKind: true,
      disabledAt: true,
      autoApproveEnabled: true,
      rollbackPreApproved: true,
      // The worker's last guard reading (TGuardCheck), for the environment page's guard line.
      guardHealth: true,
      guardCheckedAt: true,
    },
  });
  return rows;
}

import { can, type TActor, type TPermission } from '@/lib/domain/authz/permissions';
import { AppError } from '../errors';
import { requireActor } from '../operation';

const DENIED: Partial<Record<TPermission, string>> = {
  'change-request.submit': 'You are not a requester in this environment.',
  'change-request.review': 'You are not an approver in this environment.',
  'audit.view': 'Only auditors and admins can read the audit history.',
  'audit.export': 'Only auditors and admins can export the audit history.',
  'environment.manage': 'Only admins can configure environments.',
  'user.manage': 'Only admins can manage users.',
};

/** Throws 401 without an actor and 403 when no role grants `permission` in `scope`. */
export function assertCan(
  actor: TActor | null,
  permission: TPermission,
  scope: { environmentId: string } | 'any' | 'global' = 'any',
  message?: string,
): asserts actor is TActor {
  requireActor(actor);
  if (!can(actor, permission, scope)) throw new AppError('FORBIDDEN', message ?? DENIED[permission] ?? 'You are not allowed to do that.');
}

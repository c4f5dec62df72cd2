import type { TActor } from '@/lib/domain/authz/permissions';
import { isUuid } from '@/lib/domain/text/uuid';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';

/**
 * Disables (no new requests; submit refuses with 409) or re-enables an environment. Requests
 * already in flight are left to their own lifecycle. Audited; a no-op change is not.
 */
export async function setEnvironmentDisabled(actor: TActor | null, environmentId: string, isDisabled: boolean, now: Date = new Date()) {
  assertCan(actor, 'environment.manage', isUuid(environmentId) ? { environmentId } : 'global');
  return db().$transaction(async (tx) => {
    const env = await tx.environment.findUnique({ where: { id: environmentId } });
    if (!env) throw new AppError('NOT_FOUND', 'No such environment.');
    if (Boolean(env.disabledAt) === isDisabled) return { disabledAt: env.disabledAt };
    const disabledAt = isDisabled ? now : null;
    await tx.environment.update({ where: { id: environmentId }, data: { disabledAt } });
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: isDisabled ? 'environment.disabled' : 'environment.enabled',
        environmentId,
        details: { name: env.name },
      },
      now,
    );
    return { disabledAt };
  });
}

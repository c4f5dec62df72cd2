import type { TActor } from '@/lib/domain/authz/permissions';
import { isUuid } from '@/lib/domain/text/uuid';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import { TX_OPTIONS, zodToAppError } from '../operation';
import { changedFields, environmentSnapshot, ZEnvironmentSettings } from './admin-shared';
import { environmentColumns, reevaluatePending } from './save-environment';

/**
 * Saves an environment's settings (admins of it). In one transaction under the environment's row
 * lock: validate (400 per field; 422 when more approvals are required than there are eligible
 * approvers, or the kubeconfig does not load), write, audit `environment.updated` with only the
 * changed fields before/after (never the kubeconfig), and — when the required count went down —
 * re-evaluate pending requests, approving (and enqueuing) those that now have quorum.
 */
export async function updateEnvironment(actor: TActor | null, environmentId: string, input: unknown, now: Date = new Date()) {
  if (!isUuid(environmentId)) throw new AppError('NOT_FOUND', 'No such environment.');
  assertCan(actor, 'environment.manage', { environmentId });
  const parsed = ZEnvironmentSettings.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const settings = parsed.data;
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM environments WHERE id = $1::uuid FOR UPDATE', environmentId);
    if (!locked.length) throw new AppError('NOT_FOUND', 'No such environment.');
    const current = await tx.environment.findUniqueOrThrow({ where: { id: environmentId } });
    const columns = await environmentColumns(tx, environmentId, settings, current, actor);
    const updated = await tx.environment.update({ where: { id: environmentId }, data: columns });
    const diff = changedFields(environmentSnapshot(current), environmentSnapshot(updated));
    const isKubeconfigReplaced = settings.connection.kind === 'KUBECONFIG_INLINE' && Boolean(settings.connection.kubeconfig);
    if (Object.keys(diff.after).length || isKubeconfigReplaced) {
      await recordAuditEvent(
        tx,
        {
          actor: { id: actor.id, email: actor.email },
          action: 'environment.updated',
          environmentId,
          details: {
            name: current.name,
            ...diff,
            ...(isKubeconfigReplaced ? { kubeconfig: 'replaced' } : {}),
          },
        },
        now,
      );
    }
    // After the rule change's own event, so the log reads cause → effect.
    const reevaluation =
      updated.requiredApprovals < current.requiredApprovals ? await reevaluatePending(tx, environmentId, actor, now) : null;
    return { id: environmentId, changed: Object.keys(diff.after), approvedByNewCount: reevaluation?.approved ?? [] };
  }, TX_OPTIONS);
}

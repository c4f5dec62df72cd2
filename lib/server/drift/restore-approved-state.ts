import type { TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { restoreAppliedVersion } from '../history/rollback';
import type { KubeClient } from '../kube/kube-client';
import { describeDrift } from './drift-details';
import { findRecordToRemediate, linkRemediation } from './find-drift-record';
import { latestApplied } from './record-drift';

/**
 * "Restore approved state": proposes re-applying the last version applied through the portal
 * (an update, a create when the Ingress was deleted outside the portal, or a delete when it was
 * recreated after the portal deleted it). It is a restore request like one from the history page
 * (restoreAppliedVersion), so it is pre-approved exactly when the environment pre-approves
 * rollbacks to a previously approved state. Cases: no drift.view → 404; no drift.remediate →
 * 403; UNMANAGED or IN_SYNC → 409 (there is no approved state, or nothing to restore); a request
 * from this record still open → 409; everything restoreAppliedVersion refuses.
 */
export async function restoreApprovedState(
  actor: TActor | null,
  driftRecordId: string,
  opts: { reason?: string; client?: KubeClient; now?: Date } = {},
) {
  const { record, details } = await findRecordToRemediate(actor, driftRecordId);
  if (record.state !== 'DRIFTED' && record.state !== 'DELETED') {
    throw new AppError(
      'CONFLICT',
      record.state === 'UNMANAGED'
        ? `${record.namespace}/${record.ingressName} was never applied through the portal; import it instead.`
        : `${record.namespace}/${record.ingressName} is in sync; there is nothing to restore.`,
    );
  }
  const applied = await latestApplied(db(), record.environmentId, record.namespace, record.ingressName);
  if (!applied) throw new AppError('CONFLICT', `${record.namespace}/${record.ingressName} has no applied version to restore.`);
  const reason =
    opts.reason?.trim() ||
    `Restore the approved state: ${describeDrift(record.state, details.fields?.map((f) => f.path) ?? [], details.managers ?? [])}, detected ${record.detectedAt.toISOString()}.`;
  const request = await restoreAppliedVersion(actor, applied.id, { reason, client: opts.client, now: opts.now });
  await linkRemediation(record.id, {
    kind: 'RESTORE',
    changeRequestId: request.id,
    number: request.number,
    requestedById: actor!.id,
    requestedAt: (opts.now ?? new Date()).toISOString(),
  });
  return request;
}

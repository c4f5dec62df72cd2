import { can, type TActor } from '@/lib/domain/authz/permissions';
import { IN_FLIGHT_STATUSES } from '@/lib/domain/change/lifecycle';
import { assertCan } from '../authz/assert-can';
import { isUuid, requireActor } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { TDriftDetails } from './drift-details';

/**
 * The drift record an actor wants to remediate. 404 — not 403 — when the actor cannot see drift in
 * its environment (ids do not leak); 403 when they can see but not remediate; 409 when a request
 * raised from this record earlier is still open (a second click must not make a duplicate).
 */
export async function findRecordToRemediate(actorIn: TActor | null, driftRecordId: string) {
  const actor = requireActor(actorIn);
  const record = isUuid(driftRecordId)
    ? await db().driftRecord.findUnique({ where: { id: driftRecordId }, include: { environment: true } })
    : null;
  if (!record || !can(actor, 'drift.view', { environmentId: record.environmentId }))
    throw new AppError('NOT_FOUND', 'No such drift record.');
  assertCan(actor, 'drift.remediate', { environmentId: record.environmentId }, `You cannot remediate drift in ${record.environment.name}.`);
  const details = (record.details ?? {}) as Partial<TDriftDetails>;
  if (details.remediation) {
    const open = await db().changeRequest.findFirst({
      where: { id: details.remediation.changeRequestId, status: { in: [...IN_FLIGHT_STATUSES] } },
      select: { number: true, status: true },
    });
    if (open)
      throw new AppError(
        'CONFLICT',
        `Request #${open.number} (${open.status.toLowerCase()}) already answers this drift; review or cancel it first.`,
        { details: { changeRequestNumber: open.number } },
      );
  }
  return { record, details };
}

/** Links the request raised from the drift page to the record (shown there until resolved). */
export async function linkRemediation(recordId: string, remediation: NonNullable<TDriftDetails['remediation']>): Promise<void> {
  // Merged in SQL: the detector may have rewritten the rest of details meanwhile.
  await db()
    .$executeRaw`UPDATE drift_records SET details = details || jsonb_build_object('remediation', ${JSON.stringify(remediation)}::jsonb) WHERE id = ${recordId}::uuid`;
}

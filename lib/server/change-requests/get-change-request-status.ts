import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { isUuid, requireActor } from '../operation';

/**
 * A request's fingerprint for the request page's polling (every 1.5 s while the worker runs):
 * two indexed lookups instead of the whole page. Same visibility as getChangeRequest (404 when hidden).
 */
export async function getChangeRequestStatus(actorIn: TActor | null, id: string) {
  const actor = requireActor(actorIn);
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await db().changeRequest.findUnique({
    where: { id },
    select: { environmentId: true, status: true, currentRevision: true, nextAttemptAt: true, applyAttempts: true },
  });
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const last = await db().auditEvent.findFirst({ where: { changeRequestId: id }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return {
    status: request.status,
    currentRevision: request.currentRevision,
    applyAttempts: request.applyAttempts,
    nextAttemptAt: request.nextAttemptAt,
    lastEvent: last?.seq.toString() ?? null,
  };
}

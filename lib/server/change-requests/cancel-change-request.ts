import { can, type TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { AppError } from '../errors';
import { lockChangeRequest, TX_OPTIONS } from './quorum';
import { findChangeRequestOr404 } from './shared';

const CANCELLABLE = ['PENDING', 'REJECTED', 'STALE', 'APPROVED', 'SCHEDULED', 'FAILED'];

/**
 * Cancels a request (its requester, or an admin of the environment). An APPROVED request's queued
 * job finds it CANCELLED at its re-check and writes nothing. APPLYING/APPLIED and closed requests
 * → 409.
 */
export async function cancelChangeRequest(actor: TActor | null, changeRequestId: string, reason: string, now: Date = new Date()) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const request = await findChangeRequestOr404(changeRequestId);
  if (!can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const isOwner = request.requesterId === actor.id && can(actor, 'change-request.cancel', { environmentId: request.environmentId });
  const isAdmin = actor.roles.some((r) => r.role === 'ADMIN' && (r.environmentId === null || r.environmentId === request.environmentId));
  if (!isOwner && !isAdmin) throw new AppError('FORBIDDEN', 'Only the requester or an admin can cancel this change.');
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, changeRequestId);
    const fresh = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeRequestId } });
    if (!CANCELLABLE.includes(fresh.status)) throw new AppError('CONFLICT', `A ${fresh.status.toLowerCase()} request cannot be cancelled.`);
    await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: { status: 'CANCELLED', statusReason: reason.trim() || `Cancelled by ${actor.name}` },
    });
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'change-request.cancelled',
        environmentId: fresh.environmentId,
        namespace: fresh.namespace,
        ingressName: fresh.ingressName,
        changeRequestId,
        reason: reason.trim() || null,
        details: { before: { status: fresh.status }, after: { status: 'CANCELLED' } },
      },
      now,
    );
    return { status: 'CANCELLED' };
  }, TX_OPTIONS);
}

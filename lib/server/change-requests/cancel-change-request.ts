import type { TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import {
  assertMay,
  auditActor,
  auditRequestEvent,
  findVisibleChangeRequest,
  lockedChangeRequest,
  requireActor,
  TX_OPTIONS,
} from '../operation';

/**
 * Cancels a request (its requester, or an admin of the environment: lifecycle.ts decides). An
 * APPROVED request's queued job finds it CANCELLED at its re-check and writes nothing.
 * APPLYING/APPLIED and closed requests → 409; the check is repeated under the row lock.
 */
export async function cancelChangeRequest(actorIn: TActor | null, changeRequestId: string, reason: string, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  assertMay(actor, await findVisibleChangeRequest(actor, changeRequestId), 'cancel');
  return db().$transaction(async (tx) => {
    const fresh = await lockedChangeRequest(tx, changeRequestId);
    assertMay(actor, fresh, 'cancel');
    await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: { status: 'CANCELLED', statusReason: reason.trim() || `Cancelled by ${actor.name}` },
    });
    await auditRequestEvent(
      tx,
      auditActor(actor),
      fresh,
      {
        action: 'change-request.cancelled',
        reason: reason.trim() || null,
        details: { before: { status: fresh.status }, after: { status: 'CANCELLED' } },
      },
      now,
    );
    return { status: 'CANCELLED' };
  }, TX_OPTIONS);
}

import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import {
  assertMay,
  auditActor,
  auditRequestEvent,
  findVisibleChangeRequest,
  lockedChangeRequest,
  parseInput,
  requireActor,
  TX_OPTIONS,
} from '../operation';
import { emitNotification } from '../notifications/emit-notification';
import { scheduleOrEnqueue } from './schedule-apply';

export const ZOverrideChangeWindow = z.object({
  reason: z.string().trim().min(10, 'Say why this change cannot wait for the window (at least 10 characters).').max(1_000),
});

/**
 * An admin lets one request apply outside its environment's change windows and freezes (its
 * "not before" still holds). Cases: not signed in → 401; hidden → 404; then lifecycle.ts: not an
 * admin of the environment → 403, a request that is not PENDING, APPROVED or SCHEDULED → 409,
 * already overridden → 409 (asked again under the row lock); no reason → 400. A SCHEDULED request is enqueued at once (or at its "not before"). Audited with the reason.
 */
export async function overrideChangeWindow(actorIn: TActor | null, changeRequestId: string, input: unknown, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  assertMay(actor, await findVisibleChangeRequest(actor, changeRequestId), 'override-window');
  const { reason } = parseInput(ZOverrideChangeWindow, input);
  const actorRef = auditActor(actor);
  return db().$transaction(async (tx) => {
    const fresh = await lockedChangeRequest(tx, changeRequestId);
    assertMay(actor, fresh, 'override-window');
    const updated = await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: { windowOverrideAt: now, windowOverrideReason: reason },
    });
    await auditRequestEvent(
      tx,
      actorRef,
      fresh,
      {
        action: 'change-request.window-overridden',
        reason,
        details: { status: fresh.status, scheduledFor: fresh.scheduledFor?.toISOString() ?? null },
      },
      now,
    );
    await emitNotification(tx, {
      kind: 'window-overridden',
      actor: actorRef,
      changeRequestId,
      environmentId: fresh.environmentId,
      revision: fresh.currentRevision,
      details: { reason },
    });
    const status =
      fresh.status === 'PENDING' ? 'PENDING' : await scheduleOrEnqueue(tx, updated, fresh.environment, { actor: actorRef, now });
    return { status };
  }, TX_OPTIONS);
}

import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { lockChangeRequest, TX_OPTIONS } from '../change-requests/quorum';
import { findChangeRequestOr404 } from '../change-requests/shared';
import { zodToAppError } from '../change-requests/submit-change-request';
import { db } from '../db/client';
import { AppError } from '../errors';
import { emitNotification } from '../notifications/emit-notification';
import { scheduleOrEnqueue } from './schedule-apply';

export const ZOverrideChangeWindow = z.object({
  reason: z.string().trim().min(10, 'Say why this change cannot wait for the window (at least 10 characters).').max(1_000),
});

/**
 * An admin lets one request apply outside its environment's change windows and freezes (its
 * "not before" still holds). Cases: not signed in → 401; not an admin of the environment → 403;
 * no reason → 400; a request that is not PENDING, APPROVED or SCHEDULED → 409; already overridden
 * → 409. A SCHEDULED request is enqueued at once (or at its "not before"). Audited with the reason.
 */
export async function overrideChangeWindow(actor: TActor | null, changeRequestId: string, input: unknown, now: Date = new Date()) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const request = await findChangeRequestOr404(changeRequestId);
  assertCan(actor, 'change-request.override-window', { environmentId: request.environmentId });
  const parsed = ZOverrideChangeWindow.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const actorRef = { id: actor.id, email: actor.email };
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, changeRequestId);
    const fresh = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeRequestId }, include: { environment: true } });
    if (!['PENDING', 'APPROVED', 'SCHEDULED'].includes(fresh.status)) {
      throw new AppError('CONFLICT', `A ${fresh.status.toLowerCase()} request has no change window to override.`);
    }
    if (fresh.windowOverrideAt) throw new AppError('CONFLICT', 'The change window is already overridden for this request.');
    const updated = await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: { windowOverrideAt: now, windowOverrideReason: parsed.data.reason },
    });
    await appendAuditEvent(
      tx,
      {
        actor: actorRef,
        action: 'change-request.window-overridden',
        environmentId: fresh.environmentId,
        namespace: fresh.namespace,
        ingressName: fresh.ingressName,
        changeRequestId,
        reason: parsed.data.reason,
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
      details: { reason: parsed.data.reason },
    });
    const status =
      fresh.status === 'PENDING' ? 'PENDING' : await scheduleOrEnqueue(tx, updated, fresh.environment, { actor: actorRef, now });
    return { status };
  }, TX_OPTIONS);
}

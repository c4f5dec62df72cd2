import { auditRequestEvent, lockChangeRequest, TX_OPTIONS } from '../operation';
import { db } from '../db/client';
import type { TApplyPayload } from '../jobs/queue';
import { scheduleOrEnqueue, windowDecisionFor } from '../schedule/schedule-apply';

export const WORKER = { system: 'worker' } as const;

export type TClaimed = Extract<NonNullable<Awaited<ReturnType<typeof claimApply>>>, { attempt: number }>;

/**
 * Step 1, under the row lock: is there still something to apply, and may it be applied now?
 * Marks it APPLYING, or (outside the change window / before "not before") SCHEDULED again.
 */
export async function claimApply(payload: TApplyPayload, now: Date) {
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, payload.changeRequestId);
    const request = await tx.changeRequest.findUniqueOrThrow({ where: { id: payload.changeRequestId }, include: { environment: true } });
    // APPLYING: an earlier attempt died mid-way; its outcome is reconciled against the cluster below.
    if (!['APPROVED', 'SCHEDULED', 'APPLYING'].includes(request.status) || request.currentRevision !== payload.revision) return null;
    // The window is decided again now: a freeze may have been added, or the job may run late.
    if (request.status !== 'APPLYING' && !windowDecisionFor(request.environment, request, now).isOpen) {
      await scheduleOrEnqueue(tx, request, request.environment, { actor: WORKER, now });
      const after = await tx.changeRequest.findUniqueOrThrow({ where: { id: request.id }, select: { statusReason: true } });
      return { scheduled: after.statusReason ?? 'scheduled' };
    }
    const revision = await tx.revision.findUniqueOrThrow({
      where: { changeRequestId_number: { changeRequestId: request.id, number: payload.revision } },
    });
    const done = await tx.appliedVersion.findUnique({
      where: { changeRequestId_revisionNumber: { changeRequestId: request.id, revisionNumber: payload.revision } },
    });
    if (done) {
      await tx.changeRequest.update({ where: { id: request.id }, data: { status: 'APPLIED', appliedAt: done.appliedAt } });
      return null;
    }
    const attempt = request.applyAttempts + 1;
    await tx.changeRequest.update({
      where: { id: request.id },
      data: { status: 'APPLYING', applyAttempts: attempt, nextAttemptAt: null, scheduledFor: null },
    });
    await auditRequestEvent(
      tx,
      WORKER,
      request,
      {
        action: 'change-request.applying',
        details: { revision: revision.number, attempt },
      },
      now,
    );
    return { request, revision, attempt };
  }, TX_OPTIONS);
}

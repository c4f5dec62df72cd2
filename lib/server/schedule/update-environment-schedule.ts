import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { ZPromotionRules } from '@/lib/domain/promotion/promotion-rules';
import { ZChangeWindows } from '@/lib/domain/schedule/change-windows';
import type { Prisma } from '@/lib/generated/prisma/client';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { isUuid, lockChangeRequest, TX_OPTIONS, zodToAppError } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';
import { scheduleOrEnqueue } from './schedule-apply';

export const ZEnvironmentSchedule = z
  .object({
    promotionOrder: z.number().int('A whole number.').min(1, 'Positions start at 1.').max(100).nullable(),
    changeWindows: ZChangeWindows,
    promotionRules: ZPromotionRules,
  })
  .strict();

export type TEnvironmentSchedule = z.infer<typeof ZEnvironmentSchedule>;

/**
 * Saves an environment's place on the promotion path, its change windows and freezes, and its
 * promotion rules (mapping + prior-stage policy). Cases: not an admin of it → 403; bad input →
 * 400 naming each field; a position another environment holds, a prior stage that is unknown,
 * itself, or not earlier on the path → 422. Audited (`environment.schedule-updated`, before and
 * after). SCHEDULED requests of the environment are re-decided at once under the new windows (one
 * may now be due earlier, or later).
 */
export async function updateEnvironmentSchedule(actor: TActor | null, environmentId: string, input: unknown, now: Date = new Date()) {
  if (!isUuid(environmentId)) throw new AppError('NOT_FOUND', 'No such environment.');
  assertCan(actor, 'environment.manage', { environmentId });
  const parsed = ZEnvironmentSchedule.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const next = parsed.data;
  const actorRef = { id: actor.id, email: actor.email };
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM environments WHERE id = $1::uuid FOR UPDATE', environmentId);
    if (!locked.length) throw new AppError('NOT_FOUND', 'No such environment.');
    const current = await tx.environment.findUniqueOrThrow({ where: { id: environmentId } });
    if (next.promotionOrder !== null) {
      const holder = await tx.environment.findFirst({
        where: { promotionOrder: next.promotionOrder, id: { not: environmentId } },
        select: { name: true },
      });
      if (holder)
        throw unprocessable('promotionOrder', `Position ${next.promotionOrder} is ${holder.name}'s; give each environment its own.`);
    }
    const prior = next.promotionRules.priorStage;
    if (prior) {
      const source = await tx.environment.findUnique({ where: { name: prior.environment }, select: { id: true, promotionOrder: true } });
      if (!source) throw unprocessable('promotionRules.priorStage.environment', `No environment named "${prior.environment}".`);
      if (source.id === environmentId)
        throw unprocessable('promotionRules.priorStage.environment', 'An environment cannot be its own prior stage.');
      if (next.promotionOrder === null || source.promotionOrder === null || source.promotionOrder >= next.promotionOrder) {
        throw unprocessable(
          'promotionRules.priorStage.environment',
          `${prior.environment} must come earlier on the promotion path than this environment.`,
        );
      }
    }
    await tx.environment.update({
      where: { id: environmentId },
      data: {
        promotionOrder: next.promotionOrder,
        changeWindows: next.changeWindows as unknown as Prisma.InputJsonValue,
        promotionRules: next.promotionRules as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAuditEvent(
      tx,
      {
        actor: actorRef,
        action: 'environment.schedule-updated',
        environmentId,
        details: {
          name: current.name,
          before: { promotionOrder: current.promotionOrder, changeWindows: current.changeWindows, promotionRules: current.promotionRules },
          after: next,
        },
      },
      now,
    );
    const scheduled = await tx.changeRequest.findMany({ where: { environmentId, status: 'SCHEDULED' }, select: { id: true } });
    const environment = { changeWindows: next.changeWindows };
    for (const { id } of scheduled) {
      await lockChangeRequest(tx, id);
      const request = await tx.changeRequest.findUniqueOrThrow({ where: { id } });
      await scheduleOrEnqueue(tx, request, environment, { actor: actorRef, now });
    }
    return { id: environmentId, rescheduled: scheduled.length };
  }, TX_OPTIONS);
}

function unprocessable(path: string, message: string): AppError {
  return new AppError('UNPROCESSABLE', message, { fieldErrors: [{ path, message }] });
}

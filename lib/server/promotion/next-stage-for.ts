import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { nextStage } from './prepare-promotion';

/** The next stage's name after `environmentId` on the promotion path, when the actor may submit there; else null. */
export async function nextStageFor(actor: TActor, environmentId: string): Promise<string | null> {
  const env = await db().environment.findUnique({ where: { id: environmentId }, select: { promotionOrder: true } });
  const next = await nextStage(env?.promotionOrder ?? null);
  return next && can(actor, 'change-request.submit', { environmentId: next.id }) ? next.name : null;
}

import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { NOTIFICATION_KIND_INFO, NOTIFICATION_KINDS, type TNotificationKind } from '@/lib/domain/notifications/notification-kinds';
import { requireActor, zodToAppError } from '../operation';
import { db } from '../db/client';

export const ZPreferences = z.partialRecord(z.enum(NOTIFICATION_KINDS, 'Unknown event kind.'), z.boolean('Use true or false.'));

/** The signed-in user's email choice per event kind (default on). */
export async function getNotificationPreferences(
  actorIn: TActor | null,
): Promise<{ kind: TNotificationKind; label: string; isEmailOn: boolean }[]> {
  const actor = requireActor(actorIn);
  const rows = await db().notificationPreference.findMany({ where: { userId: actor.id } });
  const off = new Set(rows.filter((r) => !r.isEmailOn).map((r) => r.kind));
  return NOTIFICATION_KINDS.map((kind) => ({ kind, label: NOTIFICATION_KIND_INFO[kind].label, isEmailOn: !off.has(kind) }));
}

/** Sets the signed-in user's own choices; one user can only change their own. */
export async function setNotificationPreferences(actorIn: TActor | null, input: unknown): Promise<void> {
  const actor = requireActor(actorIn);
  const parsed = ZPreferences.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  await db().$transaction(async (tx) => {
    for (const [kind, isEmailOn] of Object.entries(parsed.data)) {
      await tx.notificationPreference.upsert({
        where: { userId_kind: { userId: actor.id, kind } },
        create: { userId: actor.id, kind, isEmailOn: isEmailOn as boolean },
        update: { isEmailOn: isEmailOn as boolean },
      });
    }
  });
}

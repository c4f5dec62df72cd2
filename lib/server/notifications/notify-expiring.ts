import { db } from '../db/client';
import { emitNotification } from './emit-notification';
import { notificationConfig } from './notification-config';

/**
 * Worker housekeeping: "about to expire" for each request still waiting (PENDING, REJECTED,
 * STALE) whose expiry falls within NOTIFY_EXPIRY_WARNING_HOURS. Once per request and deadline:
 * the dedupe key holds the deadline, so a later extension warns again.
 */
export async function notifyExpiring(now: Date = new Date()): Promise<number> {
  const { expiryWarningHours } = notificationConfig();
  const due = await db().changeRequest.findMany({
    where: {
      status: { in: ['PENDING', 'REJECTED', 'STALE'] },
      expiresAt: { gt: now, lte: new Date(now.getTime() + expiryWarningHours * 3_600_000) },
    },
    select: { id: true, environmentId: true, currentRevision: true, expiresAt: true },
    take: 500,
  });
  let sent = 0;
  for (const r of due) {
    const id = await db().$transaction((tx) =>
      emitNotification(tx, {
        kind: 'expiring',
        actor: { system: 'system' },
        changeRequestId: r.id,
        environmentId: r.environmentId,
        revision: r.currentRevision,
        details: { reason: `Expires at ${r.expiresAt!.toISOString()} unless it is decided.` },
        dedupeKey: `expiring:${r.id}:${r.expiresAt!.toISOString()}`,
      }),
    );
    if (id) sent += 1;
  }
  return sent;
}

import { isUuid } from '@/lib/domain/text/uuid';
import { db } from '../db/client';
import { recordAuditEvent } from '../audit/append-audit-event';

/**
 * Signing out: ends the session the cookie names, server-side, so a copy of the cookie replayed
 * later is refused. Idempotent (an unknown or already-ended session changes nothing). Audited.
 */
export async function endSession(sessionId: unknown, now: Date = new Date()): Promise<boolean> {
  if (!isUuid(sessionId)) return false;
  return db().$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId }, include: { user: { select: { id: true, email: true } } } });
    if (!session || session.endedAt) return false;
    await tx.session.update({ where: { id: sessionId }, data: { endedAt: now, endReason: 'signed-out' } });
    await recordAuditEvent(
      tx,
      { actor: { id: session.user.id, email: session.user.email }, action: 'user.signed-out', details: { sessionId } },
      now,
    );
    return true;
  });
}

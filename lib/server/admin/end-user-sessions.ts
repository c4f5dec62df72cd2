import type { TActor } from '@/lib/domain/authz/permissions';
import { isUuid } from '@/lib/domain/text/uuid';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';

/**
 * An admin ends every open session of a user (a lost laptop, a suspected stolen cookie): each of
 * their browsers is signed out on its next request. API tokens are not touched (they are revoked
 * separately, or by deactivation). Ending one's own sessions is allowed and signs oneself out.
 * Unknown user → 404. Audited with the number of sessions ended, also when it is 0.
 */
export async function endUserSessions(actor: TActor | null, userId: string, now: Date = new Date()): Promise<{ ended: number }> {
  assertCan(actor, 'user.manage', 'global');
  if (!isUuid(userId)) throw new AppError('NOT_FOUND', 'No such user.');
  return db().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    const { count } = await tx.session.updateMany({
      where: { userId, endedAt: null },
      data: { endedAt: now, endReason: 'ended-by-admin' },
    });
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'user.sessions-ended',
        details: { userId, email: user.email, sessions: count },
      },
      now,
    );
    return { ended: count };
  });
}

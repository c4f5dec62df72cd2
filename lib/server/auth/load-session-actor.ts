import type { TActor, TRole } from '@/lib/domain/authz/permissions';
import { sessionState, shouldTouchSession } from '@/lib/domain/auth/session-lifetime';
import { isUuid } from '@/lib/domain/text/uuid';
import { db } from '../db/client';
import { sessionLimits } from '../env';

/**
 * The actor behind a session cookie, checked on every request with one primary-key lookup that
 * also brings the user and their roles. Null when: the cookie names no session (or one from
 * before sessions were recorded); the session was ended (sign-out, an admin, deactivation), is
 * past its absolute lifetime or has been idle too long; it belongs to another user than the
 * cookie says; the user is deactivated. A live session's last activity is written at most once
 * a minute.
 */
export async function loadSessionActor(sessionId: unknown, userId: unknown, now: Date = new Date()): Promise<TActor | null> {
  if (typeof sessionId !== 'string' || !isUuid(sessionId) || typeof userId !== 'string') return null;
  const session = await db().session.findUnique({
    where: { id: sessionId },
    select: {
      userId: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      endedAt: true,
      user: {
        select: { id: true, email: true, name: true, isActive: true, roles: { select: { role: true, environmentId: true } } },
      },
    },
  });
  if (!session || session.userId !== userId || !session.user.isActive) return null;
  if (sessionState(session, now, sessionLimits()) !== 'live') return null;
  if (shouldTouchSession(session.lastSeenAt, now)) {
    // Conditional, so concurrent requests of one session write once, and never revive an ended one.
    await db().session.updateMany({ where: { id: sessionId, endedAt: null, lastSeenAt: session.lastSeenAt }, data: { lastSeenAt: now } });
  }
  const { user } = session;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles.map((r) => ({ role: r.role as TRole, environmentId: r.environmentId })),
  };
}

import { sessionExpiry } from '@/lib/domain/auth/session-lifetime';
import { db } from '../db/client';
import { sessionLimits } from '../env';

/**
 * Records a new session for a user who has just signed in and returns its id, which the session
 * cookie carries. Its absolute expiry is fixed now; the idle limit is checked on every request.
 */
export async function startSession(userId: string, method: 'password' | 'oidc', now: Date = new Date()): Promise<string> {
  const row = await db().session.create({
    data: { userId, method, createdAt: now, lastSeenAt: now, expiresAt: sessionExpiry(now, sessionLimits()) },
    select: { id: true },
  });
  return row.id;
}

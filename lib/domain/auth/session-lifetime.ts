/**
 * A signed-in session's lifetimes: it ends `idleMinutes` after the last request that used it, and
 * `maxHours` after sign-in however active it is. Both are configurable
 * (INGRESS_GATE_SESSION_IDLE_MINUTES, INGRESS_GATE_SESSION_MAX_HOURS).
 */
export type TSessionLimits = { idleMinutes: number; maxHours: number };

export type TSessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date; endedAt: Date | null };

export type TSessionState = 'live' | 'ended' | 'expired' | 'idle';

// last_seen_at is written at most once a minute per session, so a busy page costs one indexed
// read per request and one small write per minute, not one write per request.
export const LAST_SEEN_WRITE_INTERVAL_MS = 60_000;

/** When a session that starts at `createdAt` must end at the latest. */
export function sessionExpiry(createdAt: Date, limits: TSessionLimits): Date {
  return new Date(createdAt.getTime() + limits.maxHours * 3_600_000);
}

/**
 * Cases: ended (signed out, ended by an admin, user deactivated) → ended; past its absolute
 * expiry → expired; unused for longer than the idle limit → idle; else live.
 */
export function sessionState(session: TSessionTimes, now: Date, limits: TSessionLimits): TSessionState {
  if (session.endedAt) return 'ended';
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= limits.idleMinutes * 60_000) return 'idle';
  return 'live';
}

/** Whether this request should record itself as the session's last activity. */
export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= LAST_SEEN_WRITE_INTERVAL_MS;
}

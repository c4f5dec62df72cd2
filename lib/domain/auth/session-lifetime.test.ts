import { describe, expect, it } from 'vitest';
import { sessionExpiry, sessionState, shouldTouchSession } from './session-lifetime';

const limits = { idleMinutes: 30, maxHours: 12 };
const createdAt = new Date('2026-11-29T08:00:00Z');
const at = (iso: string) => new Date(iso);

describe('sessionState', () => {
  const base = { createdAt, lastSeenAt: createdAt, expiresAt: sessionExpiry(createdAt, limits), endedAt: null };
  it.each([
    ['just signed in', base, '2026-11-29T08:00:01Z', 'live'],
    ['used 29 minutes ago', { ...base, lastSeenAt: at('2026-11-29T09:00:00Z') }, '2026-11-29T09:29:59Z', 'live'],
    ['unused for 30 minutes', base, '2026-11-29T08:30:00Z', 'idle'],
    ['active but 12 hours old', { ...base, lastSeenAt: at('2026-11-29T19:59:00Z') }, '2026-11-29T20:00:00Z', 'expired'],
    ['signed out', { ...base, endedAt: at('2026-11-29T08:01:00Z') }, '2026-11-29T08:02:00Z', 'ended'],
  ] as const)('%s → %s', (_name, session, now, expected) => {
    expect(sessionState(session, at(now), limits)).toBe(expected);
  });
});

describe('sessionExpiry and shouldTouchSession', () => {
  it('expires maxHours after sign-in', () => {
    expect(sessionExpiry(createdAt, limits).toISOString()).toBe('2026-11-29T20:00:00.000Z');
  });
  it('writes last activity at most once a minute', () => {
    expect(shouldTouchSession(createdAt, at('2026-11-29T08:00:59Z'))).toBe(false);
    expect(shouldTouchSession(createdAt, at('2026-11-29T08:01:00Z'))).toBe(true);
  });
});

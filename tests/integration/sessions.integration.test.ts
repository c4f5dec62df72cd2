import { beforeEach, describe, expect, it } from 'vitest';
import { endUserSessions } from '@/lib/server/admin/end-user-sessions';
import { setUserActive } from '@/lib/server/admin/manage-users';
import { endSession } from '@/lib/server/auth/end-session';
import { loadActor } from '@/lib/server/auth/load-actor';
import { loadSessionActor } from '@/lib/server/auth/load-session-actor';
import { startSession } from '@/lib/server/auth/start-session';
import { sessionLimits } from '@/lib/server/env';
import { createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from './helpers';

beforeEach(resetDb);

const t0 = new Date('2026-11-29T08:00:00Z');
const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('server-side sessions', () => {
  it('a session is live until signed out; the same cookie (session id) is refused afterwards', async () => {
    const user = await createUser(db(), { email: 's@example.com', roles: ['REQUESTER'] });
    const sid = await startSession(user.id, 'password', t0);
    expect((await loadSessionActor(sid, user.id, later(1)))?.email).toBe('s@example.com');
    expect(await endSession(sid, later(2))).toBe(true);
    expect(await loadSessionActor(sid, user.id, later(3))).toBeNull();
    expect(await db().session.findUniqueOrThrow({ where: { id: sid } })).toMatchObject({ endReason: 'signed-out' });
    expect(await db().auditEvent.findMany({ select: { action: true, actorLabel: true } })).toEqual([
      { action: 'user.signed-out', actorLabel: 's@example.com' },
    ]);
    // Signing out twice changes nothing more.
    expect(await endSession(sid, later(4))).toBe(false);
    expect(await db().auditEvent.count()).toBe(1);
  });

  it('refuses a cookie without a session id, with an unknown one, or naming another user', async () => {
    const user = await createUser(db(), { email: 's@example.com', roles: ['REQUESTER'] });
    const other = await createUser(db(), { email: 'o@example.com', roles: ['ADMIN'] });
    const sid = await startSession(user.id, 'password', t0);
    expect(await loadSessionActor(undefined, user.id, later(1))).toBeNull();
    expect(await loadSessionActor('00000000-0000-4000-8000-000000000000', user.id, later(1))).toBeNull();
    expect(await loadSessionActor('not-a-uuid', user.id, later(1))).toBeNull();
    expect(await loadSessionActor(sid, other.id, later(1))).toBeNull();
  });

  it('ends after the idle limit, and after the absolute limit however active', async () => {
    const { idleMinutes, maxHours } = sessionLimits();
    const user = await createUser(db(), { email: 's@example.com', roles: ['REQUESTER'] });
    const idle = await startSession(user.id, 'password', t0);
    expect(await loadSessionActor(idle, user.id, later(idleMinutes - 1))).not.toBeNull();
    // That request moved last activity, so the idle clock restarts from it.
    expect(await loadSessionActor(idle, user.id, later(2 * idleMinutes - 2))).not.toBeNull();
    expect(await loadSessionActor(idle, user.id, later(3 * idleMinutes))).toBeNull();

    const busy = await startSession(user.id, 'password', t0);
    let minute = 0;
    for (; minute < maxHours * 60; minute += idleMinutes - 1) {
      expect(await loadSessionActor(busy, user.id, later(minute))).not.toBeNull();
    }
    expect(await loadSessionActor(busy, user.id, later(maxHours * 60))).toBeNull();
  });

  it('an admin ends all of a user’s sessions (audited); other users’ sessions stay', async () => {
    const admin = await createUser(db(), { email: 'a@example.com', roles: ['ADMIN'] });
    const user = await createUser(db(), { email: 's@example.com', roles: ['REQUESTER'] });
    const adminActor = (await loadActor(admin.id))!;
    const a = await startSession(user.id, 'password', t0);
    const b = await startSession(user.id, 'oidc', t0);
    const mine = await startSession(admin.id, 'password', t0);
    expect(await endUserSessions(adminActor, user.id, later(1))).toEqual({ ended: 2 });
    expect(await loadSessionActor(a, user.id, later(2))).toBeNull();
    expect(await loadSessionActor(b, user.id, later(2))).toBeNull();
    expect(await loadSessionActor(mine, admin.id, later(2))).not.toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: 'user.sessions-ended' } });
    expect(event).toMatchObject({ actorLabel: 'a@example.com', details: { userId: user.id, email: 's@example.com', sessions: 2 } });
  });

  it('only admins may end sessions; an unknown user is 404', async () => {
    const requester = await createUser(db(), { email: 'r@example.com', roles: ['REQUESTER'] });
    const admin = await createUser(db(), { email: 'a@example.com', roles: ['ADMIN'] });
    const sid = await startSession(admin.id, 'password', t0);
    await expect(endUserSessions((await loadActor(requester.id))!, admin.id, later(1))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(endUserSessions(null, admin.id, later(1))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(endUserSessions((await loadActor(admin.id))!, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await loadSessionActor(sid, admin.id, later(2))).not.toBeNull();
  });

  it('deactivating a user ends their sessions', async () => {
    const admin = await createUser(db(), { email: 'a@example.com', roles: ['ADMIN'] });
    const user = await createUser(db(), { email: 's@example.com', roles: ['REQUESTER'] });
    const sid = await startSession(user.id, 'password', t0);
    await setUserActive((await loadActor(admin.id))!, user.id, false, later(1));
    expect(await db().session.findUniqueOrThrow({ where: { id: sid } })).toMatchObject({ endReason: 'deactivated' });
    await db().user.update({ where: { id: user.id }, data: { isActive: true } });
    expect(await loadSessionActor(sid, user.id, later(2))).toBeNull();
  });
});

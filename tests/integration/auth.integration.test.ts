import { beforeEach, describe, expect, it } from 'vitest';
import { loadActor } from '@/lib/server/auth/load-actor';
import { signInWithOidc } from '@/lib/server/auth/sign-in-with-oidc';
import { signInWithPassword } from '@/lib/server/auth/sign-in-with-password';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from './helpers';

beforeEach(resetDb);

describe('signInWithPassword', () => {
  it.each([
    ['wrong password', { email: 'ann@example.com', password: 'nope' }, 'invalid-credentials', ['ann@example.com']],
    ['unknown email', { email: 'who@example.com', password: 'secret-pass' }, 'invalid-credentials', ['anonymous']],
    ['malformed email', { email: 'not-an-email', password: 'x' }, 'invalid-input', []],
    ['missing password', { email: 'ann@example.com', password: '' }, 'invalid-input', []],
  ])('refuses %s (a tried password is audited, malformed input is not)', async (_name, input, reason, auditedAs) => {
    await createUser(db(), { email: 'ann@example.com', password: 'secret-pass' });
    const result = await signInWithPassword(input, { address: '203.0.113.9' });
    expect(result).toMatchObject({ ok: false, reason });
    const events = await db().auditEvent.findMany({ select: { action: true, actorLabel: true, details: true } });
    expect(events.map((e) => e.actorLabel)).toEqual(auditedAs);
    for (const e of events)
      expect(e).toMatchObject({ action: 'user.sign-in-failed', details: { email: input.email, address: '203.0.113.9' } });
  });

  it('signs in case-insensitively and audits it', async () => {
    await createUser(db(), { email: 'ann@example.com', password: 'secret-pass' });
    const result = await signInWithPassword({ email: ' Ann@Example.com ', password: 'secret-pass' });
    expect(result).toMatchObject({ ok: true, user: { email: 'ann@example.com' } });
    expect(await db().auditEvent.findMany({ select: { action: true, actorLabel: true } })).toEqual([
      { action: 'user.signed-in', actorLabel: 'ann@example.com' },
    ]);
  });

  it('refuses a deactivated account', async () => {
    await createUser(db(), { email: 'ann@example.com', password: 'secret-pass', isActive: false });
    expect(await signInWithPassword({ email: 'ann@example.com', password: 'secret-pass' })).toMatchObject({
      ok: false,
      reason: 'deactivated',
    });
  });
});

describe('signInWithOidc', () => {
  const profile = { issuer: 'https://idp.example.com', subject: 'sub-1', email: 'Olga@Example.com', name: 'Olga' };

  it('creates the user with no roles on first sign-in, then finds the same user', async () => {
    const first = await signInWithOidc(profile);
    expect(first).toMatchObject({ ok: true, user: { email: 'olga@example.com' } });
    const roles = await db().roleAssignment.count();
    expect(roles).toBe(0);
    const again = await signInWithOidc(profile);
    expect(again.ok && first.ok && again.user.id === first.user.id).toBe(true);
    expect(await db().user.count()).toBe(1);
  });

  it('does not link an IdP identity to an existing local account by email', async () => {
    await createUser(db(), { email: 'olga@example.com', password: 'x-password' });
    expect(await signInWithOidc(profile)).toMatchObject({ ok: false });
    expect(await db().oidcAccount.count()).toBe(0);
  });

  it('refuses a profile without an email', async () => {
    expect(await signInWithOidc({ ...profile, email: undefined })).toMatchObject({ ok: false });
  });
});

describe('loadActor', () => {
  it('reads roles fresh on every call, and returns null once deactivated or the session version moved', async () => {
    const env = await createEnvironment(db(), { name: 'prod' });
    const user = await createUser(db(), { email: 'r@example.com', roles: ['REQUESTER'] });
    expect((await loadActor(user.id, 1))?.roles).toEqual([{ role: 'REQUESTER', environmentId: null }]);
    await db().roleAssignment.create({ data: { userId: user.id, role: 'APPROVER', environmentId: env.id } });
    expect((await loadActor(user.id, 1))?.roles).toContainEqual({ role: 'APPROVER', environmentId: env.id });
    await db().user.update({ where: { id: user.id }, data: { sessionVersion: 2 } });
    expect(await loadActor(user.id, 1)).toBeNull();
    expect(await loadActor(user.id, 2)).not.toBeNull();
    await db().user.update({ where: { id: user.id }, data: { isActive: false } });
    expect(await loadActor(user.id, 2)).toBeNull();
  });
});

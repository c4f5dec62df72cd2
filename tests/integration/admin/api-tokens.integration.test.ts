import { beforeEach, describe, expect, it } from 'vitest';
import type { TActor } from '@/lib/domain/authz/permissions';
import { actorFromApiToken } from '@/lib/server/api-tokens/actor-from-api-token';
import { createApiToken, listApiTokens } from '@/lib/server/api-tokens/manage-api-tokens';
import { loadActor } from '@/lib/server/auth/load-actor';
import { createUser } from '@/lib/server/seed/factories';
import { db, resetDb } from '../helpers';

// Issue 11 item 8: tokens have scopes, always expire (default 90 days, at most
// INGRESS_GATE_TOKEN_MAX_DAYS, 365 unless set), and cannot mint tokens.

beforeEach(resetDb);

async function actorWith(roles: Parameters<typeof createUser>[1]['roles']): Promise<TActor> {
  const user = await createUser(db(), { email: `u${Math.random().toString(36).slice(2)}@example.com`, roles });
  return (await loadActor(user.id))!;
}

describe('API tokens', () => {
  it('default expiry is 90 days; scopes are stored and narrow the owner', async () => {
    const approver = await actorWith(['APPROVER']);
    const now = new Date('2026-11-29T08:00:00Z');
    const token = await createApiToken(approver, { name: 'ci', scopes: ['read', 'SUBMIT', 'read'] }, now);
    expect(token.scopes).toEqual(['READ', 'SUBMIT']);
    expect(token.expiresAt.toISOString()).toBe('2027-02-27T08:00:00.000Z');
    const asToken = await actorFromApiToken(token.secret, now);
    expect(asToken?.tokenScopes).toEqual(['READ', 'SUBMIT']);
    expect(asToken?.roles).toEqual(approver.roles);
    expect((await listApiTokens(approver))[0]).toMatchObject({ scopes: ['READ', 'SUBMIT'] });
    // Expired: refused at its expiry instant.
    expect(await actorFromApiToken(token.secret, token.expiresAt)).toBeNull();
    const events = await db().auditEvent.findMany({ where: { action: 'api-token.created' } });
    expect(events[0]?.details).toMatchObject({ scopes: ['READ', 'SUBMIT'] });
  });

  it('refuses: no scopes, unknown scope, beyond the maximum, admin scope for a non-admin, and any token minting a token', async () => {
    const requester = await actorWith(['REQUESTER']);
    const bad = (input: unknown, who: TActor = requester) =>
      createApiToken(who, input).then(
        () => ({ code: 'created', fieldErrors: [] as { path: string; message: string }[] }),
        (e: { code: string; fieldErrors: { path: string; message: string }[] }) => e,
      );
    expect(await bad({ name: 'ci' })).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: [{ path: 'scopes' }] });
    expect(await bad({ name: 'ci', scopes: [] })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'scopes', message: 'Give the token at least one scope (read, submit, review, admin).' }],
    });
    expect(await bad({ name: 'ci', scopes: ['deploy'] })).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: [{ path: 'scopes.0' }] });
    expect(await bad({ name: 'ci', scopes: ['read'], expiresInDays: 366 })).toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'expiresInDays', message: 'A token expires within 365 days at most (INGRESS_GATE_TOKEN_MAX_DAYS).' }],
    });
    expect(await bad({ name: 'ci', scopes: ['admin'] })).toMatchObject({ code: 'FORBIDDEN', fieldErrors: [{ path: 'scopes' }] });
    const admin = await actorWith(['ADMIN']);
    expect((await bad({ name: 'ops', scopes: ['admin'] }, admin)).code).toBe('created');
    const viaToken: TActor = { ...admin, tokenScopes: ['READ', 'SUBMIT', 'REVIEW', 'ADMIN'] };
    expect(await bad({ name: 'child', scopes: ['read'] }, viaToken)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await db().apiToken.count()).toBe(1);
  });
});

import { z } from 'zod';
import { db } from '../db/client';
import { recordAuditEvent } from '../audit/append-audit-event';

export const ZOidcProfile = z.object({
  issuer: z.string().min(1),
  subject: z.string().min(1),
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().max(200).optional(),
});

/**
 * Signs in an OIDC identity. Cases: known (issuer, subject) → that user; unknown identity whose
 * email matches no user → a new user with NO roles (an admin grants them); unknown identity
 * whose email belongs to an existing account → refused (linking by email would let whoever
 * controls the IdP take over a local account); deactivated → refused.
 */
export async function signInWithOidc(
  input: unknown,
): Promise<{ ok: true; user: { id: string; email: string; name: string; sessionVersion: number } } | { ok: false; message: string }> {
  const parsed = ZOidcProfile.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'The identity provider did not send a usable email address.' };
  const { issuer, subject, email } = parsed.data;
  const name = parsed.data.name || email.split('@')[0] || email;
  const now = new Date();
  return db().$transaction(async (tx) => {
    const account = await tx.oidcAccount.findUnique({ where: { issuer_subject: { issuer, subject } }, include: { user: true } });
    if (account) {
      if (!account.user.isActive) return { ok: false as const, message: 'This account is deactivated. Ask an admin to reactivate it.' };
      await tx.user.update({ where: { id: account.userId }, data: { lastSignInAt: now } });
      await recordAuditEvent(
        tx,
        { actor: { id: account.user.id, email: account.user.email }, action: 'user.signed-in', details: { method: 'oidc', issuer } },
        now,
      );
      const u = account.user;
      return { ok: true as const, user: { id: u.id, email: u.email, name: u.name, sessionVersion: u.sessionVersion } };
    }
    const existing = await tx.user.findUnique({ where: { email } });
    if (existing) {
      return {
        ok: false as const,
        message: `An account for ${email} already exists and is not linked to this identity provider. Ask an admin.`,
      };
    }
    const user = await tx.user.create({ data: { email, name, lastSignInAt: now, accounts: { create: { issuer, subject } } } });
    const actor = { id: user.id, email: user.email };
    await recordAuditEvent(tx, { actor, action: 'user.created', details: { method: 'oidc', issuer, roles: [] } }, now);
    await recordAuditEvent(tx, { actor, action: 'user.signed-in', details: { method: 'oidc', issuer } }, now);
    return { ok: true as const, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
  });
}

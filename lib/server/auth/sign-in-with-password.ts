import { z } from 'zod';
import { db } from '../db/client';
import { appendAuditEvent } from '../audit/append-audit-event';
import { recordSignInFailure } from '../metrics/sign-in-metrics';
import { verifyPassword } from './passwords';

export const ZPasswordSignIn = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.')),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

export type TSignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: 'invalid-input' | 'invalid-credentials' | 'deactivated'; message: string };

/**
 * Local account sign-in. Cases: bad input → invalid-input; unknown email or wrong password →
 * invalid-credentials (same message, same time); deactivated → deactivated; else ok, with
 * last_sign_in_at and an audit event.
 */
export async function signInWithPassword(input: unknown): Promise<TSignInResult> {
  const parsed = ZPasswordSignIn.safeParse(input);
  if (!parsed.success) {
    recordSignInFailure('invalid-input');
    return { ok: false, reason: 'invalid-input', message: parsed.error.issues[0]?.message ?? 'Invalid input.' };
  }
  const { email, password } = parsed.data;
  const user = await db().user.findUnique({ where: { email } });
  const isValid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !isValid) {
    recordSignInFailure('invalid-credentials');
    return { ok: false, reason: 'invalid-credentials', message: 'Wrong email or password.' };
  }
  if (!user.isActive) {
    recordSignInFailure('deactivated');
    return { ok: false, reason: 'deactivated', message: 'This account is deactivated. Ask an admin to reactivate it.' };
  }
  const now = new Date();
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await appendAuditEvent(
      tx,
      { actor: { id: user.id, email: user.email }, action: 'user.signed-in', details: { method: 'password' } },
      now,
    );
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}

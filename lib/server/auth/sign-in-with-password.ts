import type { TAuditEventDetails } from '@/lib/domain/audit/audit-events';
import { z } from 'zod';
import { throttledMessage } from '@/lib/domain/auth/sign-in-throttle-policy';
import { db } from '../db/client';
import { recordAuditEvent, type TAuditActor } from '../audit/append-audit-event';
import { recordSignInFailure } from '../metrics/sign-in-metrics';
import { verifyPassword } from './passwords';
import { withSignInThrottle } from './sign-in-throttle';

export const ZPasswordSignIn = z.object({
  email: z.string().trim().toLowerCase().max(320, 'Enter a valid email address.').pipe(z.email('Enter a valid email address.')),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

export type TSignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | {
      ok: false;
      reason: 'invalid-input' | 'invalid-credentials' | 'deactivated' | 'throttled';
      message: string;
      /** Set when the next attempt must wait: "try again in N s". */
      retryAfterSeconds?: number;
    };

async function audit<A extends 'user.sign-in-throttled' | 'user.sign-in-failed' | 'user.sign-in-locked'>(
  actor: TAuditActor,
  action: A,
  details: TAuditEventDetails[A],
  now: Date,
) {
  await db().$transaction((tx) => recordAuditEvent(tx, { actor, action, details }, now));
}

/**
 * Local account sign-in, throttled per account and per client address
 * (lib/domain/auth/sign-in-throttle-policy.ts). Cases:
 * - bad input → invalid-input (nothing counted: no password was tried)
 * - account or address blocked → throttled with retryAfterSeconds, the password NOT checked;
 *   audited `user.sign-in-throttled`
 * - unknown email or wrong password → invalid-credentials (same message, same time); counted,
 *   audited `user.sign-in-failed`, and each block it causes audited `user.sign-in-locked`
 * - deactivated → deactivated
 * - else ok: the account's counters cleared, last_sign_in_at and `user.signed-in` written.
 */
export async function signInWithPassword(
  input: unknown,
  context: { address?: string | null } = {},
  now: Date = new Date(),
): Promise<TSignInResult> {
  const parsed = ZPasswordSignIn.safeParse(input);
  if (!parsed.success) {
    recordSignInFailure('invalid-input');
    return { ok: false, reason: 'invalid-input', message: parsed.error.issues[0]?.message ?? 'Invalid input.' };
  }
  const { email, password } = parsed.data;
  const address = context.address ?? null;
  return withSignInThrottle({ email, address }, async (throttle): Promise<TSignInResult> => {
    const user = await db().user.findUnique({ where: { email } });
    const actor: TAuditActor = user ? { id: user.id, email: user.email } : { system: 'anonymous' };
    const wait = await throttle.retryAfterSeconds();
    if (wait > 0) {
      recordSignInFailure('throttled');
      await audit(actor, 'user.sign-in-throttled', { email, address, retryAfterSeconds: wait }, now);
      return { ok: false, reason: 'throttled', message: throttledMessage(wait), retryAfterSeconds: wait };
    }
    const isValid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !isValid) {
      recordSignInFailure('invalid-credentials');
      const { failures, blocks } = await throttle.recordFailure();
      await audit(actor, 'user.sign-in-failed', { email, address, reason: user ? 'wrong-password' : 'unknown-email', failures }, now);
      for (const block of blocks) {
        await audit(
          actor,
          'user.sign-in-locked',
          { email, address, scope: block.scope, seconds: block.seconds, blockNumber: block.blockNumber, isLock: block.isLock },
          now,
        );
      }
      const retryAfterSeconds = blocks.length ? Math.max(...blocks.map((b) => b.seconds)) : undefined;
      return {
        ok: false,
        reason: 'invalid-credentials',
        message: retryAfterSeconds ? `Wrong email or password. ${throttledMessage(retryAfterSeconds)}` : 'Wrong email or password.',
        ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      };
    }
    if (!user.isActive) {
      recordSignInFailure('deactivated');
      return { ok: false, reason: 'deactivated', message: 'This account is deactivated. Ask an admin to reactivate it.' };
    }
    await throttle.recordSuccess();
    await db().$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
      await recordAuditEvent(
        tx,
        { actor: { id: user.id, email: user.email }, action: 'user.signed-in', details: { method: 'password', address } },
        now,
      );
    });
    return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
  });
}

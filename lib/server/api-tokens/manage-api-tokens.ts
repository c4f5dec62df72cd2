import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { AppError } from '../errors';
import { hashApiToken, newApiTokenSecret } from './actor-from-api-token';

export const ZCreateApiToken = z.object({
  name: z.string().trim().min(1, 'Name the token (e.g. "ci-pipeline").').max(100),
  expiresInDays: z.coerce.number().int().min(1).max(365).optional(),
});

/** Creates a personal token for the actor; the secret is returned once and only its hash stored. */
export async function createApiToken(actor: TActor | null, input: unknown, now: Date = new Date()) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const parsed = ZCreateApiToken.safeParse(input);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', 'Some fields need attention.', {
      fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  const secret = newApiTokenSecret();
  const expiresAt = parsed.data.expiresInDays ? new Date(now.getTime() + parsed.data.expiresInDays * 86_400_000) : null;
  const token = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        userId: actor.id,
        name: parsed.data.name,
        prefix: secret.slice(0, 8),
        tokenHash: hashApiToken(secret),
        expiresAt,
        createdAt: now,
      },
    });
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'api-token.created',
        details: { tokenId: row.id, name: row.name, expiresAt: expiresAt?.toISOString() ?? null },
      },
      now,
    );
    return row;
  });
  return { id: token.id, name: token.name, secret, expiresAt };
}

/** Revokes one of the actor's own tokens (admins: anyone's). */
export async function revokeApiToken(actor: TActor | null, tokenId: string, now: Date = new Date()) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const token = await db()
    .apiToken.findUnique({ where: { id: tokenId } })
    .catch(() => null);
  const isAdmin = actor.roles.some((r) => r.role === 'ADMIN' && r.environmentId === null);
  if (!token || (token.userId !== actor.id && !isAdmin)) throw new AppError('NOT_FOUND', 'No such token.');
  if (token.revokedAt) return { revokedAt: token.revokedAt };
  await db().$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now } });
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'api-token.revoked',
        details: { tokenId, name: token.name, owner: token.userId },
      },
      now,
    );
  });
  return { revokedAt: now };
}

export async function listApiTokens(actor: TActor | null) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return db().apiToken.findMany({
    where: { userId: actor.id },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

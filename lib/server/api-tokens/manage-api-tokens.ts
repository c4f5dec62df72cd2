import { z } from 'zod';
import { can, isTokenActor, TOKEN_SCOPES, type TActor } from '@/lib/domain/authz/permissions';
import { recordAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { env } from '../env';
import { AppError } from '../errors';
import { hashApiToken, newApiTokenSecret } from './actor-from-api-token';
import { parseInput, requireActor } from '../operation';

export const DEFAULT_TOKEN_DAYS = 90;

/** Scopes are given in lower case in the API and the form (`["read", "submit"]`). */
export function zCreateApiToken(maxDays: number) {
  return z.object({
    name: z.string().trim().min(1, 'Name the token (e.g. "ci-pipeline").').max(100),
    expiresInDays: z.coerce
      .number({ error: 'Expiry is a number of days.' })
      .int('Expiry is a whole number of days.')
      .min(1, 'A token lives at least 1 day.')
      .max(maxDays, `A token expires within ${maxDays} days at most (INGRESS_GATE_TOKEN_MAX_DAYS).`)
      .default(Math.min(DEFAULT_TOKEN_DAYS, maxDays)),
    scopes: z
      .array(
        z
          .string()
          .transform((s) => s.toUpperCase())
          .pipe(z.enum(TOKEN_SCOPES, { error: 'Scopes are read, submit, review and admin.' })),
        { error: 'Give the token its scopes: a list of read, submit, review, admin.' },
      )
      .min(1, 'Give the token at least one scope (read, submit, review, admin).')
      .transform((list) => [...new Set(list)].sort((a, b) => TOKEN_SCOPES.indexOf(a) - TOKEN_SCOPES.indexOf(b))),
  });
}

/**
 * Creates a personal token for the actor; the secret is returned once and only its hash stored.
 * Cases: not signed in → 401; called with an API token → 403 (a leaked token cannot mint
 * long-lived successors); bad name/expiry/scopes → 400 naming the field; the admin scope needs a
 * global admin (a token never carries more than its owner could do).
 */
export async function createApiToken(actorIn: TActor | null, input: unknown, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  if (isTokenActor(actor)) throw new AppError('FORBIDDEN', 'API tokens cannot create tokens; sign in to the portal to create one.');
  const data = parseInput(zCreateApiToken(env().INGRESS_GATE_TOKEN_MAX_DAYS), input);
  const { scopes } = data;
  if (scopes.includes('ADMIN') && !can(actor, 'environment.manage', 'any'))
    throw new AppError('FORBIDDEN', 'Only admins can give a token the admin scope.', {
      fieldErrors: [{ path: 'scopes', message: 'You are not an admin; choose read, submit or review.' }],
    });
  const secret = newApiTokenSecret();
  const expiresAt = new Date(now.getTime() + data.expiresInDays * 86_400_000);
  const token = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        userId: actor.id,
        name: data.name,
        prefix: secret.slice(0, 8),
        tokenHash: hashApiToken(secret),
        scopes,
        expiresAt,
        createdAt: now,
      },
    });
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'api-token.created',
        details: { tokenId: row.id, name: row.name, scopes, expiresAt: expiresAt.toISOString() },
      },
      now,
    );
    return row;
  });
  return { id: token.id, name: token.name, secret, scopes, expiresAt };
}

/** Revokes one of the actor's own tokens (admins: anyone's). */
export async function revokeApiToken(actorIn: TActor | null, tokenId: string, now: Date = new Date()) {
  const actor = requireActor(actorIn);
  const token = await db()
    .apiToken.findUnique({ where: { id: tokenId } })
    .catch(() => null);
  const isAdmin = can(actor, 'user.manage', 'global');
  if (!token || (token.userId !== actor.id && !isAdmin)) throw new AppError('NOT_FOUND', 'No such token.');
  if (token.revokedAt) return { revokedAt: token.revokedAt };
  await db().$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now } });
    await recordAuditEvent(
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

export async function listApiTokens(actorIn: TActor | null) {
  const actor = requireActor(actorIn);
  return db().apiToken.findMany({
    where: { userId: actor.id },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

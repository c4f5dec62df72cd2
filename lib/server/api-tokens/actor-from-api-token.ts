import { createHash, randomBytes } from 'node:crypto';
import type { TActor } from '@/lib/domain/authz/permissions';
import { loadActor } from '../auth/load-actor';
import { db } from '../db/client';

export const TOKEN_PREFIX = 'igt_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/**
 * The owner of a personal API token, with their current roles narrowed to the token's scopes — a
 * token never does more than its owner could, and stops working when it is revoked, expires, or
 * its owner is deactivated.
 */
export async function actorFromApiToken(token: string, now: Date = new Date()): Promise<TActor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db().apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  const loaded = await loadActor(row.userId);
  if (!loaded) return null;
  // The owner's current roles, narrowed to the token's scopes (can() checks both).
  const actor: TActor = { ...loaded, tokenScopes: row.scopes };
  // Best effort; a failed touch must not fail the request.
  await db()
    .apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } })
    .catch(() => {});
  return actor;
}

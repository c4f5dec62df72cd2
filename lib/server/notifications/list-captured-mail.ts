import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { requireActor } from '../operation';

/** Whether this process was started with the local mail catcher (embedded `npm start`). */
export function isLocalMailEnabled(): boolean {
  return process.env.INGRESS_GATE_LOCAL_MAIL === '1';
}

/**
 * Mail caught by the local SMTP server, newest first: a user sees the mail addressed to them,
 * a global admin sees all of it. 404 when the catcher is off (a real SMTP server is configured).
 */
export async function listCapturedMail(actorIn: TActor | null, opts: { limit?: number } = {}) {
  const actor = requireActor(actorIn);
  if (!isLocalMailEnabled())
    throw new AppError('NOT_FOUND', 'The local mail catcher is not running; mail goes to the configured SMTP server.');
  const isAll = can(actor, 'user.manage', 'global');
  const limit = Math.min(opts.limit ?? 100, 500);
  if (isAll) return db().capturedMail.findMany({ orderBy: { receivedAt: 'desc' }, take: limit });
  const ids = await db().$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text FROM captured_mail WHERE $1 = ANY(string_to_array(recipients, ', ')) ORDER BY received_at DESC LIMIT $2`,
    actor.email.toLowerCase(),
    limit,
  );
  if (!ids.length) return [];
  return db().capturedMail.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { receivedAt: 'desc' } });
}

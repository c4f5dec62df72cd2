import { environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { requireActor } from '../operation';
import { notificationConfig } from './notification-config';

export type TEmailDeliveryView = {
  id: string;
  kind: string;
  to: string;
  environmentId: string | null;
  changeRequestId: string | null;
  changeRequestNumber: number | null;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
  attemptLog: { number: number; isOk: boolean; error: string | null; attemptedAt: Date; durationMs: number }[];
};

/**
 * The email delivery log (newest first) as admins see it: every email delivery of an event in an
 * environment the actor administers; a global admin also sees events tied to no environment.
 * Cases: not signed in → 401; administers nothing → 403; `environmentId` given that the actor does
 * not administer → 403. Each row carries its attempts (status, error after `redact`), never the body.
 */
export async function listEmailDeliveries(
  actorIn: TActor | null,
  opts: { environmentId?: string; limit?: number } = {},
): Promise<{ isSmtpConfigured: boolean; deliveries: TEmailDeliveryView[] }> {
  const actor = requireActor(actorIn);
  const managed = environmentsWhere(actor, 'environment.manage');
  if (managed !== 'all' && managed.length === 0) throw new AppError('FORBIDDEN', 'Only admins can read the email delivery log.');
  if (opts.environmentId && managed !== 'all' && !managed.includes(opts.environmentId))
    throw new AppError('FORBIDDEN', 'You do not administer this environment.');
  const envFilter = opts.environmentId
    ? { environmentId: opts.environmentId }
    : managed === 'all'
      ? {}
      : { environmentId: { in: managed } };
  const rows = await db().notificationDelivery.findMany({
    where: { channel: 'EMAIL', event: envFilter },
    include: {
      event: { select: { kind: true, environmentId: true, changeRequestId: true } },
      attemptLog: { orderBy: { number: 'asc' } },
    },
    orderBy: { createdAt: 'desc' },
    take: Math.min(Math.max(opts.limit ?? 100, 1), 500),
  });
  const requestIds = [...new Set(rows.map((r) => r.event.changeRequestId).filter((id): id is string => Boolean(id)))];
  const numbers = requestIds.length
    ? new Map(
        (await db().changeRequest.findMany({ where: { id: { in: requestIds } }, select: { id: true, number: true } })).map((r) => [
          r.id,
          r.number,
        ]),
      )
    : new Map<string, number>();
  return {
    isSmtpConfigured: notificationConfig().smtp !== null,
    deliveries: rows.map((d) => ({
      id: d.id,
      kind: d.event.kind,
      to: d.target,
      environmentId: d.event.environmentId,
      changeRequestId: d.event.changeRequestId,
      changeRequestNumber: d.event.changeRequestId ? (numbers.get(d.event.changeRequestId) ?? null) : null,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      sentAt: d.sentAt,
      createdAt: d.createdAt,
      attemptLog: d.attemptLog.map((a) => ({
        number: a.number,
        isOk: a.isOk,
        error: a.error,
        attemptedAt: a.attemptedAt,
        durationMs: a.durationMs,
      })),
    })),
  };
}

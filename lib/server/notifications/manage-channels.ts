import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { NOTIFICATION_KINDS } from '@/lib/domain/notifications/notification-kinds';
import { recordAuditEvent } from '../audit/append-audit-event';
import { assertCan } from '../authz/assert-can';
import { requireActor, zodToAppError } from '../operation';
import { TX_OPTIONS } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';
import { sealChannelSecret } from './channel-secrets';
import { enqueueDelivery } from './emit-notification';

export const ZChannelInput = z
  .object({
    environmentId: z.uuid('Choose an environment.'),
    kind: z.enum(['SLACK', 'WEBHOOK'], 'Choose Slack or webhook.'),
    name: z.string().trim().min(1, 'Name the channel.').max(100, 'Keep the name under 100 characters.'),
    url: z
      .url('Enter the full https:// URL of the webhook.')
      .refine((u) => /^https?:\/\//i.test(u), 'The URL must start with https:// (or http:// inside your network).'),
    secret: z.string().max(200, 'Keep the secret under 200 characters.').optional(),
    events: z.array(z.enum(NOTIFICATION_KINDS, 'Unknown event kind.')).min(1, 'Choose at least one event.'),
  })
  .refine((v) => v.kind !== 'WEBHOOK' || (v.secret ?? '').length >= 16, {
    path: ['secret'],
    message: 'A webhook needs a signing secret of at least 16 characters.',
  })
  .refine((v) => v.kind !== 'SLACK' || /^https:\/\/hooks\.slack\.com\//.test(v.url) || !/slack\.com/i.test(v.url), {
    path: ['url'],
    message: 'A Slack incoming-webhook URL starts with https://hooks.slack.com/.',
  });

/** What an admin sees of a channel: never the URL path, query or secret (they are credentials). */
export type TChannelView = {
  id: string;
  environmentId: string;
  kind: string;
  name: string;
  urlHint: string;
  hasSecret: boolean;
  events: string[];
  isEnabled: boolean;
};

const urlHint = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}/…`;
};

/** Adds a Slack or webhook channel to an environment (admins of it). URL and secret are sealed before they are stored; the audit event names only the host. */
export async function createNotificationChannel(actorIn: TActor | null, input: unknown, now: Date = new Date()): Promise<TChannelView> {
  const actor = requireActor(actorIn);
  const parsed = ZChannelInput.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const c = parsed.data;
  assertCan(actor, 'environment.manage', { environmentId: c.environmentId });
  const environment = await db().environment.findUnique({ where: { id: c.environmentId }, select: { id: true } });
  if (!environment)
    throw new AppError('NOT_FOUND', 'No such environment.', { fieldErrors: [{ path: 'environmentId', message: 'no such environment' }] });
  const id = randomUUID();
  return db().$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: {
        id,
        environmentId: c.environmentId,
        kind: c.kind,
        name: c.name,
        urlSealed: sealChannelSecret(id, 'url', c.url),
        secretSealed: c.secret ? sealChannelSecret(id, 'secret', c.secret) : null,
        events: c.events,
        createdAt: now,
      },
    });
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'notification-channel.created',
        environmentId: c.environmentId,
        details: {
          channelId: id,
          kind: c.kind,
          name: c.name,
          url: urlHint(c.url),
          events: c.events,
          secret: c.secret ? '[redacted]' : null,
        },
      },
      now,
    );
    return {
      id,
      environmentId: row.environmentId,
      kind: row.kind,
      name: row.name,
      urlHint: urlHint(c.url),
      hasSecret: Boolean(c.secret),
      events: row.events,
      isEnabled: row.isEnabled,
    };
  }, TX_OPTIONS);
}

/** Removes a channel (admins of its environment); its delivery log goes with it. */
export async function deleteNotificationChannel(actorIn: TActor | null, channelId: string, now: Date = new Date()): Promise<void> {
  const actor = requireActor(actorIn);
  if (!z.uuid().safeParse(channelId).success) throw new AppError('NOT_FOUND', 'No such channel.');
  const channel = await db().notificationChannel.findUnique({ where: { id: channelId } });
  if (!channel) throw new AppError('NOT_FOUND', 'No such channel.');
  assertCan(actor, 'environment.manage', { environmentId: channel.environmentId });
  await db().$transaction(async (tx) => {
    await tx.notificationDelivery.deleteMany({ where: { recipient: channelId, channel: { in: ['SLACK', 'WEBHOOK'] } } });
    await tx.notificationChannel.delete({ where: { id: channelId } });
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'notification-channel.deleted',
        environmentId: channel.environmentId,
        details: { channelId, kind: channel.kind, name: channel.name },
      },
      now,
    );
  }, TX_OPTIONS);
}

/** An environment's channels and their recent deliveries with every attempt (admins of it). */
export async function listNotificationChannels(actor: TActor | null, environmentId: string) {
  assertCan(actor, 'environment.manage', { environmentId });
  const channels = await db().notificationChannel.findMany({ where: { environmentId }, orderBy: { createdAt: 'asc' } });
  const deliveries = channels.length
    ? await db().notificationDelivery.findMany({
        where: { recipient: { in: channels.map((c) => c.id) }, channel: { in: ['SLACK', 'WEBHOOK'] } },
        include: { event: { select: { kind: true, changeRequestId: true } }, attemptLog: { orderBy: { number: 'asc' } } },
        orderBy: { createdAt: 'desc' },
        take: 100,
      })
    : [];
  return channels.map((c) => ({
    id: c.id,
    environmentId: c.environmentId,
    kind: c.kind,
    name: c.name,
    urlHint: 'sealed',
    hasSecret: Boolean(c.secretSealed),
    events: c.events,
    isEnabled: c.isEnabled,
    deliveries: deliveries
      .filter((d) => d.recipient === c.id)
      .map((d) => ({
        id: d.id,
        kind: d.event.kind,
        changeRequestId: d.event.changeRequestId,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: d.nextAttemptAt,
        sentAt: d.sentAt,
        createdAt: d.createdAt,
        attemptLog: d.attemptLog.map((a) => ({
          number: a.number,
          isOk: a.isOk,
          httpStatus: a.httpStatus,
          error: a.error,
          attemptedAt: a.attemptedAt,
          durationMs: a.durationMs,
        })),
      })),
  }));
}

/**
 * "Redeliver": sends a delivery (webhook, Slack or email) again (admins of its environment): it goes back to PENDING with a
 * fresh retry budget; its attempt log keeps every earlier attempt. Webhook receivers deduplicate
 * by X-Ingress-Gate-Delivery if they need to.
 */
export async function redeliverNotification(actorIn: TActor | null, deliveryId: string, now: Date = new Date()): Promise<{ id: string }> {
  const actor = requireActor(actorIn);
  if (!z.uuid().safeParse(deliveryId).success) throw new AppError('NOT_FOUND', 'No such delivery.');
  const delivery = await db().notificationDelivery.findUnique({ where: { id: deliveryId }, include: { event: true } });
  if (!delivery) throw new AppError('NOT_FOUND', 'No such delivery.');
  // An email belongs to its event's environment (no environment: global admins only); a channel
  // delivery to its channel's.
  const channel = delivery.channel === 'EMAIL' ? null : await db().notificationChannel.findUnique({ where: { id: delivery.recipient } });
  if (delivery.channel !== 'EMAIL' && !channel) throw new AppError('NOT_FOUND', 'No such delivery.');
  const environmentId = channel ? channel.environmentId : delivery.event.environmentId;
  if (environmentId) assertCan(actor, 'environment.manage', { environmentId });
  else assertCan(actor, 'environment.manage', 'global');
  if (delivery.status === 'PENDING')
    throw new AppError('CONFLICT', 'This delivery is still being attempted; wait for it to succeed or fail.');
  return db().$transaction(async (tx) => {
    await tx.notificationDelivery.update({
      where: { id: deliveryId },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: null },
    });
    await enqueueDelivery(tx, deliveryId);
    await recordAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: 'notification.redelivered',
        environmentId,
        details: {
          deliveryId,
          channel: delivery.channel,
          ...(channel ? { channelId: channel.id } : { to: delivery.target }),
          kind: delivery.event.kind,
          previousStatus: delivery.status,
        },
      },
      now,
    );
    return { id: deliveryId };
  }, TX_OPTIONS);
}

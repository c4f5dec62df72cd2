import { emailRecipients, isNotificationKind } from '@/lib/domain/notifications/notification-kinds';
import { db } from '../db/client';
import { TX_OPTIONS } from '../operation';
import { enqueueDelivery } from './emit-notification';
import { notificationConfig } from './notification-config';

/**
 * The `notify` task: turns one outbox event into deliveries — an email per recipient (the domain
 * rule `emailRecipients` decides who) and one per enabled channel of the environment that selected
 * this kind — and enqueues each, all in one transaction. Deliveries are unique per (event,
 * channel, recipient), so running this twice (a retried job) sends nothing twice.
 */
export async function fanOutNotification(eventId: string): Promise<number> {
  const config = notificationConfig();
  return db().$transaction(async (tx) => {
    const event = await tx.notificationEvent.findUnique({ where: { id: eventId } });
    if (!event || !isNotificationKind(event.kind)) return 0;
    const kind = event.kind;
    const request = event.changeRequestId
      ? await tx.changeRequest.findUnique({
          where: { id: event.changeRequestId },
          select: {
            requesterId: true,
            environmentId: true,
            chosenReviewers: { select: { userId: true } },
            reviews: { select: { reviewerId: true } },
          },
        })
      : null;
    const environmentId = request?.environmentId ?? event.environmentId;
    const roleHolders = async (role: 'APPROVER' | 'ADMIN') =>
      environmentId
        ? (
            await tx.user.findMany({
              where: { isActive: true, roles: { some: { role, OR: [{ environmentId: null }, { environmentId }] } } },
              select: { id: true },
            })
          ).map((u) => u.id)
        : [];
    const chosen = request?.chosenReviewers.map((c) => c.userId) ?? [];
    const off = await tx.notificationPreference.findMany({ where: { kind, isEmailOn: false }, select: { userId: true } });
    const offSet = new Set(off.map((o) => o.userId));
    const recipientIds = config.smtp
      ? emailRecipients({
          kind,
          actorId: event.actorId,
          requesterId: request?.requesterId ?? null,
          chosenReviewerIds: chosen,
          eligibleApproverIds: kind === 'review-requested' && !chosen.length ? await roleHolders('APPROVER') : [],
          reviewerIds: request?.reviews.map((r) => r.reviewerId) ?? [],
          envAdminIds: kind === 'drift-detected' || kind === 'drift-resolved' ? await roleHolders('ADMIN') : [],
          isEmailOff: (id) => offSet.has(id),
        })
      : [];
    const users = recipientIds.length
      ? await tx.user.findMany({ where: { id: { in: recipientIds }, isActive: true }, select: { id: true, email: true } })
      : [];
    const channels = environmentId
      ? await tx.notificationChannel.findMany({
          where: { environmentId, isEnabled: true, events: { has: kind } },
          select: { id: true, kind: true, name: true },
        })
      : [];
    await tx.notificationDelivery.createMany({
      data: [
        ...users.map((u) => ({ eventId, channel: 'EMAIL', recipient: u.id, target: u.email })),
        ...channels.map((c) => ({ eventId, channel: c.kind, recipient: c.id, target: c.name })),
      ],
      skipDuplicates: true,
    });
    const pending = await tx.notificationDelivery.findMany({ where: { eventId, status: 'PENDING', attempts: 0 }, select: { id: true } });
    for (const d of pending) await enqueueDelivery(tx, d.id);
    return pending.length;
  }, TX_OPTIONS);
}

import nodemailer from 'nodemailer';
import { emailHtml, emailSubject, emailText, slackMessage, webhookPayload } from '@/lib/domain/notifications/render-notification';
import { db } from '../db/client';
import { TX_OPTIONS } from '../operation';
import { buildSummary } from './build-summary';
import { openChannelSecret } from './channel-secrets';
import { enqueueDelivery } from './emit-notification';
import { notificationConfig, redact, type TNotificationConfig } from './notification-config';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './sign-webhook';

const SEND_TIMEOUT_MS = 10_000;

export type TDeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped';

type TSendResult = { ok: true; httpStatus: number | null } | { ok: false; httpStatus: number | null; error: string };

/**
 * The `deliver-notification` task: sends one delivery once. Under the delivery's row lock (a
 * second job for it skips), a SENT or FAILED delivery is left alone — this is what makes sending
 * idempotent per (event, recipient). Every attempt is logged; a failure is retried after
 * NOTIFY_RETRY_BASE_MS × 2^(attempt−1) until NOTIFY_MAX_ATTEMPTS, then the delivery is FAILED
 * (an admin can redeliver). Secrets never reach the log: errors pass through `redact`.
 */
export async function deliverNotification(deliveryId: string, now: () => Date = () => new Date()): Promise<TDeliveryOutcome> {
  const config = notificationConfig();
  return db().$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text FROM notification_deliveries WHERE id = $1::uuid AND status = 'PENDING' FOR UPDATE SKIP LOCKED`,
      deliveryId,
    );
    if (!locked.length) return 'skipped';
    const delivery = await tx.notificationDelivery.findUniqueOrThrow({ where: { id: deliveryId }, include: { event: true } });
    const summary = await buildSummary(tx, delivery.event, config.baseUrl);
    const attempt = delivery.attempts + 1;
    // The log numbers attempts across redeliveries; `attempts` counts this round's retry budget.
    const logged = await tx.notificationAttempt.aggregate({ where: { deliveryId }, _max: { number: true } });
    const started = Date.now();
    let result: TSendResult;
    let secrets: (string | null)[] = [config.smtp?.password ?? null];
    try {
      if (delivery.channel === 'EMAIL') {
        result = await sendEmail(config, delivery.target, summary);
      } else {
        const channel = await tx.notificationChannel.findUnique({ where: { id: delivery.recipient } });
        if (!channel) {
          result = { ok: false, httpStatus: null, error: 'the channel was deleted' };
        } else {
          const url = openChannelSecret(channel.id, 'url', channel.urlSealed);
          const secret = channel.secretSealed ? openChannelSecret(channel.id, 'secret', channel.secretSealed) : null;
          // The whole URL, and its path and query alone: receivers often echo the path in errors.
          const parsedUrl = new URL(url);
          secrets = [
            ...secrets,
            url,
            `${parsedUrl.pathname}${parsedUrl.search}`,
            parsedUrl.search.length > 1 ? parsedUrl.search : null,
            secret,
          ];
          const body = JSON.stringify(delivery.channel === 'SLACK' ? slackMessage(summary) : webhookPayload(summary));
          result = await postJson(url, body, delivery.channel === 'WEBHOOK' ? { secret, deliveryId, kind: summary.kind } : null, now);
        }
      }
    } catch (error) {
      result = { ok: false, httpStatus: null, error: (error as Error).message };
    }
    const error = result.ok ? null : redact(result.error, secrets);
    await tx.notificationAttempt.create({
      data: {
        deliveryId,
        number: (logged._max.number ?? 0) + 1,
        isOk: result.ok,
        httpStatus: result.httpStatus,
        error,
        durationMs: Date.now() - started,
        attemptedAt: now(),
      },
    });
    if (result.ok) {
      await tx.notificationDelivery.update({
        where: { id: deliveryId },
        data: { status: 'SENT', attempts: attempt, sentAt: now(), lastError: null, nextAttemptAt: null },
      });
      return 'sent';
    }
    if (attempt >= config.maxAttempts) {
      await tx.notificationDelivery.update({
        where: { id: deliveryId },
        data: { status: 'FAILED', attempts: attempt, lastError: error, nextAttemptAt: null },
      });
      return 'failed';
    }
    const next = new Date(now().getTime() + config.retryBaseMs * 2 ** (attempt - 1));
    await tx.notificationDelivery.update({ where: { id: deliveryId }, data: { attempts: attempt, lastError: error, nextAttemptAt: next } });
    await enqueueDelivery(tx, deliveryId, next);
    return 'retry';
  }, TX_OPTIONS);
}

async function sendEmail(config: TNotificationConfig, to: string, summary: Parameters<typeof emailText>[0]): Promise<TSendResult> {
  if (!config.smtp) return { ok: false, httpStatus: null, error: 'SMTP is not configured (SMTP_HOST)' };
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password ?? '' } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: config.mailFrom,
      to,
      subject: emailSubject(summary),
      text: emailText(summary),
      html: emailHtml(summary),
      headers: { 'X-Ingress-Gate-Event': summary.kind, 'X-Ingress-Gate-Event-Id': summary.eventId },
    });
    return { ok: true, httpStatus: null };
  } finally {
    transport.close();
  }
}

async function postJson(
  url: string,
  body: string,
  webhook: { secret: string | null; deliveryId: string; kind: string } | null,
  now: () => Date,
): Promise<TSendResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'ingress-gate-notifications/1' };
  if (webhook) {
    const timestamp = Math.floor(now().getTime() / 1000);
    headers[TIMESTAMP_HEADER] = String(timestamp);
    headers['X-Ingress-Gate-Delivery'] = webhook.deliveryId;
    headers['X-Ingress-Gate-Event'] = webhook.kind;
    if (webhook.secret) headers[SIGNATURE_HEADER] = signWebhook(webhook.secret, timestamp, body);
  }
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: 'manual' });
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status };
  return { ok: false, httpStatus: res.status, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
}

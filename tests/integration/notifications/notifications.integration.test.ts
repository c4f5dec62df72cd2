import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { emitNotification } from '@/lib/server/notifications/emit-notification';
import { listEmailDeliveries } from '@/lib/server/notifications/email-delivery-log';
import { createNotificationChannel, listNotificationChannels, redeliverNotification } from '@/lib/server/notifications/manage-channels';
import { setNotificationPreferences } from '@/lib/server/notifications/notification-preferences';
import { runWorker } from '@/lib/worker/run-worker';
import { db, resetDb, testDatabaseUrl } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from '../change-requests/world';
import { startMailCatcher, startWebhookReceiver } from './mail-catcher';

// The outbox, email over a real SMTP server, and signed webhooks to a real HTTP receiver, all
// sent by the real worker (runWorker) from what the operations committed.

let fake: FakeKubeApi;
let stopWorld: () => Promise<void>;
let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let worker: Awaited<ReturnType<typeof runWorker>>;

beforeAll(async () => {
  ({ fake, stop: stopWorld } = await startWorld());
  mail = await startMailCatcher();
  process.env.SMTP_HOST = '127.0.0.1';
  process.env.SMTP_PORT = String(mail.port);
  process.env.INGRESS_GATE_URL = 'https://gate.example.test';
  process.env.NOTIFY_RETRY_BASE_MS = '100';
  worker = await runWorker({ databaseUrl: testDatabaseUrl(), log: () => {}, housekeepingMs: 3_600_000 });
});
afterAll(async () => {
  await worker?.stop();
  await mail?.stop();
  await stopWorld();
});
beforeEach(async () => {
  await resetDb();
  reseed(fake);
  mail.mails.length = 0;
});

async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  // Generous: a loaded CI machine, or a job graphile-worker retries after it collided with the
  // TRUNCATE of the previous test's reset.
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
const mailsTo = (address: string) => mail.mails.filter((m) => to(m).includes(address));

async function submit(requester: Awaited<ReturnType<typeof actor>>, extra: Record<string, unknown> = {}) {
  return submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'create',
    title: 'Promo <script>alert(1)</script> page',
    justification: 'campaign',
    yaml: newIngressYaml('promo', 'promo.example.com'),
    ...extra,
  });
}

describe('email notifications', { timeout: 60_000 }, () => {
  it('a submitted request emails every eligible approver (not the requester) with title, environment, risk, hosts and a link at the revision', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER', 'APPROVER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    const cr = await submit(requester);
    const [m] = await until('the approver’s email', () => (mailsTo(approver.email).length ? mailsTo(approver.email) : null));
    expect(m!.subject).toContain('[Ingress Gate · prod]');
    expect(m!.subject).toContain(`#${cr.number}`);
    expect(m!.text).toContain('Environment: prod');
    expect(m!.text).toContain('Risk:');
    expect(m!.text).toContain('promo.example.com/: (none) → storefront:80');
    expect(m!.text).toContain(`https://gate.example.test/requests/${cr.id}?revision=1`);
    // HTML body: the title is escaped, the link is there.
    expect(m!.html).toContain('Promo &lt;script&gt;alert(1)&lt;/script&gt; page');
    expect(m!.html).not.toContain('<script>');
    expect(m!.html).toContain(`href="https://gate.example.test/requests/${cr.id}?revision=1"`);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(requester.email)).toHaveLength(0);
  });

  it('approval, rejection and comments email the requester; nobody hears of their own action', async () => {
    await env({ name: 'prod', requiredApprovals: 2 });
    const requester = await actor(['REQUESTER'], 'req');
    const a1 = await actor(['APPROVER'], 'a1');
    const a2 = await actor(['APPROVER'], 'a2');
    const cr = await submit(requester);
    await reviewChangeRequest(a1, cr.id, { decision: 'APPROVE', revision: 1 });
    await commentOnChangeRequest(a2, cr.id, { body: 'Why <b>now</b>?' });
    await reviewChangeRequest(a2, cr.id, { decision: 'REJECT', revision: 1, comment: 'not this week' });
    await until('three emails to the requester', () => mailsTo(requester.email).length >= 3);
    const subjects = mailsTo(requester.email).map((m) => m.subject ?? '');
    expect(subjects.some((s) => s.includes('was approved'))).toBe(true);
    expect(subjects.some((s) => s.includes('has a new comment'))).toBe(true);
    expect(subjects.some((s) => s.includes('was rejected'))).toBe(true);
    const comment = mailsTo(requester.email).find((m) => m.subject?.includes('comment'))!;
    expect(comment.html).toContain('Why &lt;b&gt;now&lt;/b&gt;?');
    await new Promise((r) => setTimeout(r, 300));
    // a1 was told of the review request (submission) only, never of their own approval.
    expect(
      mailsTo(a1.email)
        .map((m) => m.subject)
        .filter((s) => s?.includes('approved')),
    ).toHaveLength(0);
  });

  it('nothing is sent when the transaction that emitted the event rolls back', async () => {
    const prod = await env({ name: 'prod' });
    const requester = await actor(['REQUESTER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    const cr = await submit(requester);
    await until('the submission email', () => mailsTo(approver.email).length === 1);
    await expect(
      db().$transaction(async (tx) => {
        await emitNotification(tx, {
          kind: 'review-requested',
          actor: { system: 'system' },
          changeRequestId: cr.id,
          environmentId: prod.id,
          revision: 1,
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    // A real operation that fails inside its transaction: the approver reviews a revision that does not exist.
    await expect(reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 2 })).rejects.toThrow();
    // A later, committed event proves the pipeline is running: it arrives; the rolled-back one never does.
    await commentOnChangeRequest(approver, cr.id, { body: 'control' });
    await until('the control email', () => mailsTo(requester.email).length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(approver.email)).toHaveLength(1);
    expect(await db().notificationEvent.count()).toBe(2);
  });

  it('sending is idempotent per (event, recipient): a second fan-out and a second delivery job send nothing more', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    await submit(requester);
    await until('the email', () => mailsTo(approver.email).length === 1);
    const event = await db().notificationEvent.findFirstOrThrow();
    const delivery = await db().notificationDelivery.findFirstOrThrow({ where: { eventId: event.id } });
    const { fanOutNotification } = await import('@/lib/server/notifications/fan-out-notification');
    const { deliverNotification } = await import('@/lib/server/notifications/deliver-notification');
    expect(await fanOutNotification(event.id)).toBe(0);
    expect(await deliverNotification(delivery.id)).toBe('skipped');
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(approver.email)).toHaveLength(1);
    expect(await db().notificationDelivery.count({ where: { eventId: event.id } })).toBe(1);
  });

  it('named reviewers are emailed instead of every approver; a user who turned the kind off gets nothing', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER'], 'req');
    const named = await actor(['APPROVER'], 'named');
    const other = await actor(['APPROVER'], 'other');
    const cr = await submit(requester, { reviewers: [named.email] });
    await until('the named reviewer’s email', () => mailsTo(named.email).length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(other.email)).toHaveLength(0);
    await setNotificationPreferences(requester, { approved: false });
    await reviewChangeRequest(named, cr.id, { decision: 'APPROVE', revision: 1 });
    await commentOnChangeRequest(named, cr.id, { body: 'done' });
    // The worker also applies the approved request, so an "applied" email may arrive too.
    await until('the comment email', () => mailsTo(requester.email).some((m) => m.subject?.includes('has a new comment')));
    await new Promise((r) => setTimeout(r, 300));
    const subjects = mailsTo(requester.email).map((m) => m.subject ?? '');
    expect(subjects.filter((t) => t.includes('has a new comment'))).toHaveLength(1);
    expect(subjects.filter((t) => t.includes('was approved'))).toHaveLength(0);
  });
});

describe('email delivery log', { timeout: 60_000 }, () => {
  it('admins see each email with its attempts and last error; a failed one can be redelivered; other admins and non-admins cannot', async () => {
    const prod = await env({ name: 'prod' });
    await env({ name: 'dev' });
    const admin = await actor([{ role: 'ADMIN', environment: 'prod' }], 'admin');
    const devAdmin = await actor([{ role: 'ADMIN', environment: 'dev' }], 'devadmin');
    const requester = await actor(['REQUESTER'], 'req');
    const approver = await actor(['APPROVER'], 'appr');
    mail.rejectTo(approver.email, 2);
    process.env.NOTIFY_MAX_ATTEMPTS = '2';
    try {
      const cr = await submit(requester);
      const failed = await until('the failed email delivery', async () => {
        const log = await listEmailDeliveries(admin);
        return log.deliveries.find((d) => d.to === approver.email && d.status === 'FAILED');
      });
      expect(failed).toMatchObject({
        kind: 'review-requested',
        changeRequestId: cr.id,
        changeRequestNumber: cr.number,
        environmentId: prod.id,
      });
      expect(failed.attemptLog.map((a) => a.isOk)).toEqual([false, false]);
      expect(failed.lastError).toContain('550');
      expect(failed.lastError).toContain(`mailbox ${approver.email} unavailable`);
      expect(mailsTo(approver.email)).toHaveLength(0);

      // Another environment's admin sees none of prod's mail and cannot redeliver it; a requester cannot read the log.
      expect((await listEmailDeliveries(devAdmin)).deliveries).toEqual([]);
      await expect(listEmailDeliveries(devAdmin, { environmentId: prod.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(listEmailDeliveries(requester)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(redeliverNotification(devAdmin, failed.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(redeliverNotification(requester, failed.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await db().notificationDelivery.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'FAILED' });

      // Redeliver: one more attempt, accepted this time; the log keeps all three.
      await redeliverNotification(admin, failed.id);
      await until('the redelivered email', () => mailsTo(approver.email).length === 1);
      const sent = await until('the delivery marked sent', async () =>
        (await listEmailDeliveries(admin)).deliveries.find((d) => d.id === failed.id && d.status === 'SENT'),
      );
      expect(sent.attemptLog.map((a) => [a.number, a.isOk])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      expect(sent.lastError).toBeNull();
      const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'notification.redelivered' } });
      expect(audit.details).toMatchObject({ deliveryId: failed.id, channel: 'EMAIL', to: approver.email, previousStatus: 'FAILED' });
    } finally {
      delete process.env.NOTIFY_MAX_ATTEMPTS;
    }
  });
});

describe('about to expire', { timeout: 60_000 }, () => {
  it('warns the requester once per deadline, within NOTIFY_EXPIRY_WARNING_HOURS of it', async () => {
    await env({ name: 'prod', requestExpiryHours: 20 });
    const requester = await actor(['REQUESTER'], 'req');
    await actor(['APPROVER'], 'appr');
    const cr = await submit(requester);
    const { notifyExpiring } = await import('@/lib/server/notifications/notify-expiring');
    // 20 h left, warning window 24 h: one warning, and only one however often housekeeping runs.
    expect(await notifyExpiring()).toBe(1);
    expect(await notifyExpiring()).toBe(0);
    const [m] = await until('the expiry email', () => {
      const found = mailsTo(requester.email).filter((x) => x.subject?.includes('is about to expire'));
      return found.length ? found : null;
    });
    expect(m!.text).toContain(`/requests/${cr.id}?revision=1`);
    // A new deadline warns again.
    await db().changeRequest.update({ where: { id: cr.id }, data: { expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await notifyExpiring()).toBe(1);
  });
});

describe('chosen reviewers', { timeout: 60_000 }, () => {
  it('refuses the requester, non-approvers and unknown users with 422 naming each entry, and stores nothing', async () => {
    await env({ name: 'prod' });
    await env({ name: 'dev' });
    const requester = await actor(['REQUESTER', 'APPROVER'], 'req');
    const devOnly = await actor([{ role: 'APPROVER', environment: 'dev' }], 'devonly');
    const auditor = await actor(['AUDITOR'], 'aud');
    const error = await submit(requester, { reviewers: `${requester.email}, ${devOnly.email},${auditor.email} nobody@example.com` }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'UNPROCESSABLE',
      fieldErrors: [
        { path: 'reviewers.0', message: 'You cannot review your own request.' },
        { path: 'reviewers.1', message: `${devOnly.email} is not an approver in prod.` },
        { path: 'reviewers.2', message: `${auditor.email} is not an approver in prod.` },
        { path: 'reviewers.3', message: 'nobody@example.com is not a user here.' },
      ],
    });
    expect(await db().changeRequest.count()).toBe(0);
    expect(await db().notificationEvent.count()).toBe(0);
  });

  it('the database refuses a requester as their own chosen reviewer, by any path', async () => {
    await env({ name: 'prod' });
    const requester = await actor(['REQUESTER', 'APPROVER'], 'req');
    const cr = await submit(requester);
    await expect(db().chosenReviewer.create({ data: { changeRequestId: cr.id, userId: requester.id } })).rejects.toThrow(
      /chosen_reviewers_not_requester|cannot be a chosen reviewer/,
    );
  });
});

describe('webhooks', { timeout: 60_000 }, () => {
  it('a receiver failing twice then succeeding gets exactly one accepted, signed delivery; the log shows three attempts', async () => {
    const prod = await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER'], 'req');
    await actor(['APPROVER'], 'appr');
    const secret = 'whsec-0123456789abcdef';
    const receiver = await startWebhookReceiver(secret, 2);
    try {
      await createNotificationChannel(admin, {
        environmentId: prod.id,
        kind: 'WEBHOOK',
        name: 'ops',
        url: receiver.url,
        secret,
        events: ['review-requested'],
      });
      const cr = await submit(requester);
      await until('an accepted delivery', () => receiver.received.some((r) => r.status === 204));
      await new Promise((r) => setTimeout(r, 800));
      expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 204]);
      const accepted = receiver.received.filter((r) => r.status === 204);
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.signature).toEqual({ ok: true });
      const body = JSON.parse(accepted[0]!.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        schema: 'ingress-gate.notification/v1',
        kind: 'review-requested',
        environment: 'prod',
        request: { id: cr.id, revision: 1 },
      });
      const [channel] = await listNotificationChannels(admin, prod.id);
      expect(channel!.deliveries).toHaveLength(1);
      const d = channel!.deliveries[0]!;
      expect(d.status).toBe('SENT');
      expect(d.attemptLog.map((a) => [a.number, a.isOk, a.httpStatus])).toEqual([
        [1, false, 500],
        [2, false, 500],
        [3, true, 204],
      ]);
      // Redeliver sends it once more, logged as a fourth attempt.
      await redeliverNotification(admin, d.id);
      await until('the redelivery', () => receiver.received.length === 4);
      expect(receiver.received[3]!.signature).toEqual({ ok: true });
    } finally {
      await receiver.stop();
    }
  });

  it('Slack gets a Block Kit message with the summary and a button to the request; a failing URL’s secret never reaches the log', async () => {
    const prod = await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const requester = await actor(['REQUESTER'], 'req');
    await actor(['APPROVER'], 'appr');
    const slack = await startWebhookReceiver('unused-secret-unused', 0);
    const echoServer = createServer((req, res) => void res.writeHead(404).end(`no route for ${req.url}`));
    await new Promise<void>((r) => echoServer.listen(0, '127.0.0.1', r));
    const echo = { url: `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}/hooks` };
    try {
      await createNotificationChannel(admin, {
        environmentId: prod.id,
        kind: 'SLACK',
        name: '#ops',
        url: slack.url,
        events: ['review-requested'],
      });
      // A second channel whose URL (a credential) answers 404 echoing its path, as many servers do:
      // the delivery log must not repeat it.
      await createNotificationChannel(admin, {
        environmentId: prod.id,
        kind: 'WEBHOOK',
        name: 'dead',
        url: `${echo.url}/T0KEN-SECRET-PATH`,
        secret: 'dead-secret-0123456789',
        events: ['review-requested'],
      });
      const cr = await submit(requester);
      await until('the Slack message', () => slack.received.length === 1);
      const body = JSON.parse(slack.received[0]!.body) as { text: string; blocks: { type: string; elements?: { url: string }[] }[] };
      expect(body.text).toContain(`#${cr.number}`);
      expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
      expect(body.blocks.at(-1)!.elements![0]!.url).toBe(`https://gate.example.test/requests/${cr.id}?revision=1`);
      const dead = await until('the dead channel’s failed attempts', async () => {
        const d = await db().notificationDelivery.findFirst({
          where: { target: 'dead', attempts: { gte: 2 } },
          include: { attemptLog: true },
        });
        return d;
      });
      expect(dead.lastError).toBe('HTTP 404: no route for [redacted]');
      expect(JSON.stringify(dead)).not.toContain('T0KEN-SECRET-PATH');
    } finally {
      await slack.stop();
      await new Promise<void>((r) => echoServer.close(() => r()));
    }
  });

  it('a tampered body or an old timestamp fails verification', async () => {
    const { signWebhook, verifyWebhookSignature } = await import('@/lib/server/notifications/sign-webhook');
    const now = 1_800_000_000;
    const sig = signWebhook('s3cret-s3cret-s3cret', now, '{"a":1}');
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', { signature: sig, timestamp: String(now) }, '{"a":1}', now)).toEqual({
      ok: true,
    });
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', { signature: sig, timestamp: String(now) }, '{"a":2}', now).ok).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', { signature: sig, timestamp: String(now) }, '{"a":1}', now + 301).ok).toBe(false);
  });

  it('channel URLs and secrets are sealed at rest, never listed back, and not in the audit', async () => {
    const prod = await env({ name: 'prod' });
    const admin = await actor(['ADMIN'], 'admin');
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';
    await createNotificationChannel(admin, { environmentId: prod.id, kind: 'SLACK', name: '#ops', url, events: ['drift-detected'] });
    const row = await db().notificationChannel.findFirstOrThrow();
    expect(row.urlSealed).not.toContain('XXXXSECRETXXXX');
    expect(JSON.stringify(await listNotificationChannels(admin, prod.id))).not.toContain('XXXXSECRETXXXX');
    const audit = await db().auditEvent.findMany({ where: { action: 'notification-channel.created' } });
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain('XXXXSECRETXXXX');
    const requester = await actor(['REQUESTER'], 'req');
    await expect(
      createNotificationChannel(requester, { environmentId: prod.id, kind: 'SLACK', name: 'x', url, events: ['applied'] }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      createNotificationChannel(admin, { environmentId: prod.id, kind: 'WEBHOOK', name: 'x', url: 'ftp://x', events: [] }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

import { z } from 'zod';

/**
 * Notification settings from the environment (README "Configuration"). Read at each use rather
 * than cached with env(), so the worker and tests pick up an SMTP server started after import.
 * No SMTP_HOST → email is off (deliveries are not created); channels still work.
 */
const ZNotificationEnv = z.object({
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  // "true": TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Ingress Gate <ingress-gate@localhost>'),
  // Public base URL used in links (emails, Slack, webhooks); AUTH_URL, else localhost:PORT.
  INGRESS_GATE_URL: z.url().optional(),
  AUTH_URL: z.url().optional(),
  PORT: z.coerce.number().int().default(3000),
  // First retry delay of a failed webhook/Slack/email delivery; doubles per attempt.
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  // Hours before a request expires when "about to expire" is sent.
  NOTIFY_EXPIRY_WARNING_HOURS: z.coerce.number().min(0).default(24),
});

export type TNotificationConfig = {
  smtp: { host: string; port: number; secure: boolean; user: string | null; password: string | null } | null;
  mailFrom: string;
  baseUrl: string;
  retryBaseMs: number;
  maxAttempts: number;
  expiryWarningHours: number;
};

export function notificationConfig(source: Record<string, string | undefined> = process.env): TNotificationConfig {
  const parsed = ZNotificationEnv.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid notification settings: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE === 'true',
          user: e.SMTP_USER ?? null,
          password: e.SMTP_PASSWORD ?? null,
        }
      : null,
    mailFrom: e.MAIL_FROM,
    baseUrl: (e.INGRESS_GATE_URL ?? e.AUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    retryBaseMs: e.NOTIFY_RETRY_BASE_MS,
    maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
    expiryWarningHours: e.NOTIFY_EXPIRY_WARNING_HOURS,
  };
}

/** Removes secrets (SMTP password, webhook URLs and secrets) from text bound for logs or the delivery log. */
export function redact(text: string, secrets: (string | null | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.slice(0, 1000);
}

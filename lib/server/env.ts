import { z } from 'zod';
import { secretProblem } from '@/lib/domain/auth/secret-strength';

// A placeholder or made-up key would let anyone who read it forge sessions or open sealed data.
function refuseWeakSecret(value: string, ctx: z.RefinementCtx) {
  const problem = secretProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/**
 * Environment variables, validated once (create-t3-app style). Every missing or bad variable is
 * reported at once, by name, with what is expected — at start-up, not at the first request.
 */
const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z
      .string({ error: 'is required (postgresql://user@host:5432/db); `npm start` sets it for the embedded database' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
    AUTH_SECRET: z
      .string({ error: 'is required: a random string of at least 32 characters (openssl rand -base64 32)' })
      .superRefine(refuseWeakSecret),
    AUTH_URL: z.url('must be the public URL of the app, e.g. https://ingress-gate.example.com').optional(),
    INGRESS_GATE_SECRET_KEY: z
      .string({ error: 'is required: 32+ random characters (openssl rand -base64 32); it encrypts inline kubeconfigs at rest' })
      .superRefine(refuseWeakSecret),
    OIDC_ISSUER: z.url('must be the issuer URL of your OIDC provider').optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_DISPLAY_NAME: z.string().min(1).default('Single sign-on'),
    INGRESS_GATE_DEMO: z.enum(['0', '1']).default('0'),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (openssl rand -hex 16)').optional(),
    METRICS_PUBLIC: z.enum(['0', '1']).default('0'),
    // Optional own key for audit checkpoints; else one is derived from INGRESS_GATE_SECRET_KEY.
    INGRESS_GATE_AUDIT_KEY: z.string().superRefine(refuseWeakSecret).optional(),
    INGRESS_GATE_AUDIT_CHECKPOINT_MINUTES: z.coerce
      .number({ error: 'must be a whole number of minutes' })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(24 * 60, 'must be at most a day (1440 minutes)')
      .default(10),
    INGRESS_GATE_SESSION_IDLE_MINUTES: z.coerce
      .number({ error: 'must be a whole number of minutes' })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(7 * 24 * 60, 'must be at most a week (10080 minutes)')
      .default(60),
    INGRESS_GATE_SESSION_MAX_HOURS: z.coerce
      .number({ error: 'must be a whole number of hours' })
      .int('must be a whole number of hours')
      .min(1, 'must be at least 1 hour')
      .max(30 * 24, 'must be at most 30 days (720 hours)')
      .default(12),
    /** Longest lifetime an API token may be given (days). */
    INGRESS_GATE_TOKEN_MAX_DAYS: z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days')
      .default(365),
    /** The only directory kubeconfig files are read from; unset turns kubeconfig files off. */
    INGRESS_GATE_KUBECONFIG_DIR: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when any OIDC_* variable is set' });
      }
    }
  });

export type TEnv = z.infer<typeof ZEnv>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses an environment; throws EnvError listing every problem by variable name. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`));
}

let cached: TEnv | undefined;

export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Idle and absolute session lifetimes (lib/domain/auth/session-lifetime.ts). */
export function sessionLimits(e: TEnv = env()): { idleMinutes: number; maxHours: number } {
  return { idleMinutes: e.INGRESS_GATE_SESSION_IDLE_MINUTES, maxHours: e.INGRESS_GATE_SESSION_MAX_HOURS };
}

export function isOidcEnabled(e: TEnv = env()): boolean {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}

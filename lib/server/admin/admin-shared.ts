import { z } from 'zod';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { TTx } from '../db/client';

/** Serialises changes to who is an admin, so two admins demoting each other cannot leave none. */
export const ADMIN_SET_LOCK = 7245011;

/** Active users holding APPROVER globally or in the environment: who can ever approve there. */
export async function eligibleApprovers(tx: TTx, environmentId: string) {
  return tx.user.findMany({
    where: { isActive: true, roles: { some: { role: 'APPROVER', OR: [{ environmentId: null }, { environmentId }] } } },
    select: {
      id: true,
      email: true,
      name: true,
      roles: { where: { role: 'APPROVER', OR: [{ environmentId: null }, { environmentId }] }, select: { id: true, environmentId: true } },
    },
    orderBy: { email: 'asc' },
  });
}

/** Active users holding a global ADMIN role, other than `exceptUserId`. */
export async function otherActiveGlobalAdmins(tx: TTx, exceptUserId: string): Promise<number> {
  return tx.user.count({ where: { id: { not: exceptUserId }, isActive: true, roles: { some: { role: 'ADMIN', environmentId: null } } } });
}

/** The policy as the admin form edits it (approval count and rollback pre-approval are Environment columns). */
export const ZPolicyForm = ZPolicy;

const optionalText = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().max(4096).optional(),
);

export const ZConnectionInput = z.discriminatedUnion('kind', [
  // The sandbox serves one cluster per name (its own identity and objects); none: the shared one.
  z.object({
    kind: z.literal('SANDBOX'),
    context: optionalText.pipe(
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'A sandbox cluster name is a DNS label: a-z, 0-9 and "-", at most 63.')
        .optional(),
    ),
  }),
  z.object({
    kind: z.literal('KUBECONFIG_FILE'),
    path: z.string().trim().min(1, 'Give the kubeconfig path on the server.').max(4096),
    context: optionalText,
  }),
  // An empty kubeconfig keeps the stored one (it is never sent back to the browser).
  z.object({
    kind: z.literal('KUBECONFIG_INLINE'),
    kubeconfig: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .string()
        .max(256 * 1024, 'A kubeconfig over 256 KiB is not plausible.')
        .optional(),
    ),
    context: optionalText,
  }),
  z.object({ kind: z.literal('IN_CLUSTER') }),
]);

export const ZEnvironmentSettings = z.object({
  description: z.string().trim().max(500, 'Keep the description under 500 characters.'),
  isProduction: z.boolean(),
  requiredApprovals: z.coerce
    .number({ error: 'Required approvals is a number from 1 to 10.' })
    .int('Required approvals is a whole number.')
    .min(1, 'At least 1 approval is required.')
    .max(10, 'At most 10 approvals can be required.'),
  requestExpiryHours: z.coerce
    .number({ error: 'Request expiry is a number of hours.' })
    .int('Request expiry is a whole number of hours.')
    .min(1, 'Requests must live at least 1 hour.')
    .max(8760, 'Requests expire within a year (8760 hours) at most.'),
  rollbackPreApproved: z.boolean(),
  autoApproveEnabled: z.boolean(),
  policy: ZPolicyForm,
  connection: ZConnectionInput,
});

export type TEnvironmentSettings = z.infer<typeof ZEnvironmentSettings>;

export const ENVIRONMENT_NAME = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'Use 1–63 lowercase letters, digits and "-", starting and ending with a letter or digit (like "prod" or "eu-staging").',
  );

/** What an environment looks like in audit details: never the kubeconfig itself. */
export function environmentSnapshot(env: {
  description: string;
  isProduction: boolean;
  requiredApprovals: number;
  requestExpiryHours: number;
  rollbackPreApproved: boolean;
  autoApproveEnabled: boolean;
  policy: unknown;
  connectionKind: string;
  kubeconfigPath: string | null;
  kubeContext: string | null;
  kubeconfigSealed: string | null;
}) {
  const policy = ZPolicy.parse(env.policy ?? {});
  return {
    description: env.description,
    isProduction: env.isProduction,
    requiredApprovals: env.requiredApprovals,
    requestExpiryHours: env.requestExpiryHours,
    rollbackPreApproved: env.rollbackPreApproved,
    autoApproveEnabled: env.autoApproveEnabled,
    policy,
    connection: {
      kind: env.connectionKind,
      path: env.kubeconfigPath,
      context: env.kubeContext,
      hasInlineKubeconfig: env.kubeconfigSealed !== null,
    },
  };
}

/** Only the keys whose value changed, as { before: {...}, after: {...} }. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

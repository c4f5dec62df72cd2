import type { PrismaClient } from '@/lib/generated/prisma/client';
import { createEnvironment, createUser, type TUserSpec } from './factories';

/** Documented in README.md ("Demo accounts"). Only ever created in a demo/development database. */
export const DEMO_PASSWORD = 'ingress-gate-demo';

export const DEMO_USERS: (TUserSpec & { email: string; roleText: string })[] = [
  { email: 'requester@example.com', name: 'Riley Requester', roles: ['REQUESTER'], roleText: 'requester' },
  { email: 'approver1@example.com', name: 'Avery Approver', roles: ['APPROVER'], roleText: 'approver (all environments)' },
  { email: 'approver2@example.com', name: 'Blake Approver', roles: ['APPROVER'], roleText: 'approver (all environments)' },
  { email: 'auditor@example.com', name: 'Alex Auditor', roles: ['AUDITOR'], roleText: 'auditor' },
  { email: 'admin@example.com', name: 'Ada Admin', roles: ['ADMIN'], roleText: 'admin' },
];

/**
 * One owner per object (ARCHITECTURE decision 18): each demo environment has a sandbox cluster of
 * its own (`kubeContext` names it; the sandbox serves it under /clusters/<name>, with its own
 * kube-system uid and objects), so a dev request can never write prod's Ingresses.
 */
export const DEMO_ENVIRONMENTS = [
  {
    name: 'dev',
    kubeContext: 'dev',
    description: 'Development sandbox',
    requiredApprovals: 1,
    autoApproveEnabled: true,
    rollbackPreApproved: true,
    // Positive: only new paths on hosts an Ingress already serves, to Services it already uses,
    // and tuning annotations that cannot move traffic elsewhere, skip review (issue 13).
    policy: {
      autoApproveMaxSeverity: 'info',
      autoApprove: {
        addPathsToExistingHosts: true,
        annotations: [
          'nginx.ingress.kubernetes.io/proxy-body-size',
          'nginx.ingress.kubernetes.io/proxy-read-timeout',
          'nginx.ingress.kubernetes.io/proxy-send-timeout',
          'nginx.ingress.kubernetes.io/proxy-connect-timeout',
        ],
      },
    },
  },
  { name: 'staging', kubeContext: 'staging', description: 'Pre-production', requiredApprovals: 1, rollbackPreApproved: true },
  {
    name: 'prod',
    kubeContext: 'prod',
    // No counts in descriptions: pages show the environment's live approval count next to it.
    description: 'Production: TLS required, changes reach live traffic',
    isProduction: true,
    requiredApprovals: 2,
    policy: { requireTls: true },
  },
];

/** The demo's promotion path dev → staging → prod, and what prod maps from staging. */
export const DEMO_PROMOTION: Record<string, { promotionOrder: number; promotionRules?: object }> = {
  dev: { promotionOrder: 1 },
  staging: { promotionOrder: 2 },
  prod: { promotionOrder: 3, promotionRules: { hostSuffixes: [{ from: 'staging.example.com', to: 'example.com' }] } },
};

/** The demo prod change window: weekdays 08:00–18:00 Europe/Berlin. */
export const DEMO_PROD_WINDOW = {
  timeZone: 'Europe/Berlin',
  windows: [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0', durationMinutes: 600, label: 'office hours' }],
  recurringFreezes: [],
  freezes: [],
};

/**
 * Creates the demo environments and users once. Cases: empty database → everything created;
 * any user already present → nothing touched (never resets a database someone uses).
 * `prodWindow: false` (INGRESS_GATE_DEMO_PROD_WINDOW=0, set by the e2e stack) leaves prod always
 * open, so tests do not depend on the time of day.
 */
export async function seedDemo(
  db: PrismaClient,
  opts: { prodWindow?: boolean } = { prodWindow: process.env.INGRESS_GATE_DEMO_PROD_WINDOW !== '0' },
): Promise<{ created: boolean }> {
  if ((await db.user.count()) > 0) return { created: false };
  for (const env of DEMO_ENVIRONMENTS) {
    if (await db.environment.findUnique({ where: { name: env.name } })) continue;
    const created = await createEnvironment(db, env);
    const promotion = DEMO_PROMOTION[env.name];
    await db.environment.update({
      where: { id: created.id },
      data: {
        promotionOrder: promotion?.promotionOrder ?? null,
        promotionRules: promotion?.promotionRules ?? {},
        changeWindows: env.name === 'prod' && opts.prodWindow ? DEMO_PROD_WINDOW : {},
      },
    });
  }
  for (const user of DEMO_USERS) {
    await createUser(db, { ...user, password: DEMO_PASSWORD });
  }
  return { created: true };
}

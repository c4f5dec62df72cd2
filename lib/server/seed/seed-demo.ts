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

export const DEMO_ENVIRONMENTS = [
  {
    name: 'dev',
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
  { name: 'staging', description: 'Pre-production', requiredApprovals: 1, rollbackPreApproved: true },
  {
    name: 'prod',
    description: 'Production: two approvals, TLS required',
    isProduction: true,
    requiredApprovals: 2,
    policy: { requireTls: true },
  },
];

/**
 * Creates the demo environments and users once. Cases: empty database → everything created;
 * any user already present → nothing touched (never resets a database someone uses).
 */
export async function seedDemo(db: PrismaClient): Promise<{ created: boolean }> {
  if ((await db.user.count()) > 0) return { created: false };
  for (const env of DEMO_ENVIRONMENTS) {
    if (!(await db.environment.findUnique({ where: { name: env.name } }))) await createEnvironment(db, env);
  }
  for (const user of DEMO_USERS) {
    await createUser(db, { ...user, password: DEMO_PASSWORD });
  }
  return { created: true };
}

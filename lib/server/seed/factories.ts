import type { PrismaClient } from '@/lib/generated/prisma/client';
import type { TRole } from '@/lib/domain/authz/permissions';
import { hashPassword } from '../auth/passwords';

// Shared by the demo seed, the integration tests and the e2e specs (documenso's seed/ style):
// one way to make a user or an environment, so tests exercise what the demo shows.

export type TRoleSpec = TRole | { role: TRole; environment: string };

export type TUserSpec = { email: string; name?: string; password?: string | null; roles?: TRoleSpec[]; isActive?: boolean };

export async function createUser(db: PrismaClient, spec: TUserSpec) {
  const email = spec.email.trim().toLowerCase();
  const passwordHash = spec.password ? await hashPassword(spec.password) : null;
  const envNames = (spec.roles ?? []).flatMap((r) => (typeof r === 'string' ? [] : [r.environment]));
  const envs = envNames.length
    ? await db.environment.findMany({ where: { name: { in: envNames } }, select: { id: true, name: true } })
    : [];
  const envId = new Map(envs.map((e) => [e.name, e.id]));
  return db.user.create({
    data: {
      email,
      name: spec.name ?? email.split('@')[0] ?? email,
      passwordHash,
      isActive: spec.isActive ?? true,
      roles: {
        create: (spec.roles ?? []).map((r) => {
          if (typeof r === 'string') return { role: r };
          const id = envId.get(r.environment);
          if (!id) throw new Error(`createUser: no environment named ${r.environment}`);
          return { role: r.role, environmentId: id };
        }),
      },
    },
    include: { roles: true },
  });
}

export type TEnvironmentSpec = {
  name: string;
  description?: string;
  isProduction?: boolean;
  requiredApprovals?: number;
  policy?: Record<string, unknown>;
  rollbackPreApproved?: boolean;
  autoApproveEnabled?: boolean;
  requestExpiryHours?: number;
  connectionKind?: 'SANDBOX' | 'KUBECONFIG_FILE' | 'KUBECONFIG_INLINE' | 'IN_CLUSTER';
  kubeconfigPath?: string | null;
  kubeContext?: string | null;
  kubeconfigSealed?: string | null;
};

export async function createEnvironment(db: PrismaClient, spec: TEnvironmentSpec) {
  return db.environment.create({
    data: {
      name: spec.name,
      description: spec.description ?? '',
      isProduction: spec.isProduction ?? false,
      requiredApprovals: spec.requiredApprovals ?? 1,
      policy: (spec.policy ?? {}) as object,
      rollbackPreApproved: spec.rollbackPreApproved ?? false,
      autoApproveEnabled: spec.autoApproveEnabled ?? false,
      requestExpiryHours: spec.requestExpiryHours ?? 168,
      connectionKind: spec.connectionKind ?? 'SANDBOX',
      kubeconfigPath: spec.kubeconfigPath ?? null,
      kubeContext: spec.kubeContext ?? null,
      kubeconfigSealed: spec.kubeconfigSealed ?? null,
    },
  });
}

let counter = 0;
/** A unique email for a test's own user, so specs never share state. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}@test.ingress-gate.local`;
}

import { can, type TActor } from '@/lib/domain/authz/permissions';
import { ZPolicy } from '@/lib/domain/policy/policy';
import { isUuid } from '@/lib/domain/text/uuid';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import { eligibleApprovers } from './admin-shared';

/** Environments the actor administers, with the numbers the overview shows. */
export async function listEnvironmentsForAdmin(actor: TActor | null) {
  assertCan(actor, 'environment.manage');
  const envs = await db().environment.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      description: true,
      isProduction: true,
      disabledAt: true,
      requiredApprovals: true,
      connectionKind: true,
      _count: { select: { requests: { where: { status: 'PENDING' } } } },
    },
  });
  return envs
    .filter((e) => can(actor, 'environment.manage', { environmentId: e.id }))
    .map(({ _count, ...e }) => ({ ...e, pendingCount: _count.requests }));
}

/**
 * One environment as its settings page needs it: settings (the policy without the duplicated
 * columns), the connection without the kubeconfig (only whether one is stored), eligible
 * approvers (and how each is eligible), active users who could be made approvers, pending count.
 */
export async function getEnvironmentForAdmin(actor: TActor | null, environmentId: string) {
  if (!isUuid(environmentId)) throw new AppError('NOT_FOUND', 'No such environment.');
  assertCan(actor, 'environment.manage', { environmentId });
  const env = await db().environment.findUnique({ where: { id: environmentId } });
  if (!env) throw new AppError('NOT_FOUND', 'No such environment.');
  const policy = ZPolicy.parse(env.policy ?? {});
  const [approvers, candidates, pendingCount] = await Promise.all([
    eligibleApprovers(db() as never, environmentId),
    db().user.findMany({ where: { isActive: true }, select: { id: true, email: true, name: true }, orderBy: { email: 'asc' }, take: 500 }),
    db().changeRequest.count({ where: { environmentId, status: 'PENDING' } }),
  ]);
  const approverIds = new Set(approvers.map((a) => a.id));
  return {
    id: env.id,
    name: env.name,
    disabledAt: env.disabledAt,
    pendingCount,
    settings: {
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
    },
    approvers: approvers.map((a) => ({
      id: a.id,
      email: a.email,
      name: a.name,
      isGlobal: a.roles.some((r) => r.environmentId === null),
      scopedAssignmentId: a.roles.find((r) => r.environmentId === environmentId)?.id ?? null,
    })),
    candidates: candidates.filter((u) => !approverIds.has(u.id)),
  };
}

export type TEnvironmentAdminView = Awaited<ReturnType<typeof getEnvironmentForAdmin>>;

/** Every user with roles (scope names resolved) and active API token count; user.manage only. */
export async function listUsersForAdmin(actor: TActor | null) {
  assertCan(actor, 'user.manage', 'global');
  const [users, envs] = await Promise.all([
    db().user.findMany({
      orderBy: { email: 'asc' },
      select: {
        id: true,
        email: true,
        name: true,
        isActive: true,
        lastSignInAt: true,
        passwordHash: true,
        roles: { select: { id: true, role: true, environmentId: true }, orderBy: [{ role: 'asc' }] },
        _count: {
          select: { apiTokens: { where: { revokedAt: null } }, sessions: { where: { endedAt: null, expiresAt: { gt: new Date() } } } },
        },
      },
    }),
    db().environment.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const names = new Map(envs.map((e) => [e.id, e.name]));
  return {
    environments: envs,
    users: users.map(({ passwordHash, _count, roles, ...u }) => ({
      ...u,
      hasPassword: passwordHash !== null,
      activeTokens: _count.apiTokens,
      // Not yet ended nor past their absolute expiry; some may have gone idle.
      openSessions: _count.sessions,
      roles: roles.map((r) => ({ ...r, environmentName: r.environmentId ? (names.get(r.environmentId) ?? '?') : null })),
    })),
  };
}

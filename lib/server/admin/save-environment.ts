import { randomUUID } from 'node:crypto';
import type { TActor } from '@/lib/domain/authz/permissions';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { Environment, Prisma } from '@/lib/generated/prisma/client';
import { appendAuditEvent } from '../audit/append-audit-event';
import { approveIfReady, lockChangeRequest, TX_OPTIONS } from '../change-requests/quorum';
import type { TTx } from '../db/client';
import { env as appEnv } from '../env';
import { AppError } from '../errors';
import { loadKubeConfig } from '../kube/kube-connection';
import { isKubeError } from '../kube/kube-error';
import { sealSecret } from '../kube/secret-box';
import { eligibleApprovers, type TEnvironmentSettings } from './admin-shared';

/**
 * The columns an environment's settings write, shared by create and update. Cases:
 * - requiredApprovals above the number of eligible approvers → 422 on that field, saying how
 *   many there are (checked only when the value changes, so an unrelated edit still saves)
 * - an inline kubeconfig is checked to load (and its context to exist) before it is sealed,
 *   bound to the environment id; an empty one keeps the stored one, and none stored → 422
 */
export async function environmentColumns(tx: TTx, environmentId: string, settings: TEnvironmentSettings, current: Environment | null) {
  if (settings.requiredApprovals !== current?.requiredApprovals) {
    const eligible = await eligibleApprovers(tx, environmentId);
    if (settings.requiredApprovals > eligible.length) {
      const who = eligible.length ? ` (${eligible.map((u) => u.email).join(', ')})` : '';
      throw new AppError('UNPROCESSABLE', `Not enough approvers for ${settings.requiredApprovals} approvals.`, {
        fieldErrors: [
          {
            path: 'requiredApprovals',
            message: `Only ${eligible.length} eligible approver${eligible.length === 1 ? '' : 's'}${who} can approve here; add approvers before requiring ${settings.requiredApprovals}.`,
          },
        ],
      });
    }
  }
  const c = settings.connection;
  let sealed: string | null = null;
  if (c.kind === 'KUBECONFIG_INLINE') {
    if (c.kubeconfig) {
      try {
        loadKubeConfig({ kind: 'KUBECONFIG_INLINE', kubeconfig: c.kubeconfig, context: c.context ?? null });
      } catch (error) {
        if (!isKubeError(error)) throw error;
        throw new AppError('UNPROCESSABLE', 'The kubeconfig cannot be used.', {
          fieldErrors: [{ path: 'connection.kubeconfig', message: error.message }],
        });
      }
      sealed = sealSecret(c.kubeconfig, appEnv().INGRESS_GATE_SECRET_KEY, environmentId);
    } else if (current?.kubeconfigSealed) {
      sealed = current.kubeconfigSealed;
    } else {
      throw new AppError('UNPROCESSABLE', 'Paste a kubeconfig.', {
        fieldErrors: [{ path: 'connection.kubeconfig', message: 'Paste the kubeconfig this environment should use.' }],
      });
    }
  }
  const policy = ZPolicy.parse(settings.policy);
  return {
    description: settings.description,
    isProduction: settings.isProduction,
    requiredApprovals: settings.requiredApprovals,
    requestExpiryHours: settings.requestExpiryHours,
    rollbackPreApproved: settings.rollbackPreApproved,
    autoApproveEnabled: settings.autoApproveEnabled,
    policy: policy as unknown as Prisma.InputJsonValue,
    connectionKind: c.kind,
    kubeconfigPath: c.kind === 'KUBECONFIG_FILE' ? c.path : null,
    kubeContext: c.kind === 'KUBECONFIG_FILE' || c.kind === 'KUBECONFIG_INLINE' ? (c.context ?? null) : null,
    kubeconfigSealed: sealed,
  };
}

/**
 * After the required approval count went down, pending requests whose current revision now has
 * enough approvals are approved — each under its row lock, through approveIfReady, so the apply
 * job is enqueued in this same transaction. Raising the count needs nothing here: pending requests
 * simply show "2 of 3", and approved-but-unapplied ones are re-checked by the worker.
 */
export async function reevaluatePending(
  tx: TTx,
  environmentId: string,
  actor: TActor,
  now: Date,
): Promise<{ checked: number; approved: string[] }> {
  const pending = await tx.changeRequest.findMany({
    where: { environmentId, status: 'PENDING' },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const approved: string[] = [];
  for (const { id } of pending) {
    await lockChangeRequest(tx, id);
    if (await approveIfReady(tx, id, { actor: { id: actor.id, email: actor.email }, mode: 'quorum', now })) approved.push(id);
  }
  return { checked: pending.length, approved };
}

export { randomUUID as newEnvironmentId, appendAuditEvent, TX_OPTIONS };

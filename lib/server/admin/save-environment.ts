import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { Environment, Prisma } from '@/lib/generated/prisma/client';
import { recordAuditEvent } from '../audit/append-audit-event';
import { approveIfReady } from '../change-requests/quorum';
import { lockChangeRequest } from '../operation';
import type { TTx } from '../db/client';
import { env as appEnv } from '../env';
import { AppError } from '../errors';
import { loadKubeConfig } from '../kube/kube-connection';
import { isKubeError } from '../kube/kube-error';
import { sealSecret } from '../kube/secret-box';
import { isKubeconfigFileName } from '../kube/kube-client-for-environment';
import { eligibleApprovers, type TEnvironmentSettings } from './admin-shared';
import { OWNERSHIP_LOCK, ownershipProblem, probeClusterIdentity } from './environment-ownership';

/**
 * The kubeconfig files an operator put in INGRESS_GATE_KUBECONFIG_DIR (names only), for global
 * admins to choose from; [] when the directory is not set or cannot be read. Nothing outside it
 * is ever listed or opened, so the UI cannot probe which files exist on the server.
 */
export function listKubeconfigFiles(dir: string | undefined = appEnv().INGRESS_GATE_KUBECONFIG_DIR): string[] {
  if (!dir) return [];
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && isKubeconfigFileName(d.name))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

function usesServerCredentials(kind: string): boolean {
  return kind === 'KUBECONFIG_FILE' || kind === 'IN_CLUSTER';
}

/**
 * The columns an environment's settings write, shared by create and update. Cases:
 * - requiredApprovals above the number of eligible approvers → 422 on that field, saying how
 *   many there are (checked only when the value changes, so an unrelated edit still saves)
 * - an inline kubeconfig is checked to load (and its context to exist, and to carry only data:
 *   no exec, auth-provider or file references) before it is sealed, bound to the environment id;
 *   an empty one keeps the stored one, and none stored → 422
 * - a kubeconfig file or the in-cluster service account run with the server's own credentials:
 *   only global admins may choose them (403); a file is a name from INGRESS_GATE_KUBECONFIG_DIR
 *   (422 otherwise, without saying whether some other path exists)
 * - the cluster identity (kube-system uid, CA fingerprint) is probed and recorded; when it shows
 *   another environment governing overlapping namespaces of the same cluster → 422 naming it
 */
export async function environmentColumns(
  tx: TTx,
  environmentId: string,
  settings: TEnvironmentSettings,
  current: Environment | null,
  actor: TActor,
) {
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
  const isConnectionChanged =
    !current ||
    current.connectionKind !== c.kind ||
    (c.kind === 'KUBECONFIG_FILE' && current.kubeconfigPath !== c.path) ||
    (c.kind === 'SANDBOX' && (current.kubeContext ?? null) !== (c.context ?? null)) ||
    (c.kind === 'KUBECONFIG_INLINE' && Boolean(c.kubeconfig));
  if (usesServerCredentials(c.kind) && isConnectionChanged && !can(actor, 'environment.manage', 'global')) {
    throw new AppError('FORBIDDEN', 'Only admins of every environment can choose a kubeconfig file or the in-cluster service account.', {
      fieldErrors: [
        {
          path: 'connection.kind',
          message: 'These use the portal server’s own credentials; paste a kubeconfig for this environment instead.',
        },
      ],
    });
  }
  if (c.kind === 'KUBECONFIG_FILE' && isConnectionChanged) {
    const files = listKubeconfigFiles();
    if (!isKubeconfigFileName(c.path) || !files.includes(c.path)) {
      throw new AppError('UNPROCESSABLE', 'Choose a kubeconfig file.', {
        fieldErrors: [
          {
            path: 'connection.path',
            message: files.length
              ? `Choose one of the kubeconfig files in INGRESS_GATE_KUBECONFIG_DIR: ${files.join(', ')}.`
              : 'No kubeconfig files are available: the operator sets INGRESS_GATE_KUBECONFIG_DIR and puts the files there.',
          },
        ],
      });
    }
  }
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
  const connectionColumns = {
    connectionKind: c.kind,
    kubeconfigPath: c.kind === 'KUBECONFIG_FILE' ? c.path : null,
    // For SANDBOX the context names the sandbox cluster (connectionForEnvironment).
    kubeContext: c.kind === 'IN_CLUSTER' ? null : (c.context ?? null),
    kubeconfigSealed: sealed,
  };
  // The sandbox is probed by "Test connection" only: saving demo environments stays instant.
  const probed = c.kind === 'SANDBOX' ? null : await probeClusterIdentity({ id: environmentId, ...connectionColumns });
  const identity = probed ?? {
    clusterUid: isConnectionChanged ? null : (current?.clusterUid ?? null),
    clusterCaSha256: isConnectionChanged ? null : (current?.clusterCaSha256 ?? null),
  };
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', OWNERSHIP_LOCK);
  const problem = await ownershipProblem(tx, { id: environmentId, ...identity, namespaces: policy.allowedNamespaces });
  if (problem) {
    throw new AppError('UNPROCESSABLE', 'Another environment already governs these namespaces on this cluster.', {
      fieldErrors: [{ path: 'policy.allowedNamespaces', message: problem }],
    });
  }
  return {
    ...identity,
    ...(probed ? { clusterCheckedAt: new Date() } : {}),
    description: settings.description,
    isProduction: settings.isProduction,
    requiredApprovals: settings.requiredApprovals,
    requestExpiryHours: settings.requestExpiryHours,
    rollbackPreApproved: settings.rollbackPreApproved,
    autoApproveEnabled: settings.autoApproveEnabled,
    policy: policy as unknown as Prisma.InputJsonValue,
    ...connectionColumns,
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

export { randomUUID as newEnvironmentId, recordAuditEvent };

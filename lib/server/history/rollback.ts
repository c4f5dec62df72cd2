import type { TActor } from '@/lib/domain/authz/permissions';
import type { TIngress } from '@/lib/domain/ingress/types';
import { can } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import { clusterFor, kubeToAppError } from '../change-requests/cluster';
import { prepareRevision } from '../change-requests/prepare-revision';
import { submitChangeRequest } from '../change-requests/submit-change-request';

/**
 * Proposes restoring an Ingress to an earlier applied version, as a new request against the
 * current live object: the version's manifest (update, or create if the live object is gone), or a
 * delete when the version recorded a deletion... or when rolling back a create.
 * Pre-approved (enqueued at once) when the environment marks rollbacks to a previously approved
 * state as pre-approved — the target was approved and applied before. Audited as a rollback.
 */
async function proposeRestore(
  actor: TActor,
  target: { environmentId: string; namespace: string; ingressName: string; manifest: TIngress | null },
  meta: { kind: 'ROLLBACK' | 'RESTORE'; rollbackOfId: string | null; title: string; justification: string; client?: KubeClient; now?: Date },
) {
  const env = await db().environment.findUniqueOrThrow({ where: { id: target.environmentId } });
  if (!can(actor, 'change-request.rollback', { environmentId: env.id })) throw new AppError('FORBIDDEN', `You cannot roll back changes in ${env.name}.`);
  const client = meta.client ?? clusterFor(env);
  let live;
  try {
    live = await client.getIngress(target.namespace, target.ingressName);
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
  const action = target.manifest ? (live ? 'update' : 'create') : 'delete';
  if (action === 'delete' && !live) throw new AppError('CONFLICT', `${target.namespace}/${target.ingressName} does not exist in ${env.name}; there is nothing to roll back.`);
  const prepared = await prepareRevision(env, { action, namespace: target.namespace, name: target.ingressName, source: target.manifest ? { manifest: target.manifest } : null }, { client });
  if (action === 'update' && prepared.analysis.diff && prepared.analysis.baseHash === prepared.analysis.proposedHash) {
    throw new AppError('CONFLICT', `${target.namespace}/${target.ingressName} already matches that version; nothing to roll back.`);
  }
  return submitChangeRequest(
    actor,
    // `yaml` only satisfies the input schema: the prepared revision (from the applied manifest) is what is stored.
    { environment: env.id, namespace: target.namespace, name: target.ingressName, action, title: meta.title, justification: meta.justification, yaml: prepared.analysis.proposedYaml ?? undefined },
    { kind: meta.kind, rollbackOfId: meta.rollbackOfId, preApproved: env.rollbackPreApproved, prepared, client, now: meta.now },
  );
}

/** One-click rollback of an applied change: restore the version before it (or delete what it created). */
export async function rollbackChangeRequest(actor: TActor | null, changeRequestId: string, opts: { reason?: string; client?: KubeClient; now?: Date } = {}) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const request = await db().changeRequest.findUnique({ where: { id: changeRequestId } }).catch(() => null);
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId })) throw new AppError('NOT_FOUND', 'No such change request.');
  if (request.status !== 'APPLIED') throw new AppError('CONFLICT', 'Only an applied change can be rolled back.');
  const applied = await db().appliedVersion.findFirst({ where: { changeRequestId }, orderBy: { appliedAt: 'desc' } });
  if (!applied) throw new AppError('CONFLICT', 'This change has no applied version to roll back.');
  const previous = await db().appliedVersion.findFirst({
    where: { environmentId: applied.environmentId, namespace: applied.namespace, ingressName: applied.ingressName, appliedAt: { lt: applied.appliedAt } },
    orderBy: { appliedAt: 'desc' },
  });
  // No earlier version through the portal: undo a create by deleting; for an update or delete of
  // an object the portal never applied before, the reviewed base is the previous state.
  const base = await db().revision.findUnique({ where: { changeRequestId_number: { changeRequestId, number: applied.revisionNumber ?? request.currentRevision } } });
  const manifest = previous ? (previous.manifest as TIngress | null) : request.action === 'CREATE' ? null : ((base?.baseManifest ?? null) as TIngress | null);
  return proposeRestore(
    actor,
    { environmentId: request.environmentId, namespace: request.namespace, ingressName: request.ingressName, manifest },
    { kind: 'ROLLBACK', rollbackOfId: request.id, title: `Roll back #${request.number}: ${request.title}`.slice(0, 200), justification: opts.reason?.trim() || `Rollback of #${request.number}.`, client: opts.client, now: opts.now },
  );
}

/** Restore an Ingress to one specific applied version from its history. */
export async function restoreAppliedVersion(actor: TActor | null, appliedVersionId: string, opts: { reason?: string; client?: KubeClient; now?: Date } = {}) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const version = await db().appliedVersion.findUnique({ where: { id: appliedVersionId }, include: { changeRequest: { select: { id: true, number: true } } } }).catch(() => null);
  if (!version || !can(actor, 'ingress.view', { environmentId: version.environmentId })) throw new AppError('NOT_FOUND', 'No such applied version.');
  const label = version.changeRequest ? `#${version.changeRequest.number}` : `the version of ${version.appliedAt.toISOString()}`;
  return proposeRestore(
    actor,
    { environmentId: version.environmentId, namespace: version.namespace, ingressName: version.ingressName, manifest: version.manifest as TIngress | null },
    { kind: 'RESTORE', rollbackOfId: version.changeRequest?.id ?? null, title: `Restore ${version.namespace}/${version.ingressName} to ${label}`.slice(0, 200), justification: opts.reason?.trim() || `Restore the state applied by ${label}.`, client: opts.client, now: opts.now },
  );
}

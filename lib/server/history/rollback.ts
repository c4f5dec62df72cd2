import { restorePreApproval, type TRestorePreApproval } from '@/lib/domain/approval/restore-pre-approval';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import type { TChangeAction } from '@/lib/domain/change/lifecycle';
import { canonicalYaml, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { Environment } from '@/lib/generated/prisma/client';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import type { TLiveIngress } from '../kube/kube-types';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { assertMay, findVisibleChangeRequest, isUuid, requireActor } from '../operation';
import { prepareRevision } from '../change-requests/prepare-revision';
import { submitChangeRequest } from '../change-requests/submit-change-request';

type TRestorePlan = {
  env: Environment;
  namespace: string;
  ingressName: string;
  /** What the Ingress will be after the restore; null = deleted. */
  manifest: TIngress | null;
  live: TLiveIngress | null;
  action: TChangeAction;
  kind: 'ROLLBACK' | 'RESTORE';
  rollbackOfId: string | null;
  title: string;
  defaultReason: string;
  /** The applied version the target is, or null for "nothing" (undoing a create); see preApprovalFor. */
  targetVersionId: string | null;
  /** ROLLBACK: the request being undone (it must be the latest applied one to be pre-approved). */
  undoneRequestId: string | null;
  preApproval: TRestorePreApproval;
};

type TOpts = { reason?: string; client?: KubeClient; now?: Date };

/**
 * Resolves the target of a restore against the current live object. Cases: the target manifest
 * and a live object → update; a manifest and no live object → create; no manifest (undo a create,
 * or restore a deletion) and a live object → delete; nothing live and nothing to restore → 409;
 * live already equal to the target → 409 (nothing to do).
 */
async function plan(
  actor: TActor,
  target: Omit<TRestorePlan, 'env' | 'live' | 'action' | 'preApproval'> & { environmentId: string },
  client?: KubeClient,
): Promise<TRestorePlan & { client: KubeClient }> {
  const env = await db().environment.findUniqueOrThrow({ where: { id: target.environmentId } });
  if (!can(actor, 'change-request.rollback', { environmentId: env.id }))
    throw new AppError('FORBIDDEN', `You cannot roll back changes in ${env.name}.`);
  const cluster = client ?? clusterFor(env);
  let live: TLiveIngress | null;
  try {
    live = await cluster.getIngress(target.namespace, target.ingressName);
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
  const action = target.manifest ? (live ? 'update' : 'create') : 'delete';
  if (action === 'delete' && !live)
    throw new AppError(
      'CONFLICT',
      `${target.namespace}/${target.ingressName} does not exist in ${env.name}; there is nothing to roll back.`,
    );
  if (action === 'update' && canonicalYaml(normaliseIngress(live!)) === canonicalYaml(normaliseIngress(target.manifest!))) {
    throw new AppError(
      'CONFLICT',
      `${target.namespace}/${target.ingressName} already matches that version; there is nothing to roll back.`,
    );
  }
  const preApproval = await preApprovalFor(actor, env, target, live);
  return { ...target, env, live, action, preApproval, client: cluster };
}

/**
 * The facts restorePreApproval decides on, read from the Ingress's applied history: the latest
 * applied version (and who requested it), the one before it, and whether the live object is still
 * what the latest apply wrote.
 */
async function preApprovalFor(
  actor: TActor,
  env: Environment,
  target: { namespace: string; ingressName: string; targetVersionId: string | null; undoneRequestId: string | null },
  live: TLiveIngress | null,
): Promise<TRestorePreApproval> {
  const [latest, previous] = await db().appliedVersion.findMany({
    where: { environmentId: env.id, namespace: target.namespace, ingressName: target.ingressName },
    orderBy: { appliedAt: 'desc' },
    take: 2,
    include: { changeRequest: { select: { requesterId: true } } },
  });
  let position: 'previous' | 'latest' | 'older' = 'older';
  if (latest && target.undoneRequestId !== null) {
    // A rollback goes one step back exactly when the request it undoes is the latest applied one.
    position = latest.changeRequestId === target.undoneRequestId ? 'previous' : 'older';
  } else if (latest && target.targetVersionId === latest.id) position = 'latest';
  else if (latest && target.targetVersionId === (previous?.id ?? null)) position = 'previous';
  const isLiveUnchangedSinceLatest =
    latest !== undefined &&
    (latest.action === 'DELETE' ? live === null : live !== null && live.metadata.resourceVersion === latest.resourceVersion);
  return restorePreApproval({
    isEnvironmentPreApproving: env.rollbackPreApproved,
    isActorOriginalRequester: latest?.changeRequest?.requesterId === actor.id,
    isActorEligibleApprover: can(actor, 'change-request.review', { environmentId: env.id }),
    target: position,
    isLiveUnchangedSinceLatest,
  });
}

async function rollbackTarget(actorIn: TActor | null, changeRequestId: string) {
  const actor = requireActor(actorIn);
  const request = await findVisibleChangeRequest(actor, changeRequestId);
  assertMay(actor, request, 'rollback');
  const applied = await db().appliedVersion.findFirst({ where: { changeRequestId }, orderBy: { appliedAt: 'desc' } });
  if (!applied) throw new AppError('CONFLICT', 'This change has no applied version to roll back.');
  const previous = await db().appliedVersion.findFirst({
    where: {
      environmentId: applied.environmentId,
      namespace: applied.namespace,
      ingressName: applied.ingressName,
      appliedAt: { lt: applied.appliedAt },
    },
    orderBy: { appliedAt: 'desc' },
  });
  // No earlier version through the portal: undo a create by deleting; for an update or delete of an
  // object the portal never applied before, the reviewed base is the previous state.
  const revision = await db().revision.findUnique({
    where: { changeRequestId_number: { changeRequestId, number: applied.revisionNumber ?? request.currentRevision } },
  });
  const manifest = previous
    ? (previous.manifest as TIngress | null)
    : request.action === 'CREATE'
      ? null
      : ((revision?.baseManifest ?? null) as TIngress | null);
  return {
    actor,
    target: {
      environmentId: request.environmentId,
      namespace: request.namespace,
      ingressName: request.ingressName,
      manifest: manifest ? normaliseIngress(manifest) : null,
      kind: 'ROLLBACK' as const,
      rollbackOfId: request.id,
      targetVersionId: previous?.id ?? null,
      undoneRequestId: request.id,
      title: `Roll back #${request.number}: ${request.title}`.slice(0, 200),
      defaultReason: `Rollback of #${request.number}.`,
    },
  };
}

async function restoreTarget(actorIn: TActor | null, appliedVersionId: string) {
  const actor = requireActor(actorIn);
  const version = isUuid(appliedVersionId)
    ? await db().appliedVersion.findUnique({
        where: { id: appliedVersionId },
        include: { changeRequest: { select: { id: true, number: true } } },
      })
    : null;
  if (!version || !can(actor, 'ingress.view', { environmentId: version.environmentId }))
    throw new AppError('NOT_FOUND', 'No such applied version.');
  const label = version.changeRequest ? `#${version.changeRequest.number}` : `the version of ${version.appliedAt.toISOString()}`;
  return {
    actor,
    target: {
      environmentId: version.environmentId,
      namespace: version.namespace,
      ingressName: version.ingressName,
      manifest: version.manifest as TIngress | null,
      kind: 'RESTORE' as const,
      rollbackOfId: version.changeRequest?.id ?? null,
      targetVersionId: version.id,
      undoneRequestId: null,
      title: `Restore ${version.namespace}/${version.ingressName} to ${label}`.slice(0, 200),
      defaultReason: `Restore the state applied by ${label}.`,
    },
  };
}

export type TRestorePreview = {
  action: TChangeAction;
  liveYaml: string;
  resultYaml: string;
  isPreApproved: boolean;
  /** Why it is (or is not) pre-approved, for the confirmation. */
  preApprovalReason: string;
  environment: string;
};

function preview(p: TRestorePlan): TRestorePreview {
  return {
    action: p.action,
    liveYaml: p.live ? canonicalYaml(normaliseIngress(p.live)) : '',
    resultYaml: p.manifest ? canonicalYaml(normaliseIngress(p.manifest)) : '',
    isPreApproved: p.preApproval.isPreApproved,
    preApprovalReason: p.preApproval.reason,
    environment: p.env.name,
  };
}

/**
 * Proposes the plan as a new request against the current live object, pre-approved (enqueued at
 * once) only when restorePreApproval says so (the environment pre-approves rollbacks, the actor
 * requested the change being undone or may approve here, one step back, live unchanged);
 * everything else is an ordinary request. Audited as a rollback/restore of the original.
 */
async function propose(actor: TActor, p: TRestorePlan & { client: KubeClient }, opts: TOpts) {
  const prepared = await prepareRevision(
    p.env,
    { action: p.action, namespace: p.namespace, name: p.ingressName, source: p.manifest ? { manifest: p.manifest } : null },
    { client: p.client, kind: p.kind },
  );
  return submitChangeRequest(
    actor,
    // `yaml` only satisfies the input schema: the prepared revision is what is stored.
    {
      environment: p.env.id,
      namespace: p.namespace,
      name: p.ingressName,
      action: p.action,
      title: p.title,
      justification: opts.reason?.trim() || p.defaultReason,
      yaml: prepared.analysis.proposedYaml ?? undefined,
    },
    { kind: p.kind, rollbackOfId: p.rollbackOfId, preApproved: p.preApproval.isPreApproved, prepared, client: p.client, now: opts.now },
  );
}

/** One-click rollback of an applied change: restore the version before it (or delete what it created). */
export async function rollbackChangeRequest(actorIn: TActor | null, changeRequestId: string, opts: TOpts = {}) {
  const { actor, target } = await rollbackTarget(actorIn, changeRequestId);
  return propose(actor, await plan(actor, target, opts.client), opts);
}

/** Exactly what rollbackChangeRequest would propose, without proposing it (for the confirmation). */
export async function previewRollback(
  actorIn: TActor | null,
  changeRequestId: string,
  opts: { client?: KubeClient } = {},
): Promise<TRestorePreview> {
  const { actor, target } = await rollbackTarget(actorIn, changeRequestId);
  return preview(await plan(actor, target, opts.client));
}

/** Restore an Ingress to one specific applied version from its history. */
export async function restoreAppliedVersion(actorIn: TActor | null, appliedVersionId: string, opts: TOpts = {}) {
  const { actor, target } = await restoreTarget(actorIn, appliedVersionId);
  return propose(actor, await plan(actor, target, opts.client), opts);
}

/** Exactly what restoreAppliedVersion would propose, without proposing it. */
export async function previewRestore(
  actorIn: TActor | null,
  appliedVersionId: string,
  opts: { client?: KubeClient } = {},
): Promise<TRestorePreview> {
  const { actor, target } = await restoreTarget(actorIn, appliedVersionId);
  return preview(await plan(actor, target, opts.client));
}

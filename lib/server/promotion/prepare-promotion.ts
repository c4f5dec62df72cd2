import type { TChangeAction } from '@/lib/domain/change/lifecycle';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { canonicalYaml, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TPriorStageDecision } from '@/lib/domain/promotion/prior-stage';
import { mapManifest, type TMappingChange } from '@/lib/domain/promotion/promotion-rules';
import { assertCan } from '../authz/assert-can';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { isUuid, requireActor } from '../operation';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import { checkPriorStage, promotionRulesOf, troubleSince } from './check-prior-stage';

export type TPromotionDraft = {
  appliedVersionId: string;
  source: {
    environment: string;
    namespace: string;
    name: string;
    appliedAt: Date;
    appliedBy: string | null;
    changeRequestId: string | null;
    changeRequestNumber: number | null;
    driftedAt: Date | null;
    failedAt: Date | null;
  };
  target: { environment: string; namespace: string; name: string; action: Exclude<TChangeAction, 'delete'>; isProduction: boolean };
  yaml: string;
  changes: TMappingChange[];
  priorStage: TPriorStageDecision;
};

/** The next environment on the promotion path after `order`, or null at the end of it. */
export async function nextStage(order: number | null) {
  if (order === null) return null;
  return db().environment.findFirst({ where: { promotionOrder: { gt: order }, disabledAt: null }, orderBy: { promotionOrder: 'asc' } });
}

/**
 * "Promote to <next environment>": the current applied version of an Ingress, transformed by the
 * next environment's mapping rules, ready to submit there as an ordinary request (its diff is
 * computed against the target's live object at submission, like any other). Cases: unknown id,
 * or not visible to the actor → 404; the last stage or off the path → 409; a delete, or not the
 * current applied version any more → 409; not a requester in the target → 403; target cluster
 * unreachable → 503. Carries the evidence the page shows: when and by whom it was applied, drift or
 * failure since, and what the target's prior-stage policy says now.
 */
export async function preparePromotion(
  actorIn: TActor | null,
  appliedVersionId: string,
  opts: { now?: Date; client?: KubeClient } = {},
): Promise<TPromotionDraft> {
  const actor = requireActor(actorIn);
  if (!isUuid(appliedVersionId)) throw new AppError('NOT_FOUND', 'No such applied version.');
  const version = await db().appliedVersion.findUnique({
    where: { id: appliedVersionId },
    include: { environment: true, appliedBy: { select: { email: true } }, changeRequest: { select: { id: true, number: true } } },
  });
  if (!version || !can(actor, 'ingress.view', { environmentId: version.environmentId }))
    throw new AppError('NOT_FOUND', 'No such applied version.');
  const target = await nextStage(version.environment.promotionOrder);
  if (!target)
    throw new AppError(
      'CONFLICT',
      `${version.environment.name} is the last stage of the promotion path (or not on it); there is nowhere to promote to.`,
    );
  assertCan(actor, 'change-request.submit', { environmentId: target.id });
  if (!version.manifest)
    throw new AppError('CONFLICT', 'A deletion cannot be promoted; propose the delete in the next environment directly.');
  const latest = await db().appliedVersion.findFirst({
    where: { environmentId: version.environmentId, namespace: version.namespace, ingressName: version.ingressName },
    orderBy: { appliedAt: 'desc' },
    select: { id: true },
  });
  if (latest?.id !== version.id)
    throw new AppError('CONFLICT', 'A later version of this Ingress was applied since; promote the current one.');
  const rules = promotionRulesOf(target);
  const { ingress, changes } = mapManifest(version.manifest as unknown as TIngress, rules);
  const namespace = ingress.metadata.namespace ?? version.namespace;
  let live;
  try {
    live = await (opts.client ?? clusterFor(target)).getIngress(namespace, version.ingressName);
  } catch (error) {
    throw kubeToAppError(error, target.name);
  }
  const now = opts.now ?? new Date();
  const since = await troubleSince(db(), version.environmentId, version.namespace, version.ingressName, version.appliedAt);
  return {
    appliedVersionId,
    source: {
      environment: version.environment.name,
      namespace: version.namespace,
      name: version.ingressName,
      appliedAt: version.appliedAt,
      appliedBy: version.appliedBy?.email ?? null,
      changeRequestId: version.changeRequest?.id ?? null,
      changeRequestNumber: version.changeRequest?.number ?? null,
      ...since,
    },
    target: {
      environment: target.name,
      namespace,
      name: version.ingressName,
      action: live ? 'update' : 'create',
      isProduction: target.isProduction,
    },
    yaml: canonicalYaml(normaliseIngress(ingress)),
    changes,
    priorStage: await checkPriorStage(target, { namespace, name: version.ingressName, proposed: ingress }, now),
  };
}

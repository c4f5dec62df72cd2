import { can, type TActor } from '@/lib/domain/authz/permissions';
import { ingressClassOf } from '@/lib/domain/ingress/routing-table';
import { normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { db } from '../db/client';
import { clusterCache } from '../kube/cluster-cache';
import { AppError } from '../errors';
import { isUuid, requireActor } from '../operation';

export type TRouteContext = { ingressClass: string | null; others: TIngress[] };

/**
 * For the cluster-wide route tester: the live Ingresses served by the same controller as this
 * request's Ingress (same effective class; with no class, those without one), minus the Ingress
 * itself, so "which backend serves this URL" can be answered before and after with everything
 * else the controller routes. Same visibility as the request (404 when hidden).
 */
export async function getRouteContext(actorIn: TActor | null, changeRequestId: string): Promise<TRouteContext> {
  const actor = requireActor(actorIn);
  if (!isUuid(changeRequestId)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await db().changeRequest.findUnique({ where: { id: changeRequestId }, include: { environment: true } });
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const revision = await db().revision.findUniqueOrThrow({
    where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
  });
  const subject = (revision.proposedManifest ?? revision.baseManifest) as TIngress | null;
  const ingressClass = ingressClassOf(subject);
  try {
    const index = await clusterCache().ingresses(request.environment, () => clusterFor(request.environment));
    const others = index
      .byClass(ingressClass)
      .filter((i) => !(i.metadata.namespace === request.namespace && i.metadata.name === request.ingressName))
      .map((i) => normaliseIngress(i));
    return { ingressClass, others };
  } catch (error) {
    throw kubeToAppError(error, request.environment.name);
  }
}

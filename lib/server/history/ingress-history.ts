import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { Environment } from '@/lib/generated/prisma/client';
import { clusterFor } from '../kube/environment-cluster';
import { findEnvironment } from '../environments/find-environment';
import { requireActor } from '../operation';

/**
 * Applied versions of one Ingress, newest first, each with who requested and who approved it.
 */
export async function ingressHistory(actorIn: TActor | null, input: { environment: string; namespace: string; name: string }) {
  const actor = requireActor(actorIn);
  const env = await findEnvironment(input.environment);
  if (!can(actor, 'ingress.view', { environmentId: env.id }))
    throw new AppError('NOT_FOUND', `No environment named "${input.environment}".`);
  const versions = await db().appliedVersion.findMany({
    where: { environmentId: env.id, namespace: input.namespace, ingressName: input.name },
    orderBy: { appliedAt: 'desc' },
    include: {
      changeRequest: {
        select: {
          id: true,
          number: true,
          title: true,
          kind: true,
          autoApproved: true,
          requester: { select: { name: true, email: true } },
          reviews: {
            where: { decision: 'APPROVE' },
            select: { reviewer: { select: { name: true, email: true } }, revision: { select: { number: true } } },
          },
        },
      },
    },
  });
  if (versions.length === 0 && !(await isKnownIngress(env, input.namespace, input.name))) {
    throw new AppError('NOT_FOUND', `No Ingress ${input.namespace}/${input.name} in ${env.name}.`);
  }
  return {
    environment: { id: env.id, name: env.name, isProduction: env.isProduction, rollbackPreApproved: env.rollbackPreApproved },
    namespace: input.namespace,
    name: input.name,
    versions: versions.map((v, i) => ({
      id: v.id,
      action: v.action,
      yaml: v.yaml,
      contentHash: v.contentHash,
      resourceVersion: v.resourceVersion,
      appliedAt: v.appliedAt,
      isCurrent: i === 0,
      request: v.changeRequest && {
        id: v.changeRequest.id,
        number: v.changeRequest.number,
        title: v.changeRequest.title,
        kind: v.changeRequest.kind,
        requester: v.changeRequest.requester,
        approvers: v.changeRequest.reviews.filter((r) => r.revision.number === v.revisionNumber).map((r) => r.reviewer),
        autoApproved: v.changeRequest.autoApproved,
      },
    })),
  };
}

/**
 * An Ingress with no applied version is still a real page when a request targets it or it exists
 * in the cluster (listed on /environments, "Propose a change"); otherwise the URL names nothing
 * and the page is a 404. An unreachable cluster cannot say no, so the page is shown.
 */
async function isKnownIngress(env: Environment, namespace: string, name: string): Promise<boolean> {
  const requested = await db().changeRequest.findFirst({
    where: { environmentId: env.id, namespace, ingressName: name },
    select: { id: true },
  });
  if (requested) return true;
  try {
    return (await clusterFor(env).getIngress(namespace, name)) !== null;
  } catch {
    return true;
  }
}

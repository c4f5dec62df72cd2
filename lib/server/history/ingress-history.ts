import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { AppError } from '../errors';
import { findEnvironment } from '../change-requests/shared';

/**
 * Applied versions of one Ingress, newest first, each with who requested and who approved it.
 */
export async function ingressHistory(actor: TActor | null, input: { environment: string; namespace: string; name: string }) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
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

import { contentHash } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { db } from '../db/client';

/**
 * Whether a proposal returns an Ingress to a state this environment approved and applied before:
 * a ROLLBACK or RESTORE request whose manifest has the content hash of one of the Ingress's
 * applied versions. Such a proposal's policy breaches are warnings (evaluatePolicy's
 * isReturnToApprovedState). Ordinary changes, adoptions, deletes and a rollback to a state the
 * portal never applied (the pre-portal base) are not.
 */
export async function isReturnToApprovedState(
  kind: string | undefined,
  target: { environmentId: string; namespace: string; name: string },
  proposed: TIngress | null,
): Promise<boolean> {
  if ((kind !== 'ROLLBACK' && kind !== 'RESTORE') || !proposed) return false;
  const match = await db().appliedVersion.findFirst({
    where: {
      environmentId: target.environmentId,
      namespace: target.namespace,
      ingressName: target.name,
      contentHash: contentHash(proposed),
    },
    select: { id: true },
  });
  return match !== null;
}

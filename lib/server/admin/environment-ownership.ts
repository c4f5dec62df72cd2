import { ownershipConflicts, type TOwnershipClaim } from '@/lib/domain/environments/namespace-ownership';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { TTx } from '../db/client';
import { kubeClientForEnvironment, type TEnvironmentConnectionRow } from '../kube/kube-client-for-environment';

/** Serialises changes to which environment governs what, so two saves cannot both pass the check. */
export const OWNERSHIP_LOCK = 7245012;

/** Every other enabled environment's claim (cluster identity + namespaces). */
export async function otherClaims(tx: Pick<TTx, 'environment'>, exceptId: string): Promise<TOwnershipClaim[]> {
  const rows = await tx.environment.findMany({
    where: { id: { not: exceptId }, disabledAt: null },
    select: { id: true, name: true, clusterUid: true, clusterCaSha256: true, policy: true },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    clusterUid: r.clusterUid,
    clusterCaSha256: r.clusterCaSha256,
    namespaces: ZPolicy.parse(r.policy ?? {}).allowedNamespaces,
  }));
}

/** A sentence naming the environments that govern overlapping namespaces of the same cluster, or null. */
export async function ownershipProblem(tx: Pick<TTx, 'environment'>, claim: Omit<TOwnershipClaim, 'name'>): Promise<string | null> {
  const conflicts = ownershipConflicts({ ...claim, name: '' }, await otherClaims(tx, claim.id));
  if (!conflicts.length) return null;
  return `Environment ${conflicts.map((c) => `"${c.name}" (${c.overlap})`).join(', ')} already governs these namespaces on the same cluster; give each environment its own namespaces (Allowed namespaces) or its own cluster.`;
}

/**
 * kube-system's uid and the CA fingerprint of a connection, asked with a short deadline; null when
 * the cluster cannot be reached or the connection built (the next test or save records it).
 */
export async function probeClusterIdentity(
  row: TEnvironmentConnectionRow,
): Promise<{ clusterUid: string | null; clusterCaSha256: string | null } | null> {
  try {
    const client = kubeClientForEnvironment(row, { timeoutMs: 3000 });
    const uid = await client.getNamespaceUid('kube-system').catch(() => null);
    const ca = client.caFingerprint();
    return uid || ca ? { clusterUid: uid, clusterCaSha256: ca } : null;
  } catch {
    return null;
  }
}

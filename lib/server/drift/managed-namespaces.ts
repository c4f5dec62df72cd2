import { matchesNameGlob } from '@/lib/domain/policy/host-pattern';
import type { TPolicy } from '@/lib/domain/policy/policy';
import { db } from '../db/client';

/**
 * Which namespaces of an environment drift detection looks at: those matching the policy's
 * `allowedNamespaces` globs, and every namespace in which the portal has applied anything (an
 * Ingress the portal wrote is always tracked, even if the policy later narrowed).
 * With no allowedNamespaces, that second set alone.
 */
export async function managedNamespaces(environmentId: string, policy: TPolicy): Promise<(namespace: string) => boolean> {
  const rows = await db().appliedVersion.findMany({ where: { environmentId }, distinct: ['namespace'], select: { namespace: true } });
  const applied = new Set(rows.map((r) => r.namespace));
  const globs = policy.allowedNamespaces;
  return (namespace) => applied.has(namespace) || globs.some((g) => matchesNameGlob(g, namespace));
}

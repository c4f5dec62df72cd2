import { evaluateGuard, GUARD_BINDING_NAME, GUARD_POLICY_NAME, type TGuardHealth } from '@/lib/domain/guard/guard-health';
import { ZPolicy } from '@/lib/domain/policy/policy';
import type { Environment } from '@/lib/generated/prisma/client';
import { clusterFor } from '../kube/environment-cluster';
import { db } from '../db/client';
import { managedNamespaces } from '../drift/managed-namespaces';
import type { KubeClient } from '../kube/kube-client';
import { KubeError } from '../kube/kube-error';

export type TGuardCheck = ({ ok: true } & TGuardHealth) | { ok: false; status: 'unknown'; error: string };

/**
 * Guard health of one environment, read from its cluster (issue 12): the admission policy and
 * binding of deploy/admission-policy.yaml (present, shipped version, binding denies) and which
 * managed namespaces carry `ingress-gate.io/protected=true` (evaluateGuard decides). Managed
 * namespaces: the cluster's namespaces drift detection watches, plus any the portal applied to.
 * A cluster that cannot be asked → `unknown` with the error (never throws for cluster errors).
 */
export async function checkGuardHealth(env: Environment, client?: KubeClient): Promise<TGuardCheck> {
  try {
    const kube = client ?? clusterFor(env);
    const [policy, binding, namespaces] = await Promise.all([
      kube.getAdmissionObject('validatingadmissionpolicies', GUARD_POLICY_NAME),
      kube.getAdmissionObject('validatingadmissionpolicybindings', GUARD_BINDING_NAME),
      kube.listNamespaces(),
    ]);
    const isManaged = await managedNamespaces(env.id, ZPolicy.parse(env.policy ?? {}));
    const applied = await db().appliedVersion.findMany({
      where: { environmentId: env.id },
      distinct: ['namespace'],
      select: { namespace: true },
    });
    const namespaceLabels = new Map(namespaces.items.map((n) => [n.metadata.name, (n.metadata.labels ?? {}) as Record<string, string>]));
    const managed = [
      ...namespaces.items.map((n) => n.metadata.name).filter((n) => n !== 'kube-system' && isManaged(n)),
      ...applied.map((a) => a.namespace),
    ];
    return { ok: true, ...evaluateGuard({ policy, binding, namespaceLabels, managedNamespaces: managed }) };
  } catch (error) {
    return { ok: false, status: 'unknown', error: error instanceof KubeError ? error.message : String(error) };
  }
}

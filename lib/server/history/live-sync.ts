import { can, type TActor } from '@/lib/domain/authz/permissions';
import { compareDrift, type TDriftState } from '@/lib/domain/drift/compare-drift';
import { canonicalYaml } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { db } from '../db/client';
import { AppError } from '../errors';
import { FIELD_MANAGER, type KubeClient } from '../kube/kube-client';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';

/** Argo CD's sync status for one Ingress: live compared with the last approved (applied) version. */
export type TLiveSync =
  | {
      /** IN_SYNC, DRIFTED (changed or re-created outside), DELETED (gone outside), UNMANAGED (never through the portal). */
      state: TDriftState;
      liveYaml: string | null;
      approvedYaml: string | null;
      /** Leaf fields that differ, and who changed them (the API server's field managers). */
      changedFields: number;
      managers: string[];
    }
  | { state: 'ABSENT' }
  | { state: 'UNREACHABLE'; message: string };

/**
 * The live manifest of one Ingress and whether it equals the last version applied through the
 * portal, compared in canonical form by the same rule as drift detection (compareDrift: status,
 * server-set metadata and key order never count). Cases: cluster unreachable → UNREACHABLE with
 * the reason (nothing thrown, the history page still shows); never applied and not in the
 * cluster → ABSENT; otherwise compareDrift's state. Needs ingress.view in the environment.
 */
export async function ingressLiveSync(
  actor: TActor,
  input: { environmentId: string; namespace: string; name: string },
  opts: { client?: KubeClient } = {},
): Promise<TLiveSync> {
  if (!can(actor, 'ingress.view', { environmentId: input.environmentId })) throw new AppError('NOT_FOUND', 'No such Ingress.');
  const env = await db().environment.findUniqueOrThrow({ where: { id: input.environmentId } });
  const latest = await db().appliedVersion.findFirst({
    where: { environmentId: env.id, namespace: input.namespace, ingressName: input.name },
    orderBy: { appliedAt: 'desc' },
    select: { manifest: true },
  });
  let live: TIngress | null;
  try {
    live = (await (opts.client ?? clusterFor(env)).getIngress(input.namespace, input.name)) as TIngress | null;
  } catch (error) {
    return { state: 'UNREACHABLE', message: kubeToAppError(error, env.name).message };
  }
  const cmp = compareDrift(latest ? { manifest: latest.manifest as TIngress | null } : undefined, live, FIELD_MANAGER);
  if (!cmp.state) return { state: 'ABSENT' };
  return {
    state: cmp.state,
    liveYaml: cmp.live ? canonicalYaml(cmp.live) : null,
    approvedYaml: cmp.applied ? canonicalYaml(cmp.applied) : null,
    changedFields: cmp.fields.length,
    managers: cmp.managers,
  };
}

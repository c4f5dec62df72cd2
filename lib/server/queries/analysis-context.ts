import { can, type TActor } from '@/lib/domain/authz/permissions';
import { ZPolicy, type TPolicy } from '@/lib/domain/policy/policy';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TServiceInfo } from '@/lib/domain/risk/types';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { findEnvironment } from '../environments/find-environment';
import { db } from '../db/client';
import { AppError } from '../errors';
import { clusterCache } from '../kube/cluster-cache';
import type { TLiveIngress } from '../kube/kube-types';
import { requireActor } from '../operation';

export type TAnalysisContext = {
  environment: { id: string; name: string; isProduction: boolean; requiredApprovals: number };
  namespace: string;
  policy: TPolicy;
  /** Every other Ingress in the cluster (managedFields dropped), for collision checks. */
  others: TIngress[];
  /** Services in the namespace, or null when the connection may not list them. */
  services: TServiceInfo[] | null;
  /** The live object for update/delete (null when it does not exist or no name was given). */
  base: TLiveIngress | null;
  /** Ingress names live in the namespace, for the update/delete picker. */
  names: string[];
  /** IngressClasses in the cluster, for the class picker (empty when they cannot be listed). */
  ingressClasses: string[];
  /** The version last applied through the portal (drift finding), when one exists. */
  lastApplied: TIngress | null;
};

function slim<T extends TIngress>(i: T): T {
  const { managedFields: _m, ...metadata } = i.metadata as T['metadata'] & { managedFields?: unknown };
  return { ...i, metadata } as T;
}

/**
 * What the browser needs to run analyseChange exactly as the server will at submission: the
 * environment's policy, the cluster's other Ingresses, the namespace's Services and the live
 * object. Read once per environment + namespace (+ name) selection. Cases: not a requester in
 * the environment → 404 if it cannot even see it, else 403; bad namespace name → 422; cluster
 * trouble → the mapped AppError.
 */
export async function getAnalysisContext(
  actorIn: TActor | null,
  input: { environment: string; namespace: string; name?: string | null },
): Promise<TAnalysisContext> {
  const actor = requireActor(actorIn);
  const env = await findEnvironment(input.environment);
  if (!can(actor, 'ingress.view', { environmentId: env.id }))
    throw new AppError('NOT_FOUND', `No environment named "${input.environment}".`);
  if (!can(actor, 'change-request.submit', { environmentId: env.id }))
    throw new AppError('FORBIDDEN', `You cannot propose changes in ${env.name}.`);
  const namespace = input.namespace.trim();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    throw new AppError('UNPROCESSABLE', `"${namespace}" is not a valid namespace name.`, {
      fieldErrors: [{ path: 'namespace', message: 'must be a DNS-1123 label' }],
    });
  }
  const client = clusterFor(env);
  try {
    const [all, services, base, classes, lastApplied] = await Promise.all([
      clusterCache()
        .ingresses(env, () => client)
        .then((index) => ({ items: index.all })),
      client
        .listServices(namespace)
        .then((l) =>
          l.items.map((s) => ({ name: s.metadata.name, ports: (s.spec?.ports ?? []).map((p) => ({ name: p.name, port: p.port })) })),
        )
        .catch(() => null),
      input.name ? client.getIngress(namespace, input.name) : Promise.resolve(null),
      client
        .listIngressClasses()
        .then((l) => l.items.map((c) => c.metadata.name).sort())
        .catch(() => [] as string[]),
      input.name
        ? db().appliedVersion.findFirst({
            where: { environmentId: env.id, namespace, ingressName: input.name },
            orderBy: { appliedAt: 'desc' },
            select: { manifest: true },
          })
        : Promise.resolve(null),
    ]);
    return {
      environment: { id: env.id, name: env.name, isProduction: env.isProduction, requiredApprovals: env.requiredApprovals },
      namespace,
      policy: ZPolicy.parse(env.policy ?? {}),
      others: all.items.map(slim),
      services,
      base: base ? slim(base) : null,
      names: all.items
        .filter((i) => i.metadata.namespace === namespace)
        .map((i) => i.metadata.name)
        .sort(),
      ingressClasses: classes,
      lastApplied: (lastApplied?.manifest ?? null) as TIngress | null,
    };
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
}

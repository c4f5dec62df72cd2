import { can, type TActor } from '@/lib/domain/authz/permissions';
import { ingressClassOf } from '@/lib/domain/ingress/routing-table';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { findEnvironment } from '../environments/find-environment';
import { AppError } from '../errors';
import type { TLiveIngress } from '../kube/kube-types';
import { requireActor } from '../operation';

export type TLiveIngressSummary = {
  namespace: string;
  name: string;
  resourceVersion: string;
  ingressClass: string | null;
  hosts: string[];
  paths: number;
  tlsHosts: string[];
  createdAt: string | null;
};

function summarise(i: TLiveIngress): TLiveIngressSummary {
  const rules = i.spec?.rules ?? [];
  return {
    namespace: i.metadata.namespace,
    name: i.metadata.name,
    resourceVersion: i.metadata.resourceVersion,
    ingressClass: ingressClassOf(i),
    hosts: [...new Set(rules.map((r) => r.host ?? '*'))],
    paths: rules.reduce((n, r) => n + (r.http?.paths.length ?? 0), 0),
    tlsHosts: (i.spec?.tls ?? []).flatMap((t) => t.hosts ?? []),
    createdAt: (i.metadata as { creationTimestamp?: string }).creationTimestamp ?? null,
  };
}

/**
 * The Ingresses live in an environment's cluster (one namespace, or every namespace the
 * connection may list), sorted by namespace and name. Cases: environment hidden from the actor →
 * 404 (as if unknown); cluster unreachable / forbidden → the mapped AppError (503 / 403).
 */
export async function listLiveIngresses(actorIn: TActor | null, environment: string, namespace?: string | null) {
  const actor = requireActor(actorIn);
  const env = await findEnvironment(environment);
  if (!can(actor, 'ingress.view', { environmentId: env.id })) throw new AppError('NOT_FOUND', `No environment named "${environment}".`);
  const client = clusterFor(env);
  try {
    const list = namespace ? await client.listIngresses(namespace) : await client.listAllIngresses();
    const items = list.items.map(summarise).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return { environment: { id: env.id, name: env.name, isProduction: env.isProduction, connectionKind: env.connectionKind }, items };
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
}

import { can, type TActor } from '@/lib/domain/authz/permissions';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { findEnvironment } from '../environments/find-environment';
import { AppError } from '../errors';
import { requireActor } from '../operation';

/** Namespaces of an environment's cluster, for the new-request picker. */
export async function listClusterNamespaces(actorIn: TActor | null, environment: string): Promise<string[]> {
  const actor = requireActor(actorIn);
  const env = await findEnvironment(environment);
  if (!can(actor, 'ingress.view', { environmentId: env.id })) throw new AppError('NOT_FOUND', `No environment named "${environment}".`);
  const client = clusterFor(env);
  try {
    const list = await client.listNamespaces();
    return list.items
      .map((n) => n.metadata.name)
      .filter((n) => !n.startsWith('kube-'))
      .sort();
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
}

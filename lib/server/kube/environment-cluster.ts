import type { Environment } from '@/lib/generated/prisma/client';
import { AppError } from '../errors';
import type { KubeClient } from './kube-client';
import { kubeClientForEnvironment } from './kube-client-for-environment';
import { KubeError } from './kube-error';

/** The environment's cluster client; a broken connection becomes a 503 the user can act on. */
export function clusterFor(
  env: Pick<Environment, 'id' | 'name' | 'connectionKind' | 'kubeconfigPath' | 'kubeContext' | 'kubeconfigSealed'>,
): KubeClient {
  try {
    return kubeClientForEnvironment(env);
  } catch (error) {
    throw kubeToAppError(error, env.name);
  }
}

/**
 * Maps a cluster failure to the AppError a user sees. Cases: invalid → 422 with the API server's
 * field causes; conflict/already-exists → 409; not-found → 404; forbidden/unauthorized → 403 naming
 * the connection's identity problem; unreachable/timeout/server-error/tls/config → 503.
 */
export function kubeToAppError(error: unknown, envName: string): AppError {
  if (!(error instanceof KubeError)) {
    return new AppError('CLUSTER_UNAVAILABLE', `The ${envName} cluster could not be reached.`);
  }
  switch (error.kind) {
    case 'invalid':
      // The server's own message, said once: causes without a field repeat it (admission
      // refusals), so only field causes become field errors (they point at YAML lines).
      return new AppError('UNPROCESSABLE', `The ${envName} API server refused the change: ${error.serverMessage ?? error.message}`, {
        fieldErrors: error.causes.filter((c) => c.field).map((c) => ({ path: c.field, message: c.message })),
      });
    case 'conflict':
    case 'already-exists':
      return new AppError('CONFLICT', error.message);
    case 'not-found':
      return new AppError('NOT_FOUND', error.message);
    case 'forbidden':
      // An admission policy's refusal is the cluster's rule, not a missing right of the connection.
      if (error.serverMessage?.includes('ValidatingAdmissionPolicy'))
        return new AppError('UNPROCESSABLE', `The ${envName} API server refused the change: ${error.serverMessage}`);
      return new AppError('FORBIDDEN', `Ingress Gate's connection to ${envName} is not allowed to do this: ${error.message}`);
    case 'unauthorized':
      return new AppError('FORBIDDEN', `Ingress Gate's connection to ${envName} is not allowed to do this: ${error.message}`);
    default:
      return new AppError('CLUSTER_UNAVAILABLE', `The ${envName} cluster is unavailable: ${error.message}`);
  }
}

import type { TActor } from '@/lib/domain/authz/permissions';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import { kubeClientForEnvironment } from '../kube/kube-client-for-environment';
import { toKubeError } from '../kube/kube-error';
import type { TKubeClientOptions } from '../kube/kube-client';
import { testConnection, type TConnectionReport } from '../kube/test-connection';

/**
 * "Test connection" on the saved connection: reachability, server version, and which Ingress
 * verbs the portal's credentials allow. A connection that cannot even be built (no kubeconfig,
 * wrong secret key, unknown context) is reported the same way, never thrown. Read-only.
 */
export async function testEnvironmentConnection(
  actor: TActor | null,
  environmentId: string,
  opts: TKubeClientOptions = {},
): Promise<TConnectionReport> {
  assertCan(actor, 'environment.manage', /^[0-9a-f-]{36}$/i.test(environmentId) ? { environmentId } : 'global');
  const env = await db().environment.findUnique({ where: { id: environmentId } });
  if (!env) throw new AppError('NOT_FOUND', 'No such environment.');
  let client;
  try {
    client = kubeClientForEnvironment(env, { timeoutMs: 5000, ...opts });
  } catch (error) {
    const e = toKubeError(error);
    return {
      reachable: false,
      serverVersion: null,
      permissions: { get: false, list: false, watch: false, create: false, update: false, delete: false },
      error: { kind: e.kind, message: e.message },
    };
  }
  return testConnection(client);
}

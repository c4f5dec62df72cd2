import type { TActor } from '@/lib/domain/authz/permissions';
import { ZPolicy } from '@/lib/domain/policy/policy';
import { isUuid } from '@/lib/domain/text/uuid';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import { kubeClientForEnvironment } from '../kube/kube-client-for-environment';
import { toKubeError } from '../kube/kube-error';
import type { TKubeClientOptions } from '../kube/kube-client';
import { testConnection, type TConnectionReport } from '../kube/test-connection';
import { ownershipProblem } from './environment-ownership';

/**
 * "Test connection" on the saved connection: the structured report of testConnection (reachable,
 * TLS, who the cluster says we are, every needed permission, ok only when all hold). A connection
 * that cannot even be built (no kubeconfig, refused kubeconfig, wrong secret key, unknown context)
 * is reported the same way, never thrown. The cluster identity it reveals is recorded on the
 * environment; when it shows another environment governing overlapping namespaces of the same
 * cluster, the report says which and is not ok (applies are refused until that is fixed).
 */
export async function testEnvironmentConnection(
  actor: TActor | null,
  environmentId: string,
  opts: TKubeClientOptions = {},
  now: Date = new Date(),
): Promise<TConnectionReport> {
  assertCan(actor, 'environment.manage', isUuid(environmentId) ? { environmentId } : 'global');
  const env = await db().environment.findUnique({ where: { id: environmentId } });
  if (!env) throw new AppError('NOT_FOUND', 'No such environment.');
  let client;
  try {
    client = kubeClientForEnvironment(env, { timeoutMs: 5000, ...opts });
  } catch (error) {
    const e = toKubeError(error);
    return {
      ok: false,
      reachable: false,
      tls: { ok: false, detail: 'not checked: the connection could not be built' },
      serverVersion: null,
      authenticatedAs: null,
      permissions: [],
      identity: null,
      problems: ['The connection settings cannot be used.'],
      error: { kind: e.kind, message: e.message },
    };
  }
  const namespaces = ZPolicy.parse(env.policy ?? {}).allowedNamespaces;
  const exact = namespaces.filter((n) => !n.includes('*'));
  const report = await testConnection(client, { writeNamespaces: exact.length === namespaces.length ? exact : undefined });
  if (report.identity && (report.identity.kubeSystemUid || report.identity.caFingerprint)) {
    await db().environment.update({
      where: { id: env.id },
      data: { clusterUid: report.identity.kubeSystemUid, clusterCaSha256: report.identity.caFingerprint, clusterCheckedAt: now },
    });
    const problem = await ownershipProblem(db(), {
      id: env.id,
      clusterUid: report.identity.kubeSystemUid,
      clusterCaSha256: report.identity.caFingerprint,
      namespaces,
    });
    if (problem) return { ...report, ok: false, problems: [...report.problems, problem] };
  }
  return report;
}

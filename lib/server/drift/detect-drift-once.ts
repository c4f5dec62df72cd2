import { compareDrift, type TDriftState } from '@/lib/domain/drift/compare-drift';
import type { TIngress } from '@/lib/domain/ingress/types';
import { DEFAULT_POLICY, ZPolicy } from '@/lib/domain/policy/policy';
import { clusterFor, kubeToAppError } from '../kube/environment-cluster';
import { db } from '../db/client';
import { FIELD_MANAGER, type KubeClient } from '../kube/kube-client';
import type { TLiveIngress } from '../kube/kube-types';
import { managedNamespaces } from './managed-namespaces';
import { isSameAsRecord, recordDrift, type TRecordOutcome } from './record-drift';

export type TDetectOptions = {
  client?: KubeClient;
  now?: Date;
  /** A snapshot of every live Ingress (a watch's list); listed from the cluster when absent. */
  live?: readonly TLiveIngress[];
};

export type TDetectSummary = {
  environmentId: string;
  /** Ingresses looked at: live ones in managed namespaces, plus every one the portal applied. */
  checked: number;
  states: Record<TDriftState, number>;
  /** First detections (audited) and resolutions in this pass. */
  detected: number;
  resolved: number;
  /** Ingresses with an apply in flight; checked again on the next pass. */
  deferred: { namespace: string; name: string }[];
};

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;

/**
 * One full drift pass over an environment (polling, a watch's list and resync, tests): lists the
 * live Ingresses (or takes `live`), and for every Ingress in a managed namespace and every Ingress
 * the portal has applied, compares live with the last applied version. Records whose comparison
 * did not change are not touched (no write, no audit), so polling is cheap and never re-reports.
 * Records of namespaces no longer managed are dropped. The cluster unreachable → AppError 503,
 * nothing changed. A system operation: the worker runs it, no user acts.
 */
export async function detectDriftOnce(environmentId: string, opts: TDetectOptions = {}): Promise<TDetectSummary> {
  const env = await db().environment.findUniqueOrThrow({ where: { id: environmentId } });
  const parsedPolicy = ZPolicy.safeParse(env.policy ?? {});
  const policy = parsedPolicy.success ? parsedPolicy.data : DEFAULT_POLICY;
  let items: readonly TLiveIngress[];
  if (opts.live) items = opts.live;
  else {
    const client = opts.client ?? clusterFor(env);
    try {
      items = (await client.listAllIngresses()).items;
    } catch (error) {
      throw kubeToAppError(error, env.name);
    }
  }
  const now = opts.now ?? new Date();
  const isManaged = await managedNamespaces(environmentId, policy);
  const applied = await db().appliedVersion.findMany({
    where: { environmentId },
    distinct: ['namespace', 'ingressName'],
    orderBy: [{ namespace: 'asc' }, { ingressName: 'asc' }, { appliedAt: 'desc' }],
    select: { namespace: true, ingressName: true, manifest: true },
  });
  const records = await db().driftRecord.findMany({ where: { environmentId } });

  const live = new Map<string, TLiveIngress>();
  for (const i of items) if (isManaged(i.metadata.namespace)) live.set(key(i.metadata.namespace, i.metadata.name), i);
  const appliedByKey = new Map(applied.map((a) => [key(a.namespace, a.ingressName), a]));
  const recordByKey = new Map(records.map((r) => [key(r.namespace, r.ingressName), r]));
  const targets = new Map<string, { namespace: string; name: string }>();
  for (const i of live.values())
    targets.set(key(i.metadata.namespace, i.metadata.name), { namespace: i.metadata.namespace, name: i.metadata.name });
  for (const a of applied) targets.set(key(a.namespace, a.ingressName), { namespace: a.namespace, name: a.ingressName });

  const summary: TDetectSummary = {
    environmentId,
    checked: targets.size,
    states: { IN_SYNC: 0, DRIFTED: 0, DELETED: 0, UNMANAGED: 0 },
    detected: 0,
    resolved: 0,
    deferred: [],
  };
  const ctx = { environmentId, policy, others: items as readonly TIngress[], now };
  for (const [k, t] of targets) {
    const liveObject = live.get(k) ?? null;
    const a = appliedByKey.get(k);
    const cmp = compareDrift(a ? { manifest: a.manifest as TIngress | null } : undefined, liveObject, FIELD_MANAGER);
    const record = recordByKey.get(k) ?? null;
    let outcome: TRecordOutcome;
    if (isSameAsRecord(record, cmp, liveObject?.metadata.resourceVersion ?? null))
      outcome = { outcome: 'unchanged', state: record ? (record.state as TDriftState) : null };
    else outcome = await recordDrift(ctx, t.namespace, t.name, liveObject);
    if (outcome.outcome === 'deferred') {
      summary.deferred.push(t);
      continue;
    }
    if (outcome.state) summary.states[outcome.state] += 1;
    if (outcome.outcome === 'detected') summary.detected += 1;
    if (outcome.outcome === 'resolved' || (outcome.outcome === 'removed' && record && record.state !== 'IN_SYNC')) summary.resolved += 1;
  }
  const gone = records.filter((r) => !targets.has(key(r.namespace, r.ingressName))).map((r) => r.id);
  if (gone.length) await db().driftRecord.deleteMany({ where: { id: { in: gone } } });
  return summary;
}

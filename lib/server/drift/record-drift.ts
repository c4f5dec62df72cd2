import type { TAuditEventDetails } from '@/lib/domain/audit/audit-events';
import { analyseDrift } from '@/lib/domain/drift/analyse-drift';
import { compareDrift, type TDriftComparison, type TDriftState } from '@/lib/domain/drift/compare-drift';
import type { TIngress } from '@/lib/domain/ingress/types';
import type { TPolicy } from '@/lib/domain/policy/policy';
import { Prisma } from '@/lib/generated/prisma/client';
import { recordAuditEvent } from '../audit/append-audit-event';
import { emitNotification } from '../notifications/emit-notification';
import { TX_OPTIONS } from '../operation';
import { db, type TTx } from '../db/client';
import { FIELD_MANAGER } from '../kube/kube-client';
import type { TLiveIngress } from '../kube/kube-types';
import type { TDriftDetails, TRemediation } from './drift-details';

const WORKER = { system: 'worker' } as const;
/** Advisory lock class for "one drift decision per Ingress at a time" (second key: hashtext of the Ingress). */
const DRIFT_LOCK_CLASS = 7245020;
/** At most this many field paths go into an audit event (the record keeps them all). */
const AUDIT_FIELD_LIMIT = 50;

export type TRecordOutcome =
  | { outcome: 'deferred'; reason: 'applying' }
  | { outcome: 'unchanged' | 'updated' | 'detected' | 'resolved' | 'removed'; state: TDriftState | null };

export type TRecordContext = {
  environmentId: string;
  policy: TPolicy;
  /** Every live Ingress in the cluster (collision checks in the drift analysis). */
  others: readonly TIngress[];
  now: Date;
};

/** The latest applied version per Ingress: the state the portal last approved and wrote. */
export function latestApplied(tx: TTx | ReturnType<typeof db>, environmentId: string, namespace: string, ingressName: string) {
  return tx.appliedVersion.findFirst({ where: { environmentId, namespace, ingressName }, orderBy: { appliedAt: 'desc' } });
}

function lockKey(environmentId: string, namespace: string, name: string): string {
  return `${environmentId}/${namespace}/${name}`;
}

/** The state worth a record: an Ingress the portal deleted and that stays deleted needs none. */
export function trackedState(cmp: TDriftComparison): TDriftState | null {
  return cmp.state === 'IN_SYNC' && !cmp.live ? null : cmp.state;
}

/** Whether a stored record already says what `cmp` says (then nothing is written). */
export function isSameAsRecord(
  record: { state: string; liveResourceVersion: string | null; details: unknown } | null,
  cmp: TDriftComparison,
  liveResourceVersion: string | null,
): boolean {
  const state = trackedState(cmp);
  if (!record) return state === null;
  if (state === null) return false;
  const details = (record.details ?? {}) as Partial<TDriftDetails>;
  return (
    record.state === cmp.state &&
    (details.liveHash ?? null) === cmp.liveHash &&
    (details.appliedHash ?? null) === cmp.appliedHash &&
    record.liveResourceVersion === liveResourceVersion
  );
}

/**
 * Decides and stores the drift state of one Ingress given its live object (null: absent), and
 * audits first detections. Runs in one transaction under a per-Ingress advisory lock, so several
 * workers (or a watch event racing a resync) never audit the same detection twice. Cases:
 * - a change request for this Ingress is APPLYING → deferred: the portal's own write may already
 *   be live while its AppliedVersion is not yet committed; the caller checks again shortly
 * - the comparison (compareDrift) equals the stored record → nothing written
 * - nothing to track (never applied and absent, or deleted through the portal and still absent)
 *   → the record, if any, is removed; an UNMANAGED one
 *   that disappears is audited as resolved
 * - IN_SYNC → stored; when the record was DRIFTED/DELETED/UNMANAGED, `drift.resolved` is audited
 *   and any remediation link cleared
 * - DRIFTED/DELETED/UNMANAGED → stored with the field changes, managers and analysis; audited as
 *   `drift.detected` only when the state is new or the live content changed since the last
 *   detection (another out-of-band edit) — never on a re-poll of the same drift
 */
export async function recordDrift(
  ctx: TRecordContext,
  namespace: string,
  ingressName: string,
  live: TLiveIngress | null,
): Promise<TRecordOutcome> {
  const { environmentId, now } = ctx;
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DRIFT_LOCK_CLASS}::int, hashtext(${lockKey(environmentId, namespace, ingressName)}))`;
    // Order matters: APPLYING is set before the portal writes and cleared in the transaction that
    // commits the AppliedVersion, so checking it before reading the applied version closes the race.
    const applying = await tx.changeRequest.count({ where: { environmentId, namespace, ingressName, status: 'APPLYING' } });
    if (applying > 0) return { outcome: 'deferred', reason: 'applying' } as const;
    const applied = await latestApplied(tx, environmentId, namespace, ingressName);
    const record = await tx.driftRecord.findUnique({
      where: { environmentId_namespace_ingressName: { environmentId, namespace, ingressName } },
    });
    const cmp = compareDrift(applied ? { manifest: applied.manifest as TIngress | null } : undefined, live, FIELD_MANAGER);
    const liveResourceVersion = live?.metadata.resourceVersion ?? null;
    if (isSameAsRecord(record, cmp, liveResourceVersion)) return { outcome: 'unchanged', state: trackedState(cmp) } as const;

    const previous = (record?.state ?? null) as TDriftState | null;
    const previousDetails = (record?.details ?? {}) as Partial<TDriftDetails>;
    const wasDrift = previous !== null && previous !== 'IN_SYNC';
    const subject = { environmentId, namespace, ingressName };

    const state = trackedState(cmp);
    if (state === null) {
      await tx.driftRecord.delete({ where: { id: record!.id } });
      if (wasDrift)
        await audit(
          tx,
          'drift.resolved',
          subject,
          { previousState: previous, state: 'ABSENT', remediation: previousDetails.remediation ?? null },
          now,
        );
      return { outcome: 'removed', state: null } as const;
    }

    const isNewDetection = state !== 'IN_SYNC' && (previous !== state || previousDetails.liveHash !== cmp.liveHash);
    const analysis = analyseDrift({ state, namespace, applied: cmp.applied, live: cmp.live, others: ctx.others, policy: ctx.policy });
    // A remediation request stays linked while the drift it answers is the drift on record.
    const remediation: TRemediation | null = state === 'IN_SYNC' || isNewDetection ? null : (previousDetails.remediation ?? null);
    const details: TDriftDetails = {
      reason: cmp.reason,
      fields: cmp.fields,
      managers: cmp.managers,
      appliedVersionId: applied?.id ?? null,
      appliedResourceVersion: applied?.resourceVersion ?? null,
      appliedAt: applied?.appliedAt.toISOString() ?? null,
      appliedHash: cmp.appliedHash,
      liveHash: cmp.liveHash,
      analysis,
      remediation,
    };
    const data = {
      state: state,
      liveManifest: cmp.live ? (cmp.live as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
      liveResourceVersion,
      details: details as unknown as Prisma.InputJsonValue,
      ...(isNewDetection || !record ? { detectedAt: now } : {}),
    };
    if (record) await tx.driftRecord.update({ where: { id: record.id }, data });
    else await tx.driftRecord.create({ data: { ...subject, ...data } });

    if (isNewDetection) {
      await audit(
        tx,
        'drift.detected',
        subject,
        {
          state: state,
          previousState: previous,
          reason: cmp.reason,
          fields: cmp.fields
            .slice(0, AUDIT_FIELD_LIMIT)
            .map((f) => ({ path: f.path, change: f.change, manager: f.manager?.manager ?? null })),
          fieldCount: cmp.fields.length,
          managers: cmp.managers,
          maxSeverity: analysis?.maxSeverity ?? 'none',
          live: { resourceVersion: liveResourceVersion, hash: cmp.liveHash },
          applied: { versionId: applied?.id ?? null, resourceVersion: applied?.resourceVersion ?? null, hash: cmp.appliedHash },
        },
        now,
      );
      return { outcome: 'detected', state: state } as const;
    }
    if (state === 'IN_SYNC' && wasDrift) {
      await audit(
        tx,
        'drift.resolved',
        subject,
        {
          previousState: previous,
          state: 'IN_SYNC',
          live: { resourceVersion: liveResourceVersion, hash: cmp.liveHash },
          remediation: previousDetails.remediation ?? null,
        },
        now,
      );
      return { outcome: 'resolved', state: state } as const;
    }
    return { outcome: 'updated', state: state } as const;
  }, TX_OPTIONS);
}

async function audit(
  tx: TTx,
  action: 'drift.detected' | 'drift.resolved',
  subject: { environmentId: string; namespace: string; ingressName: string },
  details: TAuditEventDetails['drift.detected'],
  now: Date,
) {
  const result = await recordAuditEvent(tx, { actor: WORKER, action, ...subject, details }, now);
  await emitNotification(tx, {
    kind: action === 'drift.detected' ? 'drift-detected' : 'drift-resolved',
    actor: WORKER,
    environmentId: subject.environmentId,
    details: { namespace: subject.namespace, ingressName: subject.ingressName },
  });
  return result;
}

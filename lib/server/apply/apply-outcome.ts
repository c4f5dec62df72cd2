import { canonicalYaml, contentHash, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { TAuditEventDetails } from '@/lib/domain/audit/audit-events';
import { auditRequestEvent, lockChangeRequest, TX_OPTIONS } from '../operation';
import { db } from '../db/client';
import { FIELD_MANAGER } from '../kube/kube-client';
import type { TLiveIngress } from '../kube/kube-types';
import { enqueueApply } from '../jobs/queue';
import { emitNotification } from '../notifications/emit-notification';
import { WORKER, type TClaimed } from './claim-apply';

export type TApplyResult =
  | { outcome: 'applied'; resourceVersion: string | null; reconciled: boolean }
  | { outcome: 'stale' | 'failed' | 'skipped' | 'reopened' | 'scheduled' | 'expired'; message: string }
  | { outcome: 'retry'; message: string; nextAttemptAt: Date };

/** The events an apply attempt ends with, other than applied. */
type TOutcomeAction =
  | 'change-request.stale'
  | 'change-request.failed'
  | 'change-request.reopened'
  | 'change-request.waiting-for-cluster'
  | 'change-request.expired';

export async function finish<A extends TOutcomeAction>(
  c: TClaimed,
  status: 'STALE' | 'FAILED' | 'PENDING' | 'APPROVED' | 'EXPIRED',
  action: A,
  message: string,
  details: Omit<TAuditEventDetails[A], 'revision' | 'attempt'>,
  now: Date,
  extra: { nextAttemptAt?: Date } = {},
) {
  await db().$transaction(async (tx) => {
    await lockChangeRequest(tx, c.request.id);
    await tx.changeRequest.update({
      where: { id: c.request.id },
      // A wait for the cluster keeps the moment it began across retries; any other outcome ends it.
      data: {
        status,
        statusReason: message,
        nextAttemptAt: extra.nextAttemptAt ?? null,
        clusterWaitingSince: extra.nextAttemptAt ? (c.request.clusterWaitingSince ?? now) : null,
      },
    });
    if (extra.nextAttemptAt) await enqueueApply(tx, { changeRequestId: c.request.id, revision: c.revision.number }, extra.nextAttemptAt);
    await auditRequestEvent(
      tx,
      WORKER,
      c.request,
      { action, reason: message, details: { revision: c.revision.number, attempt: c.attempt, ...details } as TAuditEventDetails[A] },
      now,
    );
    const kind =
      status === 'STALE'
        ? 'stale'
        : status === 'FAILED' || status === 'EXPIRED'
          ? 'failed'
          : extra.nextAttemptAt
            ? 'waiting-for-cluster'
            : 'review-requested';
    await emitNotification(tx, {
      kind,
      actor: WORKER,
      changeRequestId: c.request.id,
      environmentId: c.request.environmentId,
      revision: c.revision.number,
      details: { reason: message },
      // Retries while the cluster is away are one "waiting for cluster" per wait, not one per attempt.
      ...(kind === 'waiting-for-cluster'
        ? { dedupeKey: `waiting-for-cluster:${c.request.id}:${(c.request.clusterWaitingSince ?? now).toISOString()}` }
        : {}),
    });
  }, TX_OPTIONS);
}

export async function recordApplied(c: TClaimed, live: TLiveIngress | null, reconciled: boolean, now: Date): Promise<TApplyResult> {
  const manifest = live ? normaliseIngress(live) : null;
  const resourceVersion = live?.metadata.resourceVersion ?? null;
  await db().$transaction(async (tx) => {
    await lockChangeRequest(tx, c.request.id);
    await tx.appliedVersion.create({
      data: {
        environmentId: c.request.environmentId,
        namespace: c.request.namespace,
        ingressName: c.request.ingressName,
        changeRequestId: c.request.id,
        revisionNumber: c.revision.number,
        action: c.request.action,
        manifest: (manifest ?? undefined) as Prisma.InputJsonValue | undefined,
        yaml: manifest ? canonicalYaml(manifest) : '',
        contentHash: manifest ? contentHash(manifest) : null,
        resourceVersion,
        appliedById: c.request.requesterId,
        appliedAt: now,
      },
    });
    await tx.changeRequest.update({
      where: { id: c.request.id },
      data: { status: 'APPLIED', appliedAt: now, statusReason: null, nextAttemptAt: null, clusterWaitingSince: null },
    });
    await auditRequestEvent(
      tx,
      WORKER,
      c.request,
      {
        action: 'change-request.applied',
        details: {
          revision: c.revision.number,
          attempt: c.attempt,
          reconciled,
          // The field manager the write carries in managedFields: what drift detection and the API
          // server's audit log attribute the change to.
          fieldManager: FIELD_MANAGER,
          before: { resourceVersion: c.revision.baseResourceVersion },
          after: { resourceVersion, contentHash: manifest ? contentHash(manifest) : null },
        },
      },
      now,
    );
    await emitNotification(tx, {
      kind: 'applied',
      actor: WORKER,
      changeRequestId: c.request.id,
      environmentId: c.request.environmentId,
      revision: c.revision.number,
    });
  }, TX_OPTIONS);
  return { outcome: 'applied', resourceVersion, reconciled };
}

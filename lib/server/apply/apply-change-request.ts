import { analyseChange } from '@/lib/domain/analysis/analyse-change';
import { revisionHash } from '@/lib/domain/change/revision-hash';
import { fieldChanges } from '@/lib/domain/drift/field-changes';
import { diffIngress } from '@/lib/domain/ingress/diff-ingress';
import { canonicalYaml, contentHash, LAST_APPLIED_ANNOTATION, normaliseIngress } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { ownershipConflicts } from '@/lib/domain/environments/namespace-ownership';
import { ZPolicy } from '@/lib/domain/policy/policy';
import { otherClaims } from '../admin/environment-ownership';
import type { Prisma } from '@/lib/generated/prisma/client';
import { appendAuditEvent } from '../audit/append-audit-event';
import { emitNotification } from '../notifications/emit-notification';
import { clusterFor } from '../change-requests/cluster';
import { currentApprovalState, lockChangeRequest, TX_OPTIONS } from '../change-requests/quorum';
import { db } from '../db/client';
import { FIELD_MANAGER, type KubeClient } from '../kube/kube-client';
import { KubeError } from '../kube/kube-error';
import type { TLiveIngress } from '../kube/kube-types';
import { enqueueApply, type TApplyPayload } from '../jobs/queue';
import { isReturnToApprovedState } from '../history/return-to-approved-state';
import { checkPriorStage } from '../promotion/check-prior-stage';
import { scheduleOrEnqueue, windowDecisionFor } from '../schedule/schedule-apply';

const WORKER = { system: 'worker' } as const;
export const MAX_APPLY_ATTEMPTS = 10;

export type TApplyResult =
  | { outcome: 'applied'; resourceVersion: string | null; reconciled: boolean }
  | { outcome: 'stale' | 'failed' | 'skipped' | 'reopened' | 'scheduled'; message: string }
  | { outcome: 'retry'; message: string; nextAttemptAt: Date };

export type TApplyOptions = { client?: KubeClient; now?: () => Date; backoffMs?: (attempt: number) => number };

const defaultBackoff = (attempt: number) => Math.min(1_000 * 2 ** (attempt - 1), 60_000);

type TClaimed = Extract<NonNullable<Awaited<ReturnType<typeof claim>>>, { attempt: number }>;

/**
 * Step 1, under the row lock: is there still something to apply, and may it be applied now?
 * Marks it APPLYING, or (outside the change window / before "not before") SCHEDULED again.
 */
async function claim(payload: TApplyPayload, now: Date) {
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, payload.changeRequestId);
    const request = await tx.changeRequest.findUniqueOrThrow({ where: { id: payload.changeRequestId }, include: { environment: true } });
    // APPLYING: an earlier attempt died mid-way; its outcome is reconciled against the cluster below.
    if (!['APPROVED', 'SCHEDULED', 'APPLYING'].includes(request.status) || request.currentRevision !== payload.revision) return null;
    // The window is decided again now: a freeze may have been added, or the job may run late.
    if (request.status !== 'APPLYING' && !windowDecisionFor(request.environment, request, now).isOpen) {
      await scheduleOrEnqueue(tx, request, request.environment, { actor: WORKER, now });
      const after = await tx.changeRequest.findUniqueOrThrow({ where: { id: request.id }, select: { statusReason: true } });
      return { scheduled: after.statusReason ?? 'scheduled' };
    }
    const revision = await tx.revision.findUniqueOrThrow({
      where: { changeRequestId_number: { changeRequestId: request.id, number: payload.revision } },
    });
    const done = await tx.appliedVersion.findUnique({
      where: { changeRequestId_revisionNumber: { changeRequestId: request.id, revisionNumber: payload.revision } },
    });
    if (done) {
      await tx.changeRequest.update({ where: { id: request.id }, data: { status: 'APPLIED', appliedAt: done.appliedAt } });
      return null;
    }
    const attempt = request.applyAttempts + 1;
    await tx.changeRequest.update({
      where: { id: request.id },
      data: { status: 'APPLYING', applyAttempts: attempt, nextAttemptAt: null, scheduledFor: null },
    });
    await appendAuditEvent(
      tx,
      {
        actor: WORKER,
        action: 'change-request.applying',
        environmentId: request.environmentId,
        namespace: request.namespace,
        ingressName: request.ingressName,
        changeRequestId: request.id,
        details: { revision: revision.number, attempt },
      },
      now,
    );
    return { request, revision, attempt };
  }, TX_OPTIONS);
}

async function finish(
  c: TClaimed,
  status: 'STALE' | 'FAILED' | 'PENDING' | 'APPROVED',
  action: string,
  message: string,
  details: Record<string, unknown>,
  now: Date,
  extra: { nextAttemptAt?: Date } = {},
) {
  await db().$transaction(async (tx) => {
    await lockChangeRequest(tx, c.request.id);
    await tx.changeRequest.update({
      where: { id: c.request.id },
      data: { status, statusReason: message, nextAttemptAt: extra.nextAttemptAt ?? null },
    });
    if (extra.nextAttemptAt) await enqueueApply(tx, { changeRequestId: c.request.id, revision: c.revision.number }, extra.nextAttemptAt);
    await appendAuditEvent(
      tx,
      {
        actor: WORKER,
        action,
        environmentId: c.request.environmentId,
        namespace: c.request.namespace,
        ingressName: c.request.ingressName,
        changeRequestId: c.request.id,
        reason: message,
        details: { revision: c.revision.number, attempt: c.attempt, ...details },
      },
      now,
    );
    const kind =
      status === 'STALE' ? 'stale' : status === 'FAILED' ? 'failed' : extra.nextAttemptAt ? 'waiting-for-cluster' : 'review-requested';
    await emitNotification(tx, {
      kind,
      actor: WORKER,
      changeRequestId: c.request.id,
      environmentId: c.request.environmentId,
      revision: c.revision.number,
      details: { reason: message },
      // Retries while the cluster is away are one "waiting for cluster" per revision, not one per attempt.
      ...(kind === 'waiting-for-cluster' ? { dedupeKey: `waiting-for-cluster:${c.request.id}:${c.revision.number}` } : {}),
    });
  }, TX_OPTIONS);
}

async function recordApplied(c: TClaimed, live: TLiveIngress | null, reconciled: boolean, now: Date): Promise<TApplyResult> {
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
      data: { status: 'APPLIED', appliedAt: now, statusReason: null, nextAttemptAt: null },
    });
    await appendAuditEvent(
      tx,
      {
        actor: WORKER,
        action: 'change-request.applied',
        environmentId: c.request.environmentId,
        namespace: c.request.namespace,
        ingressName: c.request.ingressName,
        changeRequestId: c.request.id,
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

/**
 * Decision (issue 12.8): what reviewers never see is kept from the live object, not dropped by a
 * portal write. The normaliser hides kubectl's last-applied-configuration annotation from the diff
 * (it is a copy of someone's manifest, not routing), so an update carries the live value over;
 * otherwise the next `kubectl apply` would compute its three-way merge without it.
 */
function keepUnreviewed(proposed: TIngress, live: TLiveIngress | null): TIngress {
  const kept = live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (kept === undefined) return proposed;
  return {
    ...proposed,
    metadata: { ...proposed.metadata, annotations: { ...proposed.metadata.annotations, [LAST_APPLIED_ANNOTATION]: kept } },
  };
}

/** Whether the live object already is what this revision would write (a write whose record was lost). */
function isAlreadyApplied(action: string, proposed: TIngress | null, live: TLiveIngress | null): boolean {
  if (action === 'DELETE') return live === null;
  if (!live || !proposed) return false;
  return contentHash(live) === contentHash(proposed);
}

function describeMove(
  base: TIngress | null,
  live: TLiveIngress | null,
  baseRv: string | null,
): { message: string; details: Record<string, unknown> } {
  const target = base ? `${base.metadata.namespace}/${base.metadata.name}` : 'the Ingress';
  if (!live)
    return {
      message: `${target} was deleted in the cluster after review; nothing was written. Rebase to propose it again.`,
      details: { moved: 'deleted' },
    };
  if (!base)
    return {
      message: `${live.metadata.namespace}/${live.metadata.name} was created in the cluster after review; nothing was written. Rebase onto it.`,
      details: { moved: 'created', resourceVersion: live.metadata.resourceVersion },
    };
  const diff = diffIngress(normaliseIngress(base), normaliseIngress(live));
  // The fields that moved, as a reviewer sees them; an edit only of fields the normaliser hides
  // (e.g. last-applied-configuration) is named as such rather than left unexplained.
  const fields = fieldChanges(normaliseIngress(base), normaliseIngress(live)).map((f) => f.path);
  const moved = fields.length
    ? `${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ` and ${fields.length - 5} more` : ''}`
    : 'no reviewed field (only metadata the portal does not review)';
  const manager =
    (live.metadata.managedFields as { manager?: string }[] | undefined)
      ?.map((m) => m.manager)
      .filter(Boolean)
      .at(-1) ?? null;
  return {
    message: `${target} changed in the cluster after review: ${moved} (resourceVersion ${baseRv} → ${live.metadata.resourceVersion}${manager ? `, last written by ${manager}` : ''}); nothing was written. Rebase and get new approvals.`,
    details: {
      moved: 'changed',
      fields,
      before: { resourceVersion: baseRv },
      after: { resourceVersion: live.metadata.resourceVersion },
      manager,
      diff,
    },
  };
}

/**
 * The just-in-time apply (invariants 4 and 5). Cases, in order:
 * - nothing to do (cancelled, revised, already applied) → skipped, nothing written
 * - outside the change window, in a freeze, or before "not before" (unless an admin overrode the
 *   window) → SCHEDULED, job due at the next opening; every check below runs when it does
 * - prior-stage policy no longer met (drifted or failed there since) → FAILED, or back to PENDING
 *   needing one more approval when the policy says so
 * - revision tampered (stored hash ≠ recomputed) → FAILED
 * - approvals no longer sufficient (approver removed, count raised) → back to PENDING
 * - live object moved since review (resourceVersion ≠ base; for create: now exists) → STALE,
 *   unless it already equals what this revision writes (an earlier attempt's write whose record
 *   was lost in a crash) → APPLIED without writing again
 * - another environment on the same cluster governs the namespace → FAILED naming it (ownership)
 * - policy or the API server's dry run now refuses → FAILED with the reason
 * - write with the base resourceVersion as precondition: ok → APPLIED (new applied version);
 *   409 → reconciled as above; other 4xx → FAILED with the API server's message;
 *   unreachable / timeout / 5xx → waiting for cluster, re-enqueued with backoff, FAILED after
 *   MAX_APPLY_ATTEMPTS
 */
export async function applyChangeRequest(payload: TApplyPayload, opts: TApplyOptions = {}): Promise<TApplyResult> {
  const clock = opts.now ?? (() => new Date());
  const claimed = await claim(payload, clock());
  if (!claimed) return { outcome: 'skipped', message: 'nothing to apply' };
  if ('scheduled' in claimed) return { outcome: 'scheduled', message: claimed.scheduled as string };
  const c = claimed as TClaimed;
  const { request, revision } = c;
  const action = request.action;
  const proposed = (revision.proposedManifest ?? null) as TIngress | null;
  const base = (revision.baseManifest ?? null) as TLiveIngress | null;

  const recomputed = revisionHash({
    action: action.toLowerCase() as 'create',
    namespace: request.namespace,
    name: request.ingressName,
    proposedHash: proposed ? contentHash(proposed) : null,
    baseResourceVersion: revision.baseResourceVersion,
  });
  if (recomputed !== revision.contentHash) {
    const message = 'The stored revision does not match its content hash; it was altered after review. Nothing was written.';
    await finish(c, 'FAILED', 'change-request.failed', message, { check: 'content-hash' }, clock());
    return { outcome: 'failed', message };
  }
  if (!request.autoApproved) {
    const state = await db().$transaction((tx) => currentApprovalState(tx, request.id));
    if (!state.isApproved) {
      const message = `Approvals are no longer sufficient (${state.approvals.length} of ${state.required}${state.hasStandingRejection ? ', a rejection stands' : ''}); the request needs review again.`;
      await finish(
        c,
        'PENDING',
        'change-request.reopened',
        message,
        { check: 'quorum', approvals: state.approvals.length, required: state.required },
        clock(),
      );
      return { outcome: 'reopened', message };
    }
  }

  if (request.kind === 'CHANGE') {
    const prior = await checkPriorStage(
      request.environment,
      { namespace: request.namespace, name: request.ingressName, proposed },
      clock(),
    );
    if (!prior.ok && (prior.onMissing === 'refuse' || request.extraApprovals === 0)) {
      if (prior.onMissing === 'extra-approval') {
        await db().changeRequest.update({ where: { id: request.id }, data: { extraApprovals: 1 } });
        const message = `The prior-stage check no longer passes (${prior.reason}); ${request.environment.name}'s policy asks for one more approval.`;
        await finish(c, 'PENDING', 'change-request.reopened', message, { check: 'prior-stage' }, clock());
        return { outcome: 'reopened', message };
      }
      const message = `The prior-stage check no longer passes: ${prior.reason} Nothing was written.`;
      await finish(c, 'FAILED', 'change-request.failed', message, { check: 'prior-stage' }, clock());
      return { outcome: 'failed', message };
    }
  }

  // One owner per object: another environment on the same cluster governing this namespace (as
  // last recorded by a save or a connection test) means this write could bypass its rules.
  const owners = ownershipConflicts(
    {
      id: request.environment.id,
      name: request.environment.name,
      clusterUid: request.environment.clusterUid,
      clusterCaSha256: request.environment.clusterCaSha256,
      namespaces: [request.namespace],
    },
    await otherClaims(db(), request.environment.id),
  );
  if (owners.length) {
    const message = `Namespace "${request.namespace}" of this cluster is also governed by environment ${owners.map((o) => `"${o.name}"`).join(', ')}; one environment must own it before anything is written. Nothing was written.`;
    await finish(c, 'FAILED', 'change-request.failed', message, { check: 'ownership', owners: owners.map((o) => o.name) }, clock());
    return { outcome: 'failed', message };
  }

  let client: KubeClient;
  let live: TLiveIngress | null;
  try {
    client = opts.client ?? clusterFor(request.environment);
    live = await client.getIngress(request.namespace, request.ingressName);
  } catch (error) {
    return retryOrFail(c, error, clock(), opts);
  }
  const moved = action === 'CREATE' ? live !== null : live?.metadata.resourceVersion !== revision.baseResourceVersion;
  if (moved) {
    if (isAlreadyApplied(action, proposed, live)) return recordApplied(c, live, true, clock());
    const { message, details } = describeMove(base, live, revision.baseResourceVersion);
    await finish(c, 'STALE', 'change-request.stale', message, details, clock());
    return { outcome: 'stale', message };
  }

  try {
    const others = (await client.listAllIngresses()).items;
    const analysis = analyseChange({
      action: action.toLowerCase() as 'create',
      namespace: request.namespace,
      base: live,
      proposed,
      others,
      policy: ZPolicy.parse(request.environment.policy ?? {}),
      isReturnToApprovedState: await isReturnToApprovedState(
        request.kind,
        { environmentId: request.environmentId, namespace: request.namespace, name: request.ingressName },
        proposed,
      ),
    });
    if (analysis.policy.violations.length) {
      const message = `The change no longer passes ${request.environment.name}'s policy: ${analysis.policy.violations.map((v) => v.message).join('; ')}. Nothing was written.`;
      await finish(c, 'FAILED', 'change-request.failed', message, { check: 'policy', violations: analysis.policy.violations }, clock());
      return { outcome: 'failed', message };
    }
    let written: TLiveIngress | null = null;
    if (action === 'CREATE') written = await client.createIngress(proposed!);
    else if (action === 'UPDATE') written = await client.updateIngress(keepUnreviewed(proposed!, live), revision.baseResourceVersion!);
    else await client.deleteIngress(request.namespace, request.ingressName, revision.baseResourceVersion!);
    return recordApplied(c, written, false, clock());
  } catch (error) {
    if (
      error instanceof KubeError &&
      (error.kind === 'conflict' || error.kind === 'already-exists' || (error.kind === 'not-found' && action === 'DELETE'))
    ) {
      const now = await client.getIngress(request.namespace, request.ingressName).catch(() => undefined);
      if (now !== undefined && isAlreadyApplied(action, proposed, now)) return recordApplied(c, now, true, clock());
      const { message, details } = describeMove(base, now ?? null, revision.baseResourceVersion);
      await finish(c, 'STALE', 'change-request.stale', message, details, clock());
      return { outcome: 'stale', message };
    }
    return retryOrFail(c, error, clock(), opts);
  }
}

async function retryOrFail(c: TClaimed, error: unknown, now: Date, opts: TApplyOptions): Promise<TApplyResult> {
  const kube = error instanceof KubeError ? error : null;
  const message = kube?.message ?? 'Unexpected error while applying.';
  if (!kube?.retryable || c.attempt >= MAX_APPLY_ATTEMPTS) {
    const reason = kube?.retryable ? `Gave up after ${c.attempt} attempts: ${message}` : `The API server refused the change: ${message}`;
    await finish(c, 'FAILED', 'change-request.failed', reason, { error: kube?.toJSON() ?? { message } }, now);
    return { outcome: 'failed', message: reason };
  }
  const nextAttemptAt = new Date(now.getTime() + (opts.backoffMs ?? defaultBackoff)(c.attempt));
  await finish(
    c,
    'APPROVED',
    'change-request.waiting-for-cluster',
    `Waiting for cluster: ${message}`,
    { error: kube.toJSON(), nextAttemptAt: nextAttemptAt.toISOString() },
    now,
    { nextAttemptAt },
  );
  return { outcome: 'retry', message, nextAttemptAt };
}

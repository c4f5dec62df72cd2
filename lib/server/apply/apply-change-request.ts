import { analyseChange } from '@/lib/domain/analysis/analyse-change';
import { revisionHash } from '@/lib/domain/change/revision-hash';
import { contentHash, LAST_APPLIED_ANNOTATION } from '@/lib/domain/ingress/normalise-ingress';
import type { TIngress } from '@/lib/domain/ingress/types';
import { ownershipConflicts } from '@/lib/domain/environments/namespace-ownership';
import { ZPolicy } from '@/lib/domain/policy/policy';
import { otherClaims } from '../admin/environment-ownership';
import { clusterFor } from '../kube/environment-cluster';
import { currentApprovalState } from '../change-requests/quorum';
import { db } from '../db/client';
import type { KubeClient } from '../kube/kube-client';
import { KubeError } from '../kube/kube-error';
import type { TLiveIngress } from '../kube/kube-types';
import type { TApplyPayload } from '../jobs/queue';
import { isReturnToApprovedState } from '../history/return-to-approved-state';
import { checkPriorStage } from '../promotion/check-prior-stage';
import { finish, recordApplied, type TApplyResult } from './apply-outcome';
import { claimApply, type TClaimed } from './claim-apply';
import { describeMove, isAlreadyApplied } from './describe-move';
import { waitOrFail } from './wait-for-cluster';

export type { TApplyResult } from './apply-outcome';

export type TApplyOptions = { client?: KubeClient; now?: () => Date; backoffMs?: (attempt: number) => number };

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
 *   unreachable / timeout / 5xx → waiting for cluster since the first such failure, re-enqueued
 *   with backoff up to the request's expiry, then EXPIRED (waitOrFail); an approver or the
 *   requester may retry one that FAILED only because of the cluster (retryChangeRequest)
 */
export async function applyChangeRequest(payload: TApplyPayload, opts: TApplyOptions = {}): Promise<TApplyResult> {
  const clock = opts.now ?? (() => new Date());
  const claimed = await claimApply(payload, clock());
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
    return waitOrFail(c, error, clock(), opts.backoffMs);
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
    return waitOrFail(c, error, clock(), opts.backoffMs);
  }
}

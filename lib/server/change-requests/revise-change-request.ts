import { z } from 'zod';
import type { TActor } from '@/lib/domain/authz/permissions';
import { actionFromColumn, REVISABLE_STATUSES, type TChangeStatus, type TRequestVerb } from '@/lib/domain/change/lifecycle';
import type { TIngress } from '@/lib/domain/ingress/types';
import { db } from '../db/client';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import {
  assertMay,
  auditActor,
  auditRequestEvent,
  findVisibleChangeRequest,
  lockedChangeRequest,
  parseInput,
  requireActor,
  TX_OPTIONS,
} from '../operation';
import { checkPriorStage } from '../promotion/check-prior-stage';
import { prepareRevision } from './prepare-revision';
import { revisionData, severityColumn } from './revision-columns';

export const ZRevise = z
  .object({ yaml: z.string().optional(), form: z.unknown().optional(), note: z.string().trim().max(2_000).default('') })
  .refine((v) => v.yaml !== undefined || v.form !== undefined, {
    path: ['yaml'],
    message: 'Provide the revised Ingress as YAML or through the form.',
  });

/** The request, if the actor may `verb` it now (lifecycle.ts): 401, 404, 403 or 409 otherwise. */
async function loadRequestFor(actorIn: TActor | null, changeRequestId: string, verb: TRequestVerb) {
  const actor = requireActor(actorIn);
  const request = await findVisibleChangeRequest(actor, changeRequestId);
  assertMay(actor, request, verb);
  return { actor, request };
}

/**
 * A new revision (new content hash; approvals on earlier revisions stop counting). Cases: not the
 * requester → 403; status not PENDING/REJECTED → 409 (a STALE request is rebased, an approved one
 * is already on its way); a delete request has nothing to revise → 409; invalid → 422 (nothing
 * stored). A REJECTED request reopens as PENDING.
 */
export async function reviseChangeRequest(
  actorIn: TActor | null,
  changeRequestId: string,
  input: unknown,
  opts: { now?: Date; client?: KubeClient } = {},
) {
  const { actor, request } = await loadRequestFor(actorIn, changeRequestId, 'revise');
  const data = parseInput(ZRevise, input);
  const source = data.yaml !== undefined ? { yaml: data.yaml } : { form: data.form };
  const prepared = await prepareRevision(
    request.environment,
    { action: actionFromColumn(request.action), namespace: request.namespace, name: request.ingressName, source },
    { client: opts.client, kind: request.kind },
  );
  // The prior-stage policy judges the new content as it judged the first (an extra-approval
  // policy is re-checked by the worker, which asks for the extra approval then).
  if (request.kind === 'CHANGE') {
    const prior = await checkPriorStage(
      request.environment,
      { namespace: prepared.namespace, name: prepared.name, proposed: prepared.proposed },
      opts.now ?? new Date(),
    );
    if (!prior.ok && prior.onMissing === 'refuse') {
      throw new AppError(
        'UNPROCESSABLE',
        `${request.environment.name} requires this change to have been applied in an earlier stage first: ${prior.reason}`,
        {
          fieldErrors: [{ path: 'priorStage', message: prior.reason }],
        },
      );
    }
  }
  return writeRevision(actor, request.id, prepared, {
    action: 'change-request.revised',
    expectStatuses: REVISABLE_STATUSES,
    note: data.note,
    now: opts.now,
  });
}

/**
 * Rebases a STALE request onto the current live object: same proposal, new base and
 * resourceVersion, re-analysed, a new revision that needs new approvals.
 */
export async function rebaseChangeRequest(actorIn: TActor | null, changeRequestId: string, opts: { now?: Date; client?: KubeClient } = {}) {
  const { actor, request } = await loadRequestFor(actorIn, changeRequestId, 'rebase');
  const current = await db().revision.findUniqueOrThrow({
    where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
  });
  const action = actionFromColumn(request.action);
  // The live object may have appeared or vanished since: an update whose object is gone is now a create.
  const prepared = await prepareRevision(
    request.environment,
    {
      action,
      namespace: request.namespace,
      name: request.ingressName,
      source: current.proposedManifest ? { manifest: current.proposedManifest as unknown as TIngress } : null,
    },
    { client: opts.client, kind: request.kind },
  );
  return writeRevision(actor, request.id, prepared, {
    action: 'change-request.rebased',
    expectStatuses: ['STALE'],
    note: '',
    now: opts.now,
  });
}

async function writeRevision(
  actor: TActor,
  changeRequestId: string,
  prepared: Awaited<ReturnType<typeof prepareRevision>>,
  opts: { action: 'change-request.revised' | 'change-request.rebased'; expectStatuses: readonly TChangeStatus[]; note: string; now?: Date },
) {
  const now = opts.now ?? new Date();
  return db().$transaction(async (tx) => {
    const request = await lockedChangeRequest(tx, changeRequestId, {
      statuses: opts.expectStatuses,
      conflict: (status) => `The request became ${status} meanwhile.`,
    });
    const previous = await tx.revision.findUniqueOrThrow({
      where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
    });
    const number = request.currentRevision + 1;
    await tx.revision.create({ data: { ...revisionData(prepared), changeRequestId, number, authorId: actor.id, createdAt: now } });
    await tx.changeRequest.update({
      where: { id: changeRequestId },
      data: {
        currentRevision: number,
        status: 'PENDING',
        statusReason: null,
        maxSeverity: severityColumn(prepared.analysis.maxSeverity),
        applyAttempts: 0,
        nextAttemptAt: null,
      },
    });
    await auditRequestEvent(
      tx,
      auditActor(actor),
      request,
      {
        action: opts.action,
        reason: opts.note || null,
        details: {
          revision: number,
          before: { revision: previous.number, contentHash: previous.contentHash, resourceVersion: previous.baseResourceVersion },
          after: { contentHash: prepared.contentHash, resourceVersion: prepared.baseResourceVersion },
          approvalsReset: true,
        },
      },
      now,
    );
    // A new revision resets approvals: the reviewers are asked again, for this revision.
    await emitNotification(tx, {
      kind: 'review-requested',
      actor: auditActor(actor),
      changeRequestId,
      environmentId: request.environmentId,
      revision: number,
      details: { reason: opts.note || null },
    });
    return { status: 'PENDING', revision: number };
  }, TX_OPTIONS);
}

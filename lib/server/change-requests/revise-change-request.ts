import { z } from 'zod';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import type { TIngress } from '@/lib/domain/ingress/types';
import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import { checkPriorStage } from '../promotion/check-prior-stage';
import { prepareRevision } from './prepare-revision';
import { lockChangeRequest, TX_OPTIONS } from './quorum';
import { findChangeRequestOr404, revisionData, severityColumn } from './shared';
import { zodToAppError } from './submit-change-request';

export const ZRevise = z
  .object({ yaml: z.string().optional(), form: z.unknown().optional(), note: z.string().trim().max(2_000).default('') })
  .refine((v) => v.yaml !== undefined || v.form !== undefined, {
    path: ['yaml'],
    message: 'Provide the revised Ingress as YAML or through the form.',
  });

async function loadOwnRequest(actor: TActor | null, changeRequestId: string, verb: string) {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const request = await findChangeRequestOr404(changeRequestId);
  if (!can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  if (request.requesterId !== actor.id || !can(actor, 'change-request.revise', { environmentId: request.environmentId })) {
    throw new AppError('FORBIDDEN', `Only the requester can ${verb} this change.`);
  }
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
  const { actor, request } = await loadOwnRequest(actorIn, changeRequestId, 'revise');
  const parsed = ZRevise.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error);
  if (!['PENDING', 'REJECTED'].includes(request.status))
    throw new AppError('CONFLICT', `A ${request.status.toLowerCase()} request cannot be revised.`);
  if (request.action === 'DELETE') throw new AppError('CONFLICT', 'A delete request has no manifest to revise; cancel it instead.');
  const source = parsed.data.yaml !== undefined ? { yaml: parsed.data.yaml } : { form: parsed.data.form };
  const prepared = await prepareRevision(
    request.environment,
    { action: request.action.toLowerCase() as 'create' | 'update', namespace: request.namespace, name: request.ingressName, source },
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
    expectStatuses: ['PENDING', 'REJECTED'],
    note: parsed.data.note,
    now: opts.now,
  });
}

/**
 * Rebases a STALE request onto the current live object: same proposal, new base and
 * resourceVersion, re-analysed, a new revision that needs new approvals.
 */
export async function rebaseChangeRequest(actorIn: TActor | null, changeRequestId: string, opts: { now?: Date; client?: KubeClient } = {}) {
  const { actor, request } = await loadOwnRequest(actorIn, changeRequestId, 'rebase');
  if (request.status !== 'STALE') throw new AppError('CONFLICT', 'Only a stale request needs a rebase.');
  const current = await db().revision.findUniqueOrThrow({
    where: { changeRequestId_number: { changeRequestId, number: request.currentRevision } },
  });
  const action = request.action.toLowerCase() as 'create' | 'update' | 'delete';
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
  opts: { action: string; expectStatuses: string[]; note: string; now?: Date },
) {
  const now = opts.now ?? new Date();
  return db().$transaction(async (tx) => {
    await lockChangeRequest(tx, changeRequestId);
    const request = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeRequestId } });
    if (!opts.expectStatuses.includes(request.status))
      throw new AppError('CONFLICT', `The request became ${request.status.toLowerCase()} meanwhile.`);
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
    await appendAuditEvent(
      tx,
      {
        actor: { id: actor.id, email: actor.email },
        action: opts.action,
        environmentId: request.environmentId,
        namespace: request.namespace,
        ingressName: request.ingressName,
        changeRequestId,
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
      actor: { id: actor.id, email: actor.email },
      changeRequestId,
      environmentId: request.environmentId,
      revision: number,
      details: { reason: opts.note || null },
    });
    return { status: 'PENDING', revision: number };
  }, TX_OPTIONS);
}

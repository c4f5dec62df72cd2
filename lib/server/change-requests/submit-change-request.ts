import { z } from 'zod';
import type { TRequestAuditAction } from '@/lib/domain/audit/audit-events';
import type { TActor } from '@/lib/domain/authz/permissions';
import { actionColumn, type TChangeKind } from '@/lib/domain/change/lifecycle';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { findEnvironment } from '../environments/find-environment';
import { emitNotification } from '../notifications/emit-notification';
import { AppError } from '../errors';
import type { KubeClient } from '../kube/kube-client';
import { auditActor, auditRequestEvent, parseInput, requireActor, TX_OPTIONS } from '../operation';
import { checkPriorStage } from '../promotion/check-prior-stage';
import { prepareRevision, ZAction, type TPreparedRevision } from './prepare-revision';
import { nameList, resolveChosenReviewers } from '../reviewer-groups/resolve-chosen-reviewers';
import { approveIfReady } from './quorum';
import { revisionData, severityColumn } from './revision-columns';

export const ZSubmitChangeRequest = z
  .object({
    environment: z.string().trim().min(1, 'Choose an environment.'),
    namespace: z.string().trim().min(1, 'Choose a namespace.'),
    name: z.string().trim().optional(),
    action: ZAction,
    title: z.string().trim().min(3, 'Give the change a title (at least 3 characters).').max(200, 'Keep the title under 200 characters.'),
    justification: z
      .string()
      .trim()
      .min(3, 'Explain why this change is needed.')
      .max(10_000, 'Keep the justification under 10,000 characters.'),
    yaml: z.string().optional(),
    form: z.unknown().optional(),
    // Chosen reviewers: emails (or user ids) of eligible approvers, and reviewer group names; a
    // form sends one comma-separated string each.
    reviewers: nameList(20, 'reviewers'),
    reviewerGroups: nameList(10, 'reviewer groups'),
    // "Not before": an ISO 8601 time with its offset; approvals still count, the apply waits.
    notBefore: z
      .string()
      .trim()
      .datetime({ offset: true, message: 'Give "not before" as an ISO 8601 time with its offset, e.g. 2026-12-01T09:00:00+01:00.' })
      .nullish()
      .or(z.literal('').transform(() => null)),
    // A promotion: the applied version (in an earlier environment) this request was made from.
    promotedFrom: z.string().uuid('promotedFrom must be the id of an applied version.').nullish(),
  })
  .refine((v) => v.action === 'delete' || v.yaml !== undefined || v.form !== undefined, {
    path: ['yaml'],
    message: 'Provide the proposed Ingress as YAML or through the form.',
  })
  .refine((v) => v.action !== 'delete' || Boolean(v.name), { path: ['name'], message: 'Name the Ingress to delete.' });

/** The event a new request is recorded as, by kind. */
const SUBMITTED_EVENT = {
  CHANGE: 'change-request.submitted',
  ROLLBACK: 'change-request.rollback-proposed',
  RESTORE: 'change-request.restore-proposed',
  ADOPT: 'change-request.adopt-proposed',
} as const satisfies Record<TChangeKind, TRequestAuditAction>;

export type TSubmitChangeRequest = z.infer<typeof ZSubmitChangeRequest>;

/**
 * Proposes a create / update / delete. Cases: bad input → 400 naming each field; not a requester
 * in the environment → 403; disabled environment → 409; everything prepareRevision refuses (422,
 * 404, 409, 503) → nothing stored; otherwise request + revision 1 + audit event in one
 * transaction, and — when the environment auto-approves and every finding is within its
 * threshold — approved and enqueued in that same transaction.
 */
export async function submitChangeRequest(
  actorIn: TActor | null,
  input: unknown,
  opts: {
    now?: Date;
    client?: KubeClient;
    kind?: TChangeKind;
    rollbackOfId?: string | null;
    preApproved?: boolean;
    prepared?: TPreparedRevision;
  } = {},
): Promise<{ id: string; number: number; status: string }> {
  const actor = requireActor(actorIn);
  const data = parseInput(ZSubmitChangeRequest, input);
  const env = await findEnvironment(data.environment);
  const kind = opts.kind ?? 'CHANGE';
  assertCan(actor, kind === 'CHANGE' ? 'change-request.submit' : kind === 'ADOPT' ? 'drift.remediate' : 'change-request.rollback', {
    environmentId: env.id,
  });
  if (env.disabledAt) throw new AppError('CONFLICT', `The ${env.name} environment is disabled; no new requests are accepted.`);
  const chosen = await resolveChosenReviewers(actor, env, data.reviewers, data.reviewerGroups);
  const reviewerIds = chosen.userIds;
  const source = data.action === 'delete' ? null : data.yaml !== undefined ? { yaml: data.yaml } : { form: data.form };
  const prepared =
    opts.prepared ??
    (await prepareRevision(
      env,
      { action: data.action, namespace: data.namespace, name: data.name ?? null, source },
      { client: opts.client },
    ));
  const now = opts.now ?? new Date();
  const notBefore = data.notBefore ? new Date(data.notBefore) : null;
  if (notBefore && notBefore.getTime() > now.getTime() + 366 * 86_400_000) {
    throw new AppError('INVALID_INPUT', '"Not before" is more than a year away.', {
      fieldErrors: [{ path: 'notBefore', message: 'at most one year ahead' }],
    });
  }
  if (data.promotedFrom) {
    const from = await db().appliedVersion.findUnique({
      where: { id: data.promotedFrom },
      include: { environment: { select: { promotionOrder: true, name: true } } },
    });
    if (!from || !from.manifest)
      throw new AppError('UNPROCESSABLE', 'promotedFrom does not name an applied version with content.', {
        fieldErrors: [{ path: 'promotedFrom', message: 'unknown applied version' }],
      });
    if (from.environment.promotionOrder === null || env.promotionOrder === null || from.environment.promotionOrder >= env.promotionOrder) {
      throw new AppError('UNPROCESSABLE', `${from.environment.name} comes before ${env.name} on no promotion path.`, {
        fieldErrors: [{ path: 'promotedFrom', message: 'not an earlier environment' }],
      });
    }
  }
  // Prior-stage policy (ordinary changes only: rollbacks, restores and adoptions return to or
  // accept a state this environment already had).
  const priorStage =
    kind === 'CHANGE'
      ? await checkPriorStage(env, { namespace: prepared.namespace, name: prepared.name, proposed: prepared.proposed }, now)
      : null;
  if (priorStage && !priorStage.ok && priorStage.onMissing === 'refuse') {
    throw new AppError(
      'UNPROCESSABLE',
      `${env.name} requires this change to have been applied in an earlier stage first: ${priorStage.reason}`,
      {
        fieldErrors: [{ path: 'priorStage', message: priorStage.reason }],
      },
    );
  }
  const extraApprovals = priorStage && !priorStage.ok ? 1 : 0;
  const actorRef = auditActor(actor);
  return db().$transaction(async (tx) => {
    const request = await tx.changeRequest.create({
      data: {
        environmentId: env.id,
        namespace: prepared.namespace,
        ingressName: prepared.name,
        action: actionColumn(prepared.action),
        kind,
        rollbackOfId: opts.rollbackOfId ?? null,
        requesterId: actor.id,
        title: data.title,
        justification: data.justification,
        maxSeverity: severityColumn(prepared.analysis.maxSeverity),
        expiresAt: new Date(now.getTime() + env.requestExpiryHours * 3_600_000),
        notBefore,
        extraApprovals,
        promotedFromId: data.promotedFrom ?? null,
        createdAt: now,
        revisions: { create: { ...revisionData(prepared), number: 1, authorId: actor.id, createdAt: now } },
      },
    });
    if (reviewerIds.length)
      await tx.chosenReviewer.createMany({ data: reviewerIds.map((userId) => ({ changeRequestId: request.id, userId })) });
    if (chosen.groups.length)
      await tx.chosenReviewerGroup.createMany({ data: chosen.groups.map((g) => ({ changeRequestId: request.id, groupId: g.id })) });
    await auditRequestEvent(
      tx,
      actorRef,
      request,
      {
        action: SUBMITTED_EVENT[kind],
        reason: data.justification,
        details: {
          number: request.number,
          title: data.title,
          action: prepared.action,
          revision: 1,
          contentHash: prepared.contentHash,
          maxSeverity: prepared.analysis.maxSeverity,
          before: { resourceVersion: prepared.baseResourceVersion, hash: prepared.analysis.baseHash },
          after: { hash: prepared.analysis.proposedHash },
          ...(opts.rollbackOfId ? { rollbackOf: opts.rollbackOfId } : {}),
          ...(reviewerIds.length ? { reviewers: reviewerIds } : {}),
          ...(chosen.groups.length ? { reviewerGroups: chosen.groups.map((g) => g.name) } : {}),
          ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
          ...(data.promotedFrom ? { promotedFrom: data.promotedFrom } : {}),
          ...(priorStage?.ok && priorStage.required ? { priorStage: { satisfied: true, evidence: priorStage.evidence } } : {}),
          ...(priorStage && !priorStage.ok ? { priorStage: { satisfied: false, reason: priorStage.reason, extraApprovals } } : {}),
        },
      },
      now,
    );
    let status: string = request.status;
    if (opts.preApproved) {
      status = (await approveIfReady(tx, request.id, { actor: actorRef, mode: 'pre-approved-rollback', now })) || status;
    } else if (env.autoApproveEnabled && prepared.analysis.isAutoApprovable && extraApprovals === 0) {
      status = (await approveIfReady(tx, request.id, { actor: actorRef, mode: 'auto-approve', now })) || status;
    }
    await emitNotification(tx, {
      kind: status === 'APPROVED' || status === 'SCHEDULED' ? 'approved' : 'review-requested',
      actor: status === 'APPROVED' || status === 'SCHEDULED' ? { system: 'system' } : actorRef,
      changeRequestId: request.id,
      environmentId: env.id,
      revision: 1,
    });
    return { id: request.id, number: request.number, status };
  }, TX_OPTIONS);
}

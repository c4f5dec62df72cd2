import { reviewRefusal, type TReviewEligibilityInput } from '../approval/approval-state';
import { can, type TActor } from '../authz/permissions';

/**
 * The change-request lifecycle in one place (ARCHITECTURE.md, "Request lifecycle"): its statuses,
 * the sets operations ask about, the three actions and their database spelling, and one answer to
 * "what may this viewer do to this request now, and if not, why" — the sentence the UI shows on a
 * missing button and the operation puts in its 403/409. Pure: the caller passes the facts.
 */

export const CHANGE_STATUSES = [
  'PENDING',
  'APPROVED',
  'SCHEDULED',
  'APPLYING',
  'APPLIED',
  'REJECTED',
  'CANCELLED',
  'STALE',
  'FAILED',
  'EXPIRED',
] as const;
export type TChangeStatus = (typeof CHANGE_STATUSES)[number];

/** On its way to the cluster: a change to the same Ingress would race it (drift remediation asks). */
export const IN_FLIGHT_STATUSES = ['PENDING', 'APPROVED', 'SCHEDULED', 'APPLYING'] as const satisfies readonly TChangeStatus[];
/** Nothing moves a request out of these (a rollback is a new request). */
export const TERMINAL_STATUSES = ['APPLIED', 'CANCELLED', 'EXPIRED'] as const satisfies readonly TChangeStatus[];
/** Waiting on a person (reviewers or the requester): these expire at the environment's limit. */
export const EXPIRABLE_STATUSES = ['PENDING', 'REJECTED', 'STALE'] as const satisfies readonly TChangeStatus[];
/** Not yet written and not being written: the requester or an admin may still call it off. */
export const CANCELLABLE_STATUSES = [
  'PENDING',
  'REJECTED',
  'STALE',
  'APPROVED',
  'SCHEDULED',
  'FAILED',
] as const satisfies readonly TChangeStatus[];
/** A new revision may replace the current one (a STALE request is rebased instead). */
export const REVISABLE_STATUSES = ['PENDING', 'REJECTED'] as const satisfies readonly TChangeStatus[];
/** A change window still stands between the request and the cluster. */
export const WINDOW_OVERRIDABLE_STATUSES = ['PENDING', 'APPROVED', 'SCHEDULED'] as const satisfies readonly TChangeStatus[];
/** The worker's claim accepts these (APPLYING: a retry after a lost outcome). */
export const CLAIMABLE_STATUSES = ['APPROVED', 'SCHEDULED', 'APPLYING'] as const satisfies readonly TChangeStatus[];

export function isStatusIn<T extends TChangeStatus>(status: string, set: readonly T[]): status is T {
  return (set as readonly string[]).includes(status);
}

export const CHANGE_ACTIONS = ['create', 'update', 'delete'] as const;
/** What a request does to the Ingress, as the API, the domain and the forms spell it. */
export type TChangeAction = (typeof CHANGE_ACTIONS)[number];
/** The same, as the database column (enum ChangeAction) spells it. */
export type TChangeActionColumn = Uppercase<TChangeAction>;

export function actionColumn(action: TChangeAction): TChangeActionColumn {
  return ACTION_COLUMN[action];
}
export function actionFromColumn(column: TChangeActionColumn): TChangeAction {
  return ACTION_FROM_COLUMN[column];
}
const ACTION_COLUMN = { create: 'CREATE', update: 'UPDATE', delete: 'DELETE' } as const satisfies Record<
  TChangeAction,
  TChangeActionColumn
>;
const ACTION_FROM_COLUMN = { CREATE: 'create', UPDATE: 'update', DELETE: 'delete' } as const satisfies Record<
  TChangeActionColumn,
  TChangeAction
>;

export const CHANGE_KINDS = ['CHANGE', 'ROLLBACK', 'RESTORE', 'ADOPT'] as const;
export type TChangeKind = (typeof CHANGE_KINDS)[number];

/** What a viewer may do to an existing request (reviewing has its own rule: approval-state.ts). */
export const REQUEST_VERBS = ['cancel', 'revise', 'rebase', 'rollback', 'comment', 'override-window'] as const;
export type TRequestVerb = (typeof REQUEST_VERBS)[number];

/** The request facts the lifecycle decides on. */
export type TRequestFacts = {
  requesterId: string;
  environmentId: string;
  environmentName: string;
  status: string;
  action: TChangeActionColumn;
  /** Set once an admin let the request ignore its change windows. */
  windowOverrideAt?: Date | null;
};

export type TRequestRefusalCode =
  'not-requester' | 'not-requester-or-admin' | 'not-permitted' | 'wrong-status' | 'delete-has-no-manifest' | 'already-overridden';

/** `status` is the AppError code an operation throws; `message` is the sentence a user reads. */
export type TRequestRefusal = { code: TRequestRefusalCode; status: 'FORBIDDEN' | 'CONFLICT'; message: string };

const forbidden = (code: TRequestRefusalCode, message: string): TRequestRefusal => ({ code, status: 'FORBIDDEN', message });
const conflict = (code: TRequestRefusalCode, message: string): TRequestRefusal => ({ code, status: 'CONFLICT', message });
const lower = (status: string) => status.toLowerCase();

/**
 * Whether `actor` may `verb` the request now, and if not, why. Visibility (404) is the caller's:
 * this is asked only about a request the actor may see. Cases, first match wins, per verb:
 * - cancel: the requester (holding change-request.cancel) or an admin of the environment
 *   (change-request.cancel-any) → else 403; status in CANCELLABLE_STATUSES → else 409.
 * - revise: the requester holding change-request.revise → else 403; PENDING or REJECTED → else
 *   409; a delete request has no manifest to revise → 409.
 * - rebase: the requester holding change-request.revise → else 403; STALE → else 409.
 * - rollback: APPLIED → else 409; change-request.rollback in the environment → else 403.
 * - comment: change-request.comment in the environment → else 403 (any status).
 * - override-window: change-request.override-window (admins) → else 403; PENDING, APPROVED or
 *   SCHEDULED → else 409; not already overridden → else 409.
 */
export function requestRefusal(actor: TActor, request: TRequestFacts, verb: TRequestVerb): TRequestRefusal | null {
  const scope = { environmentId: request.environmentId };
  const isRequester = request.requesterId === actor.id;
  switch (verb) {
    case 'cancel': {
      const isOwner = isRequester && can(actor, 'change-request.cancel', scope);
      if (!isOwner && !can(actor, 'change-request.cancel-any', scope))
        return forbidden('not-requester-or-admin', 'Only the requester or an admin can cancel this change.');
      if (!isStatusIn(request.status, CANCELLABLE_STATUSES))
        return conflict('wrong-status', `A ${lower(request.status)} request cannot be cancelled.`);
      return null;
    }
    case 'revise':
      if (!isRequester || !can(actor, 'change-request.revise', scope))
        return forbidden('not-requester', 'Only the requester can revise this change.');
      if (!isStatusIn(request.status, REVISABLE_STATUSES))
        return conflict('wrong-status', `A ${lower(request.status)} request cannot be revised.`);
      if (request.action === 'DELETE')
        return conflict('delete-has-no-manifest', 'A delete request has no manifest to revise; cancel it instead.');
      return null;
    case 'rebase':
      if (!isRequester || !can(actor, 'change-request.revise', scope))
        return forbidden('not-requester', 'Only the requester can rebase this change.');
      if (request.status !== 'STALE') return conflict('wrong-status', 'Only a stale request needs a rebase.');
      return null;
    case 'rollback':
      if (request.status !== 'APPLIED') return conflict('wrong-status', 'Only an applied change can be rolled back.');
      if (!can(actor, 'change-request.rollback', scope))
        return forbidden('not-permitted', `You cannot roll back changes in ${request.environmentName}.`);
      return null;
    case 'comment':
      return can(actor, 'change-request.comment', scope) ? null : forbidden('not-permitted', 'You cannot comment here.');
    case 'override-window':
      if (!can(actor, 'change-request.override-window', scope))
        return forbidden('not-permitted', 'Only an admin of the environment can override its change window.');
      if (!isStatusIn(request.status, WINDOW_OVERRIDABLE_STATUSES))
        return conflict('wrong-status', `A ${lower(request.status)} request has no change window to override.`);
      if (request.windowOverrideAt) return conflict('already-overridden', 'The change window is already overridden for this request.');
      return null;
  }
}

export type TViewerCapabilities = {
  canReview: boolean;
  reviewRefusal: string | null;
  canRevise: boolean;
  canRebase: boolean;
  canCancel: boolean;
  canRollback: boolean;
  canComment: boolean;
  canOverrideWindow: boolean;
  /** Why each request verb is not available now (absent when it is). */
  refusals: Partial<Record<TRequestVerb, string>>;
};

/**
 * Everything the request page offers this viewer, from the same rules the operations enforce.
 * `review` carries the facts reviewRefusal needs (eligibility is read from the database).
 */
export function viewerCapabilities(
  actor: TActor,
  request: TRequestFacts,
  review: Omit<TReviewEligibilityInput, 'actorId' | 'requesterId' | 'status' | 'environmentName'>,
): TViewerCapabilities {
  const refusals: Partial<Record<TRequestVerb, string>> = {};
  for (const verb of REQUEST_VERBS) {
    const refusal = requestRefusal(actor, request, verb);
    if (refusal) refusals[verb] = refusal.message;
  }
  const reviewing = reviewRefusal({
    ...review,
    actorId: actor.id,
    requesterId: request.requesterId,
    status: request.status,
    environmentName: request.environmentName,
  });
  return {
    canReview: reviewing === null,
    reviewRefusal: reviewing?.message ?? null,
    canRevise: !refusals.revise,
    canRebase: !refusals.rebase,
    canCancel: !refusals.cancel,
    canRollback: !refusals.rollback,
    canComment: !refusals.comment,
    canOverrideWindow: !refusals['override-window'],
    refusals,
  };
}

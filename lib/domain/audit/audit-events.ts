import type { TChangeAction, TChangeStatus } from '../change/lifecycle';
import type { TSeverity } from '../risk/severity';

/**
 * Every audit event the application writes, with the shape of its `details`. Operations append
 * through typed helpers (`recordAuditEvent`, `auditRequestEvent` in lib/server), so an event name
 * or a details key that is not declared here does not compile; the request timeline switches over
 * the same names and its switch must be exhaustive. Details of events written before a field was
 * added lack it: such fields are optional. `requestId` (the web request that caused the event) is
 * added to any event's details by the appender.
 */

type TRevisionRef = { revision: number };
type TStatusChange = { before: { status: TChangeStatus }; after: { status: TChangeStatus } };
type TSubmitted = {
  number: number;
  title: string;
  action: TChangeAction;
  revision: 1;
  contentHash: string;
  maxSeverity: TSeverity | 'none';
  before: { resourceVersion: string | null; hash: string | null };
  after: { hash: string | null };
  rollbackOf?: string;
  reviewers?: string[];
  notBefore?: string;
  promotedFrom?: string;
  priorStage?: { satisfied: true; evidence: unknown } | { satisfied: false; reason: string; extraApprovals: number };
};
type TNewRevision = TRevisionRef & {
  before: { revision: number; contentHash: string; resourceVersion: string | null };
  after: { contentHash: string; resourceVersion: string | null };
  approvalsReset: true;
};
/** An outcome of an apply attempt other than "applied" (the check that stopped it, or the API server's error). */
type TApplyOutcome = TRevisionRef & { attempt: number } & Record<string, unknown>;
type TThreadRef = { threadId: string; line: number | null; side: string | null };
type TSignInFacts = { email: string; address: string | null };
type TRoleChange = { userId: string; email: string; role: string; scope: 'environment' | 'global' };
type TChannelRef = { channelId: string; kind: string; name: string };
type TDriftFacts = { state: string; previousState: string | null } & Record<string, unknown>;

export type TAuditEventDetails = {
  // A change request's life (ARCHITECTURE.md, "Request lifecycle"); all carry the request's id.
  'change-request.submitted': TSubmitted;
  'change-request.rollback-proposed': TSubmitted;
  'change-request.restore-proposed': TSubmitted;
  'change-request.adopt-proposed': TSubmitted;
  'change-request.review-approved': TRevisionRef & { contentHash: string };
  'change-request.review-rejected': TRevisionRef & { contentHash: string };
  'change-request.changes-requested': TRevisionRef & { contentHash: string };
  'change-request.approved': TRevisionRef & { mode: 'quorum' | 'auto-approve' | 'pre-approved-rollback' };
  'change-request.scheduled': TRevisionRef & {
    scheduledFor: string | null;
    recheckAt?: string;
    why?: string;
    timeZone?: string;
    freeze?: { label: string; start: string; end: string };
  };
  'change-request.window-overridden': { status: TChangeStatus; scheduledFor: string | null };
  'change-request.applying': TRevisionRef & { attempt: number };
  'change-request.applied': TRevisionRef & {
    attempt: number;
    reconciled: boolean;
    fieldManager?: string;
    before: { resourceVersion: string | null };
    after: { resourceVersion: string | null; contentHash: string | null };
  };
  'change-request.stale': TApplyOutcome;
  'change-request.failed': TApplyOutcome;
  'change-request.reopened': TApplyOutcome;
  'change-request.waiting-for-cluster': TApplyOutcome & { nextAttemptAt: string; waitingSince?: string };
  'change-request.revised': TNewRevision;
  'change-request.rebased': TNewRevision;
  'change-request.cancelled': TStatusChange;
  // By the housekeeping (no decision in time: before/after), or by the worker after waiting for an
  // unreachable cluster until the request's expiry (cause, waitingSince, the last error).
  'change-request.expired': Partial<TStatusChange> & {
    expiresAt: string;
    cause?: 'cluster-unreachable';
    waitingSince?: string;
    revision?: number;
    attempt?: number;
    error?: unknown;
  };
  'change-request.retry-requested': TRevisionRef & {
    before: { status: TChangeStatus; applyAttempts: number };
    as: 'requester' | 'approver';
    failure?: { kind: string | null };
    waitingSince?: string;
  };
  'change-request.commented': TRevisionRef & {
    commentId: string;
    line: number | null;
    side: 'proposed' | 'base' | null;
    /** Set on a reply: the thread's root comment. */
    threadId?: string;
  };
  'change-request.thread-resolved': TThreadRef;
  'change-request.thread-reopened': TThreadRef;
  // Drift (the worker; environment, namespace and Ingress set, no request).
  'drift.detected': TDriftFacts;
  'drift.resolved': TDriftFacts;
  // People, sessions and tokens.
  'user.created': Record<string, unknown>;
  'user.role-granted': TRoleChange;
  'user.role-revoked': TRoleChange;
  'user.deactivated': { userId: string; email: string; revokedTokens?: number };
  'user.reactivated': { userId: string; email: string };
  'user.sessions-ended': { userId: string; email: string; sessions: number };
  'user.signed-in': { method?: 'password' | 'oidc'; address?: string | null; issuer?: string };
  'user.signed-out': { sessionId: string };
  'user.sign-in-failed': TSignInFacts & { reason: 'wrong-password' | 'unknown-email'; failures: number };
  'user.sign-in-throttled': TSignInFacts & { retryAfterSeconds: number };
  'user.sign-in-locked': TSignInFacts & { scope: string; seconds: number; blockNumber: number; isLock: boolean };
  'api-token.created': { tokenId: string; name: string; scopes: string[]; expiresAt: string };
  'api-token.revoked': { tokenId: string; name: string; owner: string };
  // Environments and their configuration (never a kubeconfig itself).
  'environment.created': { name: string; after: Record<string, unknown> };
  'environment.updated': { name: string } & Record<string, unknown>;
  'environment.disabled': { name: string };
  'environment.enabled': { name: string };
  'environment.schedule-updated': { name: string; before: Record<string, unknown>; after: Record<string, unknown> };
  'notification-channel.created': TChannelRef & Record<string, unknown>;
  'notification-channel.deleted': TChannelRef;
  'notification.redelivered': { deliveryId: string; channel: string; kind: string; previousStatus: string } & (
    { channelId: string } | { to: string }
  );
  // The audit trail itself.
  'audit.exported': { format: string; filter: unknown };
};

export type TAuditAction = keyof TAuditEventDetails;

/** Every event name, for filters and for tests that walk them all. */
export const AUDIT_ACTIONS = Object.keys({
  'change-request.submitted': 1,
  'change-request.rollback-proposed': 1,
  'change-request.restore-proposed': 1,
  'change-request.adopt-proposed': 1,
  'change-request.review-approved': 1,
  'change-request.review-rejected': 1,
  'change-request.changes-requested': 1,
  'change-request.approved': 1,
  'change-request.scheduled': 1,
  'change-request.window-overridden': 1,
  'change-request.applying': 1,
  'change-request.applied': 1,
  'change-request.stale': 1,
  'change-request.failed': 1,
  'change-request.reopened': 1,
  'change-request.waiting-for-cluster': 1,
  'change-request.revised': 1,
  'change-request.rebased': 1,
  'change-request.cancelled': 1,
  'change-request.expired': 1,
  'change-request.retry-requested': 1,
  'change-request.commented': 1,
  'change-request.thread-resolved': 1,
  'change-request.thread-reopened': 1,
  'drift.detected': 1,
  'drift.resolved': 1,
  'user.created': 1,
  'user.role-granted': 1,
  'user.role-revoked': 1,
  'user.deactivated': 1,
  'user.reactivated': 1,
  'user.sessions-ended': 1,
  'user.signed-in': 1,
  'user.signed-out': 1,
  'user.sign-in-failed': 1,
  'user.sign-in-throttled': 1,
  'user.sign-in-locked': 1,
  'api-token.created': 1,
  'api-token.revoked': 1,
  'environment.created': 1,
  'environment.updated': 1,
  'environment.disabled': 1,
  'environment.enabled': 1,
  'environment.schedule-updated': 1,
  'notification-channel.created': 1,
  'notification-channel.deleted': 1,
  'notification.redelivered': 1,
  'audit.exported': 1,
} satisfies Record<TAuditAction, 1>) as TAuditAction[];

export function isAuditAction(action: string): action is TAuditAction {
  return (AUDIT_ACTIONS as string[]).includes(action);
}

/** The events about one change request (its timeline). */
export type TRequestAuditAction = Extract<TAuditAction, `change-request.${string}`>;

export function isRequestAuditAction(action: string): action is TRequestAuditAction {
  return isAuditAction(action) && action.startsWith('change-request.');
}

/**
 * A stored request event as the timeline reads it: a known name narrows `details` to its type;
 * a name this build does not know (written by a newer one) is `{ action: null, name }`.
 */
export type TRequestEvent = { [A in TRequestAuditAction]: { action: A; details: Partial<TAuditEventDetails[A]> } }[TRequestAuditAction];

export function requestEvent(action: string, details: unknown): TRequestEvent | { action: null; name: string } {
  const d = (details && typeof details === 'object' && !Array.isArray(details) ? details : {}) as Record<string, unknown>;
  // The details were written through the typed appender for this name; older rows may lack later fields (hence Partial).
  return isRequestAuditAction(action) ? ({ action, details: d } as TRequestEvent) : { action: null, name: action };
}

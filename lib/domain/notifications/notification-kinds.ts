/** Every event a notification can report. Adding one: a row here (label, audience) and a call to
 * emitNotification where the state change is written (lib/server/notifications). */
export const NOTIFICATION_KINDS = [
  'review-requested',
  'approved',
  'rejected',
  'changes-requested',
  'commented',
  'applied',
  'failed',
  'stale',
  'waiting-for-cluster',
  'drift-detected',
  'drift-resolved',
  'guard-unhealthy',
  'guard-restored',
  'expiring',
  'window-overridden',
] as const;

export type TNotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: string): value is TNotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** Who is told, by email, of each kind (channels get whatever their admins selected):
 * - `reviewers`: the named reviewers, else every eligible approver of the environment;
 * - `requester`: the request's author;
 * - `participants`: the requester, the named reviewers and everyone who reviewed;
 * - `env-admins`: admins of the environment (global or scoped). */
export type TAudience = 'reviewers' | 'requester' | 'participants' | 'env-admins';

export const NOTIFICATION_KIND_INFO: Record<TNotificationKind, { label: string; audience: TAudience; verb: string }> = {
  'review-requested': { label: 'Review requested', audience: 'reviewers', verb: 'needs your review' },
  approved: { label: 'Approved', audience: 'requester', verb: 'was approved' },
  rejected: { label: 'Rejected', audience: 'requester', verb: 'was rejected' },
  'changes-requested': { label: 'Changes requested', audience: 'requester', verb: 'needs changes before it can be approved' },
  commented: { label: 'New comment', audience: 'participants', verb: 'has a new comment' },
  applied: { label: 'Applied', audience: 'participants', verb: 'was applied' },
  failed: { label: 'Apply failed', audience: 'participants', verb: 'failed to apply' },
  stale: { label: 'Stale', audience: 'participants', verb: 'is stale: the live object moved' },
  'waiting-for-cluster': { label: 'Waiting for cluster', audience: 'participants', verb: 'is waiting for the cluster' },
  'drift-detected': { label: 'Drift detected', audience: 'env-admins', verb: 'drifted from its approved state' },
  'drift-resolved': { label: 'Drift resolved', audience: 'env-admins', verb: 'is back in its approved state' },
  // The admission guard of deploy/ is missing, outdated or leaves managed namespaces unprotected (issue 12).
  'guard-unhealthy': { label: 'Guard unhealthy', audience: 'env-admins', verb: 'has lost its admission guard' },
  'guard-restored': { label: 'Guard restored', audience: 'env-admins', verb: 'is protected by its admission guard again' },
  expiring: { label: 'About to expire', audience: 'requester', verb: 'is about to expire' },
  // An admin let one request apply outside its change window or during a freeze (issue 17).
  'window-overridden': {
    label: 'Change window overridden',
    audience: 'env-admins',
    verb: 'may apply outside its change window (admin override)',
  },
};

/**
 * The users to email for one event. Cases: the actor is never told of their own action; the
 * requester never gets "review requested" for their own request; `reviewers` means the named
 * reviewers when there are any, else every eligible approver; a user who turned the kind off is
 * skipped; each user once.
 */
export function emailRecipients(input: {
  kind: TNotificationKind;
  actorId: string | null;
  requesterId: string | null;
  chosenReviewerIds: readonly string[];
  eligibleApproverIds: readonly string[];
  reviewerIds: readonly string[];
  envAdminIds: readonly string[];
  isEmailOff: (userId: string, kind: TNotificationKind) => boolean;
}): string[] {
  const audience = NOTIFICATION_KIND_INFO[input.kind].audience;
  let ids: readonly string[];
  if (audience === 'reviewers') ids = input.chosenReviewerIds.length ? input.chosenReviewerIds : input.eligibleApproverIds;
  else if (audience === 'requester') ids = input.requesterId ? [input.requesterId] : [];
  else if (audience === 'participants')
    ids = [...(input.requesterId ? [input.requesterId] : []), ...input.chosenReviewerIds, ...input.reviewerIds];
  else ids = input.envAdminIds;
  const out = new Set<string>();
  for (const id of ids) {
    if (id === input.actorId) continue;
    if (audience === 'reviewers' && id === input.requesterId) continue;
    if (input.isEmailOff(id, input.kind)) continue;
    out.add(id);
  }
  return [...out];
}

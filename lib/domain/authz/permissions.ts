/**
 * Who may do what, as data. Every lib/server operation calls assertCan() before it reads or
 * writes anything; UI only uses can() to decide what to show. Ownership rules (only the requester
 * revises) and approval rules (no self-approval, quorum) are separate domain rules on top.
 */
export const ROLES = ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'] as const;
export type TRole = (typeof ROLES)[number];

export const PERMISSIONS = {
  'environment.view': ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'],
  'ingress.view': ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'],
  'change-request.view': ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'],
  'change-request.submit': ['REQUESTER'],
  'change-request.revise': ['REQUESTER'],
  // Cancel one's own request (the lifecycle also asks that the actor is its requester).
  'change-request.cancel': ['REQUESTER', 'ADMIN'],
  // Cancel anyone's request in the environment.
  'change-request.cancel-any': ['ADMIN'],
  'change-request.comment': ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'],
  'change-request.review': ['APPROVER'],
  'change-request.rollback': ['REQUESTER', 'ADMIN'],
  // Apply one request outside its environment's change window or during a freeze (with a reason).
  'change-request.override-window': ['ADMIN'],
  'drift.view': ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN'],
  'drift.remediate': ['REQUESTER', 'ADMIN'],
  'audit.view': ['AUDITOR', 'ADMIN'],
  'audit.export': ['AUDITOR', 'ADMIN'],
  'environment.manage': ['ADMIN'],
  'user.manage': ['ADMIN'],
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof PERMISSIONS;

/** What an API token may be used for; each permission needs one (a token never exceeds its owner's roles). */
export const TOKEN_SCOPES = ['READ', 'SUBMIT', 'REVIEW', 'ADMIN'] as const;
export type TTokenScope = (typeof TOKEN_SCOPES)[number];

export const PERMISSION_SCOPE = {
  'environment.view': 'READ',
  'ingress.view': 'READ',
  'change-request.view': 'READ',
  'drift.view': 'READ',
  'audit.view': 'READ',
  'audit.export': 'READ',
  'change-request.submit': 'SUBMIT',
  'change-request.revise': 'SUBMIT',
  'change-request.cancel': 'SUBMIT',
  'change-request.cancel-any': 'SUBMIT',
  'change-request.comment': 'SUBMIT',
  'change-request.rollback': 'SUBMIT',
  'drift.remediate': 'SUBMIT',
  'change-request.review': 'REVIEW',
  'environment.manage': 'ADMIN',
  'user.manage': 'ADMIN',
  // Overriding a change window is an admin's call, not a pipeline's routine.
  'change-request.override-window': 'ADMIN',
} as const satisfies Record<TPermission, TTokenScope>;

export type TRoleAssignment = { role: TRole; environmentId: string | null };

export type TActor = {
  id: string;
  email: string;
  name: string;
  roles: TRoleAssignment[];
  /** Set when the caller authenticated with an API token: only these scopes' permissions hold. */
  tokenScopes?: readonly TTokenScope[];
};

/** Whether the caller is acting through an API token (which may not mint tokens). */
export function isTokenActor(actor: TActor): boolean {
  return actor.tokenScopes !== undefined;
}

/**
 * Whether the actor holds a role that grants `permission`.
 * - scope `{ environmentId }`: a global assignment or one scoped to that environment counts.
 * - scope `'any'` (default): an assignment in any environment counts (e.g. "may open the inbox").
 * - scope `'global'`: only a global assignment counts (e.g. "may see every environment's audit").
 * - an API-token caller additionally needs the permission's scope (PERMISSION_SCOPE) on the token.
 */
export function can(actor: TActor | null, permission: TPermission, scope: { environmentId: string } | 'any' | 'global' = 'any'): boolean {
  if (!actor) return false;
  if (actor.tokenScopes && !actor.tokenScopes.includes(PERMISSION_SCOPE[permission])) return false;
  const allowed: readonly TRole[] = PERMISSIONS[permission];
  return actor.roles.some((assignment) => {
    if (!allowed.includes(assignment.role)) return false;
    if (scope === 'any') return true;
    if (scope === 'global') return assignment.environmentId === null;
    return assignment.environmentId === null || assignment.environmentId === scope.environmentId;
  });
}

/** Environments in which the actor holds `permission`; 'all' when a global role grants it. */
export function environmentsWhere(actor: TActor, permission: TPermission): 'all' | string[] {
  if (actor.tokenScopes && !actor.tokenScopes.includes(PERMISSION_SCOPE[permission])) return [];
  const allowed: readonly TRole[] = PERMISSIONS[permission];
  const ids = new Set<string>();
  for (const a of actor.roles) {
    if (!allowed.includes(a.role)) continue;
    if (a.environmentId === null) return 'all';
    ids.add(a.environmentId);
  }
  return [...ids];
}

import { describe, expect, it } from 'vitest';
import type { TActor, TRoleAssignment, TTokenScope } from '../authz/permissions';
import {
  actionColumn,
  actionFromColumn,
  CHANGE_ACTIONS,
  CHANGE_STATUSES,
  requestRefusal,
  REQUEST_VERBS,
  viewerCapabilities,
  type TChangeStatus,
  type TRequestFacts,
  type TRequestVerb,
} from './lifecycle';

const PROD = 'env-prod';
const REQUESTER_ID = 'u-requester';

const viewer = (id: string, roles: TRoleAssignment[], tokenScopes?: TTokenScope[]): TActor => ({
  id,
  email: `${id}@example.test`,
  name: id,
  roles,
  ...(tokenScopes ? { tokenScopes } : {}),
});

// Every kind of viewer of a request in prod, and whether each verb's role condition holds for them,
// written out by hand (not derived from the permission table the implementation reads).
const VIEWERS = {
  'the requester': viewer(REQUESTER_ID, [{ role: 'REQUESTER', environmentId: PROD }]),
  'another requester': viewer('u-other', [{ role: 'REQUESTER', environmentId: null }]),
  'an approver': viewer('u-approver', [{ role: 'APPROVER', environmentId: PROD }]),
  'an auditor': viewer('u-auditor', [{ role: 'AUDITOR', environmentId: null }]),
  'an admin of prod': viewer('u-admin', [{ role: 'ADMIN', environmentId: PROD }]),
  'a global admin': viewer('u-global', [{ role: 'ADMIN', environmentId: null }]),
  'an admin of dev only (and auditor)': viewer('u-dev-admin', [
    { role: 'ADMIN', environmentId: 'env-dev' },
    { role: 'AUDITOR', environmentId: null },
  ]),
  'the requester, no longer a requester': viewer(REQUESTER_ID, [{ role: 'AUDITOR', environmentId: null }]),
  'the requester through a read-only token': viewer(REQUESTER_ID, [{ role: 'REQUESTER', environmentId: PROD }], ['READ']),
  'a global admin through a read-only token': viewer('u-global', [{ role: 'ADMIN', environmentId: null }], ['READ']),
} as const;
type TViewer = keyof typeof VIEWERS;

type TSpec = {
  /** Viewers the role condition admits. */
  who: TViewer[];
  /** Statuses the verb accepts. */
  statuses: TChangeStatus[];
  /** Which refusal wins when both fail. */
  order: 'who-first' | 'status-first';
  forbidden: string;
  conflict: (status: string) => string;
};

const SPEC: Record<TRequestVerb, TSpec> = {
  cancel: {
    who: ['the requester', 'an admin of prod', 'a global admin'],
    statuses: ['PENDING', 'REJECTED', 'STALE', 'APPROVED', 'SCHEDULED', 'FAILED'],
    order: 'who-first',
    forbidden: 'Only the requester or an admin can cancel this change.',
    conflict: (s) => `A ${s} request cannot be cancelled.`,
  },
  revise: {
    who: ['the requester'],
    statuses: ['PENDING', 'REJECTED'],
    order: 'who-first',
    forbidden: 'Only the requester can revise this change.',
    conflict: (s) => `A ${s} request cannot be revised.`,
  },
  rebase: {
    who: ['the requester'],
    statuses: ['STALE'],
    order: 'who-first',
    forbidden: 'Only the requester can rebase this change.',
    conflict: () => 'Only a stale request needs a rebase.',
  },
  rollback: {
    who: ['the requester', 'another requester', 'an admin of prod', 'a global admin'],
    statuses: ['APPLIED'],
    order: 'status-first',
    forbidden: 'You cannot roll back changes in prod.',
    conflict: () => 'Only an applied change can be rolled back.',
  },
  comment: {
    who: [
      'the requester',
      'another requester',
      'an approver',
      'an auditor',
      'an admin of prod',
      'a global admin',
      'an admin of dev only (and auditor)',
      'the requester, no longer a requester',
    ],
    statuses: [...CHANGE_STATUSES],
    order: 'who-first',
    forbidden: 'You cannot comment here.',
    conflict: () => 'unreachable',
  },
  'override-window': {
    who: ['an admin of prod', 'a global admin'],
    statuses: ['PENDING', 'APPROVED', 'SCHEDULED'],
    order: 'who-first',
    forbidden: 'Only an admin of the environment can override its change window.',
    conflict: (s) => `A ${s} request has no change window to override.`,
  },
};

const request = (status: TChangeStatus, extra: Partial<TRequestFacts> = {}): TRequestFacts => ({
  requesterId: REQUESTER_ID,
  environmentId: PROD,
  environmentName: 'prod',
  status,
  action: 'UPDATE',
  windowOverrideAt: null,
  ...extra,
});

function expected(verb: TRequestVerb, who: TViewer, status: TChangeStatus) {
  const spec = SPEC[verb];
  const isWho = spec.who.includes(who);
  const isStatus = spec.statuses.includes(status);
  const forbidden = { status: 'FORBIDDEN', message: spec.forbidden };
  const conflict = { status: 'CONFLICT', message: spec.conflict(status.toLowerCase()) };
  if (spec.order === 'who-first') return !isWho ? forbidden : !isStatus ? conflict : null;
  return !isStatus ? conflict : !isWho ? forbidden : null;
}

const CASES = REQUEST_VERBS.flatMap((verb) =>
  (Object.keys(VIEWERS) as TViewer[]).flatMap((who) => CHANGE_STATUSES.map((status) => [verb, who, status] as const)),
);

describe('requestRefusal: every verb × viewer × status', () => {
  it.each(CASES)('%s by %s on a %s request', (verb, who, status) => {
    const refusal = requestRefusal(VIEWERS[who], request(status), verb);
    const want = expected(verb, who, status);
    expect(refusal === null ? null : { status: refusal.status, message: refusal.message }).toEqual(want);
  });

  it('covers every verb, viewer and status (10 statuses × 10 viewers × 6 verbs)', () => {
    expect(CASES).toHaveLength(CHANGE_STATUSES.length * Object.keys(VIEWERS).length * REQUEST_VERBS.length);
    expect(CHANGE_STATUSES).toHaveLength(10);
  });
});

describe('requestRefusal: facts beyond status and role', () => {
  it('a delete request has no manifest to revise, even for its requester while pending', () => {
    expect(requestRefusal(VIEWERS['the requester'], request('PENDING', { action: 'DELETE' }), 'revise')).toEqual({
      code: 'delete-has-no-manifest',
      status: 'CONFLICT',
      message: 'A delete request has no manifest to revise; cancel it instead.',
    });
  });

  it('a delete request can still be rebased and cancelled', () => {
    const facts = request('STALE', { action: 'DELETE' });
    expect(requestRefusal(VIEWERS['the requester'], facts, 'rebase')).toBeNull();
    expect(requestRefusal(VIEWERS['the requester'], facts, 'cancel')).toBeNull();
  });

  it('a window overridden once cannot be overridden again', () => {
    expect(requestRefusal(VIEWERS['a global admin'], request('SCHEDULED', { windowOverrideAt: new Date(0) }), 'override-window')).toEqual({
      code: 'already-overridden',
      status: 'CONFLICT',
      message: 'The change window is already overridden for this request.',
    });
  });

  it('an admin who is also the requester cancels as either', () => {
    const both = viewer(REQUESTER_ID, [{ role: 'ADMIN', environmentId: PROD }]);
    expect(requestRefusal(both, request('PENDING'), 'cancel')).toBeNull();
    expect(requestRefusal(both, request('PENDING'), 'revise')?.code).toBe('not-requester');
  });
});

describe('viewerCapabilities', () => {
  const review = { currentRevision: 2, reviewedRevision: 2, isEligibleApprover: true, existingReviewOnRevision: null };

  it('answers each verb as requestRefusal does, with its sentence', () => {
    for (const who of Object.keys(VIEWERS) as TViewer[]) {
      for (const status of CHANGE_STATUSES) {
        const caps = viewerCapabilities(VIEWERS[who], request(status), review);
        for (const verb of REQUEST_VERBS) {
          const refusal = requestRefusal(VIEWERS[who], request(status), verb);
          expect(caps.refusals[verb]).toBe(refusal?.message);
        }
        expect([caps.canCancel, caps.canRevise, caps.canRebase, caps.canRollback, caps.canComment, caps.canOverrideWindow]).toEqual(
          (['cancel', 'revise', 'rebase', 'rollback', 'comment', 'override-window'] as const).map((v) => expected(v, who, status) === null),
        );
      }
    }
  });

  it('asks the review rule with the request’s requester, status and environment', () => {
    expect(viewerCapabilities(VIEWERS['the requester'], request('PENDING'), review)).toMatchObject({
      canReview: false,
      reviewRefusal: 'You requested this change; someone else must review it.',
    });
    expect(viewerCapabilities(VIEWERS['an approver'], request('PENDING'), { ...review, isEligibleApprover: false })).toMatchObject({
      canReview: false,
      reviewRefusal: 'You are not an approver in prod.',
    });
    expect(viewerCapabilities(VIEWERS['an approver'], request('APPROVED'), review)).toMatchObject({
      canReview: false,
      reviewRefusal: 'The request is approved; only pending requests can be reviewed.',
    });
    expect(viewerCapabilities(VIEWERS['an approver'], request('PENDING'), review)).toMatchObject({ canReview: true, reviewRefusal: null });
  });
});

describe('actions: one spelling per layer', () => {
  it.each(CHANGE_ACTIONS)('%s round-trips through its column', (action) => {
    expect(actionColumn(action)).toBe(action.toUpperCase());
    expect(actionFromColumn(actionColumn(action))).toBe(action);
  });
});

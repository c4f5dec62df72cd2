import { describe, expect, it } from 'vitest';
import {
  can,
  environmentsWhere,
  isTokenActor,
  PERMISSION_SCOPE,
  PERMISSIONS,
  type TActor,
  type TRoleAssignment,
  type TTokenScope,
} from './permissions';

const actor = (roles: TRoleAssignment[]): TActor => ({ id: 'u1', email: 'u@x', name: 'U', roles });
const PROD = { environmentId: 'prod' };

describe('can', () => {
  it.each([
    ['no actor', null, 'change-request.view', 'any', false],
    ['no roles', actor([]), 'change-request.view', 'any', false],
    ['global requester submits in prod', actor([{ role: 'REQUESTER', environmentId: null }]), 'change-request.submit', PROD, true],
    [
      'requester scoped to dev cannot submit in prod',
      actor([{ role: 'REQUESTER', environmentId: 'dev' }]),
      'change-request.submit',
      PROD,
      false,
    ],
    ['approver scoped to prod reviews in prod', actor([{ role: 'APPROVER', environmentId: 'prod' }]), 'change-request.review', PROD, true],
    [
      'approver scoped to staging cannot review prod',
      actor([{ role: 'APPROVER', environmentId: 'staging' }]),
      'change-request.review',
      PROD,
      false,
    ],
    ['admin cannot review (approver only)', actor([{ role: 'ADMIN', environmentId: null }]), 'change-request.review', PROD, false],
    ['auditor exports', actor([{ role: 'AUDITOR', environmentId: null }]), 'audit.export', 'global', true],
    ['requester cannot export', actor([{ role: 'REQUESTER', environmentId: null }]), 'audit.export', 'any', false],
    ['scoped admin is not a global admin', actor([{ role: 'ADMIN', environmentId: 'dev' }]), 'user.manage', 'global', false],
    ['admin overrides a change window', actor([{ role: 'ADMIN', environmentId: 'prod' }]), 'change-request.override-window', PROD, true],
    [
      'approver cannot override a change window',
      actor([{ role: 'APPROVER', environmentId: null }]),
      'change-request.override-window',
      PROD,
      false,
    ],
    ['scoped role counts for any', actor([{ role: 'APPROVER', environmentId: 'dev' }]), 'change-request.view', 'any', true],
  ] as const)('%s', (_name, who, permission, scope, expected) => {
    expect(can(who, permission, scope)).toBe(expected);
  });
});

describe('environmentsWhere', () => {
  it('returns all for a global role and the scoped ids otherwise', () => {
    expect(environmentsWhere(actor([{ role: 'APPROVER', environmentId: null }]), 'change-request.review')).toBe('all');
    expect(
      environmentsWhere(
        actor([
          { role: 'APPROVER', environmentId: 'a' },
          { role: 'REQUESTER', environmentId: 'b' },
        ]),
        'change-request.review',
      ),
    ).toEqual(['a']);
  });
});

describe('API token scopes', () => {
  const approverToken = (scopes: TTokenScope[]): TActor => ({ ...actor([{ role: 'APPROVER', environmentId: null }]), tokenScopes: scopes });
  it('every permission needs exactly one scope', () => {
    expect(Object.keys(PERMISSION_SCOPE).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });
  it.each([
    ['review scope may review', ['REVIEW'], 'change-request.review', true],
    ['read-only token cannot review', ['READ'], 'change-request.review', false],
    ['submit token cannot review', ['READ', 'SUBMIT'], 'change-request.review', false],
    ['read token may view', ['READ'], 'change-request.view', true],
    ['review token may not view without read', ['REVIEW'], 'change-request.view', false],
  ] as const)('%s', (_name, scopes, permission, expected) => {
    expect(can(approverToken([...scopes]), permission, PROD)).toBe(expected);
  });
  it('a scope never adds a role: an admin-scoped token of a requester manages nothing', () => {
    const t: TActor = { ...actor([{ role: 'REQUESTER', environmentId: null }]), tokenScopes: ['ADMIN', 'READ', 'SUBMIT', 'REVIEW'] };
    expect(can(t, 'environment.manage', 'any')).toBe(false);
    expect(can(t, 'change-request.review', PROD)).toBe(false);
    expect(isTokenActor(t)).toBe(true);
    expect(isTokenActor(actor([]))).toBe(false);
  });
  it('environmentsWhere honours the scope', () => {
    expect(environmentsWhere(approverToken(['READ']), 'change-request.review')).toEqual([]);
    expect(environmentsWhere(approverToken(['REVIEW']), 'change-request.review')).toBe('all');
  });
});

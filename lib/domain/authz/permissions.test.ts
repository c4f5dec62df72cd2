import { describe, expect, it } from 'vitest';
import { can, environmentsWhere, type TActor, type TRoleAssignment } from './permissions';

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

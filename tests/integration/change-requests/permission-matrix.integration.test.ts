import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import type { TActor } from '@/lib/domain/authz/permissions';
import { applyChangeRequest } from '@/lib/server/apply/apply-change-request';
import { createApiToken } from '@/lib/server/api-tokens/manage-api-tokens';
import { cancelChangeRequest } from '@/lib/server/change-requests/cancel-change-request';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { ingressHistory } from '@/lib/server/history/ingress-history';
import { rollbackChangeRequest } from '@/lib/server/history/rollback';
import { AppError } from '@/lib/server/errors';
import { resetDb } from '../helpers';
import { actor, env, reseed, startWorld, STOREFRONT_UPDATE } from './world';

// Every role (and none, and signed out) × every change-request operation: allowed or the exact
// refusal. "other" = a requester who did not open the request. Fixtures are rebuilt per row.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
});

// The last three act through API tokens (issue 11 item 8): a token's scopes narrow its owner's roles.
type TWho =
  | 'signed-out'
  | 'no-role'
  | 'requester'
  | 'other-requester'
  | 'approver'
  | 'auditor'
  | 'admin'
  | 'requester-token'
  | 'approver-read-token'
  | 'approver-review-token';
const WHO: TWho[] = [
  'signed-out',
  'no-role',
  'requester',
  'other-requester',
  'approver',
  'auditor',
  'admin',
  'requester-token',
  'approver-read-token',
  'approver-review-token',
];

type TFixture = { who: TActor | null; requester: TActor; requestId: string; appliedId: string };

async function fixture(who: TWho): Promise<TFixture> {
  await env({ name: 'prod' });
  const requester = await actor(['REQUESTER'], 'owner');
  const approver = await actor(['APPROVER'], 'approver');
  const applied = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    title: 'Applied one',
    justification: 'for rollback',
    yaml: STOREFRONT_UPDATE,
  });
  await reviewChangeRequest(approver, applied.id, { decision: 'APPROVE', revision: 1 });
  await applyChangeRequest({ changeRequestId: applied.id, revision: 1 });
  const pending = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    title: 'Pending one',
    justification: 'to act on',
    yaml: STOREFRONT_UPDATE.replace('/api', '/api/v3'),
  });
  const actors: Record<TWho, () => Promise<TActor | null>> = {
    'signed-out': async () => null,
    'no-role': () => actor([], 'nobody'),
    requester: async () => requester,
    'other-requester': () => actor(['REQUESTER'], 'other'),
    approver: async () => approver,
    auditor: () => actor(['AUDITOR'], 'auditor'),
    admin: () => actor(['ADMIN'], 'admin'),
    'requester-token': async () => ({ ...requester, tokenScopes: ['READ', 'SUBMIT'] }),
    'approver-read-token': async () => ({ ...approver, tokenScopes: ['READ'] }),
    'approver-review-token': async () => ({ ...approver, tokenScopes: ['READ', 'REVIEW'] }),
  };
  return { who: await actors[who](), requester, requestId: pending.id, appliedId: applied.id };
}

const OPERATIONS: Record<string, (f: TFixture) => Promise<unknown>> = {
  submit: (f) =>
    submitChangeRequest(f.who, {
      environment: 'prod',
      namespace: 'shop',
      action: 'update',
      title: 'Another',
      justification: 'matrix',
      yaml: STOREFRONT_UPDATE.replace('/api', '/api/v9'),
    }),
  view: (f) => getChangeRequest(f.who, f.requestId),
  list: (f) => listChangeRequests(f.who, {}),
  comment: (f) => commentOnChangeRequest(f.who, f.requestId, { body: 'looks fine' }),
  approve: (f) => reviewChangeRequest(f.who, f.requestId, { decision: 'APPROVE', revision: 1 }),
  revise: (f) => reviseChangeRequest(f.who, f.requestId, { yaml: STOREFRONT_UPDATE.replace('/api', '/api/v4') }),
  cancel: (f) => cancelChangeRequest(f.who, f.requestId, 'matrix'),
  rollback: (f) => rollbackChangeRequest(f.who, f.appliedId),
  history: (f) => ingressHistory(f.who, { environment: 'prod', namespace: 'shop', name: 'storefront' }),
  'api-token': (f) => createApiToken(f.who, { name: 'ci', scopes: ['read'] }),
};

// ok = allowed; otherwise the AppError code.
// prettier-ignore
const EXPECTED: Record<string, Record<TWho, 'ok' | AppError['code']>> = {
  submit: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'FORBIDDEN', requester: 'ok', 'other-requester': 'ok', approver: 'FORBIDDEN', auditor: 'FORBIDDEN', admin: 'FORBIDDEN', 'requester-token': 'ok', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
  view: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'ok', approver: 'ok', auditor: 'ok', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'ok', 'approver-review-token': 'ok' },
  list: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'ok', requester: 'ok', 'other-requester': 'ok', approver: 'ok', auditor: 'ok', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'ok', 'approver-review-token': 'ok' },
  comment: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'ok', approver: 'ok', auditor: 'ok', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
  approve: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'FORBIDDEN', 'other-requester': 'FORBIDDEN', approver: 'ok', auditor: 'FORBIDDEN', admin: 'FORBIDDEN', 'requester-token': 'FORBIDDEN', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'ok' },
  revise: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'FORBIDDEN', approver: 'FORBIDDEN', auditor: 'FORBIDDEN', admin: 'FORBIDDEN', 'requester-token': 'ok', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
  cancel: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'FORBIDDEN', approver: 'FORBIDDEN', auditor: 'FORBIDDEN', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
  rollback: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'ok', approver: 'FORBIDDEN', auditor: 'FORBIDDEN', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
  history: { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'NOT_FOUND', requester: 'ok', 'other-requester': 'ok', approver: 'ok', auditor: 'ok', admin: 'ok', 'requester-token': 'ok', 'approver-read-token': 'ok', 'approver-review-token': 'ok' },
  'api-token': { 'signed-out': 'UNAUTHENTICATED', 'no-role': 'ok', requester: 'ok', 'other-requester': 'ok', approver: 'ok', auditor: 'ok', admin: 'ok', 'requester-token': 'FORBIDDEN', 'approver-read-token': 'FORBIDDEN', 'approver-review-token': 'FORBIDDEN' },
};

describe('change-request permission matrix', () => {
  const rows = Object.keys(OPERATIONS).flatMap((op) => WHO.map((who) => [op, who, EXPECTED[op]![who]] as const));
  it.each(rows)('%s by %s → %s', async (op, who, expected) => {
    const f = await fixture(who);
    const outcome = await OPERATIONS[op]!(f).then(
      () => 'ok',
      (error: unknown) => (error instanceof AppError ? error.code : `unexpected: ${String(error)}`),
    );
    expect(outcome).toBe(expected);
  });
});

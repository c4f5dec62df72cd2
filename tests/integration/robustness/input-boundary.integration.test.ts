import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createLocalUser, grantRole } from '@/lib/server/admin/manage-users';
import { createEnvironment } from '@/lib/server/admin/create-environment';
import { updateEnvironment } from '@/lib/server/admin/update-environment';
import { createApiToken, revokeApiToken } from '@/lib/server/api-tokens/manage-api-tokens';
import { signInWithPassword } from '@/lib/server/auth/sign-in-with-password';
import { cancelChangeRequest } from '@/lib/server/change-requests/cancel-change-request';
import { commentOnChangeRequest } from '@/lib/server/change-requests/comment-on-change-request';
import { getChangeRequest } from '@/lib/server/change-requests/get-change-request';
import { listChangeRequests } from '@/lib/server/change-requests/list-change-requests';
import { reviseChangeRequest } from '@/lib/server/change-requests/revise-change-request';
import { reviewChangeRequest } from '@/lib/server/change-requests/review-change-request';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { adoptLiveState } from '@/lib/server/drift/adopt-live-state';
import { restoreApprovedState } from '@/lib/server/drift/restore-approved-state';
import { AppError } from '@/lib/server/errors';
import { ingressHistory } from '@/lib/server/history/ingress-history';
import { rollbackChangeRequest } from '@/lib/server/history/rollback';
import { db, resetDb } from '../helpers';
import { actor, env, newIngressYaml, reseed, startWorld } from '../change-requests/world';

// Issue 14, finding 1: text a user can type reached PostgreSQL and came back as a 500 — a NUL in a
// title (22021), a lone surrogate from JSON, a NUL inside YAML that validated and then failed the
// insert (22P05). Every lib/server operation behind a server action or REST endpoint is driven
// here with generated hostile strings in each text field: each call must fail with an expected
// 4xx AppError naming the field, and no row in any table may change.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
beforeAll(async () => ({ fake, stop } = await startWorld()));
afterAll(async () => stop());

const BAD = ['\u0000', '\ud800', '\udfff', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'];
/** A string that contains at least one disallowed character (and is long enough for every minimum length). */
const hostile = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...BAD), fc.string({ maxLength: 12, unit: 'binary' }))
  .map(([a, bad, b]) => `abc${a}${bad}${b}`);

/** A fingerprint of every row of every table (the application's and the job queue's). */
async function snapshot(): Promise<string> {
  const tables = await db().$queryRawUnsafe<{ t: string }[]>(
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables
      WHERE schemaname IN ('public', 'graphile_worker') AND tablename NOT LIKE '\\_prisma%' ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await db().$queryRawUnsafe<{ h: string | null }[]>(
      `SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS h FROM ${t} x`,
    );
    parts.push(`${t}=${row?.h ?? 'empty'}`);
  }
  return parts.join('\n');
}

async function expectRefused(call: () => Promise<unknown>): Promise<AppError> {
  let caught: unknown = null;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'the call must fail').not.toBeNull();
  expect(caught, `not an expected error: ${String(caught)}`).toBeInstanceOf(AppError);
  const e = caught as AppError;
  expect(e.status).toBeGreaterThanOrEqual(400);
  expect(e.status).toBeLessThan(500);
  return e;
}

let admin: TActor;
let requester: TActor;
let approver: TActor;
let requestId: string;
let envId: string;
let userId: string;

async function world() {
  await resetDb();
  reseed(fake);
  const e = await env({ name: 'prod', requiredApprovals: 2 });
  envId = e.id;
  admin = await actor(['ADMIN'], 'admin');
  requester = await actor(['REQUESTER'], 'requester');
  approver = await actor(['APPROVER'], 'approver');
  userId = requester.id;
  const cr = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'create',
    title: 'promo',
    justification: 'campaign',
    yaml: newIngressYaml('promo', 'promo.example.com'),
  });
  requestId = cr.id;
}

describe('the input boundary', () => {
  beforeEach(world);

  it('a NUL in a title is a 400 naming the title; nothing is stored', async () => {
    const before = await snapshot();
    const e = await expectRefused(() =>
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'create',
        title: 'Add\u0000promo',
        justification: 'a campaign',
        yaml: newIngressYaml('nul', 'nul.example.com'),
      }),
    );
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe('title contains a NUL character (U+0000) at position 4; remove it.');
    expect(e.fieldErrors[0]).toMatchObject({ path: 'title' });
    expect(await snapshot()).toBe(before);
  });

  it('a lone surrogate (as JSON "\\ud800" decodes) in a justification is a 400; nothing is stored', async () => {
    const before = await snapshot();
    const body = JSON.parse('{"justification":"why \\ud800"}') as { justification: string };
    const e = await expectRefused(() =>
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'create',
        title: 'a title',
        justification: body.justification,
        yaml: newIngressYaml('sur', 'sur.example.com'),
      }),
    );
    expect(e.message).toBe('justification contains an unpaired surrogate (U+D800) at position 5; remove it.');
    expect(e.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('a NUL inside a YAML string is a 422 with its line and column; nothing is stored', async () => {
    const before = await snapshot();
    const yaml = newIngressYaml('yamlnul', 'yamlnul.example.com').replace('name: yamlnul', 'name: yaml\u0000nul');
    const line = yaml.split('\n').findIndex((l) => l.includes('\u0000')) + 1;
    const column = yaml.split('\n')[line - 1]!.indexOf('\u0000') + 1;
    const e = await expectRefused(() =>
      submitChangeRequest(requester, {
        environment: 'prod',
        namespace: 'shop',
        action: 'create',
        title: 'a title',
        justification: 'a reason',
        yaml,
      }),
    );
    expect(e.status).toBe(422);
    expect(e.fieldErrors).toEqual([
      { path: 'yaml', line, column, message: `contains a NUL character (U+0000) at line ${line}, column ${column}; remove it` },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('the database client refuses a disallowed character in any query, reads included, naming the field', async () => {
    await expect(db().user.findFirst({ where: { email: 'a\u0000b' } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'email contains a NUL character (U+0000) at position 2; remove it.',
    });
    await expect(
      db().comment.create({ data: { changeRequestId: requestId, authorId: admin.id, body: 'x\ud800' } as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fieldErrors: [{ path: 'body' }],
    });
    await expect(db().$queryRawUnsafe('SELECT $1::text', 'a\u0000')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('generated hostile strings in every text field of every operation: always a 4xx, no row changed', async () => {
    const [token] = await Promise.all([createApiToken(requester, { name: 'ci', scopes: ['read'] })]);
    const before = await snapshot();
    const operations: [string, (s: string) => Promise<unknown>][] = [
      [
        'submit.title',
        (s) =>
          submitChangeRequest(requester, {
            environment: 'prod',
            namespace: 'shop',
            action: 'create',
            title: s,
            justification: 'j',
            yaml: newIngressYaml('p2', 'p2.example.com'),
          }),
      ],
      [
        'submit.justification',
        (s) =>
          submitChangeRequest(requester, {
            environment: 'prod',
            namespace: 'shop',
            action: 'create',
            title: 't',
            justification: s,
            yaml: newIngressYaml('p3', 'p3.example.com'),
          }),
      ],
      [
        'submit.yaml',
        (s) =>
          submitChangeRequest(requester, {
            environment: 'prod',
            namespace: 'shop',
            action: 'create',
            title: 't',
            justification: 'j',
            yaml: `${newIngressYaml('p4', 'p4.example.com')}# ${s}\n`,
          }),
      ],
      [
        'submit.environment',
        (s) =>
          submitChangeRequest(requester, {
            environment: s,
            namespace: 'shop',
            action: 'create',
            title: 't',
            justification: 'j',
            yaml: newIngressYaml('p5', 'p5.example.com'),
          }),
      ],
      [
        'submit.namespace',
        (s) =>
          submitChangeRequest(requester, {
            environment: 'prod',
            namespace: s,
            action: 'create',
            title: 't',
            justification: 'j',
            yaml: newIngressYaml('p6', 'p6.example.com'),
          }),
      ],
      [
        'revise.note',
        (s) =>
          reviseChangeRequest(requester, requestId, {
            note: s,
            yaml: newIngressYaml('promo', 'promo2.example.com'),
          }),
      ],
      [
        'revise.yaml',
        (s) =>
          reviseChangeRequest(requester, requestId, {
            yaml: newIngressYaml('promo', 'promo2.example.com').replace('promo2', `promo2${s}`),
          }),
      ],
      ['comment.body', (s) => commentOnChangeRequest(approver, requestId, { body: s })],
      ['review.comment', (s) => reviewChangeRequest(approver, requestId, { decision: 'REJECT', revision: 1, comment: s })],
      ['cancel.reason', (s) => cancelChangeRequest(requester, requestId, s)],
      ['cancel.id', (s) => cancelChangeRequest(requester, s, 'r')],
      ['get.id', (s) => getChangeRequest(requester, s)],
      ['list.q', (s) => listChangeRequests(requester, { q: s })],
      ['list.environment', (s) => listChangeRequests(requester, { environment: s })],
      ['rollback.reason', (s) => rollbackChangeRequest(requester, requestId, { reason: s })],
      ['history.name', (s) => ingressHistory(requester, { environment: 'prod', namespace: 'shop', name: s })],
      ['token.name', (s) => createApiToken(requester, { name: s, scopes: ['read'] })],
      ['token.revoke', (s) => revokeApiToken(requester, `${token.id.slice(0, 8)}${s}`)],
      ['env.create.name', (s) => createEnvironment(admin, { name: s })],
      ['env.update.description', (s) => updateEnvironment(admin, envId, { description: s })],
      ['user.create.name', (s) => createLocalUser(admin, { email: 'new@example.com', name: s, password: 'a-long-enough-password-1' })],
      ['user.create.email', (s) => createLocalUser(admin, { email: `n${s}@example.com`, name: 'n', password: 'a-long-enough-password-1' })],
      ['role.grant.user', (s) => grantRole(admin, `${userId.slice(0, 4)}${s}`, { role: 'APPROVER' })],
      ['drift.adopt.id', (s) => adoptLiveState(admin, s, { justification: 'j' })],
      ['drift.restore.id', (s) => restoreApprovedState(admin, s, { reason: 'r' })],
    ];
    for (const [name, call] of operations) {
      await fc.assert(
        fc.asyncProperty(hostile, async (s) => {
          await expectRefused(() => call(s)).catch((error: unknown) => {
            throw new Error(`${name} with ${JSON.stringify(s)}: ${String(error)}`);
          });
        }),
        { numRuns: 12 },
      );
    }
    // Sign-in is not an AppError path: it answers a value, and must not throw either.
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        const result = await signInWithPassword({ email: `a${s}@example.com`, password: s });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 12 },
    );
    expect(await snapshot()).toBe(before);
  }, 240_000);
});

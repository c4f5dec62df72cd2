import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { hashApiToken, newApiTokenSecret } from '@/lib/server/api-tokens/actor-from-api-token';
import { E2E_METRICS_TOKEN } from './support/config';
import { createUser, e2eDb, uniqueEmail } from './support/db';
import { ingressYaml } from './support/manifests';
import { signIn } from './support/sign-in';

// Issue 14 over real HTTP against the built app: hostile text in every REST endpoint and every
// server action never gives a 5xx nor changes a row; real 404s; a favicon; request ids in error
// bodies and audit details; metrics behind a token; liveness and readiness.

const BAD = ['\u0000', '\ud800', '\udc00', '\u0001', '\u0008', '\u001b', '\u007f', '\u0085'];
const hostile = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...BAD), fc.string({ maxLength: 10 }))
  .map(([a, bad, b]) => `abc${a.replace(/^\$/, '')}${bad}${b}`);
const RUNS = 6;
const PASSWORD = 'robustness-e2e-password-1';
/** Percent-encodes for a URL; a lone surrogate (which encodeURIComponent refuses) as its would-be UTF-8 bytes. */
const enc = (s: string) =>
  Array.from(s)
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');

/** Every row of every table the app writes (heartbeats excluded: the worker beats every 5 s; so
 * is an API token's last_used_at, which each authenticated call stamps). */
async function snapshot(): Promise<string> {
  // Settle first: a valid request made just before (the fixture) queues notification jobs that the
  // worker delivers asynchronously; only changes caused by the hostile calls may count.
  await expect
    .poll(
      async () => Number((await e2eDb().$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM graphile_worker._private_jobs'))[0]?.n),
      { timeout: 30_000 },
    )
    .toBe(0);
  const tables = await e2eDb().$queryRawUnsafe<{ t: string }[]>(
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables
      WHERE (schemaname = 'public' AND tablename NOT IN ('worker_heartbeats', '_prisma_migrations'))
         OR (schemaname = 'graphile_worker' AND tablename = '_private_jobs') ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const [row] = await e2eDb().$queryRawUnsafe<{ h: string | null }[]>(
      `SELECT md5(string_agg((to_jsonb(x) - 'last_used_at')::text, ',' ORDER BY (to_jsonb(x) - 'last_used_at')::text)) AS h FROM ${t} x`,
    );
    parts.push(`${t}=${row?.h ?? 'empty'}`);
  }
  return parts.join('\n');
}

async function userWithToken(roles: Parameters<typeof createUser>[1]['roles']) {
  const user = await createUser(e2eDb(), { email: uniqueEmail('robust'), roles });
  const secret = newApiTokenSecret();
  const token = await e2eDb().apiToken.create({
    data: {
      userId: user.id,
      name: 'ci',
      prefix: secret.slice(0, 8),
      tokenHash: hashApiToken(secret),
      scopes: ['READ', 'SUBMIT', 'REVIEW'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { user, token, headers: { Authorization: `Bearer ${secret}` } };
}

// A lone surrogate cannot travel in a URL: its would-be bytes decode to U+FFFD, a harmless
// character, so a URL call may succeed; a body call never does. Neither may be a 5xx.
function expectNo5xx(status: number, what: string) {
  expect(status, what).toBeLessThan(500);
}

test('[ROBUST] hostile strings in every REST endpoint: never a 5xx, no row changed', async ({ request }) => {
  test.setTimeout(240_000);
  const requester = await userWithToken(['REQUESTER', 'APPROVER']);
  const name = `robust-${Date.now().toString(36)}`;
  const created = await request.post('/api/v1/change-requests', {
    headers: requester.headers,
    data: {
      environment: 'staging',
      namespace: 'shop',
      action: 'create',
      title: 'robust',
      justification: 'a reason',
      yaml: ingressYaml({ name, host: `${name}.example.com`, namespace: 'shop', className: 'nginx-public' }),
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const submit = (fields: Record<string, string>) => ({
    environment: 'staging',
    namespace: 'shop',
    action: 'create',
    title: 'a title',
    justification: 'a reason',
    yaml: ingressYaml({ name: `${name}-x`, host: `${name}-x.example.com`, namespace: 'shop', className: 'nginx-public' }),
    ...fields,
  });
  const calls: [string, (s: string) => Promise<{ status: () => number }>][] = [
    [
      'POST change-requests title',
      (s) => request.post('/api/v1/change-requests', { headers: requester.headers, data: submit({ title: s }) }),
    ],
    [
      'POST change-requests justification',
      (s) => request.post('/api/v1/change-requests', { headers: requester.headers, data: submit({ justification: s }) }),
    ],
    [
      'POST change-requests environment',
      (s) => request.post('/api/v1/change-requests', { headers: requester.headers, data: submit({ environment: s }) }),
    ],
    [
      'POST change-requests yaml',
      (s) => request.post('/api/v1/change-requests', { headers: requester.headers, data: submit({ yaml: `${submit({}).yaml}# ${s}\n` }) }),
    ],
    [
      'POST change-requests key',
      (s) => request.post('/api/v1/change-requests', { headers: requester.headers, data: { ...submit({}), [s]: 'x' } }),
    ],
    [
      'POST comments body',
      (s) => request.post(`/api/v1/change-requests/${id}/comments`, { headers: requester.headers, data: { body: s } }),
    ],
    [
      'POST reviews comment',
      (s) =>
        request.post(`/api/v1/change-requests/${id}/reviews`, {
          headers: requester.headers,
          data: { decision: 'REJECT', revision: 1, comment: s },
        }),
    ],
    ['POST tokens name', (s) => request.post('/api/v1/tokens', { headers: requester.headers, data: { name: s } })],
    ['GET change-requests q', (s) => request.get(`/api/v1/change-requests?q=${enc(s)}`, { headers: requester.headers })],
    [
      'GET change-requests environment',
      (s) => request.get(`/api/v1/change-requests?environment=${enc(s)}`, { headers: requester.headers }),
    ],
    ['GET change-request id', (s) => request.get(`/api/v1/change-requests/${enc(s)}`, { headers: requester.headers })],
    ['GET status id', (s) => request.get(`/api/requests/${enc(s)}/status`, { headers: requester.headers })],
    ['DELETE token id', (s) => request.delete(`/api/v1/tokens/${enc(s)}`, { headers: requester.headers })],
    ['GET audit export filter', (s) => request.get(`/api/audit/export?format=csv&action=${enc(s)}`, { headers: requester.headers })],
  ];
  const before = await snapshot();
  for (const [what, call] of calls) {
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        expectNo5xx((await call(s)).status(), `${what} ${JSON.stringify(s)}`);
      }),
      { numRuns: RUNS },
    );
  }
  // A lone surrogate spelled as a JSON escape, byte for byte as a client would send it.
  const raw = await request.post('/api/v1/change-requests', {
    headers: { ...requester.headers, 'content-type': 'application/json' },
    data: JSON.stringify(submit({})).replace('"a title"', '"a \\ud800 title"'),
  });
  expect(raw.status()).toBe(400);
  expect(await raw.json()).toMatchObject({
    error: { code: 'INVALID_INPUT', message: 'title contains an unpaired surrogate (U+D800) at position 3; remove it.' },
  });
  expect(await snapshot()).toBe(before);
});

type TManifest = { node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> };

/** Calls a server action the way React does: POST to a page that uses it, `Next-Action: <id>`. */
async function callAction(request: APIRequestContext, exportedName: string, args: unknown[], form?: Record<string, string>) {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), '.next/server/server-reference-manifest.json'), 'utf8')) as TManifest;
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!entry) throw new Error(`no server action ${exportedName} in the build`);
  const [actionId, info] = entry;
  const page =
    Object.keys(info.workers)[0]!
      .replace(/^app/, '')
      .replace(/\/page$/, '')
      .replace(/\[[^\]]+\]/g, 'x') || '/';
  const headers = { 'Next-Action': actionId, Accept: 'text/x-component', Origin: new URL(test.info().project.use.baseURL!).origin };
  if (!form) return request.post(page, { headers: { ...headers, 'Content-Type': 'text/plain;charset=UTF-8' }, data: JSON.stringify(args) });
  // A FormData argument travels as multipart: the argument list in part "0" refers to it as $K1,
  // and its fields are parts named "1_<field>" (React's reply encoding).
  const multipart: Record<string, string> = { '0': JSON.stringify([...args, '$K1']) };
  for (const [k, v] of Object.entries(form)) multipart[`1_${k}`] = v;
  return request.post(page, { headers, multipart });
}

test('[ROBUST] hostile strings in every server action: never a 5xx, no row changed', async ({ page }) => {
  test.setTimeout(300_000);
  const admin = await createUser(e2eDb(), { email: uniqueEmail('robust-admin'), roles: ['ADMIN'], password: PASSWORD });
  const target = await createUser(e2eDb(), { email: uniqueEmail('robust-target'), roles: ['APPROVER'], password: PASSWORD });
  await signIn(page, admin.email, PASSWORD);
  const request = page.request;
  const env = await e2eDb().environment.findFirstOrThrow({ where: { name: 'staging' } });
  const cr = await e2eDb().changeRequest.findFirst({ where: { environmentId: env.id }, select: { id: true } });
  const crId = cr?.id ?? '00000000-0000-4000-8000-000000000000';
  const actions: [string, (s: string) => [unknown[], Record<string, string>?]][] = [
    [
      'submitChangeRequestAction',
      (s) => [
        [{ environment: 'staging', namespace: 'shop', action: 'create', title: s, justification: 'a reason', yaml: 'kind: Ingress' }],
      ],
    ],
    ['reviseChangeRequestAction', (s) => [[crId, { yaml: 'kind: Ingress', note: s }]]],
    ['rebaseChangeRequestAction', (s) => [[s]]],
    ['cancelChangeRequestAction', (s) => [[crId, s]]],
    ['commentOnChangeRequestAction', (s) => [[crId, { body: s }]]],
    ['reviewChangeRequestAction', (s) => [[crId, { decision: 'REJECT', revision: 1, comment: s }]]],
    ['rollbackChangeRequestAction', (s) => [[crId, s]]],
    ['restoreAppliedVersionAction', (s) => [[s, 'a reason']]],
    ['previewRestoreAction', (s) => [[s]]],
    ['analysisContextAction', (s) => [[{ environment: s, namespace: 'shop' }]]],
    ['clusterNamespacesAction', (s) => [[s]]],
    ['routeContextAction', (s) => [[s]]],
    ['createApiTokenAction', (s) => [[{ name: s }]]],
    ['revokeApiTokenAction', (s) => [[s]]],
    ['restoreApprovedStateAction', (s) => [[s, 'a reason']]],
    ['adoptLiveStateAction', (s) => [[s, 'a reason']]],
    ['setDisabledAction', (s) => [[s, true]]],
    ['testConnectionAction', (s) => [[s, null]]],
    ['createEnvironmentAction', (s) => [[null], { name: s }]],
    ['saveEnvironmentAction', (s) => [[env.id, null], { description: s, requiredApprovals: '1', requestExpiryHours: '168' }]],
    ['grantRoleAction', (s) => [[null], { userId: target.id, role: 'APPROVER', environmentId: s }]],
    ['revokeRoleAction', (s) => [[null], { assignmentId: s }]],
    ['setUserActiveAction', (s) => [[null], { userId: s, isActive: 'false' }]],
    ['createUserAction', (s) => [[null], { email: uniqueEmail('x'), name: s, password: 'a-long-enough-password-1', role: '' }]],
  ];
  const before = await snapshot();
  for (const [name, argsFor] of actions) {
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        const [args, form] = argsFor(s);
        const response = await callAction(request, name, args, form);
        expect(response.status(), `${name} ${JSON.stringify(s)}: ${(await response.text()).slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
  }
  expect(await snapshot()).toBe(before);
});

test('[ROBUST] a newline in callbackUrl: sign-in still works and lands on /', async ({ page }) => {
  const user = await createUser(e2eDb(), { email: uniqueEmail('robust-cb'), roles: ['REQUESTER'], password: PASSWORD });
  await page.goto('/sign-in?callbackUrl=%2Frequests%0AX-Evil%3A%201');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText(user.email);
  expect(new URL(page.url()).pathname).toBe('/');
});

test('[ROBUST] a NUL in a page URL is a 400 page naming the parameter', async ({ request }) => {
  const response = await request.get('/sign-in?callbackUrl=%2F%00x');
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain(
    'query parameter &#34;callbackUrl&#34; contains a NUL character (U+0000) at position 2; remove it.',
  );
});

test('[ROBUST] missing requests, Ingresses and pages are real 404s; the favicon exists', async ({ page }) => {
  const user = await createUser(e2eDb(), { email: uniqueEmail('robust-404'), roles: ['REQUESTER'], password: PASSWORD });
  await signIn(page, user.email, PASSWORD);
  const missingRequest = await page.goto('/requests/00000000-0000-4000-8000-000000000000');
  expect(missingRequest?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No such change request' })).toBeVisible();
  const missingIngress = await page.goto('/ingresses/staging/shop/no-such-ingress');
  expect(missingIngress?.status()).toBe(404);
  const missingPage = await page.goto('/no-such-page');
  expect(missingPage?.status()).toBe(404);
  const existing = await page.goto('/ingresses/staging/shop/storefront');
  expect(existing?.status()).toBe(200);
  const favicon = await page.request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toContain('image/');
  await page.goto('/');
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute('href', /favicon\.ico|icon/);
});

test('[ROBUST] the request id is in the response header, the error body and the audit details', async ({ request }) => {
  const requester = await userWithToken(['REQUESTER']);
  const missing = await request.get('/api/v1/change-requests/00000000-0000-4000-8000-000000000000', { headers: requester.headers });
  expect(missing.status()).toBe(404);
  const body = (await missing.json()) as { error: { requestId: string } };
  expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(missing.headers()['x-request-id']).toBe(body.error.requestId);

  const requestId = `e2e-${Date.now().toString(36)}-trace`;
  const name = `rid-${Date.now().toString(36)}`;
  const created = await request.post('/api/v1/change-requests', {
    headers: { ...requester.headers, 'X-Request-Id': requestId },
    data: {
      environment: 'staging',
      namespace: 'shop',
      action: 'create',
      title: 'traced',
      justification: 'a reason',
      yaml: ingressYaml({ name, host: `${name}.example.com`, namespace: 'shop', className: 'nginx-public' }),
    },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()['x-request-id']).toBe(requestId);
  const { id } = (await created.json()) as { id: string };
  const event = await e2eDb().auditEvent.findFirstOrThrow({ where: { changeRequestId: id, action: 'change-request.submitted' } });
  expect(event.details).toMatchObject({ requestId });
});

test('[ROBUST] /api/metrics needs the token and reports queue, requests, drift, latency, sign-in failures and HTTP durations', async ({
  request,
  page,
}) => {
  expect((await request.get('/api/metrics')).status()).toBe(401);
  expect((await request.get('/api/metrics', { headers: { Authorization: 'Bearer wrong' } })).status()).toBe(401);
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  const response = await request.get('/api/metrics', { headers: { Authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain');
  const text = await response.text();
  for (const name of [
    '# TYPE ingress_gate_apply_latency_seconds histogram',
    'ingress_gate_apply_queue_depth ',
    'ingress_gate_apply_queue_oldest_job_age_seconds ',
    'ingress_gate_change_requests{environment="staging",status=',
    'ingress_gate_drift_records_open{environment="staging"}',
    'ingress_gate_http_request_duration_seconds_bucket{',
  ]) {
    expect(text).toContain(name);
  }
  expect(Number(/ingress_gate_sign_in_failures_total\{reason="invalid-credentials"\} (\d+)/.exec(text)?.[1] ?? 0)).toBeGreaterThanOrEqual(
    1,
  );
});

test('[ROBUST] liveness and readiness', async ({ request }) => {
  const live = await request.get('/api/health/live');
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({ status: 'alive' });
  const ready = await request.get('/api/health/ready');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'ok', database: { ok: true }, worker: { ok: true } });
});

import { expect, test, type APIRequestContext } from '@playwright/test';
import { hashApiToken, newApiTokenSecret } from '@/lib/server/api-tokens/actor-from-api-token';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { E2E_BASE_URL } from './support/config';
import { createUser, e2eDb, uniqueEmail } from './support/db';
import { userPage } from './support/requests';
import { ingressYaml } from './support/manifests';

// The REST API for pipelines: personal tokens, the same operations and checks as the UI,
// JSON errors { error: { code, message, details } } with the right status codes.

async function userWithToken(
  roles: Parameters<typeof createUser>[1]['roles'],
  scopes: ('READ' | 'SUBMIT' | 'REVIEW' | 'ADMIN')[] = ['READ', 'SUBMIT', 'REVIEW'],
) {
  const user = await createUser(e2eDb(), { email: uniqueEmail('api'), roles });
  const secret = newApiTokenSecret();
  await e2eDb().apiToken.create({
    data: {
      userId: user.id,
      name: 'ci',
      prefix: secret.slice(0, 8),
      tokenHash: hashApiToken(secret),
      scopes,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { user, headers: { Authorization: `Bearer ${secret}` } };
}

const yaml = (name: string) => ingressYaml({ name, host: `${name}.example.com`, namespace: 'shop', className: 'nginx-public' });

async function submit(request: APIRequestContext, headers: Record<string, string>, name: string) {
  return request.post('/api/v1/change-requests', {
    headers,
    data: {
      environment: 'staging',
      namespace: 'shop',
      action: 'create',
      title: `API ${name}`,
      justification: 'from a pipeline',
      yaml: yaml(name),
    },
  });
}

test('[API] a pipeline submits with a token; another approver approves; the requester’s own approval is refused', async ({ request }) => {
  const requester = await userWithToken(['REQUESTER', 'APPROVER']);
  const approver = await userWithToken(['APPROVER']);
  const name = `api-${Date.now().toString(36)}`;
  const created = await submit(request, requester.headers, name);
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const self = await request.post(`/api/v1/change-requests/${id}/reviews`, {
    headers: requester.headers,
    data: { decision: 'APPROVE', revision: 1 },
  });
  expect(self.status()).toBe(403);
  expect(await self.json()).toMatchObject({
    error: { code: 'FORBIDDEN', message: 'You requested this change; someone else must review it.' },
  });

  const ok = await request.post(`/api/v1/change-requests/${id}/reviews`, {
    headers: approver.headers,
    data: { decision: 'APPROVE', revision: 1 },
  });
  expect(ok.status()).toBe(201);
  expect(await ok.json()).toMatchObject({ status: 'APPROVED' });

  // The worker applies it; the API shows the outcome.
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/v1/change-requests/${id}`, { headers: requester.headers })).json()) as { status: string }).status,
      { timeout: 15_000 },
    )
    .toBe('APPLIED');
  const again = await request.post(`/api/v1/change-requests/${id}/reviews`, {
    headers: approver.headers,
    data: { decision: 'APPROVE', revision: 1 },
  });
  expect(again.status()).toBe(409);
});

test('[API] errors are specific JSON with the right status', async ({ request }) => {
  const requester = await userWithToken(['REQUESTER']);
  expect((await request.get('/api/v1/change-requests')).status()).toBe(401);
  const bad = await request.get('/api/v1/change-requests', { headers: { Authorization: 'Bearer igt_not-a-real-token' } });
  expect(bad.status()).toBe(401);
  expect(await bad.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

  const notJson = await request.post('/api/v1/change-requests', {
    headers: { ...requester.headers, 'content-type': 'application/json' },
    data: '{nope',
  });
  expect(notJson.status()).toBe(400);

  const missing = await request.post('/api/v1/change-requests', {
    headers: requester.headers,
    data: { environment: 'staging', namespace: 'shop', action: 'create', yaml: yaml('x') },
  });
  expect(missing.status()).toBe(400);
  expect(await missing.json()).toMatchObject({
    error: { code: 'INVALID_INPUT', details: { fieldErrors: expect.arrayContaining([expect.objectContaining({ path: 'title' })]) } },
  });

  const invalid = await request.post('/api/v1/change-requests', {
    headers: requester.headers,
    data: {
      environment: 'staging',
      namespace: 'shop',
      action: 'create',
      title: 'Bad port',
      justification: 'test',
      yaml: yaml('badport').replace('number: 80', 'number: 99999'),
    },
  });
  expect(invalid.status()).toBe(422);
  const body = (await invalid.json()) as { error: { details: { fieldErrors: { path: string; line: number }[] } } };
  expect(body.error.details.fieldErrors).toContainEqual(
    expect.objectContaining({ path: 'spec.rules[0].http.paths[0].backend.service.port.number', line: 21, column: 19 }),
  );

  const unknown = await request.get('/api/v1/change-requests/00000000-0000-0000-0000-000000000000', { headers: requester.headers });
  expect(unknown.status()).toBe(404);
});

test('[API] a revoked token stops working at once', async ({ request }) => {
  const { user, headers } = await userWithToken(['REQUESTER']);
  expect((await request.get('/api/v1/change-requests', { headers })).status()).toBe(200);
  await e2eDb().apiToken.updateMany({ where: { userId: user.id }, data: { revokedAt: new Date() } });
  expect((await request.get('/api/v1/change-requests', { headers })).status()).toBe(401);
});

// Issue 13: the manifest as the raw body (application/yaml) or as a multipart file, decoded as
// strict UTF-8; metadata in the query string, X-Change-* headers or form fields.
test.describe('[API] raw manifest submission', () => {
  const meta = (name: string) =>
    new URLSearchParams({ environment: 'staging', namespace: 'shop', action: 'create', title: `YAML ${name}`, justification: 'raw body' });

  test('application/yaml with metadata in the query string or headers; multipart with a manifest file', async ({ request }) => {
    const requester = await userWithToken(['REQUESTER']);
    const a = `raw-q-${Date.now().toString(36)}`;
    const viaQuery = await request.post(`/api/v1/change-requests?${meta(a)}`, {
      headers: { ...requester.headers, 'content-type': 'application/yaml' },
      data: Buffer.from(yaml(a), 'utf8'),
    });
    expect(viaQuery.status(), await viaQuery.text()).toBe(201);
    const { id } = (await viaQuery.json()) as { id: string };
    const stored = await e2eDb().changeRequest.findUniqueOrThrow({ where: { id }, include: { revisions: true } });
    expect(stored).toMatchObject({ ingressName: a, title: `YAML ${a}` });

    const b = `raw-h-${Date.now().toString(36)}`;
    const viaHeaders = await request.post('/api/v1/change-requests', {
      headers: {
        ...requester.headers,
        'content-type': 'application/yaml; charset=utf-8',
        'x-change-environment': 'staging',
        'x-change-namespace': 'shop',
        'x-change-action': 'create',
        'x-change-title': `YAML ${b}`,
        'x-change-justification': 'raw body, headers',
      },
      data: Buffer.from(yaml(b), 'utf8'),
    });
    expect(viaHeaders.status(), await viaHeaders.text()).toBe(201);

    const c = `raw-m-${Date.now().toString(36)}`;
    const viaMultipart = await request.post('/api/v1/change-requests', {
      headers: requester.headers,
      multipart: {
        ...Object.fromEntries(meta(c)),
        manifest: { name: `${c}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(yaml(c), 'utf8') },
      },
    });
    expect(viaMultipart.status(), await viaMultipart.text()).toBe(201);
  });

  test('invalid UTF-8 and control characters are refused with line and column; nothing is stored', async ({ request }) => {
    const requester = await userWithToken(['REQUESTER']);
    const before = await e2eDb().changeRequest.count();
    const name = `raw-bad-${Date.now().toString(36)}`;
    const text = yaml(name);
    const nameLine = text.split('\n').findIndex((l) => l.includes(`name: ${name}`)) + 1;
    // Latin-1 "é" (0xE9) inside the name: what a lenient JSON/UTF-8 decoder would turn into U+FFFD.
    const bytes = Buffer.from(text.replace(`name: ${name}`, `name: ${name}\u0000`), 'utf8');
    bytes[bytes.indexOf(0)] = 0xe9;
    const latin1 = await request.post(`/api/v1/change-requests?${meta(name)}`, {
      headers: { ...requester.headers, 'content-type': 'application/yaml' },
      data: bytes,
    });
    expect(latin1.status()).toBe(422);
    expect(await latin1.json()).toMatchObject({
      error: {
        code: 'UNPROCESSABLE',
        message: expect.stringContaining('not valid UTF-8'),
        details: { fieldErrors: [expect.objectContaining({ path: 'yaml', line: nameLine, column: 9 + name.length })] },
      },
    });

    const nul = await request.post('/api/v1/change-requests', {
      headers: requester.headers,
      multipart: {
        ...Object.fromEntries(meta(name)),
        manifest: {
          name: 'x.yaml',
          mimeType: 'application/yaml',
          buffer: Buffer.from(text.replace(`name: ${name}`, `name: ${name}\u0000`)),
        },
      },
    });
    expect(nul.status()).toBe(422);
    expect(await nul.json()).toMatchObject({
      error: {
        details: {
          fieldErrors: [
            expect.objectContaining({ path: 'yaml', line: nameLine, column: 9 + name.length, message: expect.stringContaining('NUL') }),
          ],
        },
      },
    });
    expect(await e2eDb().changeRequest.count()).toBe(before);

    const other = await request.post(`/api/v1/change-requests?${meta(name)}`, {
      headers: { ...requester.headers, 'content-type': 'text/plain' },
      data: text,
    });
    expect(other.status()).toBe(400);
    expect(await other.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('application/yaml') } });
  });

  test('a signed-in browser session cannot be used for a cross-site multipart upload', async ({ browser }) => {
    const { page, close } = await userPage(browser, 'xsite', ['REQUESTER']);
    const name = `raw-x-${Date.now().toString(36)}`;
    const form = {
      ...Object.fromEntries(meta(name)),
      manifest: { name: 'x.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml(name)) },
    };
    const crossSite = await page.request.post('/api/v1/change-requests', {
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      multipart: form,
    });
    expect(crossSite.status()).toBe(403);
    expect(await e2eDb().changeRequest.count({ where: { ingressName: name } })).toBe(0);
    const sameSite = await page.request.post('/api/v1/change-requests', { headers: { 'sec-fetch-site': 'same-origin' }, multipart: form });
    expect(sameSite.status(), await sameSite.text()).toBe(201);
    await close();
  });
});
test('[API] tokens have scopes: a token without review cannot approve; tokens cannot mint tokens', async ({ request }) => {
  const requester = await userWithToken(['REQUESTER']);
  const approver = await userWithToken(['APPROVER'], ['READ', 'SUBMIT']);
  const created = await submit(request, requester.headers, `scoped-${Date.now().toString(36)}`);
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const refused = await request.post(`/api/v1/change-requests/${id}/reviews`, {
    headers: approver.headers,
    data: { decision: 'APPROVE', revision: 1 },
  });
  expect(refused.status()).toBe(403);
  expect(await e2eDb().review.count({ where: { changeRequestId: id } })).toBe(0);
  // Read scope still reads.
  expect((await request.get(`/api/v1/change-requests/${id}`, { headers: approver.headers })).status()).toBe(200);
  const mint = await request.post('/api/v1/tokens', { headers: requester.headers, data: { name: 'child', scopes: ['read'] } });
  expect(mint.status()).toBe(403);
  expect(await mint.json()).toMatchObject({
    error: { code: 'FORBIDDEN', message: 'API tokens cannot create tokens; sign in to the portal to create one.' },
  });
});

test('[API] a same-site page cannot make a signed-in approver approve (text/plain form) — 403, nothing changes', async ({
  browser,
  request,
}) => {
  const requester = await userWithToken(['REQUESTER']);
  const created = await submit(request, requester.headers, `csrf-${Date.now().toString(36)}`);
  const { id } = (await created.json()) as { id: string };
  const approver = await userPage(browser, 'csrf-approver', ['APPROVER']);
  const target = `${E2E_BASE_URL}/api/v1/change-requests/${id}/reviews`;
  // The attacker's page: another origin on the same site (another port of localhost, like a
  // sibling subdomain), so the browser sends the SameSite=Lax session cookie with the POST.
  const body = `<form id="f" method="POST" enctype="text/plain" action="${target}"><input name='{"decision":"APPROVE","revision":1,"x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`;
  const attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(body);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  try {
    const port = (attacker.address() as AddressInfo).port;
    const answer = approver.page.waitForResponse((r) => r.url() === target);
    await approver.page.goto(`http://localhost:${port}/`);
    const response = await answer;
    expect(response.request().headers()['content-type']).toMatch(/text\/plain/);
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('Cross-site request refused');
    expect(await e2eDb().review.count({ where: { changeRequestId: id } })).toBe(0);
    expect((await e2eDb().changeRequest.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING');

    // The session cookie still works from the app itself with JSON; other content types and
    // foreign Origins are refused even when the cookie is valid.
    await approver.page.goto('/');
    const fromApp = await approver.page.evaluate(async (url) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{"decision":"APPROVE","revision":1}',
      });
      return r.status;
    }, `/api/v1/change-requests/${id}/reviews`);
    expect(fromApp).toBe(403);
    const forged = await approver.page.request.post(`/api/v1/change-requests/${id}/reviews`, {
      headers: { Origin: 'http://evil.localhost:1', 'Content-Type': 'application/json' },
      data: { decision: 'APPROVE', revision: 1 },
    });
    expect(forged.status()).toBe(403);
    const noHeaders = await approver.page.request.post(`/api/v1/change-requests/${id}/reviews`, {
      data: { decision: 'APPROVE', revision: 1 },
    });
    expect(noHeaders.status()).toBe(403);
    expect(await e2eDb().review.count({ where: { changeRequestId: id } })).toBe(0);
    const sameOrigin = await approver.page.evaluate(async (url) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"decision":"APPROVE","revision":1}',
      });
      return r.status;
    }, `/api/v1/change-requests/${id}/reviews`);
    expect(sameOrigin).toBe(201);
  } finally {
    await new Promise<void>((r) => attacker.close(() => r()));
    await approver.close();
  }
});

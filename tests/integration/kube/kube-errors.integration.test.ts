import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKubeApi, startFakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { SANDBOX_SEED } from '@/sandbox/sandbox-seed';
import { createKubeClient, type KubeClient } from '@/lib/server/kube/kube-client';
import { expectKubeError, ingress, startCluster } from './helpers';

// Every failure mode the connection layer maps, produced over real sockets.
let fake: FakeKubeApi;
let client: KubeClient;
const TIMEOUT_MS = 400;

beforeAll(async () => {
  ({ fake, client } = await startCluster({ timeoutMs: TIMEOUT_MS }));
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => {
  fake.delay(0);
  fake.setUnreachable(false);
});

describe('HTTP status mapping', () => {
  it('401 (bad token) → unauthorized, not retryable, token never in the message', async () => {
    const bad = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig({ token: 'sekrit-token-value' }) });
    const err = await expectKubeError(bad.listIngresses('shop'), 'unauthorized');
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect(JSON.stringify(err.toJSON())).not.toContain('sekrit-token-value');
    expect(err.message).not.toContain('sekrit');
  });

  it('403 → forbidden, naming verb, resource and namespace', async () => {
    const rbac = await startFakeKubeApi({ tokens: { t: { user: 'viewer', allow: (verb) => verb === 'get' || verb === 'list' } } });
    try {
      rbac.seed(SANDBOX_SEED);
      const viewer = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: rbac.kubeconfig() });
      const live = await viewer.getIngress('shop', 'storefront');
      const err = await expectKubeError(viewer.updateIngress(live!, live!.metadata.resourceVersion), 'forbidden');
      expect(err).toMatchObject({ status: 403, reason: 'Forbidden', retryable: false });
      expect(err.message).toBe(
        'The connection\'s identity may not update ingresses in namespace "shop". The API server said: ingresses.networking.k8s.io "storefront" is forbidden: User "viewer" cannot update resource "ingresses" in API group "networking.k8s.io" in the namespace "shop"',
      );
      const create = await expectKubeError(viewer.createIngress(ingress('shop', 'x')), 'forbidden');
      expect(create.message).toContain('ingresses.networking.k8s.io is forbidden: User "viewer" cannot create resource "ingresses"');
    } finally {
      await rbac.stop();
    }
  });

  it('403 at cluster scope says so', async () => {
    const rbac = await startFakeKubeApi({ tokens: { t: { user: 'ns-only', allow: (_verb, _res, ns) => ns !== null } } });
    try {
      const c = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: rbac.kubeconfig() });
      const err = await expectKubeError(c.listAllIngresses(), 'forbidden');
      expect(err.message).toContain('may not list ingresses at cluster scope');
      expect(err.message).toContain('at the cluster scope');
    } finally {
      await rbac.stop();
    }
  });

  it('404 on an injected failure with a generic Status body → not-found', async () => {
    fake.failNext({ path: '/api/v1/namespaces/shop/services' }, 404);
    await expectKubeError(client.listServices('shop'), 'not-found');
  });

  it('409 AlreadyExists vs Conflict are told apart by reason', async () => {
    await expectKubeError(client.createIngress(ingress('shop', 'storefront')), 'already-exists');
    fake.failNext({ method: 'POST' }, 409);
    await expectKubeError(client.createIngress(ingress('shop', 'fresh-name')), 'conflict');
  });

  it('422 → invalid with causes (field + message) from details.causes', async () => {
    const bad = ingress('shop', 'bad-port');
    bad.spec.rules![0]!.http!.paths[0]!.backend = { service: { name: 'storefront', port: { number: 70000 } } };
    const err = await expectKubeError(client.createIngress(bad), 'invalid');
    expect(err.causes).toEqual([
      { field: 'spec.rules[0].http.paths[0].backend.service.port.number', message: expect.stringContaining('70000') },
    ]);
    expect(fake.peek('ingresses', 'shop', 'bad-port')).toBeNull();
  });

  it('400 BadRequest → invalid (no causes)', async () => {
    const wrongNs = ingress('shop', 'x');
    fake.failNext({ method: 'POST' }, 400);
    const err = await expectKubeError(client.createIngress(wrongNs), 'invalid');
    expect(err.causes).toEqual([]);
  });

  it.each([
    [500, 'server-error', true],
    [503, 'server-error', true],
    [429, 'server-error', true],
    [504, 'timeout', true],
    [418, 'unknown', false],
  ] as const)('%i → %s (retryable %s)', async (status, kind, retryable) => {
    fake.failNext({ path: /ingresses$/ }, status);
    const err = await expectKubeError(client.listIngresses('shop'), kind);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
  });

  it('a non-JSON error body (a proxy page) still maps by status, without echoing HTML', async () => {
    fake.failNext({ path: /ingresses$/ }, 502, '<html><body>Bad Gateway</body></html>');
    const err = await expectKubeError(client.listIngresses('shop'), 'server-error');
    expect(err.message).toBe('The API server failed (502).');
  });
});

describe('network failures', () => {
  it('an answer slower than the client timeout → timeout, retryable, and the call returns promptly', async () => {
    fake.delay(TIMEOUT_MS * 3);
    const started = Date.now();
    const err = await expectKubeError(client.getIngress('shop', 'storefront'), 'timeout');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 2.5);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('The API server did not answer within 0.4 s.');
  });

  it('a write that times out has an unknown outcome: the server may still carry it out (callers re-read)', async () => {
    const match = { method: 'POST' };
    fake.delay(TIMEOUT_MS * 2, match);
    await expectKubeError(client.createIngress(ingress('shop', 'slow-create')), 'timeout');
    expect(fake.peek('ingresses', 'shop', 'slow-create')).toBeNull();
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2));
    expect(fake.peek('ingresses', 'shop', 'slow-create')).not.toBeNull();
    fake.delay(0, match);
  });

  it('connections accepted then dropped before any answer → unreachable, retryable', async () => {
    fake.dropNext({ path: /ingresses$/ });
    const err = await expectKubeError(client.listIngresses('shop'), 'unreachable');
    expect(err.retryable).toBe(true);
  });

  it('a server that goes away mid-response → unreachable ("broke while reading")', async () => {
    fake.dropNext({ path: /ingresses$/ }, 'mid-body');
    const err = await expectKubeError(client.listIngresses('shop'), 'unreachable');
    expect(err.message).toMatch(/broke while reading its answer/);
  });

  it('setUnreachable (reset) → unreachable; recovers when turned off', async () => {
    fake.setUnreachable(true);
    await expectKubeError(client.listNamespaces(), 'unreachable');
    fake.setUnreachable(false);
    expect((await client.listNamespaces()).items.length).toBeGreaterThan(0);
  });

  it('setUnreachable (blackhole: accepted, never answered) → timeout', async () => {
    fake.setUnreachable(true, 'blackhole');
    await expectKubeError(client.listNamespaces(), 'timeout');
  });

  it('nothing listening (connection refused) → unreachable', async () => {
    const gone = await startFakeKubeApi();
    const c = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: gone.kubeconfig() });
    await gone.stop();
    const err = await expectKubeError(c.listNamespaces(), 'unreachable');
    expect(err.message).toMatch(/could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
  });
});

describe('TLS and configuration', () => {
  it('https with the right CA works; without it → tls, not retryable', async () => {
    const secure = await startFakeKubeApi({ https: true });
    try {
      const ok = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: secure.kubeconfig() });
      expect((await ok.getServerVersion()).gitVersion).toMatch(/^v1\./);
      const noCa = secure.kubeconfig({ withCa: false });
      const err = await expectKubeError(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: noCa }).getServerVersion(), 'tls');
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED/);
    } finally {
      await secure.stop();
    }
  });

  it('plain http without insecure-skip-tls-verify → config, before anything is sent', async () => {
    const plain = fake.kubeconfig().replace(/\s+insecure-skip-tls-verify: true/, '');
    fake.clearRequests();
    expect(() => createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: plain })).toThrow(/plain http/);
    expect(fake.requests()).toHaveLength(0);
  });

  it('an unknown context → config naming the known ones', () => {
    expect(() => createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig(), context: 'prod' })).toThrow(
      /context "prod" is not in the kubeconfig \(it has: fake\)/,
    );
  });

  it('a missing kubeconfig file → config', () => {
    expect(() => createKubeClient({ kind: 'KUBECONFIG_FILE', path: '/nonexistent/kubeconfig' })).toThrow(/misconfigured/);
  });

  it('a kubeconfig that is not YAML → config without echoing its content', () => {
    let message = '';
    try {
      createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: 'token: "abc\n  : [' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/misconfigured/);
    expect(message).not.toContain('abc');
  });

  it('SANDBOX connections talk to the fake with its bearer token', async () => {
    const c = createKubeClient({ kind: 'SANDBOX', server: fake.url, token: fake.token });
    expect((await c.listIngresses('payments')).items.length).toBe(2);
  });
});

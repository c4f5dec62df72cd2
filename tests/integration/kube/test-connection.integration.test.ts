import { describe, expect, it } from 'vitest';
import { startFakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { createKubeClient } from '@/lib/server/kube/kube-client';
import { testConnection } from '@/lib/server/kube/test-connection';

describe('testConnection', () => {
  it('full rights → every verb allowed, server version reported, one SelfSubjectAccessReview per verb', async () => {
    const fake = await startFakeKubeApi();
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() }));
      expect(report).toEqual({
        reachable: true,
        serverVersion: 'v1.31.4',
        permissions: { get: true, list: true, watch: true, create: true, update: true, delete: true },
      });
      const reviews = fake.requests().filter((r) => r.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
      expect(
        reviews.map((r) => (r.body as { spec: { resourceAttributes: { verb: string } } }).spec.resourceAttributes.verb).sort(),
      ).toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
      expect(reviews[0]?.body).toMatchObject({ spec: { resourceAttributes: { group: 'networking.k8s.io', resource: 'ingresses' } } });
    } finally {
      await fake.stop();
    }
  });

  it('a read-only identity → only get/list/watch', async () => {
    const fake = await startFakeKubeApi({ tokens: { ro: { user: 'viewer', allow: (verb) => ['get', 'list', 'watch'].includes(verb) } } });
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() }));
      expect(report.permissions).toEqual({ get: true, list: true, watch: true, create: false, update: false, delete: false });
    } finally {
      await fake.stop();
    }
  });

  it('rights limited to one namespace: denied cluster-wide, allowed when asked for that namespace', async () => {
    const fake = await startFakeKubeApi({ tokens: { t: { user: 'shop-deployer', allow: (_v, _r, ns) => ns === 'shop' } } });
    try {
      const client = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() });
      expect(Object.values((await testConnection(client)).permissions).every((v) => !v)).toBe(true);
      expect(Object.values((await testConnection(client, { namespace: 'shop' })).permissions).every(Boolean)).toBe(true);
    } finally {
      await fake.stop();
    }
  });

  it('a bad token → reachable (version needs no credentials) but unauthorized, no permissions', async () => {
    const fake = await startFakeKubeApi();
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig({ token: 'wrong' }) }));
      expect(report.reachable).toBe(true);
      expect(report.serverVersion).toBe('v1.31.4');
      expect(report.error?.kind).toBe('unauthorized');
      expect(Object.values(report.permissions).some(Boolean)).toBe(false);
    } finally {
      await fake.stop();
    }
  });

  it('nothing listening → not reachable, error kind unreachable, never throws', async () => {
    const fake = await startFakeKubeApi();
    const client = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() });
    await fake.stop();
    const report = await testConnection(client);
    expect(report).toMatchObject({ reachable: false, serverVersion: null, error: { kind: 'unreachable' } });
  });
});

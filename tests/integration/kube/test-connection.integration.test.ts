import { describe, expect, it } from 'vitest';
import { startFakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { createKubeClient } from '@/lib/server/kube/kube-client';
import { testConnection } from '@/lib/server/kube/test-connection';

describe('testConnection', () => {
  it('full rights → every verb allowed, server version reported, one SelfSubjectAccessReview per verb', async () => {
    const fake = await startFakeKubeApi();
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() }));
      expect(report).toMatchObject({ ok: true, reachable: true, serverVersion: 'v1.31.4', authenticatedAs: 'ingress-gate', problems: [] });
      expect(report.permissions.every((p) => p.allowed)).toBe(true);
      const reviews = fake.requests().filter((r) => r.path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
      const ingressVerbs = reviews
        .map((r) => (r.body as { spec: { resourceAttributes: { verb: string; resource: string } } }).spec.resourceAttributes)
        .filter((a) => a.resource === 'ingresses')
        .map((a) => a.verb)
        .sort();
      expect(ingressVerbs).toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
      expect(reviews).toHaveLength(9);
    } finally {
      await fake.stop();
    }
  });

  it('a read-only identity → only the reads, not ok', async () => {
    const fake = await startFakeKubeApi({ tokens: { ro: { user: 'viewer', allow: (verb) => ['get', 'list', 'watch'].includes(verb) } } });
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() }));
      expect(report.ok).toBe(false);
      expect(report.permissions.filter((p) => p.allowed).map((p) => p.verb)).not.toContain('create');
      expect(
        report.permissions
          .filter((p) => !p.allowed)
          .map((p) => p.verb)
          .sort(),
      ).toEqual(['create', 'delete', 'update']);
    } finally {
      await fake.stop();
    }
  });

  it('rights limited to one namespace: denied cluster-wide, allowed when asked for that namespace', async () => {
    const fake = await startFakeKubeApi({ tokens: { t: { user: 'shop-deployer', allow: (_v, _r, ns) => ns === 'shop' } } });
    try {
      const client = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() });
      const clusterWide = await testConnection(client);
      expect(clusterWide.permissions.every((p) => !p.allowed)).toBe(true);
      const inShop = await testConnection(client, { writeNamespaces: ['shop'] });
      expect(inShop.permissions.filter((p) => p.namespace === 'shop').every((p) => p.allowed)).toBe(true);
      expect(inShop.permissions.filter((p) => p.namespace === 'shop')).toHaveLength(3);
    } finally {
      await fake.stop();
    }
  });

  it('a bad token → reachable (version needs no credentials) but unauthorized, not ok', async () => {
    const fake = await startFakeKubeApi();
    try {
      const report = await testConnection(createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig({ token: 'wrong' }) }));
      expect(report.reachable).toBe(true);
      expect(report.serverVersion).toBe('v1.31.4');
      expect(report.error?.kind).toBe('unauthorized');
      expect(report.ok).toBe(false);
      expect(report.authenticatedAs).toBeNull();
      expect(report.permissions).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('nothing listening → not reachable, error kind unreachable, never throws', async () => {
    const fake = await startFakeKubeApi();
    const client = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() });
    await fake.stop();
    const report = await testConnection(client);
    expect(report).toMatchObject({ ok: false, reachable: false, serverVersion: null, error: { kind: 'unreachable' } });
  });
});

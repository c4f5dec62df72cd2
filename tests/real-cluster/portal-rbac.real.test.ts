import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createKubeClient, type KubeClient } from '@/lib/server/kube/kube-client';
import { KubeError } from '@/lib/server/kube/kube-error';
import { DEPLOY_DIR, ensureInstalled, makeNamespace } from './install';
import { kubectlOk, until } from './kubectl';
import { clusterOrSkip } from './skip';

// The portal runs as the ServiceAccount with exactly the ClusterRole in deploy/rbac-portal.yaml:
// every verb it grants is one the portal uses (removing it breaks that operation), and nothing
// the portal does needs more (the journey runs as this identity).
const cluster = clusterOrSkip("the portal's RBAC on the real API server");

type TRule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const rbacText = readFileSync(path.join(DEPLOY_DIR, 'rbac-portal.yaml'), 'utf8');
const role = parseAllDocuments(rbacText)
  .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; rules?: TRule[] })
  .find((d) => d.kind === 'ClusterRole' && d.metadata?.name === 'ingress-gate')!;

const NS = 'ig-rbac';
const ing = (name: string) => ({
  apiVersion: 'networking.k8s.io/v1' as const,
  kind: 'Ingress' as const,
  metadata: { name, namespace: NS },
  spec: { defaultBackend: { service: { name: 'storefront', port: { number: 80 } } } },
});

/** The portal operation that needs each granted (resource, verb). */
const USES: Record<string, (c: KubeClient) => Promise<unknown>> = {
  'ingresses/get': (c) => c.getIngress(NS, 'existing'),
  'ingresses/list': (c) => c.listAllIngresses(),
  // The portal's watch (kube-watch.ts): refused, it falls back to polling and says so.
  'ingresses/watch': (c) =>
    new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const w = c.watchIngresses({
        onEvent: () => {},
        onStatus: (s) => {
          if (s.kind === 'watching') timer ??= setTimeout(() => void w.stop().then(() => resolve('watching')), 1_500);
          if (s.kind === 'polling') {
            clearTimeout(timer);
            void w.stop().then(() => reject(new KubeError('forbidden', s.reason, { status: 403 })));
          }
        },
      });
    }),
  'ingresses/create': (c) => c.dryRunCreate(ing('new')),
  'ingresses/update': async (c) => {
    const live = (await c.getIngress(NS, 'existing'))!;
    return c.dryRunUpdate({ ...live, metadata: { ...live.metadata, labels: { v: '2' } } }, live.metadata.resourceVersion);
  },
  'ingresses/delete': async (c) => c.dryRunDelete(NS, 'existing', (await c.getIngress(NS, 'existing'))!.metadata.resourceVersion),
  'ingressclasses/list': (c) => c.listIngressClasses(),
  'services/list': (c) => c.listServices(NS),
  'namespaces/list': (c) => c.listNamespaces(),
  'validatingadmissionpolicies/get': (c) => c.getAdmissionObject('validatingadmissionpolicies', 'ingress-gate-only-writer'),
  'validatingadmissionpolicybindings/get': (c) => c.getAdmissionObject('validatingadmissionpolicybindings', 'ingress-gate-only-writer'),
  'selfsubjectaccessreviews/create': (c) => c.canI('create', NS),
};

const granted = role.rules!.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${res}/${v}`)));

if (cluster) {
  describe("the portal's RBAC on the real API server", () => {
    let portal: KubeClient;
    beforeAll(async () => {
      const installed = await ensureInstalled(cluster);
      portal = createKubeClient({ kind: 'KUBECONFIG_FILE', path: installed.kubeconfigPath });
      await makeNamespace(cluster, NS);
      if (!(await portal.getIngress(NS, 'existing'))) await portal.createIngress(ing('existing'));
    }, 120_000);
    afterAll(async () => {
      await kubectlOk(cluster, ['apply', '-f', path.join(DEPLOY_DIR, 'rbac-portal.yaml')]);
    });

    it('every verb deploy/ grants is one the portal uses (least privilege), and every use works with it', async () => {
      expect([...granted].sort()).toEqual(Object.keys(USES).sort());
      for (const [use, run] of Object.entries(USES)) await expect(run(portal), use).resolves.not.toThrow();
    });

    it.each(Object.keys(USES).filter((u) => !u.startsWith('selfsubjectaccessreviews')))(
      'without %s the portal operation that needs it is refused',
      async (use) => {
        const [resource, verb] = use.split('/') as [string, string];
        const rules = role
          .rules!.map((r) => (r.resources.includes(resource) ? { ...r, verbs: r.verbs.filter((v) => v !== verb) } : r))
          .filter((r) => r.verbs.length > 0);
        await kubectlOk(cluster, ['apply', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: 'ingress-gate' },
            rules,
          }),
        });
        try {
          const error = await until(
            `${use} to be refused`,
            async () =>
              USES[use]!(portal).then(
                () => null,
                (e: unknown) => e,
              ),
            10_000,
            100,
          );
          expect(error).toBeInstanceOf(KubeError);
          expect((error as KubeError).kind).toBe('forbidden');
        } finally {
          await kubectlOk(cluster, ['apply', '-f', path.join(DEPLOY_DIR, 'rbac-portal.yaml')]);
          await until(
            `${use} to work again`,
            async () =>
              USES[use]!(portal).then(
                () => true,
                () => false,
              ),
            10_000,
            100,
          );
        }
      },
    );
  });
}

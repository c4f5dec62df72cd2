import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, type KubeClient } from '@/lib/server/kube/kube-client';
import { DEPLOY_DIR, ensureInstalled, makeNamespace } from './install';
import { ALICE, BREAK_GLASS, kubectl, kubectlOk, MASTERS, tokenKubeconfig, until } from './kubectl';
import { clusterOrSkip } from './skip';

// Every rule of deploy/admission-policy.yaml, on the real API server.
const cluster = clusterOrSkip('the admission policy on the real API server');

const NS = 'ig-admission';
const OPEN_NS = 'ig-admission-open';
const ingress = (name: string, namespace = NS, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, ...extra },
    spec: { ingressClassName: 'nginx-public', defaultBackend: { service: { name: 'storefront', port: { number: 80 } } } },
  });
const REFUSAL =
  /is forbidden: ValidatingAdmissionPolicy 'ingress-gate-only-writer' with binding 'ingress-gate-only-writer' denied request: Ingresses in namespace ig-admission are managed by Ingress Gate: propose this change there so it is reviewed and applied for you\./;

if (cluster) {
  describe('the admission policy on the real API server', () => {
    let portal: KubeClient;
    beforeAll(async () => {
      const installed = await ensureInstalled(cluster);
      portal = createKubeClient({ kind: 'KUBECONFIG_FILE', path: installed.kubeconfigPath });
      await makeNamespace(cluster, NS);
      await makeNamespace(cluster, OPEN_NS, { protect: false });
      // A target for update/delete attempts, written by the portal itself.
      await kubectl(cluster, ['-n', NS, 'delete', 'ingress', 'target', '--ignore-not-found']);
      await portal.createIngress(JSON.parse(ingress('target')));
    }, 120_000);

    it.each([
      ['alice (cluster-admin through a group)', ALICE, 'alice'],
      ['a system:masters member', MASTERS, 'root-admin'],
    ])('%s may not create, update or delete, and is told to use the portal', async (_who, as, user) => {
      const create = await kubectl(cluster, ['create', '-f', '-'], { as, input: ingress('by-hand') });
      expect(create.code).toBe(1);
      expect(create.stderr).toMatch(REFUSAL);
      expect(create.stderr).toContain(`${user} may not CREATE them directly`);
      const update = await kubectl(cluster, ['-n', NS, 'label', 'ingress', 'target', 'edited=yes'], { as });
      expect(update.stderr).toContain(`${user} may not UPDATE them directly`);
      const del = await kubectl(cluster, ['-n', NS, 'delete', 'ingress', 'target'], { as });
      expect(del.stderr).toContain(`${user} may not DELETE them directly`);
      expect((await portal.getIngress(NS, 'target'))?.metadata.labels?.edited).toBeUndefined();
    });

    it('a namespace without the protection label is not guarded', async () => {
      const r = await kubectl(cluster, ['create', '--dry-run=server', '-f', '-'], { as: ALICE, input: ingress('open', OPEN_NS) });
      expect(r.code, r.stderr).toBe(0);
    });

    it("the portal's ServiceAccount, through its token, may create, update and delete", async () => {
      const created = await portal.createIngress(JSON.parse(ingress('by-portal')));
      const updated = await portal.updateIngress(
        { ...created, metadata: { ...created.metadata, labels: { v: '2' } } },
        created.metadata.resourceVersion,
      );
      expect(updated.metadata.labels?.v).toBe('2');
      await portal.deleteIngress(NS, 'by-portal', updated.metadata.resourceVersion);
      expect(await portal.getIngress(NS, 'by-portal')).toBeNull();
    });

    it("break-glass (the recipe in rbac-portal.yaml) is let through and recorded in the API server's audit log", async () => {
      const r = await kubectl(cluster, ['-n', NS, 'annotate', '--overwrite', 'ingress', 'target', 'break-glass/why=incident-42'], {
        as: BREAK_GLASS,
      });
      expect(r.code, r.stderr).toBe(0);
      if (cluster.auditLog && existsSync(cluster.auditLog)) {
        const line = await until(
          'the break-glass audit annotation',
          async () =>
            readFileSync(cluster.auditLog!, 'utf8')
              .split('\n')
              .find(
                (l) => l.includes('ingress-gate-only-writer/break-glass') && l.includes('"ResponseComplete"') && l.includes('"target"'),
              ),
          10_000,
          100,
        );
        const event = JSON.parse(line);
        expect(event.annotations['ingress-gate-only-writer/break-glass']).toBe(
          'UPDATE of ingress ig-admission/target by ingress-gate-break-glass through break-glass',
        );
        expect(event.impersonatedUser.username).toBe('ingress-gate-break-glass');
        expect(event.user.username).not.toBe('ingress-gate-break-glass');
      }
    });

    it('the break-glass recipe works for someone whose rights come only through a group; the old "impersonate yourself" recipe did not', async () => {
      // An on-call person: cluster-admin only through a group, allowed to use break-glass.
      await kubectlOk(cluster, ['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ig-oncall' } },
            { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'oncall', namespace: 'ig-oncall' } },
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: { name: 'ig-oncall-admin-through-group' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:ig-oncall' }],
            },
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: { name: 'ig-oncall-break-glass' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ingress-gate-break-glass' },
              subjects: [{ kind: 'ServiceAccount', name: 'oncall', namespace: 'ig-oncall' }],
            },
          ],
        }),
      });
      const token = (await kubectlOk(cluster, ['-n', 'ig-oncall', 'create', 'token', 'oncall'])).trim();
      const oncall = tokenKubeconfig(cluster, token, 'oncall').path;
      const recipe = await kubectl(
        cluster,
        [
          '--as=ingress-gate-break-glass',
          '--as-group=ingress-gate:break-glass',
          '-n',
          NS,
          'annotate',
          '--overwrite',
          'ingress',
          'target',
          'break-glass/by=oncall',
        ],
        { kubeconfig: oncall },
      );
      expect(recipe.code, recipe.stderr).toBe(0);
      // The recipe shipped before: impersonate yourself plus the group. Impersonation replaces the
      // groups, so the cluster-admin that came through system:serviceaccounts:ig-oncall is gone.
      await kubectlOk(cluster, ['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRole',
              metadata: { name: 'ig-test-old-break-glass' },
              rules: [
                {
                  apiGroups: [''],
                  resources: ['groups'],
                  verbs: ['impersonate'],
                  resourceNames: ['ingress-gate:break-glass', 'system:authenticated'],
                },
                {
                  apiGroups: [''],
                  resources: ['users'],
                  verbs: ['impersonate'],
                  resourceNames: ['system:serviceaccount:ig-oncall:oncall'],
                },
              ],
            },
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'ClusterRoleBinding',
              metadata: { name: 'ig-test-old-break-glass' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ig-test-old-break-glass' },
              subjects: [{ kind: 'ServiceAccount', name: 'oncall', namespace: 'ig-oncall' }],
            },
          ],
        }),
      });
      await kubectlOk(cluster, ['delete', 'clusterrolebinding', 'ingress-gate-break-glass-writer']);
      try {
        const old = await kubectl(
          cluster,
          [
            '--as=system:serviceaccount:ig-oncall:oncall',
            '--as-group=ingress-gate:break-glass',
            '--as-group=system:authenticated',
            '-n',
            NS,
            'annotate',
            '--overwrite',
            'ingress',
            'target',
            'break-glass/by=old-recipe',
          ],
          { kubeconfig: oncall },
        );
        expect(old.code).toBe(1);
        expect(old.stderr).toMatch(/cannot (get|patch) resource "ingresses"/);
      } finally {
        await kubectlOk(cluster, ['apply', '-k', DEPLOY_DIR]);
      }
    });

    it('an UPDATE that changes only metadata.finalizers is let through for anyone; one that also changes a label is not', async () => {
      const add = await kubectl(
        cluster,
        ['-n', NS, 'patch', 'ingress', 'target', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/lb-cleanup"]}}'],
        { as: ALICE },
      );
      expect(add.code, add.stderr).toBe(0);
      const both = await kubectl(
        cluster,
        ['-n', NS, 'patch', 'ingress', 'target', '--type=merge', '-p', '{"metadata":{"finalizers":null,"labels":{"sneaky":"yes"}}}'],
        { as: ALICE },
      );
      expect(both.stderr).toMatch(REFUSAL);
      const remove = await kubectl(
        cluster,
        ['-n', NS, 'patch', 'ingress', 'target', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'],
        { as: ALICE },
      );
      expect(remove.code, remove.stderr).toBe(0);
    });

    it('the garbage collector deletes an Ingress whose owner is deleted', async () => {
      await kubectlOk(cluster, ['-n', NS, 'create', 'configmap', 'owner']);
      const uid = (await kubectlOk(cluster, ['-n', NS, 'get', 'configmap', 'owner', '-o', 'jsonpath={.metadata.uid}'])).trim();
      await portal.createIngress(
        JSON.parse(ingress('owned', NS, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }] })),
      );
      await kubectlOk(cluster, ['-n', NS, 'delete', 'configmap', 'owner']);
      await until(
        'the garbage collector to delete the owned Ingress',
        async () => (await portal.getIngress(NS, 'owned')) === null,
        60_000,
        200,
      );
    });

    it('deleting a protected namespace deletes its Ingresses (the namespace controller is let through)', async () => {
      await makeNamespace(cluster, 'ig-doomed');
      await portal.createIngress(JSON.parse(ingress('doomed', 'ig-doomed')));
      await kubectlOk(cluster, ['delete', 'namespace', 'ig-doomed', '--wait=false']);
      await until(
        'the namespace to be gone',
        async () => (await kubectl(cluster, ['get', 'namespace', 'ig-doomed'])).code !== 0,
        90_000,
        250,
      );
    });
  });
}

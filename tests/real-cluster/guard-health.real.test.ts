import { basename, dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGuardHealth } from '@/lib/server/health/check-guard-health';
import { createEnvironment } from '@/lib/server/seed/factories';
import { db, resetDb } from '../integration/helpers';
import { DEPLOY_DIR, ensureInstalled, makeNamespace, PROTECTED } from './install';
import { kubectlOk } from './kubectl';
import { clusterOrSkip } from './skip';

// Guard health on the real API server, read as the portal's ServiceAccount with exactly deploy/'s
// RBAC: deploy/ applied → protected; the binding deleted → guard missing; the namespace label
// removed → unprotected namespace. Each step is what a cluster-admin can do (README).
const cluster = clusterOrSkip('guard health on the real API server');

if (cluster) {
  describe('guard health on the real API server', () => {
    const ns = `guard-${Date.now().toString(36)}`;
    let portal: Awaited<ReturnType<typeof ensureInstalled>>;
    beforeAll(async () => {
      portal = await ensureInstalled(cluster);
      await makeNamespace(cluster, ns);
      await resetDb();
    }, 120_000);
    afterAll(async () => {
      // Leave deploy/ as the other files expect it.
      await kubectlOk(cluster, ['apply', '-k', DEPLOY_DIR]);
    });

    it('protected → binding deleted: guard missing → label removed: unprotected namespace', async () => {
      process.env.INGRESS_GATE_KUBECONFIG_DIR = dirname(portal.kubeconfigPath);
      const env = await createEnvironment(db(), {
        name: `guard-${Date.now().toString(36)}`,
        connectionKind: 'KUBECONFIG_FILE',
        kubeconfigPath: basename(portal.kubeconfigPath),
        policy: { allowedNamespaces: [ns] },
      });
      expect(await checkGuardHealth(env)).toMatchObject({ ok: true, status: 'protected', protectedNamespaces: [ns], problems: [] });

      await kubectlOk(cluster, ['delete', 'validatingadmissionpolicybinding', 'ingress-gate-only-writer']);
      const missing = await checkGuardHealth(env);
      expect(missing).toMatchObject({ ok: true, status: 'guard-missing' });
      expect((missing as { problems: string[] }).problems).toEqual([
        'ValidatingAdmissionPolicyBinding ingress-gate-only-writer is missing',
      ]);

      await kubectlOk(cluster, ['apply', '-k', DEPLOY_DIR]);
      expect(await checkGuardHealth(env)).toMatchObject({ status: 'protected' });
      await kubectlOk(cluster, ['label', 'namespace', ns, `${PROTECTED}-`]);
      expect(await checkGuardHealth(env)).toMatchObject({ status: 'unprotected-namespaces', unprotectedNamespaces: [ns] });
      await kubectlOk(cluster, ['label', 'namespace', ns, `${PROTECTED}=true`]);
    });
  });
}

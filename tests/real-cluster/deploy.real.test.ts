import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY_DIR, makeNamespace, PROTECTED } from './install';
import { kubectl, until } from './kubectl';
import { clusterOrSkip } from './skip';

// deploy/ installs and uninstalls cleanly on a real API server, in the order README gives.
const cluster = clusterOrSkip('deploy/ on the real API server');
const readme = readFileSync(path.resolve(DEPLOY_DIR, '../README.md'), 'utf8');

/** README's install/uninstall commands must appear in this order (the test runs the same steps). */
function expectReadmeOrder(lines: string[]) {
  let at = 0;
  for (const line of lines) {
    const found = readme.indexOf(line, at);
    expect(found, `README gives "${line}" after the previous step`).toBeGreaterThan(-1);
    at = found + line.length;
  }
}

if (cluster) {
  describe('deploy/ on the real API server', () => {
    it('installs in README order with every step exiting 0, the policy and binding present; uninstalls with nothing left behind', async () => {
      expectReadmeOrder([
        'kubectl create namespace ingress-gate',
        'kubectl -n ingress-gate create secret generic ingress-gate-env',
        'kubectl apply -k deploy/',
        'kubectl label namespace shop ingress-gate.io/protected=true',
        'kubectl label namespace shop ingress-gate.io/protected-',
        'kubectl delete -k deploy/ --ignore-not-found',
      ]);
      // Start from nothing (other files may have installed it).
      await kubectl(cluster, ['delete', '-k', DEPLOY_DIR, '--ignore-not-found', '--wait=true']);
      await until(
        'the ingress-gate namespace to be gone',
        async () => (await kubectl(cluster, ['get', 'namespace', 'ingress-gate'])).code !== 0,
        60_000,
        200,
      );
      await makeNamespace(cluster, 'shop-deploy-test', { protect: false });

      const steps = [
        ['create', 'namespace', 'ingress-gate'],
        [
          '-n',
          'ingress-gate',
          'create',
          'secret',
          'generic',
          'ingress-gate-env',
          '--from-literal=DATABASE_URL=postgresql://x@db:5432/x',
          '--from-literal=AUTH_SECRET=0123456789abcdef0123456789abcdef',
        ],
        ['apply', '-k', DEPLOY_DIR],
        ['label', 'namespace', 'shop-deploy-test', `${PROTECTED}=true`],
      ];
      for (const step of steps) {
        const r = await kubectl(cluster, step);
        expect(r.code, `kubectl ${step.join(' ')}: ${r.stderr}`).toBe(0);
      }
      for (const [kind, name] of [
        ['validatingadmissionpolicy', 'ingress-gate-only-writer'],
        ['validatingadmissionpolicybinding', 'ingress-gate-only-writer'],
        ['clusterrole', 'ingress-gate'],
        ['clusterrolebinding', 'ingress-gate'],
        ['clusterrole', 'ingress-gate-break-glass'],
        ['clusterrole', 'ingress-gate-break-glass-writer'],
        ['clusterrolebinding', 'ingress-gate-break-glass-writer'],
      ]) {
        expect((await kubectl(cluster, ['get', kind!, name!])).code, `${kind} ${name}`).toBe(0);
      }
      for (const [kind, name] of [
        ['serviceaccount', 'ingress-gate'],
        ['secret', 'ingress-gate-env'],
        ['deployment', 'ingress-gate-portal'],
        ['deployment', 'ingress-gate-worker'],
        ['service', 'ingress-gate'],
        ['configmap', 'ingress-gate-config'],
      ]) {
        expect((await kubectl(cluster, ['-n', 'ingress-gate', 'get', kind!, name!])).code, `${kind} ${name}`).toBe(0);
      }
      // Applying again changes nothing and still exits 0 (an upgrade is the same command).
      expect((await kubectl(cluster, ['apply', '-k', DEPLOY_DIR])).code).toBe(0);

      const unlabel = await kubectl(cluster, ['label', 'namespace', 'shop-deploy-test', `${PROTECTED}-`]);
      expect(unlabel.code).toBe(0);
      const removed = await kubectl(cluster, ['delete', '-k', DEPLOY_DIR, '--ignore-not-found']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toBe('');
      await until(
        'the ingress-gate namespace to be gone',
        async () => (await kubectl(cluster, ['get', 'namespace', 'ingress-gate'])).code !== 0,
        60_000,
        200,
      );
      const left = await kubectl(cluster, [
        'get',
        'validatingadmissionpolicy,validatingadmissionpolicybinding,clusterrole,clusterrolebinding',
        '-l',
        'app.kubernetes.io/name=ingress-gate',
        '-o',
        'name',
      ]);
      expect(left.stdout.trim()).toBe('');
    });
  });
}

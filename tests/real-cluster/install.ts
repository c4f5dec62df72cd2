import path from 'node:path';
import type { TRunningCluster } from './cluster-config';
import { ALICE, kubectl, kubectlOk, tokenKubeconfig, until } from './kubectl';

export const DEPLOY_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../deploy');
export const PROTECTED = 'ingress-gate.io/protected';

/** The sandbox's IngressClasses and Services, as the real-cluster scenarios need them. */
export const INGRESS_CLASSES = ['nginx-public', 'nginx-internal'].map((name) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name },
  spec: { controller: `k8s.io/ingress-${name}` },
}));

export function servicesIn(namespace: string) {
  return [
    ['storefront', 80],
    ['cart-api', 8080],
  ].map(([name, port]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port, targetPort: port, protocol: 'TCP' }] },
  }));
}

let installed: { token: string; kubeconfigPath: string; kubeconfig: string; saUid: string } | null = null;

async function serviceAccountUid(cluster: TRunningCluster): Promise<string | null> {
  const sa = await kubectl(cluster, ['-n', 'ingress-gate', 'get', 'serviceaccount', 'ingress-gate', '-o', 'jsonpath={.metadata.uid}']);
  return sa.code === 0 && sa.stdout ? sa.stdout : null;
}

/**
 * deploy/ applied as shipped (idempotent), a group `ig-test-ops` with cluster-admin (how people
 * usually hold their rights), the shared IngressClasses, and a kubeconfig holding a token of the
 * portal's ServiceAccount: the portal runs with exactly the RBAC deploy/ grants.
 */
export async function ensureInstalled(cluster: TRunningCluster) {
  // Another file may have uninstalled and reinstalled it (a new ServiceAccount: the old token is void).
  if (installed && (await serviceAccountUid(cluster)) === installed.saUid) return installed;
  await kubectlOk(cluster, ['apply', '-k', DEPLOY_DIR]);
  await kubectlOk(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'ig-test-ops-cluster-admin' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ig-test-ops' }],
        },
        ...INGRESS_CLASSES,
      ],
    }),
  });
  await waitForGuard(cluster);
  const token = (await kubectlOk(cluster, ['-n', 'ingress-gate', 'create', 'token', 'ingress-gate', '--duration=3h'])).trim();
  const file = tokenKubeconfig(cluster, token);
  installed = { token, kubeconfigPath: file.path, kubeconfig: file.text, saUid: (await serviceAccountUid(cluster)) ?? '' };
  return installed;
}

/** A namespace (protected unless told otherwise) with the Services the scenarios route to. */
export async function makeNamespace(cluster: TRunningCluster, name: string, opts: { protect?: boolean } = {}) {
  await kubectlOk(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: opts.protect === false ? {} : { [PROTECTED]: 'true' } },
        },
        ...servicesIn(name),
      ],
    }),
  });
}

/**
 * A ValidatingAdmissionPolicy takes effect a moment after it is created (the API server compiles
 * it from its informer). Waits until a dry-run write by a cluster-admin in a protected namespace is
 * refused by it.
 */
export async function waitForGuard(cluster: TRunningCluster) {
  await makeNamespace(cluster, 'ig-guard-probe');
  const probe = JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'probe', namespace: 'ig-guard-probe' },
    spec: { defaultBackend: { service: { name: 'storefront', port: { number: 80 } } } },
  });
  await until(
    'the admission policy to take effect',
    async () => {
      const r = await kubectl(cluster, ['create', '--dry-run=server', '-f', '-'], { as: ALICE, input: probe });
      return r.code !== 0 && /managed by Ingress Gate/.test(r.stderr);
    },
    30_000,
    200,
  );
}

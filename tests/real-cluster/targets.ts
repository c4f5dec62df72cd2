import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type FakeKubeApi, startFakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { createKubeClient, type KubeClient } from '@/lib/server/kube/kube-client';
import type { TRunningCluster } from './cluster-config';
import { INGRESS_CLASSES, ensureInstalled, makeNamespace, servicesIn } from './install';
import { BREAK_GLASS, kubectlOk, until } from './kubectl';

const run = promisify(execFile);

/**
 * Where a shared scenario runs: the real API server (as the portal's ServiceAccount, with deploy/
 * installed and the namespace protected) or the project's emulator (sandbox/kube-api, through e2e/fakes/fake-kube-api.ts).
 * The same scenario list runs against both, so the emulator is held to what the real server does.
 */
export type TTarget = {
  name: 'real' | 'emulator';
  /** The portal's kubeconfig (an environment's KUBECONFIG_FILE connection). */
  kubeconfigPath: string;
  client: KubeClient;
  prepareNamespace(namespace: string): Promise<void>;
  /** An out-of-band write: an annotation set by someone other than the portal (break-glass on the real server). */
  outOfBandAnnotate(namespace: string, name: string, key: string, value: string): Promise<void>;
  /** Out of band: spec.tls set to cover the Ingress's first host with `secretName`. */
  outOfBandAddTls(namespace: string, name: string, host: string, secretName: string): Promise<void>;
  /** Out of band: the Ingress deleted. */
  outOfBandDelete(namespace: string, name: string): Promise<void>;
  /** An admission policy (reason Invalid) refusing Ingresses named `prefix…` with `message`. */
  reserveNames(prefix: string, message: string): Promise<void>;
  /** Ends every watch the way an API server restart does; resolves when the server answers again. */
  restartApiServer(): Promise<void>;
  /** The API server stops answering (real: its process is killed; emulator: connections refused) … */
  stopApiServer(): Promise<void>;
  /** … and starts again; resolves when it answers. */
  startApiServer(): Promise<void>;
  stop(): Promise<void>;
};

export async function realTarget(cluster: TRunningCluster): Promise<TTarget> {
  const portal = await ensureInstalled(cluster);
  const target: TTarget = {
    name: 'real',
    kubeconfigPath: portal.kubeconfigPath,
    client: createKubeClient({ kind: 'KUBECONFIG_FILE', path: portal.kubeconfigPath }, { timeoutMs: 10_000 }),
    prepareNamespace: (ns) => makeNamespace(cluster, ns),
    async outOfBandAnnotate(ns, name, key, value) {
      await kubectlOk(cluster, ['-n', ns, 'annotate', '--overwrite', 'ingress', name, `${key}=${value}`], { as: BREAK_GLASS });
    },
    async outOfBandAddTls(ns, name, host, secretName) {
      const patch = JSON.stringify({ spec: { tls: [{ hosts: [host], secretName }] } });
      await kubectlOk(cluster, ['-n', ns, 'patch', 'ingress', name, '--type', 'merge', '-p', patch], { as: BREAK_GLASS });
    },
    async outOfBandDelete(ns, name) {
      await kubectlOk(cluster, ['-n', ns, 'delete', 'ingress', name, '--wait=true'], { as: BREAK_GLASS });
    },
    async reserveNames(prefix, message) {
      const name = `ig-test-reserved-${prefix.replace(/[^a-z0-9]/g, '')}`;
      await kubectlOk(cluster, ['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'admissionregistration.k8s.io/v1',
              kind: 'ValidatingAdmissionPolicy',
              metadata: { name },
              spec: {
                failurePolicy: 'Fail',
                matchConstraints: {
                  resourceRules: [
                    { apiGroups: ['networking.k8s.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] },
                  ],
                },
                validations: [{ expression: `!object.metadata.name.startsWith('${prefix}')`, reason: 'Invalid', message }],
              },
            },
            {
              apiVersion: 'admissionregistration.k8s.io/v1',
              kind: 'ValidatingAdmissionPolicyBinding',
              metadata: { name },
              spec: { policyName: name, validationActions: ['Deny'] },
            },
          ],
        }),
      });
      // Effective once a dry run of such a name is refused.
      const probe = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `${prefix}probe`, namespace: 'ig-guard-probe' },
        spec: { defaultBackend: { service: { name: 'storefront', port: { number: 80 } } } },
      } as const;
      const client = createKubeClient({ kind: 'KUBECONFIG_FILE', path: portal.kubeconfigPath });
      await until(
        'the test admission policy',
        () =>
          client.dryRunCreate(probe).then(
            () => false,
            () => true,
          ),
        30_000,
        200,
      );
    },
    async restartApiServer() {
      await target.stopApiServer();
      await target.startApiServer();
    },
    async stopApiServer() {
      if (!cluster.canRestart || !cluster.dir || !cluster.start) throw new Error('this cluster cannot be restarted by the tier');
      const pid = Number(readFileSync(path.join(cluster.dir, 'kube-apiserver.pid'), 'utf8'));
      const gone = () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      };
      // A graceful stop drains watches for up to a minute; after 3 s it is killed, as a crash would.
      process.kill(pid, 'SIGTERM');
      await until('the API server to stop', async () => gone(), 3_000, 50).catch(() => process.kill(pid, 'SIGKILL'));
      await until('the API server to exit', async () => gone(), 10_000, 50);
    },
    async startApiServer() {
      if (!cluster.start) throw new Error('this cluster cannot be restarted by the tier');
      // start-cluster is idempotent: it relaunches only what is not running (etcd keeps its data).
      await run('bash', ['-c', cluster.start], { env: { ...process.env, ...cluster.env }, timeout: 120_000 });
    },
    stop: async () => {},
  };
  return target;
}

export async function emulatorTarget(): Promise<TTarget & { fake: FakeKubeApi }> {
  const fake = await startFakeKubeApi({ https: true });
  fake.seed({ ingressClasses: INGRESS_CLASSES });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ig-emulator-')), 'portal.kubeconfig');
  writeFileSync(file, fake.kubeconfig({ withCa: true }), { mode: 0o600 });
  const client = createKubeClient({ kind: 'KUBECONFIG_FILE', path: file }, { timeoutMs: 10_000 });
  return {
    name: 'emulator',
    fake,
    kubeconfigPath: file,
    client,
    async prepareNamespace(ns) {
      fake.seed({ namespaces: [ns], services: servicesIn(ns) });
    },
    async outOfBandAnnotate(ns, name, key, value) {
      fake.mutate(ns, name, (o) => {
        o.metadata.annotations = { ...(o.metadata.annotations as Record<string, string>), [key]: value };
      });
    },
    async outOfBandAddTls(ns, name, host, secretName) {
      fake.mutate(ns, name, (o) => {
        (o.spec as Record<string, unknown>).tls = [{ hosts: [host], secretName }];
      });
    },
    async outOfBandDelete(ns, name) {
      const live = await client.getIngress(ns, name);
      await client.deleteIngress(ns, name, live!.metadata.resourceVersion);
    },
    async reserveNames(prefix, message) {
      fake.addAdmissionPolicy({
        name: `ig-test-reserved-${prefix.replace(/[^a-z0-9]/g, '')}`,
        resource: 'ingresses',
        reason: 'Invalid',
        deny: (o) => (String((o.metadata as { name?: string }).name).startsWith(prefix) ? message : null),
      });
    },
    async restartApiServer() {
      fake.closeWatches('abrupt');
    },
    async stopApiServer() {
      fake.setUnreachable(true);
      fake.closeWatches('abrupt');
    },
    async startApiServer() {
      fake.setUnreachable(false);
    },
    stop: () => fake.stop(),
  };
}

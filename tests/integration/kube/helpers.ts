import { type FakeKubeApi, startFakeKubeApi, type TFakeKubeApiOptions } from '@/e2e/fakes/fake-kube-api';
import { SANDBOX_SEED } from '@/sandbox/sandbox-seed';
import type { TIngress } from '@/lib/domain/ingress/types';
import { createKubeClient, type KubeClient } from '@/lib/server/kube/kube-client';
import { KubeError, type TKubeErrorKind } from '@/lib/server/kube/kube-error';

/** A fake API server seeded with the sandbox fixtures, and a real client pointed at it. */
export async function startCluster(
  opts: TFakeKubeApiOptions & { timeoutMs?: number } = {},
): Promise<{ fake: FakeKubeApi; client: KubeClient }> {
  const fake = await startFakeKubeApi(opts);
  fake.seed(SANDBOX_SEED);
  const client = createKubeClient({ kind: 'KUBECONFIG_INLINE', kubeconfig: fake.kubeconfig() }, { timeoutMs: opts.timeoutMs ?? 2_000 });
  return { fake, client };
}

export function ingress(namespace: string, name: string, host = `${name}.example.com`, extra: Partial<TIngress['spec']> = {}): TIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } },
    spec: {
      ingressClassName: 'nginx-public',
      rules: [
        { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'storefront', port: { number: 80 } } } }] } },
      ],
      ...extra,
    },
  };
}

/** Awaits a promise that must fail with a KubeError of `kind`; returns the error. */
export async function expectKubeError(p: Promise<unknown>, kind: TKubeErrorKind): Promise<KubeError> {
  try {
    await p;
  } catch (error) {
    if (!(error instanceof KubeError)) throw new Error(`expected a KubeError(${kind}), got ${String(error)}`);
    if (error.kind !== kind) throw new Error(`expected KubeError(${kind}), got KubeError(${error.kind}): ${error.message}`);
    return error;
  }
  throw new Error(`expected KubeError(${kind}), but the call succeeded`);
}

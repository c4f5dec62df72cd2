import { E2E_SANDBOX_TOKEN, E2E_SANDBOX_URL } from './config';

// Direct access to the e2e sandbox (the Kubernetes API emulation), behind the app's back.
// `cluster`: the named sandbox cluster of a demo environment ('dev', 'staging', 'prod' — each
// demo environment has its own); none: the root cluster, which environments made by the specs'
// factories use.
type TObj = {
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
};

export type TSandboxClusterName = 'dev' | 'staging' | 'prod';

function base(cluster?: TSandboxClusterName): string {
  return cluster ? `${E2E_SANDBOX_URL}/clusters/${cluster}` : E2E_SANDBOX_URL;
}

function url(cluster: TSandboxClusterName | undefined, namespace: string, name?: string): string {
  return `${base(cluster)}/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses${name ? `/${name}` : ''}`;
}

async function call(method: string, target: string, body?: unknown): Promise<Response> {
  return fetch(target, {
    method,
    headers: { authorization: `Bearer ${E2E_SANDBOX_TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function liveIngress(namespace: string, name: string, cluster?: TSandboxClusterName): Promise<TObj | null> {
  const res = await call('GET', url(cluster, namespace, name));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`sandbox GET ${namespace}/${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

export async function createLiveIngress(obj: TObj, cluster?: TSandboxClusterName): Promise<TObj> {
  const res = await call('POST', url(cluster, obj.metadata.namespace), { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...obj });
  if (!res.ok) throw new Error(`sandbox POST: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

/** Read-modify-write of a live Ingress, as another tool (kubectl, a controller) would. */
export async function changeLiveIngress(
  namespace: string,
  name: string,
  mutate: (o: TObj) => void,
  cluster?: TSandboxClusterName,
): Promise<TObj> {
  const current = await liveIngress(namespace, name, cluster);
  if (!current) throw new Error(`sandbox: ${namespace}/${name} does not exist`);
  mutate(current);
  const res = await call('PUT', url(cluster, namespace, name), current);
  if (!res.ok) throw new Error(`sandbox PUT: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

/** Creates a namespace in a sandbox cluster (idempotent), e.g. a per-environment one for a promotion path. */
export async function ensureNamespace(name: string, cluster?: TSandboxClusterName): Promise<void> {
  const res = await call('POST', `${base(cluster)}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (!res.ok && res.status !== 409) throw new Error(`sandbox POST namespace ${name}: ${res.status} ${await res.text()}`);
}

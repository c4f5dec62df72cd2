import { E2E_SANDBOX_TOKEN, E2E_SANDBOX_URL } from './config';

// Direct access to the e2e sandbox cluster (the fake Kubernetes API), behind the app's back.
type TObj = {
  metadata: { name: string; namespace: string; resourceVersion?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
};

function url(namespace: string, name?: string): string {
  return `${E2E_SANDBOX_URL}/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses${name ? `/${name}` : ''}`;
}

async function call(method: string, target: string, body?: unknown): Promise<Response> {
  return fetch(target, {
    method,
    headers: { authorization: `Bearer ${E2E_SANDBOX_TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function liveIngress(namespace: string, name: string): Promise<TObj | null> {
  const res = await call('GET', url(namespace, name));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`sandbox GET ${namespace}/${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

export async function createLiveIngress(obj: TObj): Promise<TObj> {
  const res = await call('POST', url(obj.metadata.namespace), { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...obj });
  if (!res.ok) throw new Error(`sandbox POST: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

/** Read-modify-write of a live Ingress, as another tool (kubectl, a controller) would. */
export async function changeLiveIngress(namespace: string, name: string, mutate: (o: TObj) => void): Promise<TObj> {
  const current = await liveIngress(namespace, name);
  if (!current) throw new Error(`sandbox: ${namespace}/${name} does not exist`);
  mutate(current);
  const res = await call('PUT', url(namespace, name), current);
  if (!res.ok) throw new Error(`sandbox PUT: ${res.status} ${await res.text()}`);
  return (await res.json()) as TObj;
}

/** Creates a namespace in the sandbox cluster (idempotent), e.g. a per-environment one for a promotion path. */
export async function ensureNamespace(name: string): Promise<void> {
  const res = await call('POST', `${E2E_SANDBOX_URL}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (!res.ok && res.status !== 409) throw new Error(`sandbox POST namespace ${name}: ${res.status} ${await res.text()}`);
}

import { RESOURCES } from './resources';
import type { KubeStore, TObject } from './store';
import type { TSeed } from './types';

function namespaceObject(name: string): TObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } as unknown as TObject['metadata'],
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/**
 * Every real cluster has kube-system; its uid is what identifies the cluster (and it survives
 * restarts of the sandbox through the state file, as it survives API server restarts).
 */
export function ensureKubeSystem(store: KubeStore): void {
  if (store.get('namespaces', null, 'kube-system')) return;
  store.put(RESOURCES.namespaces, namespaceObject('kube-system'), 'kube-apiserver');
}

/** Writes a seed out of band, as the tools that made a real cluster's objects would (managers helm, kubectl). */
export function seedStore(store: KubeStore, seed: TSeed): void {
  const nsNames = new Set(seed.namespaces ?? []);
  for (const o of [...(seed.ingresses ?? []), ...(seed.services ?? [])]) {
    const ns = (o.metadata as { namespace?: string } | undefined)?.namespace;
    if (ns) nsNames.add(ns);
  }
  for (const ns of nsNames) {
    if (!store.get('namespaces', null, ns)) store.put(RESOURCES.namespaces, namespaceObject(ns), 'kubectl-create');
  }
  for (const o of seed.ingressClasses ?? []) store.put(RESOURCES.ingressclasses, structuredClone(o) as TObject, 'helm');
  for (const o of seed.services ?? []) store.put(RESOURCES.services, structuredClone(o) as TObject, 'helm');
  for (const o of seed.ingresses ?? []) {
    const ing = structuredClone(o) as TObject;
    if (!('status' in ing)) ing.status = { loadBalancer: {} };
    store.put(RESOURCES.ingresses, ing, 'kubectl-client-side-apply');
  }
}

/** Simulates `kubectl edit` out of band: bumps resourceVersion, records manager kubectl-edit. */
export function editIngress(store: KubeStore, namespace: string, name: string, fn: (ingress: TObject) => TObject | void): TObject {
  const current = store.get('ingresses', namespace, name);
  if (!current) throw new Error(`fake-kube-api mutate: ingress ${namespace}/${name} does not exist`);
  const edited = fn(current) ?? current;
  return store.put(RESOURCES.ingresses, edited, 'kubectl-edit');
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { SANDBOX_INGRESSES, SANDBOX_SERVICES } from '@/sandbox/sandbox-seed';
import { FIELD_MANAGER, type KubeClient } from '@/lib/server/kube/kube-client';
import { expectKubeError, ingress, startCluster } from './helpers';

// The real @kubernetes/client-node, over real HTTP, against the fake API server.
let fake: FakeKubeApi;
let client: KubeClient;

beforeAll(async () => {
  ({ fake, client } = await startCluster());
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.clearRequests();
});

describe('reads', () => {
  it('gets a live Ingress as plain JSON, server fields intact', async () => {
    const live = await client.getIngress('shop', 'storefront');
    expect(live?.kind).toBe('Ingress');
    expect(live?.apiVersion).toBe('networking.k8s.io/v1');
    expect(live?.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(live?.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    // RFC 3339 as the server wrote it, not a re-serialised Date.
    expect(live?.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(live?.spec.tls?.[0]?.secretName).toBe('shop-example-com-tls');
    expect(fake.requests().at(-1)).toMatchObject({
      method: 'GET',
      path: '/apis/networking.k8s.io/v1/namespaces/shop/ingresses/storefront',
      user: 'ingress-gate',
    });
  });

  it('returns null for a missing Ingress', async () => {
    expect(await client.getIngress('shop', 'nope')).toBeNull();
  });

  it('lists Ingresses in a namespace with the list resourceVersion, items stamped with kind', async () => {
    const list = await client.listIngresses('shop');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['shop-admin', 'storefront']);
    expect(list.items.every((i) => i.kind === 'Ingress' && i.apiVersion === 'networking.k8s.io/v1')).toBe(true);
    expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(Math.max(...list.items.map((i) => Number(i.metadata.resourceVersion))));
  });

  it('lists Ingresses in all namespaces (collision checks)', async () => {
    const list = await client.listAllIngresses();
    expect(list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort()).toEqual(
      SANDBOX_INGRESSES.map((i) => `${(i.metadata as { namespace: string }).namespace}/${(i.metadata as { name: string }).name}`).sort(),
    );
    expect(fake.requests().at(-1)?.path).toBe('/apis/networking.k8s.io/v1/ingresses');
  });

  it('lists Services, IngressClasses and namespaces', async () => {
    const services = await client.listServices('payments');
    expect(services.items.map((s) => s.metadata.name).sort()).toEqual(
      SANDBOX_SERVICES.filter((s) => (s.metadata as { namespace: string }).namespace === 'payments')
        .map((s) => (s.metadata as { name: string }).name)
        .sort(),
    );
    expect(services.items.find((s) => s.metadata.name === 'checkout')?.spec.ports?.[0]).toMatchObject({ name: 'https', port: 443 });
    const classes = await client.listIngressClasses();
    expect(classes.items.map((c) => c.metadata.name).sort()).toEqual(['nginx-internal', 'nginx-public']);
    const namespaces = await client.listNamespaces();
    expect(namespaces.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['shop', 'payments']));
  });

  it('reports the server version', async () => {
    expect(await client.getServerVersion()).toMatchObject({ gitVersion: 'v1.31.4', major: '1', minor: '31' });
  });

  it('asks for pages (limit) and follows nothing when the server sends no continue token', async () => {
    await client.listIngresses('shop');
    expect(fake.requests().at(-1)?.query).toMatchObject({ limit: '500' });
  });
});

describe('writes', () => {
  it('creates with fieldManager ingress-gate; generation 1; managedFields record the manager', async () => {
    const created = await client.createIngress(ingress('shop', 'promo'));
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.managedFields).toEqual([expect.objectContaining({ manager: FIELD_MANAGER, operation: 'Update' })]);
    expect(fake.requests().at(-1)).toMatchObject({ method: 'POST', query: { fieldManager: 'ingress-gate' } });
    expect(fake.peek('ingresses', 'shop', 'promo')?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('drops server-set metadata from a manifest before creating', async () => {
    const manifest = ingress('shop', 'promo-copy');
    manifest.metadata.resourceVersion = '12';
    manifest.metadata.uid = 'not-a-real-uid';
    const created = await client.createIngress(manifest);
    expect(created.metadata.uid).not.toBe('not-a-real-uid');
  });

  it('create of a taken name is already-exists (409), nothing changes', async () => {
    const before = fake.peek('ingresses', 'shop', 'storefront');
    const err = await expectKubeError(client.createIngress(ingress('shop', 'storefront')), 'already-exists');
    expect(err).toMatchObject({ status: 409, reason: 'AlreadyExists', retryable: false });
    expect(err.message).toBe('Ingress "storefront" already exists in namespace "shop".');
    expect(fake.peek('ingresses', 'shop', 'storefront')).toEqual(before);
  });

  it('create in a namespace that does not exist is not-found naming the namespace', async () => {
    const err = await expectKubeError(client.createIngress(ingress('ghost-town', 'x')), 'not-found');
    expect(err.message).toBe('Namespace "ghost-town" does not exist in the cluster.');
  });

  it('updates at the base resourceVersion: new resourceVersion, generation bumped on spec change', async () => {
    const live = await client.getIngress('payments', 'checkout');
    const proposed = structuredClone(live!);
    proposed.spec.rules![0]!.http!.paths[1]!.path = '/api/v2/payments';
    const updated = await client.updateIngress(proposed, live!.metadata.resourceVersion);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(live!.metadata.resourceVersion));
    expect(updated.metadata.generation).toBe(live!.metadata.generation! + 1);
    expect(updated.metadata.uid).toBe(live!.metadata.uid);
    expect(updated.metadata.managedFields?.map((m) => (m as { manager: string }).manager)).toContain('ingress-gate');
    const sent = fake.requests().at(-1);
    expect(sent).toMatchObject({ method: 'PUT', query: { fieldManager: 'ingress-gate' } });
    expect((sent?.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(live!.metadata.resourceVersion);
  });

  it('a label-only update keeps generation', async () => {
    const live = await client.getIngress('shop', 'shop-admin');
    const proposed = structuredClone(live!);
    proposed.metadata.labels = { ...proposed.metadata.labels, tier: 'internal' };
    const updated = await client.updateIngress(proposed, live!.metadata.resourceVersion);
    expect(updated.metadata.generation).toBe(live!.metadata.generation);
  });

  it('an update against a moved object fails with conflict and never overwrites (kubectl edit in between)', async () => {
    const base = await client.getIngress('shop', 'storefront');
    fake.mutate('shop', 'storefront', (o) => {
      o.metadata.annotations = { ...o.metadata.annotations, 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' };
    });
    const moved = fake.peek('ingresses', 'shop', 'storefront')!;
    expect(moved.metadata.managedFields?.map((m) => m.manager)).toContain('kubectl-edit');
    const proposed = structuredClone(base!);
    proposed.spec.tls = [];
    const err = await expectKubeError(client.updateIngress(proposed, base!.metadata.resourceVersion), 'conflict');
    expect(err).toMatchObject({ status: 409, reason: 'Conflict', retryable: false });
    expect(err.message).toContain('was changed in the cluster since it was read; nothing was written');
    expect(err.message).toContain('the object has been modified');
    expect(fake.peek('ingresses', 'shop', 'storefront')).toEqual(moved);
  });

  it('update of a missing Ingress is not-found (no create-on-update)', async () => {
    const err = await expectKubeError(client.updateIngress(ingress('shop', 'never-was'), '1'), 'not-found');
    expect(err.status).toBe(404);
    expect(fake.peek('ingresses', 'shop', 'never-was')).toBeNull();
  });

  it('refuses an update without a base resourceVersion before sending anything', async () => {
    await expect(client.updateIngress(ingress('shop', 'storefront'), '')).rejects.toThrow(/base resourceVersion/);
    expect(fake.requests()).toHaveLength(0);
  });

  it('deletes with a resourceVersion precondition', async () => {
    const created = await client.createIngress(ingress('payments', 'short-lived'));
    await client.deleteIngress('payments', 'short-lived', created.metadata.resourceVersion);
    expect(fake.peek('ingresses', 'payments', 'short-lived')).toBeNull();
    expect(fake.requests().at(-1)?.body).toMatchObject({ preconditions: { resourceVersion: created.metadata.resourceVersion } });
  });

  it('a delete against a moved object fails with conflict and deletes nothing', async () => {
    const created = await client.createIngress(ingress('payments', 'contested'));
    fake.mutate('payments', 'contested', (o) => {
      o.metadata.labels = { touched: 'yes' };
    });
    const err = await expectKubeError(client.deleteIngress('payments', 'contested', created.metadata.resourceVersion), 'conflict');
    expect(err.message).toContain('Precondition failed: ResourceVersion in precondition');
    expect(fake.peek('ingresses', 'payments', 'contested')).not.toBeNull();
  });

  it('delete of a missing Ingress is not-found', async () => {
    await expectKubeError(client.deleteIngress('payments', 'absent', '1'), 'not-found');
  });

  it('resourceVersion comes from one counter: every write moves it forward across resources', async () => {
    const a = await client.createIngress(ingress('shop', 'rv-a'));
    const b = await client.createIngress(ingress('payments', 'rv-b'));
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
  });
});

describe('dry run', () => {
  it('dry-run create answers as if written, stores nothing', async () => {
    const before = (await client.listAllIngresses()).resourceVersion;
    const answer = await client.dryRunCreate(ingress('shop', 'dry'));
    expect(answer.metadata.name).toBe('dry');
    expect(answer.metadata.uid).toBeTruthy();
    expect(fake.requests().at(-1)?.query).toMatchObject({ dryRun: 'All', fieldManager: 'ingress-gate' });
    expect(fake.peek('ingresses', 'shop', 'dry')).toBeNull();
    expect((await client.listAllIngresses()).resourceVersion).toBe(before);
  });

  it('dry-run update validates and checks the precondition, stores nothing', async () => {
    const live = await client.getIngress('payments', 'payments-webhooks');
    const proposed = structuredClone(live!);
    proposed.spec.rules![0]!.host = 'hooks2.pay.example.com';
    const answer = await client.dryRunUpdate(proposed, live!.metadata.resourceVersion);
    expect(answer.spec.rules?.[0]?.host).toBe('hooks2.pay.example.com');
    expect(fake.peek('ingresses', 'payments', 'payments-webhooks')).toEqual(await client.getIngress('payments', 'payments-webhooks'));
    expect((await client.getIngress('payments', 'payments-webhooks'))?.spec.rules?.[0]?.host).toBe('hooks.pay.example.com');
    await expectKubeError(client.dryRunUpdate(proposed, '1'), 'conflict');
  });

  it('dry-run delete checks the precondition, deletes nothing', async () => {
    const live = await client.getIngress('shop', 'shop-admin');
    await client.dryRunDelete('shop', 'shop-admin', live!.metadata.resourceVersion);
    expect(fake.requests().at(-1)?.query).toMatchObject({ dryRun: 'All' });
    expect(fake.peek('ingresses', 'shop', 'shop-admin')).not.toBeNull();
    await expectKubeError(client.dryRunDelete('shop', 'shop-admin', '1'), 'conflict');
  });

  it('dry-run create of an invalid Ingress is invalid with the server field causes', async () => {
    const bad = ingress('shop', 'bad-host', 'Not_A_Host');
    bad.spec.rules![0]!.http!.paths[0]!.path = 'no-slash';
    const err = await expectKubeError(client.dryRunCreate(bad), 'invalid');
    expect(err.status).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec.rules[0].host' }),
        expect.objectContaining({ field: 'spec.rules[0].http.paths[0].path' }),
      ]),
    );
    expect(err.message).toMatch(/^The API server rejected the object: Ingress\.networking\.k8s\.io "bad-host" is invalid: \[/);
  });
});

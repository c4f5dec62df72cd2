import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import type { TIngress } from '@/lib/domain/ingress/types';
import { clusterFor } from '@/lib/server/kube/environment-cluster';
import { ClusterCache } from '@/lib/server/kube/cluster-cache';
import type { Environment } from '@/lib/generated/prisma/client';
import { resetDb } from '../helpers';
import { env, newIngressYaml, reseed, startWorld } from '../change-requests/world';
import { until } from '../robustness/process-tree';

// Issue 19: the shared cluster cache — one list-then-watch per environment feeding an index by
// class and host, over real HTTP against the fake API server; a direct list until it is synced.

let fake: FakeKubeApi;
let stop: () => Promise<void>;
let cache: ClusterCache;
let prod: Environment;
beforeAll(async () => ({ fake, stop } = await startWorld({ bookmarkIntervalMs: 200 })));
afterAll(async () => stop());
beforeEach(async () => {
  await resetDb();
  reseed(fake);
  cache = new ClusterCache({ enabled: true });
  prod = await env({ name: 'prod' });
});
afterEach(async () => cache.stop());

const client = () => clusterFor(prod);
const lists = () => fake.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/ingresses') && !r.query.watch);
const names = (items: readonly { metadata: { namespace: string; name: string } }[]) =>
  items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
const liveNames = () =>
  names(
    (fake.list('ingresses', null) as unknown as TIngress[]).map((i) => ({ metadata: i.metadata as { namespace: string; name: string } })),
  );

describe('cluster cache', () => {
  it('lists directly until the watch has synced, then serves reads from the watch without listing', async () => {
    const first = await cache.ingresses(prod, client);
    expect(first.source).toBe('list');
    expect(names(first.all)).toEqual(liveNames());
    await cache.synced(prod.id);
    fake.clearRequests();
    const second = await cache.ingresses(prod, client);
    expect(second.source).toBe('cache');
    expect(names(second.all)).toEqual(liveNames());
    expect(lists()).toHaveLength(0);
  });

  it('follows watch events: a create, an out-of-band edit and a delete show in the index by host and class', async () => {
    await cache.ingresses(prod, client);
    await cache.synced(prod.id);
    const created = await client().createIngress(parse(newIngressYaml('promo', 'promo.example.com')) as TIngress);
    await until('the create in the cache', async () =>
      (await cache.ingresses(prod, client)).byHost('promo.example.com').some((i) => i.metadata.name === 'promo'),
    );
    expect((await cache.ingresses(prod, client)).byClass('nginx-public').map((i) => i.metadata.name)).toContain('promo');
    fake.mutate('shop', 'promo', (o) => {
      (o.spec as { rules: { host: string }[] }).rules[0]!.host = 'elsewhere.example.com';
    });
    await until('the edit in the cache', async () =>
      (await cache.ingresses(prod, client)).byHost('elsewhere.example.com').some((i) => i.metadata.name === 'promo'),
    );
    expect((await cache.ingresses(prod, client)).byHost('promo.example.com')).toHaveLength(0);
    const edited = fake.peek('ingresses', 'shop', 'promo') as unknown as TIngress;
    await client().deleteIngress('shop', 'promo', edited.metadata.resourceVersion ?? created.metadata.resourceVersion!);
    await until('the delete in the cache', async () => !(await cache.ingresses(prod, client)).all.some((i) => i.metadata.name === 'promo'));
    const last = await cache.ingresses(prod, client);
    expect(last.source).toBe('cache');
    expect(names(last.all)).toEqual(liveNames());
  });

  it('a reconfigured environment (updatedAt moved) is read afresh, and INGRESS_GATE_CLUSTER_CACHE=off always lists', async () => {
    await cache.ingresses(prod, client);
    await cache.synced(prod.id);
    const moved = { ...prod, updatedAt: new Date(prod.updatedAt.getTime() + 1_000) };
    expect((await cache.ingresses(moved, client)).source).toBe('list');
    const off = new ClusterCache({ enabled: false });
    fake.clearRequests();
    expect((await off.ingresses(prod, client)).source).toBe('list');
    expect((await off.ingresses(prod, client)).source).toBe('list');
    expect(lists()).toHaveLength(2);
    await off.stop();
  });
});

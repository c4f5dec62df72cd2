import { KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeKubeApi } from '@/e2e/fakes/fake-kube-api';
import { startCluster } from './helpers';

// The fake's watch, driven by the client library's own Watch (issue 8 builds drift detection on it).
let fake: FakeKubeApi;
let kc: KubeConfig;

beforeAll(async () => {
  ({ fake } = await startCluster({ bookmarkIntervalMs: 50, watchHistory: 5 }));
  kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfig());
});
afterAll(async () => {
  await fake.stop();
});

type TEvent = { type: string; name?: string; rv?: string; code?: number };

async function collect(
  path: string,
  query: Record<string, string | boolean>,
  until: (events: TEvent[]) => boolean,
  act?: () => void,
): Promise<TEvent[]> {
  const events: TEvent[] = [];
  let controller: AbortController | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`watch timed out; got ${JSON.stringify(events)}`)), 5_000);
    new Watch(kc)
      .watch(
        path,
        query,
        (type, obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) => {
          events.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion, code: obj.code });
          if (until(events)) {
            clearTimeout(timer);
            resolve();
          }
        },
        (err: unknown) => {
          if (until(events)) return;
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(`watch ended early: ${JSON.stringify(events)}`));
        },
      )
      .then((c) => {
        controller = c;
        act?.();
      }, reject);
  });
  controller?.abort();
  return events;
}

describe('fake watch', () => {
  it('from scratch: ADDED for what exists, then MODIFIED for an out-of-band edit', async () => {
    const events = await collect(
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses',
      {},
      (e) => e.some((x) => x.type === 'MODIFIED'),
      () =>
        setTimeout(() => fake.mutate('shop', 'storefront', (o) => void (o.metadata.labels = { ...o.metadata.labels, edited: 'yes' })), 50),
    );
    expect(
      events
        .filter((e) => e.type === 'ADDED')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['shop-admin', 'storefront']);
    expect(events.at(-1)).toMatchObject({
      type: 'MODIFIED',
      name: 'storefront',
      rv: fake.peek('ingresses', 'shop', 'storefront')?.metadata.resourceVersion,
    });
  });

  it('resumes from a resourceVersion: replays only later writes in scope', async () => {
    const from = fake.peek('ingresses', 'shop', 'storefront')!.metadata.resourceVersion;
    fake.mutate('payments', 'checkout', () => undefined);
    fake.mutate('shop', 'shop-admin', (o) => void (o.metadata.labels = { ...o.metadata.labels, edited: 'yes' }));
    const events = await collect('/apis/networking.k8s.io/v1/namespaces/shop/ingresses', { resourceVersion: from }, (e) => e.length >= 1);
    expect(events).toEqual([expect.objectContaining({ type: 'MODIFIED', name: 'shop-admin' })]);
  });

  it('sends BOOKMARKs carrying the current resourceVersion when asked', async () => {
    const events = await collect(
      '/apis/networking.k8s.io/v1/ingresses',
      { allowWatchBookmarks: true, resourceVersion: fake.peek('ingresses', 'shop', 'shop-admin')!.metadata.resourceVersion },
      (e) => e.some((x) => x.type === 'BOOKMARK'),
    );
    expect(events.find((e) => e.type === 'BOOKMARK')?.rv).toMatch(/^\d+$/);
  });

  it('a resourceVersion older than the kept history → ERROR event with 410 Gone (Expired)', async () => {
    for (let i = 0; i < 8; i += 1)
      fake.mutate('payments', 'checkout', (o) => void (o.metadata.labels = { ...o.metadata.labels, n: String(i) }));
    const events = await collect('/apis/networking.k8s.io/v1/ingresses', { resourceVersion: '1' }, (e) =>
      e.some((x) => x.type === 'ERROR'),
    );
    expect(events.at(-1)).toMatchObject({ type: 'ERROR', code: 410 });
  });
});

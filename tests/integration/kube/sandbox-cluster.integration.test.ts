import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxCluster } from '@/sandbox/sandbox-cluster';
import { SANDBOX_INGRESSES } from '@/sandbox/sandbox-seed';
import { createKubeClient } from '@/lib/server/kube/kube-client';
import { ingress } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sandbox cluster', () => {
  it('seeds on first start, keeps state (not the seed) across restarts, with a fresh token each start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    dirs.push(dir);
    const stateFile = join(dir, 'sandbox-cluster.json');

    const first = await startSandboxCluster({ stateFile });
    expect(first.seeded).toBe(true);
    const c1 = createKubeClient({ kind: 'SANDBOX', server: first.url, token: first.token });
    expect((await c1.listAllIngresses()).items).toHaveLength(SANDBOX_INGRESSES.length);
    expect((await c1.listIngressClasses()).items.map((c) => c.metadata.name).sort()).toEqual(['nginx-internal', 'nginx-public']);
    const created = await c1.createIngress(ingress('shop', 'added-in-sandbox'));
    const storefront = await c1.getIngress('shop', 'storefront');
    await c1.deleteIngress(
      'payments',
      'payments-webhooks',
      (await c1.getIngress('payments', 'payments-webhooks'))!.metadata.resourceVersion,
    );
    await first.stop();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1 });

    const second = await startSandboxCluster({ stateFile });
    try {
      expect(second.seeded).toBe(false);
      expect(second.token).not.toBe(first.token);
      const c2 = createKubeClient({ kind: 'SANDBOX', server: second.url, token: second.token });
      expect((await c2.getIngress('shop', 'added-in-sandbox'))?.metadata.uid).toBe(created.metadata.uid);
      expect(await c2.getIngress('payments', 'payments-webhooks')).toBeNull();
      expect(await c2.getIngress('shop', 'storefront')).toEqual(storefront);
      // resourceVersion keeps counting up across restarts.
      const next = await c2.createIngress(ingress('shop', 'after-restart'));
      expect(Number(next.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
      // The old token is dead.
      await expect(createKubeClient({ kind: 'SANDBOX', server: second.url, token: first.token }).listNamespaces()).rejects.toMatchObject({
        kind: 'unauthorized',
      });
    } finally {
      await second.stop();
    }
  });

  it('serves a named cluster per environment under /clusters/<name>: own kube-system uid, own objects, watch included, seeded and kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    dirs.push(dir);
    const stateFile = join(dir, 'sandbox-cluster.json');
    const sandbox = await startSandboxCluster({ stateFile });
    let uids: (string | null)[];
    let created: string;
    try {
      const client = (name: string | null) =>
        createKubeClient({ kind: 'SANDBOX', server: name ? sandbox.clusterUrl(name) : sandbox.url, token: sandbox.token });
      const [root, dev, prod] = [client(null), client('dev'), client('prod')];
      uids = await Promise.all([root, dev, prod].map((c) => c.getNamespaceUid('kube-system')));
      expect(new Set(uids).size).toBe(3);
      expect(uids.every(Boolean)).toBe(true);
      // Every named cluster starts from the seed.
      for (const c of [dev, prod]) expect((await c.listAllIngresses()).items).toHaveLength(SANDBOX_INGRESSES.length);
      expect((await dev.whoAmI()).username).toBe('system:serviceaccount:ingress-gate:ingress-gate');

      const events: string[] = [];
      const watch = prod.watchIngresses({
        namespace: 'shop',
        onEvent: (e) => void events.push(e.type === 'SYNC' ? `SYNC ${e.items.length}` : `${e.type} ${e.object.metadata.name}`),
      });
      try {
        await expect.poll(() => events[0]).toMatch(/^SYNC /);
        // A write to dev is seen in dev only: not in prod, not in the root cluster.
        const storefront = (await dev.getIngress('shop', 'storefront'))!;
        const edited = structuredClone(storefront) as unknown as Parameters<typeof dev.updateIngress>[0];
        edited.metadata.labels = { ...edited.metadata.labels, edited: 'in-dev' };
        await dev.updateIngress(edited, storefront.metadata.resourceVersion);
        created = (await dev.createIngress(ingress('shop', 'only-in-dev'))).metadata.uid;
        expect((await dev.getIngress('shop', 'storefront'))!.metadata.labels).toMatchObject({ edited: 'in-dev' });
        expect((await prod.getIngress('shop', 'storefront'))!.metadata.labels).not.toHaveProperty('edited');
        expect((await root.getIngress('shop', 'storefront'))!.metadata.labels).not.toHaveProperty('edited');
        expect(await prod.getIngress('shop', 'only-in-dev')).toBeNull();
        await prod.createIngress(ingress('shop', 'only-in-prod'));
        await expect.poll(() => events).toContain('ADDED only-in-prod');
        expect(events.join()).not.toContain('only-in-dev');
      } finally {
        await watch.stop();
      }
      // Not a DNS label: no such cluster (404), nothing made.
      await expect(client('Not_A_Label').listNamespaces()).rejects.toMatchObject({ kind: 'not-found' });
    } finally {
      await sandbox.stop();
    }
    // A restart keeps each named cluster's identity and objects, and does not re-seed them.
    const again = await startSandboxCluster({ stateFile });
    try {
      const dev = createKubeClient({ kind: 'SANDBOX', server: again.clusterUrl('dev'), token: again.token });
      expect(await dev.getNamespaceUid('kube-system')).toBe(uids[1]);
      expect((await dev.getIngress('shop', 'only-in-dev'))?.metadata.uid).toBe(created);
      expect(again.api.cluster('prod').peek('ingresses', 'shop', 'only-in-prod')).not.toBeNull();
    } finally {
      await again.stop();
    }
  });
});

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
});

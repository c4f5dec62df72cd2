// Drift detection: how long from an out-of-band write (`kubectl edit`) to the DriftRecord saying
// so, with the worker's watch and with polling; and what one full pass over many Ingresses costs.
// Run: node_modules/.bin/tsx bench/drift-latency.ts [ingresses=300] [edits=50]
import { startKubeApi } from '../sandbox/kube-api/server';
import { SANDBOX_SEED } from '../sandbox/sandbox-seed';
import { prepareTestDatabase } from '../tests/integration/test-database';

const ingressCount = Number(process.argv[2] ?? 300);
const edits = Number(process.argv[3] ?? 50);
const database = await prepareTestDatabase('ingress_gate_bench_drift', 54343);
const fake = await startKubeApi();
fake.seed(SANDBOX_SEED);
Object.assign(process.env, {
  DATABASE_URL: database.url,
  AUTH_SECRET: '30V08rfvBHPSqFUmAXdVPShKHOcykPaSvFSq76Zs91w=',
  INGRESS_GATE_SECRET_KEY: 'L2dMRC1R1XFWlv6Yf/8Pq6ZyN5KYkER+jZp3r8f2QZ0=',
  INGRESS_GATE_SANDBOX_URL: fake.url,
  INGRESS_GATE_SANDBOX_TOKEN: fake.token,
});

const { db } = await import('../lib/server/db/client');
const { createEnvironment } = await import('../lib/server/seed/factories');
const { canonicalYaml, contentHash, normaliseIngress } = await import('../lib/domain/ingress/normalise-ingress');
const { detectDriftOnce } = await import('../lib/server/drift/detect-drift-once');
const { startDriftWatch } = await import('../lib/server/drift/start-drift-watch');
type TIngress = import('../lib/domain/ingress/types').TIngress;

const env = await createEnvironment(db(), { name: 'prod', connectionKind: 'SANDBOX' });
// N Ingresses "applied through the portal": live in the fake, with their AppliedVersion rows.
const ingresses = Array.from({ length: ingressCount }, (_, i) => ({
  apiVersion: 'networking.k8s.io/v1' as const,
  kind: 'Ingress' as const,
  metadata: { name: `bench-${i}`, namespace: 'shop', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } },
  spec: {
    ingressClassName: 'nginx-public',
    tls: [{ hosts: [`bench-${i}.example.com`], secretName: 'bench-tls' }],
    rules: [
      {
        host: `bench-${i}.example.com`,
        http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend: { service: { name: 'storefront', port: { number: 80 } } } }] },
      },
    ],
  },
}));
fake.seed({ ingresses });
await db().appliedVersion.createMany({
  data: ingresses.map((i) => {
    const live = fake.peek('ingresses', 'shop', i.metadata.name)!;
    const manifest = normaliseIngress(i as TIngress);
    return {
      environmentId: env.id,
      namespace: 'shop',
      ingressName: i.metadata.name,
      action: 'CREATE' as const,
      manifest: manifest as object,
      yaml: canonicalYaml(manifest),
      contentHash: contentHash(manifest),
      resourceVersion: live.metadata.resourceVersion,
    };
  }),
});

const ms = (t0: number) => performance.now() - t0;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `n=${s.length} min=${q(0).toFixed(0)}ms median=${q(0.5).toFixed(0)}ms p95=${q(0.95).toFixed(0)}ms max=${s.at(-1)!.toFixed(0)}ms`;
};

let t0 = performance.now();
const first = await detectDriftOnce(env.id);
console.log(`full pass, first (creates ${first.checked} records): ${ms(t0).toFixed(0)}ms`);
t0 = performance.now();
await detectDriftOnce(env.id);
console.log(`full pass, steady state (${first.checked} Ingresses, nothing changed, no writes): ${ms(t0).toFixed(0)}ms`);

async function waitDetected(name: string, since: number): Promise<number> {
  const want = contentHash(fake.peek('ingresses', 'shop', name) as unknown as TIngress);
  for (;;) {
    const r = await db().driftRecord.findUnique({
      where: { environmentId_namespace_ingressName: { environmentId: env.id, namespace: 'shop', ingressName: name } },
    });
    if (r?.state === 'DRIFTED' && (r.details as { liveHash?: string }).liveHash === want) return ms(since);
    if (ms(since) > 30_000) throw new Error(`not detected: ${name}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function measure(mode: 'watch' | 'poll', count: number, pollIntervalMs = 60_000): Promise<number[]> {
  const watch = startDriftWatch({ mode, pollIntervalMs, log: () => undefined });
  await watch.ready();
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `bench-${i % ingressCount}`;
    const since = performance.now();
    fake.mutate('shop', name, (o) => void (o.metadata.labels = { ...o.metadata.labels, [`${mode}-edit`]: String(i) }));
    out.push(await waitDetected(name, since));
    if (mode === 'poll') await new Promise((r) => setTimeout(r, Math.random() * pollIntervalMs));
  }
  await watch.stop();
  return out;
}

console.log(`watch, kubectl edit → DRIFTED (${ingressCount} Ingresses watched): ${stats(await measure('watch', edits))}`);
console.log(`poll every 2000 ms, kubectl edit → DRIFTED: ${stats(await measure('poll', 8, 2_000))}`);

await db().$disconnect();
await fake.stop();
await database.stop();

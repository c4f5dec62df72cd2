// Apply latency: from the commit of the final approval to the object being written in the API
// server, with an idle worker process, for 200 sequential requests against the fake cluster.
// Run: node_modules/.bin/tsx bench/apply-latency.ts [count]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startKubeApi } from '../sandbox/kube-api/server';
import { SANDBOX_SEED } from '../sandbox/sandbox-seed';
import { ingressYaml } from '../e2e/support/manifests';
import { prepareTestDatabase } from '../tests/integration/test-database';

const count = Number(process.argv[2] ?? 200);
const root = path.resolve(import.meta.dirname, '..');
const database = await prepareTestDatabase('ingress_gate_bench', 54342);
const fake = await startKubeApi();
fake.seed(SANDBOX_SEED);
Object.assign(process.env, {
  DATABASE_URL: database.url,
  AUTH_SECRET: '30V08rfvBHPSqFUmAXdVPShKHOcykPaSvFSq76Zs91w=',
  INGRESS_GATE_SECRET_KEY: 'L2dMRC1R1XFWlv6Yf/8Pq6ZyN5KYkER+jZp3r8f2QZ0=',
  INGRESS_GATE_SANDBOX_URL: fake.url,
  INGRESS_GATE_SANDBOX_TOKEN: fake.token,
});

const { ensureQueueSchema } = await import('../lib/server/jobs/queue');
const { db } = await import('../lib/server/db/client');
const { createEnvironment, createUser } = await import('../lib/server/seed/factories');
const { loadActor } = await import('../lib/server/auth/load-actor');
const { submitChangeRequest } = await import('../lib/server/change-requests/submit-change-request');
const { reviewChangeRequest } = await import('../lib/server/change-requests/review-change-request');

await ensureQueueSchema(database.url);
await createEnvironment(db(), { name: 'prod', connectionKind: 'SANDBOX' });
const requester = (await loadActor((await createUser(db(), { email: 'r@bench', roles: ['REQUESTER'] })).id))!;
const approver = (await loadActor((await createUser(db(), { email: 'a@bench', roles: ['APPROVER'] })).id))!;

const worker = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'lib/worker/main.ts')], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: process.env,
});
// Wait for the worker's heartbeat: it is up and idle.
for (let i = 0; i < 300 && (await db().workerHeartbeat.count()) === 0; i += 1) await new Promise((r) => setTimeout(r, 100));

const yaml = (i: number) =>
  ingressYaml({ name: `bench-${i}`, host: `bench-${i}.example.com`, namespace: 'shop', className: 'nginx-public' });

const samples: number[] = [];
for (let i = 0; i < count; i += 1) {
  const cr = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'create',
    title: `bench ${i}`,
    justification: 'benchmark',
    yaml: yaml(i),
  });
  await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
  const committed = performance.now();
  // Poll the fake's store on the event loop; resolution is well under a millisecond.
  while (!fake.peek('ingresses', 'shop', `bench-${i}`)) await new Promise((r) => setImmediate(r));
  samples.push(performance.now() - committed);
}

// The baseline (issue 19): the same object written directly with @kubernetes/client-node, through
// the environment's own KubeClient, on the same server — what "close to the wire" is measured against.
const { clusterFor } = await import('../lib/server/kube/environment-cluster');
const { parse } = await import('yaml');
const client = clusterFor(await db().environment.findFirstOrThrow({ where: { name: 'prod' } }));
const direct: number[] = [];
for (let i = 0; i < count; i += 1) {
  const manifest = parse(
    ingressYaml({ name: `direct-${i}`, host: `direct-${i}.example.com`, namespace: 'shop', className: 'nginx-public' }),
  );
  const t = performance.now();
  await client.createIngress(manifest);
  direct.push(performance.now() - t);
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
console.log(`apply latency, final approval commit → object written (${count} sequential requests, idle worker process, fake API server)`);
console.log(
  `  through the gate  p50 ${pct(samples, 50).toFixed(1)} ms   p95 ${pct(samples, 95).toFixed(1)} ms   max ${Math.max(...samples).toFixed(1)} ms`,
);
console.log(
  `  direct write      p50 ${pct(direct, 50).toFixed(1)} ms   p95 ${pct(direct, 95).toFixed(1)} ms   max ${Math.max(...direct).toFixed(1)} ms`,
);
console.log(`  ratio (p50)       ${(pct(samples, 50) / pct(direct, 50)).toFixed(2)}× (target ≤ 2×)`);

worker.kill('SIGTERM');
await new Promise((r) => worker.once('exit', r));
await db().$disconnect();
await fake.stop();
await database.stop();

// Live-page latency, server side: from the commit of an approval to the live hub (the one LISTEN
// connection /api/live streams from) receiving its notification — PostgreSQL trigger, NOTIFY at
// commit, LISTEN — and to the live summary the stream pushes being read. The whole path into a
// browser is `page` mode (bench/live-page-latency.ts).
// Run: node_modules/.bin/tsx bench/live-latency.ts [count]
//      node_modules/.bin/tsx bench/live-latency.ts page [count] [load]   (after npm run build)
import { randomBytes } from 'node:crypto';
import { startKubeApi } from '../sandbox/kube-api/server';
import { SANDBOX_SEED } from '../sandbox/sandbox-seed';
import { ingressYaml } from '../e2e/support/manifests';
import { prepareTestDatabase } from '../tests/integration/test-database';

// `page` mode measures in a browser and exits when done.
if (process.argv[2] === 'page') await import('./live-page-latency');
const count = Number(process.argv[2] ?? 100);
const database = await prepareTestDatabase('ingress_gate_bench_live', 54343);
const fake = await startKubeApi();
fake.seed(SANDBOX_SEED);
Object.assign(process.env, {
  DATABASE_URL: database.url,
  AUTH_SECRET: randomBytes(32).toString('base64'),
  INGRESS_GATE_SECRET_KEY: randomBytes(32).toString('base64'),
  INGRESS_GATE_SANDBOX_URL: fake.url,
  INGRESS_GATE_SANDBOX_TOKEN: fake.token,
});

const { ensureQueueSchema } = await import('../lib/server/jobs/queue');
const { db } = await import('../lib/server/db/client');
const { createEnvironment, createUser } = await import('../lib/server/seed/factories');
const { loadActor } = await import('../lib/server/auth/load-actor');
const { submitChangeRequest } = await import('../lib/server/change-requests/submit-change-request');
const { reviewChangeRequest } = await import('../lib/server/change-requests/review-change-request');
const { subscribeLiveChanges } = await import('../lib/server/live/live-changes');
const { getLiveRequestSummary } = await import('../lib/server/live/get-live-request-summary');

await ensureQueueSchema(database.url);
await createEnvironment(db(), { name: 'prod', connectionKind: 'SANDBOX', requiredApprovals: 2 });
const requester = (await loadActor((await createUser(db(), { email: 'r@bench', roles: ['REQUESTER'] })).id))!;
const approver = (await loadActor((await createUser(db(), { email: 'a@bench', roles: ['APPROVER'] })).id))!;

const samples: number[] = [];
const afterReturn: number[] = [];
const withSummary: number[] = [];
for (let i = 0; i < count; i += 1) {
  const cr = await submitChangeRequest(requester, {
    environment: 'prod',
    namespace: 'shop',
    action: 'create',
    title: `bench ${i}`,
    justification: 'benchmark',
    yaml: ingressYaml({ name: `live-${i}`, host: `live-${i}.example.com`, namespace: 'shop', className: 'nginx-public' }),
  });
  let received = 0;
  let summarised = 0;
  let isArmed = false;
  let lastSeen = performance.now();
  const unsubscribe = await subscribeLiveChanges(requester, { requestId: cr.id }, () => {
    lastSeen = performance.now();
    if (!isArmed || received) return;
    received = performance.now();
    // What /api/live does next: read the summary the event carries.
    void getLiveRequestSummary(requester, cr.id).then(() => (summarised = performance.now()));
  });
  // Let the submission's own notifications (sent at its commit) arrive first: 100 ms without one.
  while (performance.now() - lastSeen < 100) await new Promise((r) => setTimeout(r, 20));
  isArmed = true;
  const started = performance.now();
  await reviewChangeRequest(approver, cr.id, { decision: 'APPROVE', revision: 1 });
  const returned = performance.now();
  while (!received || !summarised) await new Promise((r) => setImmediate(r));
  // NOTIFY is sent at COMMIT, so it usually arrives before the operation's own promise resolves;
  // the lag after the return is what a page waits beyond the approval itself.
  samples.push(received - started);
  afterReturn.push(Math.max(0, received - returned));
  withSummary.push(summarised - started);
  unsubscribe();
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!.toFixed(1);
const line = (xs: number[]) => `p50 ${pct(xs, 50)} ms   p95 ${pct(xs, 95)} ms   p99 ${pct(xs, 99)} ms   max ${pct(xs, 100)} ms`;
console.log(`live latency (${count} approvals; trigger + NOTIFY at commit + one LISTEN connection)`);
console.log(`  approval call started → live hub notified:  ${line(samples)}`);
console.log(`  approval call returned → live hub notified: ${line(afterReturn)}`);
console.log(`  approval call started → live summary read:  ${line(withSummary)}`);
await db().$disconnect();
await fake.stop();
await database.stop();
process.exit(0);

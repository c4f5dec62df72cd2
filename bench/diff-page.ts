/**
 * The request page with a 5,000-line diff, in the real app (issue 19): a production build served by
 * `next start`, a fresh database, the sandbox fake cluster holding the live object, and an update
 * request for the bench's big Ingress pair (bench/diff-render/big-ingress.ts). Chromium signs in
 * and opens the request page; per run it records, from the navigation's start:
 *   first rows   — the diff's first rows with a finding label are on screen (seen by Playwright's
 *                  selector polling, so this includes one round trip to the page)
 *   interactive  — the main thread is free to handle input after that
 *   last script  — when the page's last script was requested (a late lazy chunk shows here)
 * Side by side in the same run it runs bench/diff-render.ts (the component alone) and prints the
 * ratio of the medians. Target: page interactive ≤ 1.5 × component interactive.
 * Needs `npm run build` first. Run: node_modules/.bin/tsx bench/diff-page.ts [runs=5]
 * (PORT chooses the web server's port, default 3199; TEST_DATABASE_URL a PostgreSQL server.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { canonicalYaml } from '@/lib/domain';
import { loadActor } from '@/lib/server/auth/load-actor';
import { submitChangeRequest } from '@/lib/server/change-requests/submit-change-request';
import { db } from '@/lib/server/db/client';
import { ensureQueueSchema } from '@/lib/server/jobs/queue';
import { createEnvironment, createUser } from '@/lib/server/seed/factories';
import { startKubeApi } from '../sandbox/kube-api/server';
import { SANDBOX_SEED } from '../sandbox/sandbox-seed';
import { prepareTestDatabase } from '../tests/integration/test-database';
import { bigIngressPair } from './diff-render/big-ingress';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 5);
const port = Number(process.env.PORT ?? 3199);
if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.error('diff-page: no production build; run `npm run build` first');
  process.exit(2);
}

const database = await prepareTestDatabase('ingress_gate_bench_diff_page', Number(process.env.EMBEDDED_PG_PORT ?? 54353));
const AUTH_SECRET = 'bA4lUo1jvR0yq1m3vJ8oB9oYgN0b6yF5h5lTqQ2Zc3k=';
const INGRESS_GATE_SECRET_KEY = 'Zk3r9QJmQ0cKx1mT5oVt7bJ2yH4nW8pL6sD0fA2gE9c=';
Object.assign(process.env, { DATABASE_URL: database.url, AUTH_SECRET, INGRESS_GATE_SECRET_KEY });
await ensureQueueSchema(database.url);
const fake = await startKubeApi();
const { base, proposed } = bigIngressPair();
fake.seed({ ...SANDBOX_SEED, ingresses: [...(SANDBOX_SEED.ingresses ?? []), base as never] });
process.env.INGRESS_GATE_SANDBOX_URL = fake.url;
process.env.INGRESS_GATE_SANDBOX_TOKEN = fake.token;

await createEnvironment(db(), { name: 'bench', connectionKind: 'SANDBOX' });
const password = 'bench-diff-page-pw-12345';
const requester = await createUser(db(), { email: 'requester@bench.example', name: 'Requester', password, roles: ['REQUESTER'] });
await createUser(db(), { email: 'approver@bench.example', name: 'Approver', password, roles: ['APPROVER'] });
const request = await submitChangeRequest((await loadActor(requester.id))!, {
  environment: 'bench',
  namespace: 'shop',
  action: 'update',
  title: 'Big change',
  justification: 'Benchmark',
  yaml: canonicalYaml(proposed),
});
const lines = canonicalYaml(proposed).split('\n').length;

const baseUrl = `http://127.0.0.1:${port}`;
const web = spawn(path.join(root, 'node_modules/.bin/next'), ['start', '--port', String(port)], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    AUTH_SECRET,
    AUTH_URL: baseUrl,
    INGRESS_GATE_SECRET_KEY,
    NEXT_TELEMETRY_DISABLED: '1',
  },
});
const stopAll = async () => {
  web.kill('SIGTERM');
  await fake.stop().catch(() => {});
  await db()
    .$disconnect()
    .catch(() => {});
  await database.stop().catch(() => {});
};

type TRun = { firstRowsMs: number; interactiveMs: number; lastScriptMs: number; scripts: number };
const results: TRun[] = [];
try {
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error('the web server did not start');
    const ok = await fetch(`${baseUrl}/api/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('Email').fill('approver@bench.example');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('current-user').waitFor();
    const url = `${baseUrl}/requests/${request.id}`;
    // One warm-up: the server's first render compiles nothing, but warms its caches as a reader would.
    for (let i = 0; i <= runs; i++) {
      await page.goto(url, { waitUntil: 'commit' });
      // From the navigation's start (performance.now() is 0 there): first rows with a finding, then idle.
      await page.locator('[data-testid="line-finding"]').first().waitFor({ timeout: 60_000 });
      const r = await page.evaluate(async () => {
        const firstRowsMs = performance.now();
        const interactiveMs = await new Promise<number>((resolve) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => resolve(performance.now());
          ch.port2.postMessage(null);
        });
        const scripts = performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script');
        return { firstRowsMs, interactiveMs, lastScriptMs: Math.max(0, ...scripts.map((s) => s.startTime)), scripts: scripts.length };
      });
      if (i > 0) results.push(r);
    }
  } finally {
    await browser.close();
  }
} finally {
  await stopAll();
}

// The component alone, in the same run (same machine load), for the ratio.
const component = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/diff-render.ts'), String(runs)], {
  cwd: root,
  encoding: 'utf8',
});
process.stdout.write(component.stdout);
const componentInteractive = Number(/median: first rows \d+ ms, interactive (\d+) ms/.exec(component.stdout)?.[1] ?? NaN);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`diff-page: the request page with a ${lines.toLocaleString('en')}-line diff, next start, Chromium, ${runs} runs`);
for (const [i, r] of results.entries())
  console.log(
    `  run ${i + 1}: first rows ${f(r.firstRowsMs)}, interactive ${f(r.interactiveMs)}, last script requested at ${f(r.lastScriptMs)} (${r.scripts} scripts)`,
  );
const interactive = median(results.map((r) => r.interactiveMs));
console.log(
  `  median: first rows ${f(median(results.map((r) => r.firstRowsMs)))}, interactive ${f(interactive)}, last script requested at ${f(median(results.map((r) => r.lastScriptMs)))}`,
);
const ratio = interactive / componentInteractive;
console.log(`  component alone (bench/diff-render.ts, same run): interactive ${f(componentInteractive)}`);
console.log(`  ratio page / component: ${ratio.toFixed(2)}× — target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
process.exit(0);

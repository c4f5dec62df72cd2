// Live-page latency, end to end: an approval (REST, an approver's API token) → the requester's
// open request page in Chromium showing it. Two figures per approval, from one page:
//   patched  — the approvals box shows "1 of 1" (pushed with the server-sent event and patched in place)
//   refresh  — the timeline shows the approval (only the whole-page refresh brings it)
// Runs the e2e stack (e2e/support/e2e-server.ts: embedded or TEST_DATABASE_URL PostgreSQL, worker,
// `next start` from the last `npm run build`) on E2E_PORT. Phase "quiet" runs on the machine as it
// is; phase "loaded" adds LOAD busy-looping processes (default 4). The load average is printed.
// Run: npm run build && node_modules/.bin/tsx bench/live-latency.ts page [count=20] [load=4]
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { hashApiToken, newApiTokenSecret } from '../lib/server/api-tokens/actor-from-api-token';
import { E2E_BASE_URL } from '../e2e/support/config';
import { createUser, e2eDb, uniqueEmail } from '../e2e/support/db';
import { ingressYaml } from '../e2e/support/manifests';
import { signIn } from '../e2e/support/sign-in';

const root = path.resolve(import.meta.dirname, '..');
const count = Number(process.argv[3] ?? 20);
const load = Number(process.argv[4] ?? 4);

async function startStack(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'e2e/support/e2e-server.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      if ((await fetch(`${E2E_BASE_URL}/api/health`)).ok) return child;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('the e2e stack did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function tokenFor(roles: Parameters<typeof createUser>[1]['roles'], scopes: string[]) {
  const user = await createUser(e2eDb(), { email: uniqueEmail('livebench'), password: 'pw-livebench-12345', roles });
  const secret = newApiTokenSecret();
  await e2eDb().apiToken.create({
    data: {
      userId: user.id,
      name: 'bench',
      prefix: secret.slice(0, 8),
      tokenHash: hashApiToken(secret),
      scopes: scopes as ('READ' | 'SUBMIT' | 'REVIEW')[],
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return { user, headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' } };
}

async function measure(
  page: Page,
  requester: { headers: Record<string, string> },
  approver: { headers: Record<string, string> },
  i: number,
) {
  const name = `livebench-${Date.now().toString(36)}-${i}`;
  const created = await fetch(`${E2E_BASE_URL}/api/v1/change-requests`, {
    method: 'POST',
    headers: requester.headers,
    body: JSON.stringify({
      environment: 'staging',
      namespace: 'shop',
      action: 'create',
      title: `Live bench ${i}`,
      justification: 'benchmark',
      yaml: ingressYaml({ name, host: `${name}.shop.example.com`, namespace: 'shop', className: 'nginx-internal' }),
    }),
  });
  if (created.status !== 201) throw new Error(`submit: HTTP ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`${E2E_BASE_URL}/requests/${id}`);
  await page.waitForSelector('[data-testid="live"][data-live="live"]', { state: 'attached' });
  // A string, not a function: tsx's name-keeping helper (__name) does not exist in the page.
  await page.evaluate(`(() => {
    const check = () => {
      if (!window.__countAt && document.querySelector('[data-testid="approval-count"]')?.textContent?.startsWith('1 of')) window.__countAt = Date.now();
      if (!window.__timelineAt && [...document.querySelectorAll('[data-testid="timeline-event"]')].some((e) => e.textContent?.includes('Approved revision')))
        window.__timelineAt = Date.now();
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const started = Date.now();
  const review = await fetch(`${E2E_BASE_URL}/api/v1/change-requests/${id}/reviews`, {
    method: 'POST',
    headers: approver.headers,
    body: JSON.stringify({ decision: 'APPROVE', revision: 1 }),
  });
  const returned = Date.now();
  if (review.status !== 201) throw new Error(`review: HTTP ${review.status} ${await review.text()}`);
  // Polled from here: waitForFunction with a string is eval inside the page, which the CSP refuses.
  for (const deadline = Date.now() + 60_000; !(await page.evaluate('Boolean(window.__countAt && window.__timelineAt)'));) {
    if (Date.now() > deadline) throw new Error('the page did not show the approval in 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const { countAt, timelineAt } = (await page.evaluate('({ countAt: window.__countAt, timelineAt: window.__timelineAt })')) as {
    countAt: number;
    timelineAt: number;
  };
  return { patched: countAt - started, refresh: timelineAt - started, call: returned - started };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const line = (xs: number[]) => `p50 ${pct(xs, 50)} ms   p95 ${pct(xs, 95)} ms   max ${pct(xs, 100)} ms`;

const stack = await startStack();
const burners: ChildProcess[] = [];
try {
  const requester = await tokenFor(['REQUESTER'], ['READ', 'SUBMIT']);
  const approver = await tokenFor([{ role: 'APPROVER', environment: 'staging' }], ['READ', 'REVIEW']);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await (await browser.newContext()).newPage();
  await signIn(page, requester.user.email, 'pw-livebench-12345', `${E2E_BASE_URL}/`);
  console.log(`live page latency (${count} approvals per phase; approval REST call → requester's open page in Chromium)`);
  for (const phase of ['quiet', 'loaded'] as const) {
    if (phase === 'loaded')
      for (let i = 0; i < load; i += 1) burners.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    const samples = [];
    await measure(page, requester, approver, -1); // warm-up (compiles, caches)
    for (let i = 0; i < count; i += 1) samples.push(await measure(page, requester, approver, i));
    console.log(`  ${phase} (load average ${os.loadavg()[0]!.toFixed(1)}${phase === 'loaded' ? `, +${load} busy loops` : ''})`);
    console.log(`    approval call itself:                   ${line(samples.map((s) => s.call))}`);
    console.log(`    patched (approvals box, pushed summary): ${line(samples.map((s) => s.patched))}`);
    console.log(`    whole-page refresh (timeline):           ${line(samples.map((s) => s.refresh))}`);
  }
  await browser.close();
} finally {
  for (const b of burners) b.kill();
  if (stack.pid) process.kill(-stack.pid, 'SIGTERM');
  await e2eDb().$disconnect();
}
process.exit(0);

// Issue 16's "works end to end in `npm start` too": runs the real `npm start` path (scripts/start.ts
// with no DATABASE_URL → embedded PostgreSQL, generated secrets, demo seed, sandbox cluster, local
// mail catcher, worker, `next start` from the last build) in a fresh data directory, and walks the
// journey in Chromium: the demo requester submits naming approver1 as reviewer; approver1 finds
// the mail at /mail, follows its link, approves; the requester's open page shows the approval
// without reload. Exits 0 when every step held, 1 naming the step that did not.
// Run: npm run build && PORT=… EMBEDDED_PG_PORT=… node_modules/.bin/tsx e2e/embedded-start.check.ts
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { ingressYaml } from './support/manifests';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
const base = `http://localhost:${port}`;
const dataDir = path.join(root, '.data', `embedded-check-${process.pid}`);
const PASSWORD = 'ingress-gate-demo';

const env: Record<string, string | undefined> = { ...process.env, INGRESS_GATE_DATA_DIR: dataDir, PORT: String(port) };
for (const k of ['DATABASE_URL', 'NODE_ENV', 'SMTP_HOST', 'SMTP_PORT', 'INGRESS_GATE_LOCAL_MAIL', 'AUTH_SECRET', 'INGRESS_GATE_SECRET_KEY'])
  delete env[k];
const app = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
  cwd: root,
  env: env as NodeJS.ProcessEnv,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
app.stdout.on('data', (c: Buffer) => (output += c.toString()));
app.stderr.on('data', (c: Buffer) => (output += c.toString()));

let browser: Browser | null = null;
let step = 'start';
const t0 = Date.now();
const say = (s: string) => {
  step = s;
  console.log(`[embedded-check] ${((Date.now() - t0) / 1000).toFixed(1)} s  ${s}`);
};

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('current-user').filter({ hasText: email }).waitFor({ timeout: 30_000 });
}

async function main() {
  say('waiting for `npm start` (embedded PostgreSQL) to answer /api/health');
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('npm start did not become healthy in 240 s');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  if (!output.includes('starting embedded PostgreSQL')) throw new Error('npm start did not use the embedded PostgreSQL');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const requester = await (await browser.newContext()).newPage();
  const approver = await (await browser.newContext()).newPage();

  say('the demo requester signs in and submits naming approver1@example.com');
  await signIn(requester, 'requester@example.com');
  const name = `embedded-${Date.now().toString(36)}`;
  const title = `Embedded check ${name}`;
  await requester.goto(`${base}/requests/new`);
  await requester.getByLabel('Environment').selectOption('staging');
  await requester.getByLabel('Namespace').fill('shop');
  await requester.getByRole('tab', { name: 'YAML' }).click();
  await requester
    .getByLabel('Ingress YAML')
    .fill(ingressYaml({ name, host: `${name}.shop.example.com`, namespace: 'shop', className: 'nginx-internal' }));
  await requester.getByLabel('Title').fill(title);
  await requester.getByLabel('Justification').fill('Checks npm start end to end.');
  await requester
    .getByTestId('chosen-reviewers-picker')
    .getByLabel(/approver1@example\.com/)
    .check();
  await requester.getByRole('button', { name: /Submit for review/ }).click();
  await requester.waitForURL(/\/requests\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const requestUrl = requester.url();
  await requester.locator('[data-testid="live"][data-live="live"]').waitFor({ state: 'attached', timeout: 20_000 });

  say('approver1 finds the email at /mail');
  await signIn(approver, 'approver1@example.com');
  const mail = approver.getByTestId('mail').filter({ hasText: title });
  for (let i = 0; ; i += 1) {
    await approver.goto(`${base}/mail`);
    if ((await mail.count()) === 1) break;
    if (i > 30) throw new Error('no mail for approver1 at /mail after 30 s');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await mail.locator('summary').click();
  say('approver1 follows the link and approves');
  await mail.getByTestId('mail-link').first().click();
  await approver.waitForURL(`${requestUrl}?revision=1`, { timeout: 20_000 });
  await approver.getByLabel('Review comment (required to reject)').fill('Approved from the email.');
  const approvedAt = Date.now();
  await approver.getByRole('button', { name: /^Approve revision 1/ }).click();

  say("the requester's open page shows the approval without reload");
  await requester.waitForFunction(
    () => document.querySelector('[data-testid="approval-count"]')?.textContent?.startsWith('1 of'),
    undefined,
    { timeout: 30_000 },
  );
  const shownAfter = Date.now() - approvedAt;
  const navigations = await requester.evaluate(() => performance.getEntriesByType('navigation').length);
  if (navigations !== 1) throw new Error(`the requester's page navigated ${navigations} times`);
  say(`ok: approval shown on the requester's page ${shownAfter} ms after the click (including the approval itself)`);
}

let code = 0;
try {
  await main();
} catch (error) {
  code = 1;
  console.error(`[embedded-check] FAILED at "${step}": ${(error as Error).message}`);
  console.error(output.split('\n').slice(-40).join('\n'));
} finally {
  await (browser as Browser | null)?.close().catch(() => {});
  app.kill('SIGTERM');
  await new Promise((r) => app.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);

import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { createExportVerifier } from '@/lib/domain/audit/audit-export-format';
import { appendAuditEvent } from '@/lib/server/audit/append-audit-event';
import { createEnvironment, createUser, e2eDb, uniqueEmail } from './support/db';
import { signIn } from './support/sign-in';

const PASSWORD = 'pw-audit-e2e-123';

async function seedEvents(marker: string) {
  const env = await createEnvironment(e2eDb(), { name: `aud-${Date.now().toString(36)}` });
  for (const reason of [`${marker} first`, `=HYPERLINK("http://evil.example","${marker}")`, `${marker} third`]) {
    await e2eDb().$transaction((tx) =>
      appendAuditEvent(tx as never, {
        actor: { system: 'system' },
        action: 'e2e.audit-test',
        environmentId: env.id,
        namespace: 'shop',
        ingressName: marker,
        reason,
      }),
    );
  }
  return env;
}

test('[AUDIT] an auditor filters, exports CSV and NDJSON, and the NDJSON verifies', async ({ page }) => {
  const email = uniqueEmail('auditor');
  await createUser(e2eDb(), { email, password: PASSWORD, roles: ['AUDITOR'] });
  const marker = `ing-${Date.now().toString(36)}`;
  const env = await seedEvents(marker);
  await signIn(page, email, PASSWORD, '/audit');
  await page.goto('/audit');
  await page.getByLabel('Environment').selectOption(env.id);
  await page.getByLabel('Ingress').fill(marker);
  await page.getByRole('button', { name: 'Apply filter' }).click();
  await expect(page).toHaveURL(new RegExp(`ingressName=${marker}`));
  await expect(page.getByTestId('audit-row')).toHaveCount(3);
  // Untrusted text is shown as text.
  await expect(page.getByTestId('audit-table')).toContainText(`=HYPERLINK("http://evil.example","${marker}")`);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^audit_beginning_now_exported-\d{8}T\d{6}Z\.csv$/);
  const csvText = await readFile((await csv.path())!, 'utf8');
  expect(csvText.split('\r\n').filter(Boolean)).toHaveLength(4);
  expect(csvText).toContain(`"'=HYPERLINK(""http://evil.example"",""${marker}"")"`);

  const [ndjson] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ndjson').click()]);
  expect(ndjson.suggestedFilename()).toMatch(/\.ndjson$/);
  const verifier = createExportVerifier();
  let broken = null;
  for (const line of (await readFile((await ndjson.path())!, 'utf8')).split('\n')) broken ??= verifier.pushLine(line);
  expect(broken ?? verifier.finish()).toMatchObject({ ok: true, events: 3 });

  await page.getByRole('button', { name: 'Verify the live log' }).click();
  await expect(page.getByTestId('verify-result')).toContainText(/events verified, head hash [0-9a-f]{64}/);
});

test('[AUDIT] a non-auditor cannot export: no page, no links, and the URL answers 403', async ({ page }) => {
  const email = uniqueEmail('requester');
  await createUser(e2eDb(), { email, password: PASSWORD, roles: ['REQUESTER', 'APPROVER'] });
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit', exact: true })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByTestId('forbidden')).toHaveText('Only auditors and admins can read the audit history.');
  await expect(page.getByTestId('export-csv')).toHaveCount(0);
  for (const format of ['csv', 'ndjson']) {
    const response = await page.request.get(`/api/audit/export?format=${format}`);
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'Only auditors and admins can export the audit history.',
        details: { fieldErrors: [] },
        requestId: expect.any(String),
      },
    });
  }
  const anonymous = await page.request.get('/api/audit/export?format=csv', { headers: { cookie: '' } });
  expect([401, 403]).toContain(anonymous.status());
});

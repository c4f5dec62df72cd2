import { expect, type Browser, type Page } from '@playwright/test';
import type { TRoleSpec } from '@/lib/server/seed/factories';
import { createUser, e2eDb, uniqueEmail } from './db';
import { signIn } from './sign-in';

export { ingressYaml } from './manifests';

let n = 0;
/** A DNS-safe Ingress name no other test uses. */
export function uniqueIngressName(prefix: string): string {
  n += 1;
  return `${prefix}-${Date.now().toString(36)}-${n}`.toLowerCase();
}

/** A fresh user with `roles`, signed in, in their own browser context. */
export async function userPage(
  browser: Browser,
  prefix: string,
  roles: TRoleSpec[],
): Promise<{ page: Page; email: string; name: string; close: () => Promise<void> }> {
  const email = uniqueEmail(prefix);
  const password = `pw-${prefix}-12345`;
  const name = `${prefix.charAt(0).toUpperCase()}${prefix.slice(1)} ${n++}`;
  await createUser(e2eDb(), { email, name, password, roles });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  return { page, email, name, close: () => context.close() };
}

/** Submits a request through the new-request page's YAML editor; returns the request page URL. */
export async function submitYaml(
  page: Page,
  o: {
    environment: string;
    namespace: string;
    action?: 'create' | 'update';
    name?: string;
    yaml: string;
    title: string;
    justification?: string;
  },
): Promise<string> {
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption(o.environment);
  await page.getByLabel('Namespace').fill(o.namespace);
  if (o.action === 'update') {
    await page.getByRole('radio', { name: 'Update' }).check();
    await expect(page.getByLabel('Live Ingress to update')).toBeEnabled();
    await page.getByLabel('Live Ingress to update').selectOption(o.name!);
    await expect(page.getByLabel('Ingress name')).toHaveValue(o.name!);
  }
  await page.getByRole('tab', { name: 'YAML' }).click();
  await page.getByLabel('Ingress YAML').fill(o.yaml);
  await page.getByLabel('Title').fill(o.title);
  await page.getByLabel('Justification').fill(o.justification ?? 'Needed for the e2e scenario.');
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  return page.url();
}

export async function approve(page: Page, url: string, comment = 'Looks good.'): Promise<void> {
  await page.goto(url);
  const before = await page.getByTestId('timeline-event').filter({ hasText: 'Approved revision' }).count();
  await page.getByLabel('Review comment (required to reject)').fill(comment);
  await page.getByRole('button', { name: /^Approve revision/ }).click();
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'Approved revision' })).toHaveCount(before + 1);
}

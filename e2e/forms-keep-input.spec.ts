import { expect, test, type Page } from '@playwright/test';
import { createEnvironment, createUser, e2eDb, uniqueEmail } from './support/db';
import { signIn } from './support/sign-in';
import { userPage } from './support/requests';

// Issue 18 point 6: a form keeps every input after a validation error; the new-request form shows
// no "required" errors before anything is typed (only after a field is left or a submit); its
// path/type/service/port inputs line up.

const PASSWORD = 'pw-forms-e2e-1234';

async function admin(page: Page, path: string) {
  const email = uniqueEmail('formadmin');
  await createUser(e2eDb(), { email, password: PASSWORD, roles: ['ADMIN'] });
  await signIn(page, email, PASSWORD, path);
  await page.goto(path);
}

test('[FORMS] a refused new user keeps every field, and the next try succeeds', async ({ page }) => {
  const env = await createEnvironment(e2eDb(), { name: `users-${Date.now().toString(36)}` });
  await admin(page, '/admin/users');
  const form = page.getByTestId('create-user');
  const email = uniqueEmail('newbie');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Name').fill('New Bie');
  await form.getByLabel('Initial password').fill('password');
  await form.getByLabel('Role').selectOption('APPROVER');
  await form.getByLabel('Scope').selectOption(env.id);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByTestId('form-error')).toContainText('password');
  await expect(form.getByLabel('Email')).toHaveValue(email);
  await expect(form.getByLabel('Name')).toHaveValue('New Bie');
  await expect(form.getByLabel('Initial password')).toHaveValue('password');
  await expect(form.getByLabel('Role')).toHaveValue('APPROVER');
  await expect(form.getByLabel('Scope')).toHaveValue(env.id);
  expect(await e2eDb().user.count({ where: { email } })).toBe(0);

  await form.getByLabel('Initial password').fill('a sturdy passphrase for new bie 42');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(form.getByTestId('form-success')).toBeVisible();
  expect(await e2eDb().user.count({ where: { email } })).toBe(1);
});

test('[FORMS] a refused settings save keeps the approval count as typed, with the other edits', async ({ page }) => {
  const env = await createEnvironment(e2eDb(), { name: `count-${Date.now().toString(36)}`, requiredApprovals: 1 });
  await admin(page, `/admin/environments/${env.id}`);
  const form = page.getByTestId('environment-settings');
  await form.getByLabel('Description').fill('edited before the refusal');
  await form.getByLabel('Required approvals (1–10)').fill('10');
  // Refused for a reason that does not depend on how many approvers other tests have created: a
  // sandbox cluster name that is not a DNS label (the approver-count refusal needs fewer than 10
  // eligible approvers, which a shared e2e database does not guarantee).
  await form.getByLabel('Context (kubeconfig) or sandbox cluster name, optional').fill('Not A Label');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect(form.getByTestId('form-error')).toContainText('DNS label');
  await expect(form.getByLabel('Required approvals (1–10)')).toHaveValue('10');
  await expect(form.getByLabel('Description')).toHaveValue('edited before the refusal');
  await expect(form.getByLabel('Context (kubeconfig) or sandbox cluster name, optional')).toHaveValue('Not A Label');
  const saved = await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } });
  expect(saved.requiredApprovals).toBe(1);
  expect(saved.description).not.toBe('edited before the refusal');
});

test('[FORMS] a refused new environment keeps every field', async ({ page }) => {
  const taken = await createEnvironment(e2eDb(), { name: `taken-${Date.now().toString(36)}` });
  await admin(page, '/admin');
  const form = page.getByTestId('create-environment');
  await form.getByLabel('Name', { exact: true }).fill(taken.name);
  await form.getByLabel('Description').fill('a second one');
  await form.getByLabel('Required approvals (1–10)').fill('3');
  await form.getByLabel('Production environment').check();
  await form.getByRole('button', { name: 'Create environment' }).click();
  await expect(form.getByTestId('form-error')).toContainText('taken');
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(taken.name);
  await expect(form.getByLabel('Description')).toHaveValue('a second one');
  await expect(form.getByLabel('Required approvals (1–10)')).toHaveValue('3');
  await expect(form.getByLabel('Production environment')).toBeChecked();
});

test('[FORMS] a refused notification channel keeps what was typed', async ({ page }) => {
  await admin(page, '/admin/notifications');
  const card = page.getByTestId('channels-staging');
  await card.getByText('Add a channel to staging').click();
  await card.getByLabel('Name').fill('ops hook');
  await card.getByLabel('URL').fill('ftp://hooks.example.com/x');
  await card.getByRole('button', { name: 'Add channel' }).click();
  await expect(card.getByTestId('channel-error')).toContainText('https://');
  await expect(card.getByLabel('Name')).toHaveValue('ops hook');
  await expect(card.getByLabel('URL')).toHaveValue('ftp://hooks.example.com/x');
  expect(await e2eDb().notificationChannel.count({ where: { name: 'ops hook' } })).toBe(0);
});

test('[FORMS] the new-request form shows no errors before typing; a left field or a submit shows them; inputs line up', async ({
  browser,
}) => {
  const requester = await userPage(browser, 'formfresh', ['REQUESTER']);
  const { page } = requester;
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await expect(page.getByTestId('live-analysis')).not.toContainText('Choose an environment');
  // Nothing typed in the form: nothing is red.
  await expect(page.getByTestId('field-error')).toHaveCount(0);
  await expect(page.getByTestId('form-issue-count')).toHaveCount(0);
  await expect(page.getByTestId('analysis-invalid')).toHaveCount(0);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);

  // Leaving the service empty shows its error, and only its own.
  await page.getByLabel('Rule 1 path 1 service').focus();
  await page.getByLabel('Rule 1 path 1 port').focus();
  await expect(page.getByTestId('field-error')).toHaveText(['Backend service is required.']);
  await expect(page.getByLabel('Rule 1 path 1 service')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Ingress name')).not.toHaveAttribute('aria-invalid', 'true');

  // A submit shows every error (and still asks the server, which names the missing title).
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page.getByTestId('submit-error')).toBeVisible();
  await expect(page.getByLabel('Ingress name')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Rule 1 path 1 port')).toHaveAttribute('aria-invalid', 'true');

  // With errors under some of them, the four inputs of a path row still line up.
  const tops = await Promise.all(
    ['Rule 1 path 1', 'Rule 1 path 1 type', 'Rule 1 path 1 service', 'Rule 1 path 1 port'].map(async (name) => {
      const box = await page.getByLabel(name, { exact: true }).boundingBox();
      return Math.round(box!.y);
    }),
  );
  expect(new Set(tops).size, `tops ${tops.join(', ')}`).toBe(1);
  await requester.close();
});

test('[FORMS] a refused new request keeps the form, the reason and the reviewers chosen', async ({ browser }) => {
  const requester = await userPage(browser, 'formkeep', ['REQUESTER']);
  const { page } = requester;
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await page.getByLabel('Ingress name').fill('kept-form');
  await page.getByLabel('Rule 1 host').fill('kept.shop.example.com');
  await page.getByLabel('Rule 1 path 1 service').fill('storefront');
  await page.getByLabel('Rule 1 path 1 port').fill('80');
  await page.getByLabel('Justification').fill('Kept after a refusal.');
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page.getByTestId('submit-error')).toContainText('title');
  await expect(page.getByLabel('Ingress name')).toHaveValue('kept-form');
  await expect(page.getByLabel('Rule 1 host')).toHaveValue('kept.shop.example.com');
  await expect(page.getByLabel('Rule 1 path 1 service')).toHaveValue('storefront');
  await expect(page.getByLabel('Rule 1 path 1 port')).toHaveValue('80');
  await expect(page.getByLabel('Justification')).toHaveValue('Kept after a refusal.');
  await expect(page.getByLabel('Namespace')).toHaveValue('shop');
  await requester.close();
});

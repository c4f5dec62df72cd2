import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '@/lib/server/seed/seed-demo';
import { createUser, e2eDb, uniqueEmail } from './support/db';
import { signIn } from './support/sign-in';

const DEMO_ROLES = [
  { email: 'requester@example.com', roles: 'requester', sees: ['New request'], notSees: ['Audit', 'Admin'] },
  { email: 'approver1@example.com', roles: 'approver', sees: ['Needs my review'], notSees: ['New request', 'Audit', 'Admin'] },
  { email: 'auditor@example.com', roles: 'auditor', sees: ['Audit history'], notSees: ['New request', 'Admin'] },
  { email: 'admin@example.com', roles: 'admin', sees: ['Administration'], notSees: ['New request'] },
];

for (const demo of DEMO_ROLES) {
  test(`[AUTH] demo ${demo.roles} signs in and sees what the role may do`, async ({ page }) => {
    await signIn(page, demo.email, DEMO_PASSWORD);
    await expect(page.getByTestId('current-roles')).toHaveText(demo.roles);
    const capabilities = page.getByTestId('capabilities');
    for (const link of demo.sees) await expect(capabilities.getByRole('link', { name: new RegExp(link) })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of demo.notSees) await expect(nav.getByRole('link', { name: item, exact: true })).toHaveCount(0);
  });
}

test('[AUTH] a wrong password shows an error and creates no session', async ({ page, context }) => {
  const email = uniqueEmail('wrongpw');
  await createUser(e2eDb(), { email, password: 'right-password-1', roles: ['REQUESTER'] });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('sign-in-error')).toHaveText('Wrong email or password.');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes('session-token'))).toBe(false);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2F/);
});

test('[AUTH] a signed-out visit to a protected page lands on sign-in and returns after it', async ({ page }) => {
  const email = uniqueEmail('returns');
  await createUser(e2eDb(), { email, password: 'pw-returns-123', roles: ['AUDITOR'] });
  await page.goto('/audit?from=2026-01-01');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faudit%3Ffrom%3D2026-01-01/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('pw-returns-123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/audit\?from=2026-01-01$/);
});

test('[AUTH] sign-out ends the session', async ({ page }) => {
  const email = uniqueEmail('signout');
  await createUser(e2eDb(), { email, password: 'pw-signout-123', roles: ['REQUESTER'] });
  await signIn(page, email, 'pw-signout-123');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('[AUTH] a role granted while signed in takes effect on the next request; deactivation signs out at once', async ({ page }) => {
  const email = uniqueEmail('grant');
  const user = await createUser(e2eDb(), { email, password: 'pw-grant-12345' });
  await signIn(page, email, 'pw-grant-12345');
  await expect(page.getByTestId('no-roles')).toBeVisible();
  await e2eDb().roleAssignment.create({ data: { userId: user.id, role: 'AUDITOR' } });
  await page.reload();
  await expect(page.getByTestId('current-roles')).toHaveText('auditor');
  await e2eDb().user.update({ where: { id: user.id }, data: { isActive: false } });
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);
});

test('[AUTH] OIDC: first sign-in through the identity provider creates an account with no roles', async ({ page }) => {
  const login = `oidc${Date.now().toString(36)}`;
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  // oidc-provider's own login and consent screens.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent: "Continue"
  await expect(page.getByTestId('current-user')).toContainText(`${login}@sso.example.com`);
  await expect(page.getByTestId('no-roles')).toBeVisible();
  const user = await e2eDb().user.findUniqueOrThrow({
    where: { email: `${login}@sso.example.com` },
    include: { roles: true, accounts: true },
  });
  expect(user.roles).toEqual([]);
  expect(user.accounts).toHaveLength(1);
  expect(user.passwordHash).toBeNull();
});

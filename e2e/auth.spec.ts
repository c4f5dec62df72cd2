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

test('[AUTH] the 11th wrong password within a minute is throttled with "try again in N s", and every attempt is audited', async ({
  page,
}) => {
  const email = uniqueEmail('brute');
  const user = await createUser(e2eDb(), { email, password: 'right-password-1', roles: ['REQUESTER'] });
  await page.goto('/sign-in');
  const error = page.getByTestId('sign-in-error');
  const submit = page.getByRole('button', { name: 'Sign in', exact: true });
  for (let attempt = 1; attempt <= 11; attempt += 1) {
    // The previous answer must have landed: React resets the form when it does, which would wipe
    // what was typed before.
    await expect(submit).toBeEnabled();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`guess-${attempt}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    if (attempt < 10) await expect(error).toHaveText('Wrong email or password.');
    if (attempt === 10) await expect(error).toHaveText('Wrong email or password. Too many failed sign-ins. Try again in 30 s.');
    if (attempt === 11) await expect(error).toHaveText(/^Sign-in refused\. Too many failed sign-ins\. Try again in ([1-9]|[12]\d|30) s\.$/);
    // The same text twice in a row proves nothing: wait until this attempt is recorded.
    await expect
      .poll(() =>
        e2eDb().auditEvent.count({ where: { actorId: user.id, action: { in: ['user.sign-in-failed', 'user.sign-in-throttled'] } } }),
      )
      .toBe(attempt);
  }
  // The right password is refused too while the account is blocked.
  await page.getByLabel('Password').fill('right-password-1');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(error).toHaveText(/Try again in \d+ s\./);
  await expect(page).toHaveURL(/\/sign-in/);
  // The same from the HTTP sign-in endpoint (what a script would call): the redirect names N.
  const csrf = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const api = await page.request.post('/api/auth/callback/credentials', {
    form: { email, password: 'guess-api', csrfToken: csrf.csrfToken },
    maxRedirects: 0,
  });
  expect(api.status()).toBe(302);
  const location = new URL(api.headers()['location']!);
  expect(location.searchParams.get('error')).toBe('CredentialsSignin');
  const code = location.searchParams.get('code');
  expect(code).toMatch(/^throttled-\d+$/);
  await page.goto(location.pathname + location.search);
  await expect(page.getByRole('alert').first()).toHaveText(`Too many failed sign-ins. Try again in ${code!.split('-')[1]} s.`);
  const audited = await e2eDb().auditEvent.groupBy({ by: ['action'], where: { actorId: user.id }, _count: true });
  expect(Object.fromEntries(audited.map((a) => [a.action, a._count]))).toEqual({
    'user.sign-in-failed': 10,
    'user.sign-in-locked': 1,
    'user.sign-in-throttled': 3,
  });
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

test('[AUTH] sign-out ends the session server-side: the same cookie replayed afterwards gets 401 and sign-in', async ({
  page,
  context,
}) => {
  const email = uniqueEmail('signout');
  await createUser(e2eDb(), { email, password: 'pw-signout-123', roles: ['REQUESTER'] });
  await signIn(page, email, 'pw-signout-123');
  const stolen = (await context.cookies()).filter((c) => c.name.includes('session-token'));
  expect(stolen).toHaveLength(1);
  const cookieHeader = stolen.map((c) => `${c.name}=${c.value}`).join('; ');
  expect((await page.request.get('/api/v1/change-requests', { headers: { cookie: cookieHeader } })).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);

  // An attacker who copied the cookie before sign-out replays it.
  await context.addCookies(stolen);
  const replay = await page.request.get('/api/v1/change-requests', { headers: { cookie: cookieHeader } });
  expect(replay.status()).toBe(401);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test('[AUTH] an admin ends a user’s sessions: the user’s next request lands on sign-in', async ({ page, browser }) => {
  const email = uniqueEmail('ended');
  const adminEmail = uniqueEmail('ender');
  await createUser(e2eDb(), { email, password: 'pw-ended-12345', roles: ['REQUESTER'] });
  await createUser(e2eDb(), { email: adminEmail, password: 'pw-ender-12345', roles: ['ADMIN'] });
  await signIn(page, email, 'pw-ended-12345');
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, adminEmail, 'pw-ender-12345', '/admin/users');
  const row = admin.getByTestId('user-row').filter({ hasText: email });
  await expect(row.getByTestId('open-sessions')).toHaveText('1 open session');
  await row.getByRole('button', { name: 'End sessions' }).click();
  await expect(row.getByText('Sessions ended.')).toBeVisible();
  await expect(row.getByTestId('open-sessions')).toHaveText('0 open sessions');
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);
  await adminContext.close();
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

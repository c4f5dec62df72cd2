import { expect, test } from '@playwright/test';
import { analyseChange, canonicalYaml, parseIngress, ZPolicy } from '@/lib/domain';
import { revisionHash } from '@/lib/domain/change/revision-hash';
import { createEnvironment, createUser, e2eDb, uniqueEmail } from './support/db';
import { signIn } from './support/sign-in';

const PASSWORD = 'pw-admin-e2e-1234';

test('[ADMIN] an admin raises prod to 3 approvals and a pending prod request now shows 2 of 3', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const env = await createEnvironment(e2eDb(), { name: `prod-${suffix}`, isProduction: true, requiredApprovals: 2 });
  const adminEmail = uniqueEmail('admin');
  await createUser(e2eDb(), { email: adminEmail, password: PASSWORD, roles: ['ADMIN'] });
  const requester = await createUser(e2eDb(), { email: uniqueEmail('req'), roles: [{ role: 'REQUESTER', environment: env.name }] });
  const approvers = [];
  for (let i = 0; i < 3; i++)
    approvers.push(await createUser(e2eDb(), { email: uniqueEmail(`appr${i}`), roles: [{ role: 'APPROVER', environment: env.name }] }));
  // The pending request, its revision and two approvals on it, written directly (the review
  // operations are covered by the engine's tests); raising the count must not approve anything.
  // A real analysis, as the review page renders it: a create of a small TLS Ingress.
  const name = `web-${suffix}`;
  const parsed = parseIngress(
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  ingressClassName: nginx\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 80\n`,
    { namespace: 'shop' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  const analysis = analyseChange({
    action: 'create',
    namespace: 'shop',
    base: null,
    proposed: parsed.ingress,
    others: [],
    policy: ZPolicy.parse({}),
  });
  const contentHash = revisionHash({
    action: 'create',
    namespace: 'shop',
    name,
    proposedHash: analysis.proposedHash,
    baseResourceVersion: null,
  });
  // The request and its revision in one transaction (a request's current revision must exist).
  const { request, revision } = await e2eDb().$transaction(async (tx) => {
    const request = await tx.changeRequest.create({
      data: {
        environmentId: env.id,
        namespace: 'shop',
        ingressName: name,
        action: 'CREATE',
        requesterId: requester.id,
        title: 'Rotate TLS secret',
        justification: 'e2e',
      },
    });
    const revision = await tx.revision.create({
      data: {
        changeRequestId: request.id,
        number: 1,
        authorId: requester.id,
        proposedManifest: parsed.ingress as object,
        proposedYaml: canonicalYaml(parsed.ingress),
        contentHash,
        baseYaml: '',
        analysis: analysis as object,
      },
    });
    return { request, revision };
  });
  for (const a of approvers.slice(0, 2)) {
    await e2eDb().review.create({
      data: {
        changeRequestId: request.id,
        revisionId: revision.id,
        reviewerId: a.id,
        decision: 'APPROVE',
        contentHash: revision.contentHash,
      },
    });
  }

  await signIn(page, adminEmail, PASSWORD, '/admin');
  await page.goto('/admin');
  await page.getByRole('link', { name: env.name, exact: true }).click();
  // Scoped approvers plus whoever approves everywhere (the demo seed's global approvers).
  for (const a of approvers) await expect(page.getByTestId('approvers')).toContainText(a.email);
  await page.getByLabel('Required approvals (1–10)').fill('3');
  await page.getByRole('button', { name: 'Save settings' }).click();
  // In words, never the field name (issue 18.7).
  await expect(page.getByTestId('form-success')).toHaveText('Saved: required approvals.');
  expect((await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } })).requiredApprovals).toBe(3);
  const event = await e2eDb().auditEvent.findFirstOrThrow({ where: { action: 'environment.updated', environmentId: env.id } });
  expect(event.details).toMatchObject({ before: { requiredApprovals: 2 }, after: { requiredApprovals: 3 } });

  await page.goto(`/requests/${request.id}`);
  await expect(page.getByTestId('approval-count')).toContainText('2 of 3');
  expect((await e2eDb().changeRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
});

test('[ADMIN] requiring more approvals than there are approvers is refused with the reason', async ({ page }) => {
  const env = await createEnvironment(e2eDb(), { name: `lone-${Date.now().toString(36)}`, requiredApprovals: 1 });
  const adminEmail = uniqueEmail('admin');
  await createUser(e2eDb(), { email: adminEmail, password: PASSWORD, roles: ['ADMIN'] });
  await signIn(page, adminEmail, PASSWORD, `/admin/environments/${env.id}`);
  await page.goto(`/admin/environments/${env.id}`);
  await page.getByLabel('Required approvals (1–10)').fill('10');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('form-error')).toContainText('add approvers before requiring 10');
  expect((await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } })).requiredApprovals).toBe(1);
});

test('[ADMIN] a non-admin cannot open the administration or change an environment', async ({ page }) => {
  const env = await createEnvironment(e2eDb(), { name: `guard-${Date.now().toString(36)}` });
  const email = uniqueEmail('auditor');
  await createUser(e2eDb(), { email, password: PASSWORD, roles: ['AUDITOR', 'APPROVER'] });
  await signIn(page, email, PASSWORD);
  await page.goto('/admin');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.goto(`/admin/environments/${env.id}`);
  await expect(page.getByTestId('forbidden')).toHaveText('Only admins can configure environments.');
  await page.goto('/admin/users');
  await expect(page.getByTestId('forbidden')).toHaveText('Only admins can manage users.');
});

test('[ADMIN] deactivating a user signs them out at once', async ({ browser, page }) => {
  const adminEmail = uniqueEmail('admin');
  await createUser(e2eDb(), { email: adminEmail, password: PASSWORD, roles: ['ADMIN'] });
  const leaverEmail = uniqueEmail('leaver');
  await createUser(e2eDb(), { email: leaverEmail, password: PASSWORD, roles: ['REQUESTER'] });
  const leaver = await browser.newPage();
  await signIn(leaver, leaverEmail, PASSWORD);
  await signIn(page, adminEmail, PASSWORD, '/admin/users');
  await page.goto('/admin/users');
  const row = page.getByTestId('user-row').filter({ hasText: leaverEmail });
  await row.getByRole('button', { name: 'Deactivate', exact: true }).click();
  // Destructive: asks first, with who and what happens.
  await expect(row.getByTestId('confirm-text')).toContainText(leaverEmail);
  await row.getByRole('button', { name: 'Yes, deactivate' }).click();
  await expect(row).toContainText('deactivated');
  await leaver.reload();
  await expect(leaver).toHaveURL(/\/sign-in/);
  await leaver.close();
});

test('[ADMIN] switching an environment to a kubeconfig file and saving twice without reloading keeps the file (issue 12.2)', async ({
  page,
}) => {
  const env = await createEnvironment(e2eDb(), { name: `staging-${Date.now().toString(36)}`, connectionKind: 'SANDBOX' });
  const adminEmail = uniqueEmail('admin');
  await createUser(e2eDb(), { email: adminEmail, password: PASSWORD, roles: ['ADMIN'] });
  await signIn(page, adminEmail, PASSWORD, `/admin/environments/${env.id}`);
  await page.goto(`/admin/environments/${env.id}`);
  const connection = page.locator('select[name="connection.kind"]');
  await expect(connection).toHaveValue('SANDBOX');
  await connection.selectOption('KUBECONFIG_FILE');
  await page.locator('select[name="connection.path"]').selectOption('staging.kubeconfig');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByTestId('form-success')).toBeVisible();
  await expect
    .poll(async () => (await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } })).connectionKind)
    .toBe('KUBECONFIG_FILE');
  // Before the fix the select snapped back to "Sandbox cluster" here (React resets the form after
  // the action, and a select resets to the value it was first rendered with)…
  await expect(connection).toHaveValue('KUBECONFIG_FILE');
  await page.getByLabel('Description').fill('second save');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(async () => (await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } })).description).toBe('second save');
  // …and this second save switched the environment back to the sandbox.
  const saved = await e2eDb().environment.findUniqueOrThrow({ where: { id: env.id } });
  expect(saved.connectionKind).toBe('KUBECONFIG_FILE');
  expect(saved.kubeconfigPath).toBe('staging.kubeconfig');
  const events = await e2eDb().auditEvent.findMany({
    where: { action: 'environment.updated', environmentId: env.id },
    orderBy: { seq: 'asc' },
  });
  expect(events).toHaveLength(2);
  expect(JSON.stringify(events[1]!.details)).not.toContain('SANDBOX');
});

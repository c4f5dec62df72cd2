import { expect, test } from '@playwright/test';
import { hashApiToken, newApiTokenSecret } from '@/lib/server/api-tokens/actor-from-api-token';
import { createUser, e2eDb, uniqueEmail } from './support/db';
import { ingressYaml, uniqueIngressName, userPage } from './support/requests';

// Reviewer groups (issue 16) and the email delivery log: an admin builds a group, a requester
// names it, its eligible member is emailed and sees it as named, never the requester; the admin
// reads the email log. The REST API takes groups too and refuses one with nobody eligible.

test.describe.configure({ timeout: 120_000 });

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('[NOTIFY] an admin makes a reviewer group; naming it asks its eligible member (not the requester); the admin sees the email in the log', async ({
  browser,
}) => {
  const admin = await userPage(browser, 'groupadmin', ['ADMIN']);
  const requester = await userPage(browser, 'groupreq', ['REQUESTER', { role: 'APPROVER', environment: 'staging' }]);
  const member = await userPage(browser, 'groupmember', [{ role: 'APPROVER', environment: 'staging' }]);
  const groupName = `sre-${Date.now().toString(36)}`;
  try {
    const { page } = admin;
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Reviewer groups →' }).click();
    await expect(page).toHaveURL(/\/admin\/groups$/);
    const create = page.getByTestId('create-group');
    // A bad name is refused naming the field, and what was typed stays.
    await create.getByLabel(/^Name/).fill('Not A Slug!');
    await create.getByRole('button', { name: 'Create group' }).click();
    await expect(create.getByTestId('form-error')).toContainText('name');
    await expect(create.getByLabel(/^Name/)).toHaveValue('Not A Slug!');
    await create.getByLabel(/^Name/).fill(groupName);
    await create.getByLabel('Description').fill('Staging on-call');
    await create.getByRole('button', { name: 'Create group' }).click();
    await expect(create.getByTestId('form-success')).toContainText(`Created ${groupName}.`);
    const group = page.getByTestId('reviewer-group').filter({ has: page.getByText(groupName, { exact: true }) });
    for (const email of [member.email, requester.email]) {
      await group.getByLabel(/^Member.s email/).fill(email);
      await group.getByRole('button', { name: 'Add member' }).click();
      await expect(group.getByTestId('reviewer-group-member').filter({ hasText: email })).toHaveCount(1);
    }

    // The requester names the group on the form (offered with who of it may approve in staging).
    const name = uniqueIngressName('grp');
    const title = `Group review ${name}`;
    const r = requester.page;
    await r.goto('/requests/new');
    await r.getByLabel('Environment').selectOption('staging');
    await r.getByLabel('Namespace').fill('shop');
    await r.getByRole('tab', { name: 'YAML' }).click();
    await r
      .getByLabel('Ingress YAML')
      .fill(ingressYaml({ name, host: `${name}.shop.example.com`, namespace: 'shop', className: 'nginx-internal' }));
    await r.getByLabel('Title').fill(title);
    await r.getByLabel('Justification').fill('Group reviewer scenario.');
    const option = r.getByTestId('reviewer-groups-picker').getByLabel(new RegExp(`^${escape(groupName)}`));
    await expect(option).toBeVisible();
    await expect(r.getByTestId('reviewer-groups-picker')).toContainText(member.name);
    await expect(r.getByTestId('reviewer-groups-picker')).not.toContainText(requester.name);
    await option.check();
    await r.getByRole('button', { name: /Submit for review/ }).click();
    await expect(r).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
    await expect(r.getByTestId('chosen-reviewer-groups')).toContainText(groupName);
    await expect(r.getByTestId('chosen-reviewers')).toContainText(member.name);
    await expect(r.getByTestId('chosen-reviewers')).not.toContainText(requester.name);

    // The member: named in the header count, and the email in the local mail catcher.
    await member.page.goto('/');
    await expect(member.page.getByTestId('needs-review-count')).toContainText('(1 named)');
    await member.page.goto('/mail');
    await expect(async () => {
      await member.page.reload();
      await expect(member.page.getByTestId('mail').filter({ hasText: title })).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 20_000 });

    // The admin's email delivery log lists it, sent, with its attempt; the requester got none.
    await page.goto('/admin/notifications');
    const log = page.getByTestId('email-delivery-log');
    const row = log.getByTestId('email-delivery').filter({ hasText: member.email }).first();
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('email-delivery-status')).toHaveText('SENT', { timeout: 500 });
    }).toPass({ timeout: 20_000 });
    await expect(row.getByTestId('email-delivery-attempts')).toHaveText(/^1\s*\(ok\)$/);
    await expect(log.getByTestId('email-delivery').filter({ hasText: requester.email })).toHaveCount(0);
    // Redeliver sends it once more.
    await row.getByRole('button', { name: 'Redeliver' }).click();
    await expect(async () => {
      await member.page.reload();
      await expect(member.page.getByTestId('mail').filter({ hasText: title })).toHaveCount(2, { timeout: 500 });
    }).toPass({ timeout: 20_000 });
  } finally {
    for (const u of [admin, requester, member]) await u.close();
  }
});

test('[NOTIFY] the REST API takes reviewer groups with a YAML body; a group with nobody eligible is a 422 naming it', async ({
  request,
}) => {
  const db = e2eDb();
  const suffix = Date.now().toString(36);
  const requester = await createUser(db, { email: uniqueEmail('apigroupreq'), roles: ['REQUESTER'] });
  const member = await createUser(db, { email: uniqueEmail('apigroupmember'), roles: [{ role: 'APPROVER', environment: 'staging' }] });
  const auditor = await createUser(db, { email: uniqueEmail('apigroupaud'), roles: ['AUDITOR'] });
  const good = await db.reviewerGroup.create({ data: { name: `api-ok-${suffix}`, members: { create: [{ userId: member.id }] } } });
  const none = await db.reviewerGroup.create({ data: { name: `api-none-${suffix}`, members: { create: [{ userId: auditor.id }] } } });
  const secret = newApiTokenSecret();
  await db.apiToken.create({
    data: {
      userId: requester.id,
      name: 'ci',
      prefix: secret.slice(0, 8),
      tokenHash: hashApiToken(secret),
      scopes: ['READ', 'SUBMIT'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const post = (groups: string, name: string) =>
    request.post(
      `/api/v1/change-requests?${new URLSearchParams({
        environment: 'staging',
        namespace: 'shop',
        action: 'create',
        title: `API group ${name}`,
        justification: 'pipeline',
        reviewerGroups: groups,
      })}`,
      {
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/yaml' },
        data: ingressYaml({ name, host: `${name}.shop.example.com`, namespace: 'shop', className: 'nginx-internal' }),
      },
    );
  const refused = await post(`${good.name},${none.name}`, uniqueIngressName('apigrp'));
  expect(refused.status()).toBe(422);
  const body = (await refused.json()) as { error: { details: { fieldErrors: { path: string; message: string }[] } } };
  expect(body.error.details.fieldErrors).toEqual([
    { path: 'reviewerGroups.1', message: `Group ${none.name} has no member who may approve in staging.` },
  ]);
  const created = await post(good.name, uniqueIngressName('apigrp'));
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await db.chosenReviewer.findMany({ where: { changeRequestId: id } })).map((c) => c.userId)).toEqual([member.id]);
  expect((await db.chosenReviewerGroup.findMany({ where: { changeRequestId: id } })).map((c) => c.groupId)).toEqual([good.id]);
});

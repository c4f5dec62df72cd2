import { expect, test } from '@playwright/test';
import { hashApiToken, newApiTokenSecret } from '@/lib/server/api-tokens/actor-from-api-token';
import { createEnvironment, createUser, e2eDb, uniqueEmail } from './support/db';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { ensureNamespace, liveIngress } from './support/sandbox';

// Each test makes its own two-stage path (own environments at promotion positions no other test
// uses, own namespaces in the sandbox cluster) so it never depends on the demo's prod.
let slot = 0;
async function stages(opts: { priorMinutes?: number; prodWindows?: object } = {}) {
  const tag = uniqueIngressName('p').slice(-10).replace(/^-+/, '');
  const order = 1000 + Math.floor(Math.random() * 40_000) * 2 + (slot++ % 2) * 80_000;
  const db = e2eDb();
  const stg = await createEnvironment(db, { name: `stg-${tag}`, requiredApprovals: 1 });
  const prd = await createEnvironment(db, { name: `prd-${tag}`, requiredApprovals: 1, isProduction: true });
  const nsS = `shop-stg-${tag}`;
  const nsP = `shop-prd-${tag}`;
  await ensureNamespace(nsS);
  await ensureNamespace(nsP);
  await db.environment.update({ where: { id: stg.id }, data: { promotionOrder: order } });
  await db.environment.update({
    where: { id: prd.id },
    data: {
      promotionOrder: order + 1,
      changeWindows: opts.prodWindows ?? {},
      promotionRules: {
        hostSuffixes: [{ from: 'staging.example.com', to: 'example.com' }],
        namespaces: [{ from: nsS, to: nsP }],
        priorStage: opts.priorMinutes === undefined ? null : { environment: stg.name, minutes: opts.priorMinutes, onMissing: 'refuse' },
      },
    },
  });
  return { stg, prd, nsS, nsP };
}

test('[PROMOTION] a staging change is applied, promoted, refused in prod until the prior-stage time has passed, then approved and applied', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { stg, prd, nsS, nsP } = await stages({ priorMinutes: 30 });
  const requester = await userPage(browser, 'promoter', ['REQUESTER']);
  const approver = await userPage(browser, 'promo-approver', ['APPROVER']);
  const name = uniqueIngressName('promo');

  const stagingUrl = await submitYaml(requester.page, {
    environment: stg.name,
    namespace: nsS,
    yaml: ingressYaml({ name, host: `${name}.staging.example.com`, namespace: nsS, className: 'nginx-public' }),
    title: 'Promo page in staging',
  });
  await approve(approver.page, stagingUrl);
  await requester.page.goto(stagingUrl);
  await expect(requester.page.getByTestId('status')).toHaveAttribute('data-status', 'APPLIED', { timeout: 30_000 });

  // Promote: the draft is the staging object mapped for prod, with the evidence.
  await requester.page.getByTestId('promote').click();
  await expect(requester.page.getByTestId('promotion-draft')).toContainText(`Promote ${nsS}/${name} from ${stg.name} to ${prd.name}`);
  await expect(requester.page.getByTestId('promotion-evidence')).toContainText(`Applied in ${stg.name}`);
  await expect(requester.page.getByTestId('promotion-evidence')).toContainText('no drift or failure since');
  await expect(requester.page.getByTestId('promotion-mapping')).toContainText(`${name}.staging.example.com → ${name}.example.com`);
  await expect(requester.page.getByTestId('promotion-prior-stage')).toContainText('30 min are required');
  await expect(requester.page.getByLabel('Ingress YAML')).toHaveValue(new RegExp(`host: ${name}\\.example\\.com`));

  // Too early: refused with the reason, nothing stored.
  await requester.page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(requester.page.getByTestId('submit-error')).toContainText(
    `requires this change to have been applied in an earlier stage first`,
  );
  await expect(requester.page.getByTestId('submit-error')).toContainText('30 min are required');
  expect(await e2eDb().changeRequest.count({ where: { environmentId: prd.id } })).toBe(0);

  // Time passes (in the database): the staging apply is now 31 minutes old.
  await e2eDb().$executeRawUnsafe(
    `UPDATE applied_versions SET applied_at = applied_at - interval '31 minutes' WHERE environment_id = $1::uuid AND ingress_name = $2`,
    stg.id,
    name,
  );
  await requester.page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(requester.page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const prodUrl = requester.page.url();
  await expect(requester.page.getByTestId('schedule-panel').getByTestId('promotion-evidence')).toContainText(`Promoted from ${stg.name}`);
  await expect(requester.page.getByTestId('schedule-panel').getByTestId('promotion-evidence')).toContainText(
    'No drift or failure there since.',
  );

  await approve(approver.page, prodUrl);
  await expect(approver.page.getByTestId('status')).toHaveAttribute('data-status', 'APPLIED', { timeout: 30_000 });
  const live = await liveIngress(nsP, name);
  expect((live?.spec as { rules: { host: string }[] }).rules[0]!.host).toBe(`${name}.example.com`);
  await requester.close();
  await approver.close();
});

test('[SCHEDULE] an approved prod request outside its change window is SCHEDULED and applies when the window opens', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  // A daily window that opens 40 s from now (UTC) and lasts 10 minutes: closed at approval.
  const opensAt = new Date(Math.ceil((Date.now() + 40_000) / 1000) * 1000);
  const rrule = `FREQ=DAILY;BYHOUR=${opensAt.getUTCHours()};BYMINUTE=${opensAt.getUTCMinutes()};BYSECOND=${opensAt.getUTCSeconds()}`;
  const { prd, nsP } = await stages({ prodWindows: { timeZone: 'UTC', windows: [{ rrule, durationMinutes: 10, label: 'e2e' }] } });
  const requester = await userPage(browser, 'sched-requester', ['REQUESTER']);
  const approver = await userPage(browser, 'sched-approver', ['APPROVER']);
  const name = uniqueIngressName('sched');
  const url = await submitYaml(requester.page, {
    environment: prd.name,
    namespace: nsP,
    yaml: ingressYaml({ name, host: `${name}.example.com`, namespace: nsP, className: 'nginx-public' }),
    title: 'Scheduled change',
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveAttribute('data-status', 'SCHEDULED');
  await expect(approver.page.getByTestId('scheduled-for')).toContainText(`Applies at`);
  await expect(approver.page.getByTestId('scheduled-for')).toContainText('UTC, in 1 min');
  expect(await liveIngress(nsP, name)).toBeNull();

  await expect(approver.page.getByTestId('status')).toHaveAttribute('data-status', 'APPLIED', { timeout: 100_000 });
  const applied = await e2eDb().changeRequest.findFirstOrThrow({ where: { environmentId: prd.id, ingressName: name } });
  expect(applied.appliedAt!.getTime()).toBeGreaterThanOrEqual(opensAt.getTime());
  expect(await liveIngress(nsP, name)).not.toBeNull();
  await requester.close();
  await approver.close();
});

async function tokenFor(roles: Parameters<typeof createUser>[1]['roles']) {
  const user = await createUser(e2eDb(), { email: uniqueEmail('sched-api'), roles });
  const secret = newApiTokenSecret();
  // Every scope: this spec exercises what the owner's roles allow (the window override needs admin).
  await e2eDb().apiToken.create({
    data: {
      userId: user.id,
      name: 'ci',
      prefix: secret.slice(0, 8),
      tokenHash: hashApiToken(secret),
      scopes: ['READ', 'SUBMIT', 'REVIEW', 'ADMIN'],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { Authorization: `Bearer ${secret}` };
}

test('[API] not-before, SCHEDULED, window override and the promotion draft over REST', async ({ request }) => {
  test.setTimeout(90_000);
  // Prod is frozen for the next 30 days.
  const from = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
  const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16);
  const { stg, prd, nsS, nsP } = await stages({ prodWindows: { timeZone: 'UTC', freezes: [{ from, to, reason: 'e2e freeze' }] } });
  const requester = await tokenFor(['REQUESTER']);
  const approver = await tokenFor(['APPROVER']);
  const admin = await tokenFor(['ADMIN']);
  const name = uniqueIngressName('rest');
  const notBefore = new Date(Date.now() + 5_000).toISOString();
  const created = await request.post('/api/v1/change-requests', {
    headers: requester,
    data: {
      environment: prd.name,
      namespace: nsP,
      action: 'create',
      title: 'REST scheduled',
      justification: 'pipeline',
      yaml: ingressYaml({ name, host: `${name}.example.com`, namespace: nsP, className: 'nginx-public' }),
      notBefore,
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const bad = await request.post('/api/v1/change-requests', {
    headers: requester,
    data: {
      environment: prd.name,
      namespace: nsP,
      action: 'create',
      title: 'x y z',
      justification: 'pipeline',
      yaml: 'a: b',
      notBefore: 'soon',
    },
  });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('notBefore');

  expect(
    (
      await request.post(`/api/v1/change-requests/${id}/reviews`, {
        headers: approver,
        data: { decision: 'APPROVE', revision: 1, comment: 'ok' },
      })
    ).status(),
  ).toBe(201);
  const detail = (await (await request.get(`/api/v1/change-requests/${id}`, { headers: requester })).json()) as {
    status: string;
    statusReason: string;
    schedule: { notBefore: string; scheduledFor: string; timeZone: string };
  };
  expect(detail.status).toBe('SCHEDULED');
  expect(detail.statusReason).toContain('changes are frozen: e2e freeze');
  expect(new Date(detail.schedule.notBefore).toISOString()).toBe(notBefore);
  expect(new Date(detail.schedule.scheduledFor).toISOString()).toBe(new Date(`${to}:00Z`).toISOString());

  expect(
    (
      await request.post(`/api/v1/change-requests/${id}/window-override`, { headers: requester, data: { reason: 'I want it now please' } })
    ).status(),
  ).toBe(403);
  const short = await request.post(`/api/v1/change-requests/${id}/window-override`, { headers: admin, data: { reason: 'now' } });
  expect(short.status()).toBe(400);
  const ok = await request.post(`/api/v1/change-requests/${id}/window-override`, {
    headers: admin,
    data: { reason: 'Hotfix for an outage, approved by the on-call lead' },
  });
  expect(ok.status()).toBe(200);
  // Override ignores the freeze but not "not before": applied a few seconds later.
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/v1/change-requests/${id}`, { headers: requester })).json()) as { status: string }).status,
      { timeout: 30_000 },
    )
    .toBe('APPLIED');
  const applied = await e2eDb().changeRequest.findUniqueOrThrow({ where: { id } });
  expect(applied.appliedAt!.getTime()).toBeGreaterThanOrEqual(new Date(notBefore).getTime());

  // The promotion draft of an applied staging version, over REST.
  const sName = uniqueIngressName('rest-stg');
  const s = await request.post('/api/v1/change-requests', {
    headers: requester,
    data: {
      environment: stg.name,
      namespace: nsS,
      action: 'create',
      title: 'stg',
      justification: 'pipeline',
      yaml: ingressYaml({ name: sName, host: `${sName}.staging.example.com`, namespace: nsS, className: 'nginx-public' }),
    },
  });
  const sId = ((await s.json()) as { id: string }).id;
  await request.post(`/api/v1/change-requests/${sId}/reviews`, {
    headers: approver,
    data: { decision: 'APPROVE', revision: 1, comment: 'ok' },
  });
  await expect
    .poll(async () => (await e2eDb().appliedVersion.findFirst({ where: { changeRequestId: sId } }))?.id ?? null, { timeout: 30_000 })
    .not.toBeNull();
  const version = await e2eDb().appliedVersion.findFirstOrThrow({ where: { changeRequestId: sId } });
  const draft = await request.get(`/api/v1/applied-versions/${version.id}/promotion`, { headers: requester });
  expect(draft.status()).toBe(200);
  expect(await draft.json()).toMatchObject({
    target: { environment: prd.name, namespace: nsP, action: 'create' },
    changes: expect.arrayContaining([expect.objectContaining({ to: `${sName}.example.com` })]),
  });
  expect((await request.get(`/api/v1/applied-versions/${version.id}/promotion`, { headers: approver })).status()).toBe(403);
});

import { expect, test } from '@playwright/test';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { liveIngress } from './support/sandbox';

test('[HISTORY] rollback from the history page restores the earlier manifest in the cluster', async ({ browser }) => {
  test.setTimeout(120_000);
  const requester = await userPage(browser, 'histreq', ['REQUESTER']);
  const approver = await userPage(browser, 'histapp', ['APPROVER']);
  const name = uniqueIngressName('hist');
  const host = `${name}.shop.example.com`;
  // v1: create, v2: update to another backend (staging: one approval, rollbacks pre-approved).
  const v1 = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host, service: 'storefront', port: 80 }),
  });
  await approve(approver.page, v1);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const v2 = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    action: 'update',
    name,
    title: `Move ${name}`,
    yaml: ingressYaml({ name, host, service: 'catalog', port: 80 }),
  });
  await approve(approver.page, v2);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  expect(JSON.stringify((await liveIngress('shop', name, 'staging'))!.spec)).toContain('catalog');

  const { page } = requester;
  await page.goto(`/ingresses/staging/shop/${name}`);
  await expect(page.getByTestId('version')).toHaveCount(2);
  // Diff between the two versions.
  await expect(page.getByTestId('yaml-diff').first()).toContainText('catalog');
  await page.getByRole('button', { name: 'Restore this version…' }).click();
  await expect(page.getByTestId('restore-confirm')).toContainText('storefront');
  await page.getByLabel('Why restore?').fill('catalog backend misbehaves');
  await page.getByRole('button', { name: 'Confirm restore' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  // Pre-approved in staging: the worker applies it and the page follows.
  await expect(page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  expect(JSON.stringify((await liveIngress('shop', name, 'staging'))!.spec)).toContain('storefront');
  await page.goto(`/ingresses/staging/shop/${name}`);
  await expect(page.getByTestId('version')).toHaveCount(3);
  await requester.close();
  await approver.close();
});

test('[HISTORY] roll back an applied change from its request page, with the diff it will apply', async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await userPage(browser, 'rbreq', ['REQUESTER']);
  const approver = await userPage(browser, 'rbapp', ['APPROVER']);
  const name = uniqueIngressName('rb');
  const host = `${name}.shop.example.com`;
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host }),
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const { page } = requester;
  await page.goto(url);
  await page.getByRole('button', { name: 'Roll back…' }).click();
  await expect(page.getByTestId('rollback-confirm')).toContainText(host);
  await page.getByLabel('Why roll back?').fill('Not needed after all');
  await page.getByRole('button', { name: 'Confirm rollback' }).click();
  await expect(page).not.toHaveURL(url);
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Roll back');
  await expect(page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  expect(await liveIngress('shop', name, 'staging')).toBeNull();
  await requester.close();
  await approver.close();
});

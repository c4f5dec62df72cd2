import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '@/lib/server/seed/seed-demo';
import { ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { signIn } from './support/sign-in';

// Screenshots of the three main pages at 1280 px and at a narrow laptop width, for a human to look at.
const DIR = 'test-results/screens';

test('[SCREENS] inbox, request page and new-request page', async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await userPage(browser, 'shotreq', ['REQUESTER']);
  const name = uniqueIngressName('shot');
  const url = await submitYaml(requester.page, {
    environment: 'prod',
    namespace: 'shop',
    action: 'update',
    name: 'storefront',
    title: `Route /api/cart to the new cart service and relax TLS (${name})`,
    yaml: ingressYaml({
      name: 'storefront',
      host: 'shop.example.com',
      service: 'cart-api',
      port: 8080,
      path: '/api',
      className: 'nginx-public',
      annotations: {
        'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
        'nginx.ingress.kubernetes.io/configuration-snippet': '<img src=x onerror=alert(1)>',
      },
    }),
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'approver1@example.com', DEMO_PASSWORD);
  await expect(page.getByTestId('request-list')).toBeVisible();
  await page.screenshot({ path: `${DIR}/inbox-1280.png`, fullPage: true });
  await page.goto(url);
  await expect(page.getByTestId('line-finding').first()).toBeVisible();
  await page.screenshot({ path: `${DIR}/request-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 900, height: 900 });
  await page.screenshot({ path: `${DIR}/request-900.png`, fullPage: true });
  const rp = requester.page;
  await rp.setViewportSize({ width: 1280, height: 900 });
  await rp.goto('/requests/new?environment=staging&namespace=shop');
  await rp.getByLabel('Ingress name').fill('promo');
  await rp.getByLabel('Rule 1 host').fill('*.example.com');
  await rp.getByLabel('Rule 1 path 1 service').fill('storefront');
  await rp.getByLabel('Rule 1 path 1 port').fill('80');
  await expect(rp.getByTestId('finding').first()).toBeVisible();
  await rp.screenshot({ path: `${DIR}/new-request-1280.png`, fullPage: true });
  await rp.setViewportSize({ width: 900, height: 900 });
  await rp.screenshot({ path: `${DIR}/new-request-900.png`, fullPage: true });
  await context.close();
  await requester.close();
});

import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { changeLiveIngress, createLiveIngress, liveIngress } from './support/sandbox';
import { signIn } from './support/sign-in';
import { openVisit, pagesAt, setUpEveryPage, sidewaysOverflow } from './support/every-page';

test('[PAGES] no page scrolls sideways at 390 px, in either theme', async ({ browser }) => {
  test.setTimeout(240_000);
  const every = await setUpEveryPage(browser, 'wide');
  for (const colorScheme of ['light', 'dark'] as const) {
    const pages = await pagesAt(browser, every, { width: 390, height: 844, colorScheme });
    for (const visit of every.visits) {
      const page = await openVisit(pages, visit);
      const o = await sidewaysOverflow(page);
      expect
        .soft(o.scrollWidth, `${visit.name} (${colorScheme}) is ${o.scrollWidth}px wide at 390: ${o.widest.join(' | ')}`)
        .toBeLessThanOrEqual(o.innerWidth);
    }
    await pages.close();
  }
  await every.close();
});

test('[PAGES] the sign-in page lists the demo accounts in demo mode', async ({ page }) => {
  await page.goto('/sign-in');
  const demo = page.getByTestId('demo-accounts');
  await expect(demo).toContainText('ingress-gate-demo');
  await expect(demo.getByTestId('demo-account')).toHaveText([
    /requester@example\.com/,
    /approver1@example\.com/,
    /approver2@example\.com/,
    /auditor@example\.com/,
    /admin@example\.com/,
  ]);
  // The listed accounts really get in.
  await page.getByLabel('Email').fill('auditor@example.com');
  await page.getByLabel('Password').fill('ingress-gate-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toContainText('auditor@example.com');
});

test('[PAGES] dark mode follows the system setting', async ({ browser }) => {
  test.setTimeout(90_000);
  // Relative luminance (WCAG) of the page background, a card and the body text, read through a
  // canvas pixel so any CSS colour syntax (oklch, rgb) compares.
  const measure = async (colorScheme: 'light' | 'dark', path: string, storageState?: TStorageState) => {
    const context = await browser.newContext({ colorScheme, storageState });
    const page = await context.newPage();
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    const result = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
      const lum = (css: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = css;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const card = document.querySelector('main section, main > div')!;
      return {
        scheme: getComputedStyle(document.documentElement).colorScheme,
        body: lum(getComputedStyle(document.body).backgroundColor),
        text: lum(getComputedStyle(document.body).color),
        card: lum(
          getComputedStyle(card).backgroundColor === 'rgba(0, 0, 0, 0)'
            ? getComputedStyle(document.body).backgroundColor
            : getComputedStyle(card).backgroundColor,
        ),
      };
    });
    await context.close();
    return result;
  };
  const state = await auditorStorageState(browser);
  for (const path of ['/sign-in', '/audit']) {
    const light = await measure('light', path, path === '/sign-in' ? undefined : state);
    const dark = await measure('dark', path, path === '/sign-in' ? undefined : state);
    expect(light.scheme, path).toBe('light');
    expect(dark.scheme, path).toBe('dark');
    expect(light.body, `${path} light background`).toBeGreaterThan(0.8);
    expect(light.text, `${path} light text`).toBeLessThan(0.1);
    expect(dark.body, `${path} dark background`).toBeLessThan(0.05);
    expect(dark.card, `${path} dark card`).toBeLessThan(0.1);
    expect(dark.text, `${path} dark text`).toBeGreaterThan(0.7);
  }
});

type TStorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

async function auditorStorageState(browser: Browser): Promise<TStorageState> {
  const user = await userPage(browser, 'darkaud', ['AUDITOR']);
  const state = await user.page.context().storageState();
  await user.close();
  return state;
}

test('[PAGES] the first change of an Ingress is rolled back from its history in a full-width dialog: a create is undone by deleting, and it says so', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const requester = await userPage(browser, 'firstrb', ['REQUESTER']);
  const approver = await userPage(browser, 'firstrbapp', ['APPROVER']);
  const name = uniqueIngressName('firstrb');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host: `${name}.shop.example.com` }),
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  // Approvers may not roll back: no empty "Actions" card on the applied request.
  await approver.page.reload();
  await expect(approver.page.getByTestId('status')).toHaveText('Applied');
  await expect(approver.page.getByTestId('actions')).toHaveCount(0);

  const { page } = requester;
  await page.goto(`/ingresses/staging/shop/${name}`);
  // Live view: in sync with the approved version, the live manifest one click away.
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'IN_SYNC');
  await page.getByText('Live manifest').click();
  await expect(page.getByTestId('live-manifest')).toContainText(`${name}.shop.example.com`);
  // One version: no pointless From = To diff.
  await expect(page.getByTestId('version')).toHaveCount(1);
  await expect(page.getByTestId('version-picker')).toHaveCount(0);
  await expect(page.getByTestId('only-version')).toBeVisible();

  const open = page.getByRole('button', { name: 'Roll back this change…' });
  await open.click();
  const dialog = page.getByTestId('restore-confirm');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('deletes it from the cluster');
  await expect(dialog.getByTestId('yaml-diff')).toContainText(`${name}.shop.example.com`);
  await expect(dialog.getByTestId('yaml-diff')).toContainText('After (deleted)');
  // As wide as the window (less a margin), not a sidebar.
  const box = (await dialog.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(box.width).toBeGreaterThan(width - 80);
  // Modal: focus stays inside while tabbing, Esc closes it and focus returns to the button.
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();

  await open.click();
  await dialog.getByLabel('Why roll back?').fill('Not needed after all');
  await dialog.getByRole('button', { name: 'Confirm rollback (delete)' }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Roll back');
  await expect(page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  expect(await liveIngress('shop', name, 'staging')).toBeNull();
  await requester.close();
  await approver.close();
});

test('[PAGES] the Ingress page compares live with the last approved version: drifted and unmanaged', async ({ browser }) => {
  test.setTimeout(120_000);
  const requester = await userPage(browser, 'syncreq', ['REQUESTER']);
  const approver = await userPage(browser, 'syncapp', ['APPROVER']);
  const name = uniqueIngressName('sync');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host: `${name}.shop.example.com` }),
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  await changeLiveIngress(
    'shop',
    name,
    (o) => {
      const meta = o.metadata as { annotations?: Record<string, string> };
      meta.annotations = { ...meta.annotations, 'nginx.ingress.kubernetes.io/whitelist-source-range': '0.0.0.0/0' };
    },
    'staging',
  );
  const { page } = requester;
  await page.goto(`/ingresses/staging/shop/${name}`);
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'DRIFTED');
  await expect(page.getByTestId('sync-state')).toHaveText('Drifted');
  await expect(page.getByTestId('live').getByTestId('yaml-diff')).toContainText('whitelist-source-range');

  // Created behind the portal's back: unmanaged, with what that means.
  const other = uniqueIngressName('unmanaged');
  await createLiveIngress(
    {
      metadata: { name: other, namespace: 'shop' },
      spec: { ingressClassName: 'nginx-internal', rules: [{ host: `${other}.shop.example.com` }] },
    },
    'staging',
  );
  await page.goto(`/ingresses/staging/shop/${other}`);
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'UNMANAGED');
  await expect(page.getByTestId('sync-help')).toContainText('never went through Ingress Gate');
  await expect(page.getByTestId('live-manifest')).toContainText(`${other}.shop.example.com`);
  await requester.close();
  await approver.close();
});

test('[PAGES] the rollback dialog on a request page at 390 px: full width, complete diff, no sideways scroll', async ({ browser }) => {
  test.setTimeout(120_000);
  const requester = await userPage(browser, 'narrowrb', ['REQUESTER']);
  const approver = await userPage(browser, 'narrowrbapp', ['APPROVER']);
  const name = uniqueIngressName('narrowrb');
  const host = `${name}.shop.example.com`;
  const first = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host }),
  });
  await approve(approver.page, first);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const second = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    action: 'update',
    name,
    title: `Move ${name}`,
    yaml: ingressYaml({ name, host, service: 'catalog' }),
  });
  await approve(approver.page, second);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const { page } = requester;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(second);
  await page.getByRole('button', { name: 'Roll back…' }).click();
  const dialog = page.getByTestId('rollback-confirm');
  await expect(dialog.getByTestId('yaml-diff')).toContainText('catalog');
  await expect(dialog.getByTestId('yaml-diff')).toContainText('storefront');
  expect((await dialog.boundingBox())!.width).toBeGreaterThan(370);
  const o = await sidewaysOverflow(page);
  expect(o.scrollWidth, o.widest.join(' | ')).toBeLessThanOrEqual(o.innerWidth);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await requester.close();
  await approver.close();
});

test('[PAGES] environment descriptions state no approval counts; the count shown is the live one', async ({ page }) => {
  await signIn(page, 'admin@example.com', 'ingress-gate-demo', '/environments');
  await page.goto('/environments');
  const prod = page.locator('#env-prod');
  await expect(prod).toContainText('2 approvals');
  await expect(prod).not.toContainText('two approvals');
});

import { expect, type Browser, type Page } from '@playwright/test';
import { e2eDb } from './db';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './requests';

export type TPageVisit = {
  /** Short name, used in test titles and screenshot file names. */
  name: string;
  path: string;
  /** Visited signed out (the sign-in page) or as the user holding every role. */
  as: 'signed-out' | 'everyone';
  /** Something on the page that says it finished rendering. */
  ready: (page: Page) => Promise<void>;
};

export type TEveryPage = {
  visits: TPageVisit[];
  /** Signed in with every role (global): requester of the requests below, approver, auditor, admin. */
  everyone: Awaited<ReturnType<typeof userPage>>;
  close: () => Promise<void>;
};

const heading = (page: Page) => expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();

/**
 * Data behind every page of the app (an applied request with its Ingress history, a pending one
 * with its revise page), made through the UI by a user who holds every role, and the list of
 * every page to visit. Specs that check all pages (sideways scroll, accessibility, screenshots)
 * share it so a new page is added in one place.
 */
export async function setUpEveryPage(browser: Browser, prefix: string): Promise<TEveryPage> {
  const everyone = await userPage(browser, `${prefix}all`, ['REQUESTER', 'APPROVER', 'AUDITOR', 'ADMIN']);
  const approver = await userPage(browser, `${prefix}app`, ['APPROVER']);
  const name = uniqueIngressName(prefix);
  const host = `${name}.shop.example.com`;
  const applied = await submitYaml(everyone.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name} for the page checks`,
    yaml: ingressYaml({ name, host }),
  });
  await approve(approver.page, applied);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const pending = await submitYaml(everyone.page, {
    environment: 'staging',
    namespace: 'shop',
    action: 'update',
    name,
    title: `Move ${name} to the catalog service`,
    yaml: ingressYaml({ name, host, service: 'catalog', annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' } }),
  });
  await approver.close();
  const staging = await e2eDb().environment.findUniqueOrThrow({ where: { name: 'staging' } });
  const appliedPath = new URL(applied).pathname;
  const pendingPath = new URL(pending).pathname;
  const visits: TPageVisit[] = [
    { name: 'sign-in', path: '/sign-in', as: 'signed-out', ready: (p) => expect(p.getByLabel('Email')).toBeVisible() },
    { name: 'inbox', path: '/', as: 'everyone', ready: heading },
    { name: 'new-request', path: '/requests/new', as: 'everyone', ready: (p) => expect(p.getByLabel('Environment')).toBeVisible() },
    { name: 'request-pending', path: pendingPath, as: 'everyone', ready: (p) => expect(p.getByTestId('yaml-diff').first()).toBeVisible() },
    { name: 'request-applied', path: appliedPath, as: 'everyone', ready: (p) => expect(p.getByTestId('status')).toHaveText('Applied') },
    { name: 'revise', path: `${pendingPath}/revise`, as: 'everyone', ready: heading },
    {
      name: 'ingress',
      path: `/ingresses/staging/shop/${name}`,
      as: 'everyone',
      ready: (p) => expect(p.getByTestId('history')).toBeVisible(),
    },
    { name: 'environments', path: '/environments', as: 'everyone', ready: heading },
    { name: 'drift', path: '/drift', as: 'everyone', ready: heading },
    { name: 'audit', path: '/audit', as: 'everyone', ready: (p) => expect(p.getByTestId('audit-row').first()).toBeVisible() },
    { name: 'admin', path: '/admin', as: 'everyone', ready: heading },
    { name: 'admin-users', path: '/admin/users', as: 'everyone', ready: (p) => expect(p.getByTestId('user-row').first()).toBeVisible() },
    { name: 'admin-environment', path: `/admin/environments/${staging.id}`, as: 'everyone', ready: heading },
    { name: 'admin-notifications', path: '/admin/notifications', as: 'everyone', ready: heading },
    { name: 'settings-tokens', path: '/settings/tokens', as: 'everyone', ready: heading },
    { name: 'settings-notifications', path: '/settings/notifications', as: 'everyone', ready: heading },
    { name: 'mail', path: '/mail', as: 'everyone', ready: heading },
  ];
  return { visits, everyone, close: () => everyone.close() };
}

/** Opens a visit in the right context and waits until it rendered (and the diff viewer, if any, settled). */
export async function openVisit(pages: { signedOut: Page; everyone: Page }, visit: TPageVisit): Promise<Page> {
  const page = visit.as === 'signed-out' ? pages.signedOut : pages.everyone;
  await page.goto(visit.path);
  await visit.ready(page);
  await expect(page.getByText('Computing the diff…')).toHaveCount(0);
  return page;
}

/** How far the document scrolls sideways (0 when it fits the viewport). */
export async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const scrollWidth = document.scrollingElement!.scrollWidth;
    const innerWidth = window.innerWidth;
    // Name the elements that stick out, so a failure says where to look.
    const widest = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).slice(0, 60)} right=${Math.round(el.getBoundingClientRect().right)}`,
      );
    return { scrollWidth, innerWidth, widest };
  });
}

/** A signed-out page and a page signed in as `everyone`, at one viewport and colour scheme. */
export async function pagesAt(
  browser: Browser,
  every: TEveryPage,
  o: { width: number; height?: number; colorScheme: 'light' | 'dark' },
): Promise<{ signedOut: Page; everyone: Page; close: () => Promise<void> }> {
  const viewport = { width: o.width, height: o.height ?? 900 };
  const out = await browser.newContext({ viewport, colorScheme: o.colorScheme });
  const signedIn = await browser.newContext({
    viewport,
    colorScheme: o.colorScheme,
    storageState: await every.everyone.page.context().storageState(),
  });
  return {
    signedOut: await out.newPage(),
    everyone: await signedIn.newPage(),
    close: async () => {
      await out.close();
      await signedIn.close();
    },
  };
}

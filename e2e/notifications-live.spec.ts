import { expect, test, type Page, type Route } from '@playwright/test';
import { ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';

// The request page patches what changed from the summary the live stream pushes (status,
// approvals) before — and without — the whole-page refresh; with no stream it polls and patches
// the same way.

test.describe.configure({ timeout: 120_000 });

const isPageRefresh = (route: Route) => {
  const req = route.request();
  return req.headers()['rsc'] === '1' || new URL(req.url()).searchParams.has('_rsc');
};

async function submitted(page: Page, prefix: string) {
  const name = uniqueIngressName(prefix);
  return submitYaml(page, {
    environment: 'staging',
    namespace: 'shop',
    yaml: ingressYaml({ name, host: `${name}.shop.example.com`, namespace: 'shop', className: 'nginx-internal' }),
    title: `Live ${name}`,
  });
}

async function approveOn(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel('Review comment (required to reject)').fill('Approved while the requester watches.');
  await page.getByRole('button', { name: /^Approve revision 1/ }).click();
}

test('[NOTIFY] the requester’s open page shows an approval from the pushed summary while its whole-page refresh is held back', async ({
  browser,
}) => {
  const requester = await userPage(browser, 'livereq', ['REQUESTER']);
  const approver = await userPage(browser, 'liveapp', [{ role: 'APPROVER', environment: 'staging' }]);
  try {
    const { page } = requester;
    const url = await submitted(page, 'live');
    await expect(page.getByTestId('live')).toHaveAttribute('data-live', 'live');
    await expect(page.getByTestId('approval-count')).toHaveText('0 of 1');
    await expect(page.getByTestId('status')).toHaveText('Pending');

    // From now on every whole-page refresh (a React Server Components fetch) is held.
    const held: Route[] = [];
    const requestPages = (u: URL) => u.pathname.startsWith('/requests/');
    const holdRefreshes = (route: Route) => (isPageRefresh(route) ? void held.push(route) : route.continue());
    await page.route(requestPages, holdRefreshes);
    await approveOn(approver.page, url);

    // Patched in place: the count, the approver, the status badge…
    await expect(page.getByTestId('approval-count')).toHaveText('1 of 1');
    await expect(page.getByTestId('approvers')).toContainText(approver.name);
    await expect(page.getByTestId('status')).not.toHaveText('Pending');
    // …while the refresh it also asked for has not been answered: the timeline (not patched) is as rendered.
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await expect(page.getByTestId('timeline-event').filter({ hasText: 'Approved revision' })).toHaveCount(0);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);

    // Released, the refresh brings the rest of the page, and the patched parts stay right.
    // The same matcher and handler objects: unroute with a new arrow function removes nothing, and a
    // refresh asked for after the release would be held forever.
    await page.unroute(requestPages, holdRefreshes);
    for (const r of held.splice(0)) await r.continue().catch(() => {});
    await expect(page.getByTestId('timeline-event').filter({ hasText: 'Approved revision' })).toHaveCount(1);
    await expect(page.getByTestId('approval-count')).toHaveText('1 of 1');
  } finally {
    await requester.close();
    await approver.close();
  }
});

test('[NOTIFY] without server-sent events the request page polls and patches the approval in', async ({ browser }) => {
  const requester = await userPage(browser, 'pollreq', ['REQUESTER']);
  const approver = await userPage(browser, 'pollapp', [{ role: 'APPROVER', environment: 'staging' }]);
  try {
    const { page } = requester;
    // A browser (or a buffering proxy) without EventSource.
    await page.addInitScript(() => Object.defineProperty(window, 'EventSource', { value: undefined, configurable: true }));
    const url = await submitted(page, 'poll');
    await expect(page.getByTestId('live')).toHaveAttribute('data-live', 'polling');
    await expect(page.getByTestId('approval-count')).toHaveText('0 of 1');
    await approveOn(approver.page, url);
    await expect(page.getByTestId('approval-count')).toHaveText('1 of 1', { timeout: 15_000 });
    await expect(page.getByTestId('approvers')).toContainText(approver.name);
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  } finally {
    await requester.close();
    await approver.close();
  }
});

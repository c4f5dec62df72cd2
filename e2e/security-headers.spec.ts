import { expect, test, type Page } from '@playwright/test';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';

// Issue 11: headers. The CSP must be strict for scripts (a nonce per response) and the app must
// actually work under it: every step below would stop with a blocked script or style.

test('[SECURITY] pages carry a per-response nonce CSP and Permissions-Policy; HSTS only over https; API answers are no-store', async ({
  request,
}) => {
  const first = await request.get('/sign-in');
  const second = await request.get('/sign-in');
  const csp = first.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-eval');
  const nonce = /'nonce-([^']+)'/.exec(csp!)![1]!;
  expect(/'nonce-([^']+)'/.exec(second.headers()['content-security-policy']!)![1]).not.toBe(nonce);
  // Next's own scripts carry this response's nonce.
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  expect(first.headers()['permissions-policy']).toContain('camera=()');
  expect(first.headers()['strict-transport-security']).toBeUndefined();

  const viaHttps = await request.get('/sign-in', { headers: { 'x-forwarded-proto': 'https' } });
  expect(viaHttps.headers()['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');

  for (const path of ['/api/health', '/api/v1/change-requests']) {
    const res = await request.get(path);
    expect(res.headers()['cache-control'], path).toBe('no-store');
  }
});

/** Records CSP violations the browser reports, as events and as console errors. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) fromConsole.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
}

test('[SECURITY] the app works under its CSP: sign-in, submit, the diff viewer, review — no violations', async ({ browser }) => {
  const requester = await userPage(browser, 'cspreq', ['REQUESTER']);
  const approver = await userPage(browser, 'cspapp', ['APPROVER']);
  const violations = [await watchCsp(requester.page), await watchCsp(approver.page)];
  const name = uniqueIngressName('csp');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `CSP ${name}`,
    yaml: ingressYaml({ name, host: `${name}.shop.example.com`, service: 'storefront', port: 80 }),
  });
  const html = await (await approver.page.goto(url))!.text();
  // Every script the server sent carries the nonce; scripts those load are allowed by
  // 'strict-dynamic' and need none.
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((tag) => !/\snonce="[^"]+"/.test(tag))).toEqual([]);
  // The diff viewer styles itself at run time (emotion <style> tags): visible and styled.
  const diff = approver.page.getByTestId('yaml-diff');
  await expect(diff).toBeVisible();
  await expect(diff).toContainText('storefront');
  expect(await approver.page.locator('style[data-emotion]').count()).toBeGreaterThan(0);
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveText(/Approved|Applying|Applied/);
  for (const page of [requester.page, approver.page]) {
    await page.goto('/');
    await expect(page.getByTestId('current-user')).toBeVisible();
  }
  expect([...(await violations[0]!()), ...(await violations[1]!())]).toEqual([]);
  await requester.close();
  await approver.close();
});

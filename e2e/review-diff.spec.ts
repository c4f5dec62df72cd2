import { expect, test, type Page } from '@playwright/test';
import { ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';

// Issue 18 (diff reading and comments): split/unified, wrap and whitespace toggles remembered,
// YAML-token word marks, line deep links, comment threads carried across revisions, "request
// changes", keyboard shortcuts and keyboard-only review, at 1440 and 390 px.

const diff = (page: Page) => page.getByTestId('yaml-diff').first();

/** The `R-12`-style key of the diff row whose text contains `text` (right side unless told). */
async function lineKeyOf(page: Page, text: string, side: 'L' | 'R' = 'R'): Promise<string> {
  const key = await diff(page).evaluate(
    (root, [text, side]) => {
      for (const row of root.querySelectorAll('tr')) {
        const cells = [...row.querySelectorAll('td')];
        const content = cells.filter((c) => c.className.includes('-content'));
        const hit = side === 'R' ? content.at(-1) : content[0];
        if (!hit?.textContent?.includes(text!)) continue;
        const link = [...row.querySelectorAll<HTMLElement>('[data-testid="line-link"]')].find((a) => a.dataset.line?.startsWith(side!));
        if (link) return link.dataset.line!;
      }
      return null;
    },
    [text, side] as const,
  );
  expect(key, `a ${side} line with "${text}"`).not.toBeNull();
  return key!;
}

async function reviseTo(page: Page, url: string, yaml: string, note: string) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Revise' }).click();
  await page.getByLabel('Revised Ingress YAML').fill(yaml);
  await page.getByLabel('What changed in this revision?').fill(note);
  await page.getByRole('button', { name: 'Save new revision' }).click();
  await expect(page).toHaveURL(url);
}

/** The review section (diff, threads, conversation) fits the window: it never makes the page scroll sideways. */
async function diffFitsWindow(page: Page) {
  const { right, innerWidth, offenders } = await page.evaluate(() => {
    const sections = ['#diff', '#comments'].map((s) => document.querySelector(s)!).filter(Boolean);
    const inside = sections.flatMap((s) => [s, ...s.querySelectorAll('*')]);
    // Elements inside a scroll container (the diff's own sideways scroll) do not widen the page.
    const clipped = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement)
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const over = inside.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el));
    return {
      right: Math.max(...sections.map((s) => s.getBoundingClientRect().right)),
      innerWidth: window.innerWidth,
      offenders: over.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`),
    };
  });
  expect(right, 'the review section fits the window').toBeLessThanOrEqual(innerWidth);
  expect(offenders, 'nothing in the review section reaches past the window').toEqual([]);
}

for (const width of [1440, 390]) {
  test(`[REVIEW] reviewer journey at ${width} px: deep link, toggles remembered, thread, request changes → revise → approve`, async ({
    browser,
  }) => {
    test.setTimeout(150_000);
    const requester = await userPage(browser, `rdreq${width}`, ['REQUESTER']);
    const approver = await userPage(browser, `rdapp${width}`, ['APPROVER']);
    const second = await userPage(browser, `rdtwo${width}`, ['APPROVER']);
    for (const u of [requester, approver, second]) await u.page.setViewportSize({ width, height: 900 });
    const name = uniqueIngressName('rdiff');
    const host = `${name}.shop.example.com`;
    const url = await submitYaml(requester.page, {
      environment: 'staging',
      namespace: 'shop',
      title: `Diff review ${name}`,
      yaml: ingressYaml({ name, host, namespace: 'shop', service: 'storefront', port: 80 }),
    });

    const { page } = approver;
    await page.goto(url);
    // Split on wide screens, unified on narrow ones, until the reader chooses.
    await expect(diff(page)).toHaveAttribute('data-view', width < 900 ? 'unified' : 'split');
    const serviceKey = await lineKeyOf(page, 'name: storefront');
    const portKey = await lineKeyOf(page, 'number: 80');

    // Deep link: the line is scrolled to, focused and marked; clicking another line updates the URL.
    await page.goto(`${url}#L-${serviceKey.replace('-', '')}`);
    const serviceLink = page.locator(`#line-${serviceKey}`);
    await expect(serviceLink).toHaveAttribute('aria-current', 'location');
    await expect(serviceLink).toBeInViewport();
    await expect(page.locator(`[data-testid="diff-gutter"][data-selected="true"] #line-${serviceKey}`)).toHaveCount(1);
    await page.locator(`#line-${portKey}`).click();
    await expect(page).toHaveURL(new RegExp(`#L-${portKey.replace('-', '')}$`));

    // Toggles are remembered across reloads.
    const other = width < 900 ? 'Split' : 'Unified';
    await page.getByRole('group', { name: 'Diff view' }).getByRole('button', { name: other }).click();
    await expect(diff(page)).toHaveAttribute('data-view', other.toLowerCase());
    await page.getByLabel('Wrap lines').uncheck();
    await page.reload();
    await expect(diff(page)).toHaveAttribute('data-view', other.toLowerCase());
    await expect(diff(page)).toHaveAttribute('data-wrap', 'false');
    await expect(page.getByLabel('Wrap lines')).not.toBeChecked();
    await page
      .getByRole('group', { name: 'Diff view' })
      .getByRole('button', { name: other === 'Split' ? 'Unified' : 'Split' })
      .click();
    await page.getByLabel('Wrap lines').check();
    await diffFitsWindow(page);

    // A thread on the port line (will be outdated) and one on the service line (carried over).
    for (const [key, text] of [
      [portKey, 'Is port 80 right here?'],
      [serviceKey, 'Which team owns storefront?'],
    ] as const) {
      await page.locator(`#line-${key}`).click();
      await page.getByTestId('comment-on-line').click();
      await page.getByTestId('line-comment-form').getByRole('textbox').fill(text);
      await page.getByTestId('line-comment-form').getByRole('button', { name: 'Comment' }).click();
      const thread = page.locator(`[data-testid="line-threads"][data-line="${key}"] [data-testid="comment-thread"]`);
      await expect(thread).toContainText(text);
    }
    // The marker is an SVG icon and a number, not a missing glyph.
    const marker = page.locator(`[data-testid="line-comment-marker"][data-line="${portKey}"]`);
    await expect(marker).toHaveText('1');
    await expect(marker.locator('svg')).toHaveCount(1);

    // The requester replies; the approver resolves the service thread.
    await requester.page.goto(url);
    const serviceThread = (p: Page) => p.locator(`[data-testid="line-threads"][data-line="${serviceKey}"] [data-testid="comment-thread"]`);
    await serviceThread(requester.page).getByRole('button', { name: 'Reply' }).click();
    await serviceThread(requester.page).getByRole('textbox').fill('Team checkout.');
    await serviceThread(requester.page).getByRole('button', { name: 'Reply' }).click();
    await expect(serviceThread(requester.page)).toContainText('Team checkout.');
    await page.reload();
    await serviceThread(page).getByRole('button', { name: 'Resolve thread' }).click();
    await expect(serviceThread(page)).toHaveAttribute('data-resolved', 'true');
    await expect(serviceThread(page).getByTestId('thread-resolved')).toContainText('resolved by');

    // Request changes: the second approver cannot approve until the requester revises.
    await page.getByLabel('Review comment (required to reject)').fill('Use port 8080.');
    await page.getByRole('button', { name: 'Request changes' }).click();
    await expect(page.getByTestId('status-reason')).toContainText('Changes requested by');
    await second.page.goto(url);
    await expect(second.page.getByRole('button', { name: /^Approve revision 1/ })).toBeDisabled();
    await expect(second.page.getByTestId('review-refusal')).toContainText('requested changes on revision 1');

    await reviseTo(requester.page, url, ingressYaml({ name, host, namespace: 'shop', service: 'storefront', port: 8080 }), 'Port 8080.');
    await second.page.goto(url);
    // The port line changed: its thread is outdated; the service line did not: its thread is still under it.
    await expect(second.page.getByTestId('comments').locator('[data-testid="comment-thread"][data-outdated="true"]')).toContainText(
      'Is port 80 right here?',
    );
    const movedKey = await lineKeyOf(second.page, 'name: storefront');
    // It was resolved: folded to one line, opened on demand.
    const carried = second.page.locator(`[data-testid="line-threads"][data-line="${movedKey}"] [data-testid="comment-thread"]`);
    await expect(carried).toHaveAttribute('data-resolved', 'true');
    await carried.getByRole('button', { name: 'Show 2 comments' }).click();
    await expect(carried).toContainText('Which team owns storefront?');
    await expect(carried).toContainText('Team checkout.');
    await second.page.getByRole('button', { name: /^Approve revision 2/ }).click();
    await expect(second.page.getByTestId('status')).not.toHaveText('Pending', { timeout: 30_000 });
    await diffFitsWindow(second.page);
    for (const u of [requester, approver, second]) await u.close();
  });
}

test('[REVIEW] word marks follow YAML tokens, whitespace toggle, and rows stay a few lines high at 390 px', async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await userPage(browser, 'rdword', ['REQUESTER']);
  const approver = await userPage(browser, 'rdwordapp', ['APPROVER']);
  const name = uniqueIngressName('rdword');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Word marks ${name}`,
    yaml: ingressYaml({
      name,
      namespace: 'shop',
      host: `admin-${name}.internal.example.com`,
      annotations: { 'nginx.ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8, 192.168.0.0/16, 172.16.0.0/12' },
    }),
  });
  await reviseTo(
    requester.page,
    url,
    ingressYaml({
      name,
      namespace: 'shop',
      host: `admin-${name}.external.example.com`,
      annotations: { 'nginx.ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8, 192.168.0.0/16, 172.16.0.0/12' },
    }),
    'Host moves to external.',
  );
  const { page } = approver;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await page.getByLabel('Compare').selectOption('rev:1');
  await expect(diff(page)).toHaveAttribute('data-view', 'unified');
  // Whole tokens are marked: the new host as one word, never "adm·in·.·ext·ernal" fragments.
  const added = diff(page).locator('ins');
  await expect(added.first()).toBeVisible();
  const marks = await added.allTextContents();
  expect(marks).toContain(`admin-${name}.external.example.com`);
  for (const m of marks) expect(m.trim().length, `mark "${m}" is a whole token`).toBeGreaterThan(3);

  // Rows wrap at word boundaries and stay at most a few lines high; the page does not scroll sideways.
  await page.getByLabel('Compare').selectOption('base:2');
  await expect(diff(page).locator('[data-testid="line-link"]').first()).toBeVisible();
  const heights = await diff(page).evaluate((root) => {
    const rows = [...root.querySelectorAll('tr')].filter((r) => r.querySelector('[data-testid="diff-gutter"]'));
    const lineHeight = parseFloat(getComputedStyle(root.querySelector('[class*="-content-text"]')!).lineHeight) || 19;
    return { lines: rows.map((r) => r.getBoundingClientRect().height / lineHeight), count: rows.length };
  });
  expect(heights.count).toBeGreaterThan(15);
  expect(Math.max(...heights.lines), 'the tallest row in lines').toBeLessThanOrEqual(4.2);
  await diffFitsWindow(page);

  // "Hide whitespace changes" is a remembered toggle that keeps the diff (indentation still counts).
  await page.getByLabel('Hide whitespace changes').check();
  await expect(diff(page).locator('[data-testid="line-link"]').first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Hide whitespace changes')).toBeChecked();
  await page.getByLabel('Hide whitespace changes').uncheck();
  await requester.close();
  await approver.close();
});

test('[REVIEW] keyboard-only review: shortcuts, reach a line, comment, approve', async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await userPage(browser, 'rdkeys', ['REQUESTER']);
  const approver = await userPage(browser, 'rdkeysapp', ['APPROVER']);
  const name = uniqueIngressName('rdkeys');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Keys ${name}`,
    yaml: ingressYaml({ name, namespace: 'shop', host: `${name}.shop.example.com` }),
  });
  const { page } = approver;
  await page.goto(url);
  await expect(diff(page).locator('[data-testid="line-link"]').first()).toBeVisible();

  // ? shows the shortcuts; Escape closes them. Typing in a field does not trigger them.
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-help')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcut-help')).toBeHidden();
  await page.getByLabel('Review comment (required to reject)').fill('j?');
  await expect(page.getByTestId('shortcut-help')).toBeHidden();
  await page.getByLabel('Review comment (required to reject)').fill('');
  await page.getByLabel('Review comment (required to reject)').blur();

  // j selects the first change (a create: the first added line), then c opens the composer.
  await page.keyboard.press('j');
  await expect(page).toHaveURL(/#L-R\d+$/);
  const selectedKey = (await page.locator('[data-testid="line-link"][aria-current="location"]').getAttribute('data-line'))!;
  await page.keyboard.press('j');
  await expect(page.locator('[data-testid="line-link"][aria-current="location"]')).toHaveCount(1);
  await page.keyboard.press('k');
  await expect(page.locator(`#line-${selectedKey}`)).toHaveAttribute('aria-current', 'location');

  // Reach a line by Tab and Enter, then comment with the keyboard only.
  await page.locator('#line-R-3').focus();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-line') === 'R-6');
  }
  expect(reached, 'Tab reaches line R-6').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#L-R6$/);
  await page.keyboard.press('c');
  await expect(page.getByTestId('line-comment-form').getByRole('textbox')).toBeFocused();
  await page.keyboard.type('Checked by keyboard.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="line-threads"][data-line="R-6"]')).toContainText('Checked by keyboard.');

  // Tab on to the Approve button and press it.
  let onApprove = false;
  for (let i = 0; i < 200 && !onApprove; i++) {
    await page.keyboard.press('Tab');
    onApprove = await page.evaluate(() => /^Approve revision/.test(document.activeElement?.textContent ?? ''));
  }
  expect(onApprove, 'Tab reaches the Approve button').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status')).not.toHaveText('Pending', { timeout: 30_000 });
  await requester.close();
  await approver.close();
});

import { expect, test } from '@playwright/test';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { changeLiveIngress, createLiveIngress, liveIngress } from './support/sandbox';

test('[SUBMIT] requester submits a create through the structured form', async ({ browser }) => {
  const requester = await userPage(browser, 'formreq', ['REQUESTER']);
  const { page } = requester;
  const name = uniqueIngressName('form');
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await page.getByLabel('Ingress name').fill(name);
  await page.getByLabel('Ingress class').fill('nginx-internal');
  await page.getByLabel('Rule 1 host').fill(`${name}.shop.example.com`);
  await page.getByLabel('Rule 1 path 1 service').fill('storefront');
  await page.getByLabel('Rule 1 path 1 port').fill('80');
  await page.getByRole('button', { name: 'Add TLS entry' }).click();
  await page.getByLabel('TLS 1 hosts (comma-separated)').fill(`${name}.shop.example.com`);
  await page.getByLabel('TLS 1 secret').fill(`${name}-tls`);
  // Live analysis runs in the browser with the cluster context.
  await expect(page.getByTestId('live-analysis')).toContainText('Routes: +1');
  // Switching to YAML and back keeps the input.
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByLabel('Ingress YAML')).toHaveValue(new RegExp(`name: ${name}`));
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(page.getByLabel('Rule 1 path 1 service')).toHaveValue('storefront');
  await page.getByLabel('Title').fill(`Expose ${name}`);
  await page.getByLabel('Justification').fill('New storefront entry point for the campaign.');
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('status')).toHaveText('Pending');
  await expect(page.getByTestId('approval-count')).toHaveText('0 of 1');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Expose ${name}`);
  await requester.close();
});

test('[SUBMIT] pasted YAML: a failed submit keeps everything, validation points at the line', async ({ browser }) => {
  const requester = await userPage(browser, 'yamlreq', ['REQUESTER']);
  const { page } = requester;
  const name = uniqueIngressName('yaml');
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await page.getByRole('tab', { name: 'YAML' }).click();
  // A syntax problem is reported at its line while typing.
  await page.getByLabel('Ingress YAML').fill('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: [oops\n');
  await expect(page.getByTestId('yaml-issues')).toContainText(/Line \d+/);
  const yaml = ingressYaml({ name, host: `${name}.shop.example.com` });
  await page.getByLabel('Ingress YAML').fill(yaml);
  await expect(page.getByTestId('yaml-issues')).toHaveCount(0);
  // No title: the server refuses, nothing is lost.
  await page.getByLabel('Justification').fill('Because.');
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page.getByTestId('submit-error')).toContainText('title');
  await expect(page.getByLabel('Ingress YAML')).toHaveValue(yaml);
  await expect(page.getByLabel('Justification')).toHaveValue('Because.');
  await page.getByLabel('Title').fill(`Paste ${name}`);
  await page.getByRole('button', { name: /Submit for review/ }).click();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('status')).toHaveText('Pending');
  await requester.close();
});

test('[REVIEW] approver sees the diff with flagged lines; untrusted text is rendered as text; line comments', async ({ browser }) => {
  const requester = await userPage(browser, 'flagreq', ['REQUESTER']);
  const approver = await userPage(browser, 'flagapp', ['APPROVER']);
  const name = uniqueIngressName('flag');
  const xss = '<img src=x onerror=alert(1)>';
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Snippet on ${name}`,
    yaml: ingressYaml({
      name,
      host: `${name}.shop.example.com`,
      annotations: { 'nginx.ingress.kubernetes.io/configuration-snippet': xss },
    }),
  });
  const { page } = approver;
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(url);
  await expect(page.getByTestId('yaml-diff')).toBeVisible();
  const flagged = page.getByTestId('line-finding').and(page.locator('[data-severity="critical"]'));
  await expect(flagged.first()).toBeVisible();
  await expect(flagged.first()).toHaveText('CRIT');
  await expect(page.getByTestId('findings-panel').getByTestId('finding').first()).toHaveAttribute('data-severity', 'critical');
  await expect(page.getByTestId('findings-panel')).toContainText('critical');
  // The annotation value is shown literally, never parsed as HTML.
  await expect(page.getByTestId('yaml-diff')).toContainText(xss);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
  // Comment on a line of the proposed YAML: select its number, comment under it.
  const line = await flagged.first().getAttribute('data-line');
  await page.locator(`#line-${line}`).click();
  await page.getByTestId('comment-on-line').click();
  await page.getByTestId('line-comment-form').getByRole('textbox').fill('Why do we need a snippet here?');
  await page.getByTestId('line-comment-form').getByRole('button', { name: 'Comment' }).click();
  await expect(page.getByTestId('comments').getByTestId('comment')).toContainText('Why do we need a snippet here?');
  await expect(page.getByTestId('comment-line')).toContainText(`proposed line ${line!.split('-')[1]}`);
  await expect(page.getByTestId('line-comment-marker').first()).toBeVisible();
  await requester.close();
  await approver.close();
});

test('[REVIEW] the requester cannot approve their own request: disabled with the reason, and a direct POST is refused', async ({
  browser,
}) => {
  // Holds both roles, so only the no-self-approval rule stands in the way.
  const requester = await userPage(browser, 'selfapp', ['REQUESTER', 'APPROVER']);
  const name = uniqueIngressName('self');
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Self ${name}`,
    yaml: ingressYaml({ name, host: `${name}.shop.example.com` }),
  });
  const { page } = requester;
  await expect(page.getByRole('button', { name: /^Approve revision/ })).toBeDisabled();
  await expect(page.getByTestId('review-refusal')).toHaveText('You requested this change; someone else must review it.');
  const id = url.split('/').pop()!;
  const res = await page.request.post(`/api/v1/change-requests/${id}/reviews`, { data: { decision: 'APPROVE', revision: 1, comment: '' } });
  expect(res.status()).toBe(403);
  await page.reload();
  await expect(page.getByTestId('status')).toHaveText('Pending');
  await expect(page.getByTestId('approval-count')).toHaveText('0 of 1');
  await requester.close();
});

test('[APPLY] a prod request needs two approvers, is applied after the second, and the cluster holds it', async ({ browser }) => {
  test.setTimeout(90_000);
  const requester = await userPage(browser, 'prodreq', ['REQUESTER']);
  const first = await userPage(browser, 'prodapp1', ['APPROVER']);
  const second = await userPage(browser, 'prodapp2', ['APPROVER']);
  const name = uniqueIngressName('prod');
  const host = `${name}.payments.example.com`;
  const url = await submitYaml(requester.page, {
    environment: 'prod',
    namespace: 'payments',
    title: `Prod ${name}`,
    yaml: ingressYaml({ name, host, service: 'payments-api', port: 8080 }),
  });
  await expect(requester.page.getByTestId('production-banner')).toBeVisible();
  await expect(requester.page.getByTestId('approval-count')).toHaveText('0 of 2');

  await approve(first.page, url);
  await expect(first.page.getByTestId('status')).toHaveText('Pending');
  await expect(first.page.getByTestId('approval-count')).toHaveText('1 of 2');
  await expect(first.page.getByTestId('approvers')).toContainText(first.name);
  await expect(first.page.getByTestId('review-refusal')).toHaveText('You already approved revision 1.');
  expect(await liveIngress('payments', name, 'prod')).toBeNull();

  await approve(second.page, url);
  // The page follows the worker by itself.
  await expect(second.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  await expect(second.page.getByTestId('timeline-event').and(second.page.locator('[data-action="change-request.applied"]'))).toContainText(
    'resourceVersion',
  );
  const live = await liveIngress('payments', name, 'prod');
  expect(live).not.toBeNull();
  expect(JSON.stringify(live!.spec)).toContain(host);
  expect(JSON.stringify(live!.spec)).toContain('payments-api');
  for (const u of [requester, first, second]) await u.close();
});

test('[REVISE] a new revision resets approvals', async ({ browser }) => {
  const requester = await userPage(browser, 'revreq', ['REQUESTER']);
  const approver = await userPage(browser, 'revapp', ['APPROVER']);
  const name = uniqueIngressName('rev');
  const host = `${name}.payments.example.com`;
  const url = await submitYaml(requester.page, {
    environment: 'prod',
    namespace: 'payments',
    title: `Revise ${name}`,
    yaml: ingressYaml({ name, host, service: 'payments-api', port: 8080 }),
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('approval-count')).toHaveText('1 of 2');

  const { page } = requester;
  await page.goto(url);
  await page.getByRole('link', { name: 'Revise' }).click();
  await expect(page.getByLabel('Revised Ingress YAML')).toHaveValue(/payments-api/);
  await page.getByLabel('Revised Ingress YAML').fill(ingressYaml({ name, host, service: 'webhooks', port: 8080 }));
  await page.getByLabel('What changed in this revision?').fill('Route to webhooks instead.');
  await page.getByRole('button', { name: 'Save new revision' }).click();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId('approval-count')).toHaveText('0 of 2');
  await expect(page.getByTestId('timeline')).toContainText('Revised — revision 2, approvals reset');

  await approver.page.goto(url);
  await expect(approver.page.getByRole('button', { name: 'Approve revision 2 in prod' })).toBeEnabled();
  // The revision picker compares revision 1 with revision 2.
  await approver.page.getByLabel('Compare').selectOption('rev:1');
  await expect(approver.page.getByTestId('yaml-diff')).toContainText('webhooks');
  await requester.close();
  await approver.close();
});

test('[STALE] a live change after approval ends STALE; rebase and new approvals apply it', async ({ browser }) => {
  test.setTimeout(90_000);
  const name = uniqueIngressName('stale');
  const host = `${name}.payments.example.com`;
  await createLiveIngress(
    {
      metadata: { name, namespace: 'payments' },
      spec: {
        ingressClassName: 'nginx-internal',
        tls: [{ hosts: [host], secretName: `${name}-tls` }],
        rules: [
          {
            host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'payments-api', port: { number: 8080 } } } }] },
          },
        ],
      },
    },
    'prod',
  );
  const requester = await userPage(browser, 'stalereq', ['REQUESTER']);
  const first = await userPage(browser, 'staleapp1', ['APPROVER']);
  const second = await userPage(browser, 'staleapp2', ['APPROVER']);
  const url = await submitYaml(requester.page, {
    environment: 'prod',
    namespace: 'payments',
    action: 'update',
    name,
    title: `Stale ${name}`,
    yaml: ingressYaml({ name, host, service: 'webhooks', port: 8080 }),
  });
  await approve(first.page, url);
  // Someone changes the live object outside the portal.
  await changeLiveIngress(
    'payments',
    name,
    (o) => {
      (o.metadata as { labels?: Record<string, string> }).labels = { changedBy: 'kubectl' };
    },
    'prod',
  );
  await approve(second.page, url);
  await expect(second.page.getByTestId('status')).toHaveText('Stale', { timeout: 30_000 });
  await expect(second.page.getByTestId('status-reason')).toContainText('changed in the cluster after review');
  expect(JSON.stringify((await liveIngress('payments', name, 'prod'))!.spec)).toContain('payments-api');

  const { page } = requester;
  await page.goto(url);
  await page.getByRole('button', { name: 'Rebase onto the live object' }).click();
  await expect(page.getByTestId('status')).toHaveText('Pending');
  await expect(page.getByTestId('timeline')).toContainText('Rebased — revision 2');
  // The rebased diff is computed against the moved object: the reviewer sees what the proposal drops.
  await expect(page.getByTestId('yaml-diff')).toContainText('changedBy');
  await approve(first.page, url);
  await approve(second.page, url);
  await expect(second.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });
  const live = await liveIngress('payments', name, 'prod');
  expect(JSON.stringify(live!.spec)).toContain('webhooks');
  for (const u of [requester, first, second]) await u.close();
});

import { expect, test } from '@playwright/test';
import { ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { createLiveIngress } from './support/sandbox';

test('[REVIEW] the route tester answers for this Ingress alone and for the whole cluster of its class', async ({ browser }) => {
  const existing = uniqueIngressName('rt-live');
  const proposed = uniqueIngressName('rt-new');
  const host = `${existing}.payments.example.com`;
  // Another Ingress of the same class already serves "/" on that host.
  await createLiveIngress(
    {
      metadata: { name: existing, namespace: 'payments' },
      spec: {
        ingressClassName: 'nginx-internal',
        tls: [{ hosts: [host], secretName: `${existing}-tls` }],
        rules: [
          {
            host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'payments-api', port: { number: 8080 } } } }] },
          },
        ],
      },
    },
    'staging',
  );
  const requester = await userPage(browser, 'rtreq', ['REQUESTER']);
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'payments',
    title: `Promo path on ${host}`,
    yaml: ingressYaml({ name: proposed, host, path: '/promo', service: 'webhooks', port: 8080 }),
  });
  const { page } = requester;
  await page.goto(url);
  const tester = page.getByTestId('route-tester');
  await tester.getByLabel('URL to test').fill(`https://${host}/checkout`);
  await expect(tester.getByTestId('route-after')).toContainText('No Ingress serves it');
  await tester.getByTestId('route-whole-cluster').check();
  await expect(tester.getByTestId('route-after')).toContainText('payments-api:8080');
  await expect(tester.getByTestId('route-after')).toContainText(`via payments/${existing} (another Ingress)`);
  await tester.getByLabel('URL to test').fill(`https://${host}/promo/summer`);
  await expect(tester.getByTestId('route-before')).toContainText('payments-api:8080');
  await expect(tester.getByTestId('route-after')).toContainText('webhooks:8080');
  await expect(tester.getByTestId('route-after')).toContainText(`via payments/${proposed}`);
  await requester.close();
});

import { expect, test } from '@playwright/test';
import { uniqueIngressName, userPage } from './support/requests';

// Issue 13, class 5 and the file drop: findings point at the lines the requester typed (not the
// normalised YAML), the references jump there, and a dropped/chosen file is decoded as strict UTF-8.

/** A manifest written "out of order": comments first, metadata (with a risky annotation) last. */
function typedYaml(name: string): string {
  return [
    '# written by hand',
    '#',
    'kind: Ingress',
    'apiVersion: networking.k8s.io/v1',
    'spec:',
    '  ingressClassName: nginx-internal',
    '  rules:',
    `    - host: ${name}.shop.example.com`,
    '      http:',
    '        paths:',
    '          - {path: /, pathType: Prefix, backend: {service: {name: storefront, port: {number: 80}}}}',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    '    nginx.ingress.kubernetes.io/server-snippet: "return 403;"',
    '',
  ].join('\n');
}

test('[ANALYSIS] findings name the typed line, mark it in the gutter, and jump there', async ({ browser }) => {
  const requester = await userPage(browser, 'typed', ['REQUESTER']);
  const { page } = requester;
  const name = uniqueIngressName('typed');
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await page.getByRole('tab', { name: 'YAML' }).click();
  await page.getByLabel('Ingress YAML').fill(typedYaml(name));

  const finding = page.locator('[data-testid="finding"][data-rule="nginx-server-snippet"]');
  await expect(finding).toBeVisible();
  // Line 15 as typed; the normalised YAML has it on another line.
  await expect(finding.getByTestId('finding-line')).toHaveText('line 15');
  await expect(page.locator('[data-testid="nr-yaml-dropzone"] [data-line="15"]')).toHaveAttribute('data-mark', 'finding');
  await finding.getByTestId('finding-line').click();
  const selected = await page
    .getByLabel('Ingress YAML')
    .evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toBe('    nginx.ingress.kubernetes.io/server-snippet: "return 403;"');
  await requester.close();
});

test('[ANALYSIS] a dropped or chosen file fills the editor; invalid UTF-8 is refused at its line', async ({ browser }) => {
  const requester = await userPage(browser, 'filedrop', ['REQUESTER']);
  const { page } = requester;
  const name = uniqueIngressName('drop');
  await page.goto('/requests/new');
  await page.getByLabel('Environment').selectOption('staging');
  await page.getByLabel('Namespace').fill('shop');
  await page.getByRole('tab', { name: 'YAML' }).click();

  const text = typedYaml(name);
  const dropped = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'ingress.yaml', { type: 'application/yaml' }));
    return dt;
  }, text);
  await page.getByTestId('nr-yaml-dropzone').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByLabel('Ingress YAML')).toHaveValue(text);

  // Latin-1 é (0xE9) on line 13: refused with the line, the editor keeps what it had.
  const bytes = Buffer.from(text.replace(`name: ${name}`, `name: ${name}X`), 'utf8');
  bytes[bytes.indexOf(`name: ${name}X`) + `name: ${name}`.length] = 0xe9;
  await page.getByTestId('nr-file').setInputFiles({ name: 'latin1.yaml', mimeType: 'application/yaml', buffer: bytes });
  await expect(page.getByTestId('yaml-issues')).toContainText('latin1.yaml: the manifest is not valid UTF-8');
  await expect(page.getByTestId('yaml-issues').getByRole('button', { name: 'Line 13' })).toBeVisible();
  await expect(page.getByLabel('Ingress YAML')).toHaveValue(text);
  await requester.close();
});

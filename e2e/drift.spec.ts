import { expect, test } from '@playwright/test';
import { approve, ingressYaml, submitYaml, uniqueIngressName, userPage } from './support/requests';
import { changeLiveIngress, liveIngress } from './support/sandbox';

test('[DRIFT] an out-of-band edit shows on the drift page within seconds and one click restores the approved state', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const requester = await userPage(browser, 'driftreq', [{ role: 'REQUESTER', environment: 'staging' }]);
  const approver = await userPage(browser, 'driftapp', ['APPROVER']);
  const auditor = await userPage(browser, 'driftaud', ['AUDITOR']);
  const name = uniqueIngressName('drift');
  const host = `${name}.shop.example.com`;
  const url = await submitYaml(requester.page, {
    environment: 'staging',
    namespace: 'shop',
    title: `Create ${name}`,
    yaml: ingressYaml({ name, host }),
  });
  await approve(approver.page, url);
  await expect(approver.page.getByTestId('status')).toHaveText('Applied', { timeout: 30_000 });

  // `kubectl edit` behind the portal's back: open the allowlist.
  await changeLiveIngress(
    'shop',
    name,
    (o) => {
      const meta = o.metadata as { annotations?: Record<string, string> };
      meta.annotations = { ...meta.annotations, 'nginx.ingress.kubernetes.io/whitelist-source-range': '0.0.0.0/0' };
    },
    'staging',
  );

  // The auditor sees it (watch: within 5 s) but has no buttons that work.
  const item = (page: typeof auditor.page) => page.getByTestId('drift-item').filter({ hasText: `shop/${name}` });
  await expect(async () => {
    await auditor.page.goto('/drift?environment=staging');
    await expect(item(auditor.page)).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 5_000, intervals: [250] });
  await expect(item(auditor.page).getByTestId('drift-state')).toHaveText('Drifted');
  await expect(item(auditor.page).getByTestId('drift-fields')).toContainText('whitelist-source-range');
  await expect(item(auditor.page).getByTestId('drift-findings')).toContainText('changed outside the portal');
  await expect(item(auditor.page).getByTestId('drift-restore')).toBeDisabled();
  // Why it is disabled is visible text, not only a hover tooltip.
  await expect(item(auditor.page).getByTestId('drift-disabled-reason')).toContainText('Only requesters and admins');

  // The requester restores it; staging pre-approves restores, so the worker applies it at once.
  const { page } = requester;
  await page.goto('/drift?environment=staging');
  await item(page).getByTestId('drift-restore').click();
  // A full-width dialog with the complete diff: the annotation added outside goes away.
  const dialog = page.getByTestId('drift-restore-confirm');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('yaml-diff')).toContainText('whitelist-source-range');
  await dialog.getByRole('button', { name: 'Confirm restore' }).click();
  // The action's own note, or (when the live refresh re-renders the page first) the item's
  // "Answered by request" row: either way the restore must be pre-approved, never pending.
  await expect(item(page).getByTestId('drift-remediation-created').or(item(page).getByTestId('drift-remediation'))).toContainText(
    /approved|applying|applied/i,
  );
  await expect(async () => {
    const live = await liveIngress('shop', name, 'staging');
    expect((live!.metadata as { annotations?: Record<string, string> }).annotations ?? {}).not.toHaveProperty(
      'nginx.ingress.kubernetes.io/whitelist-source-range',
    );
  }).toPass({ timeout: 30_000 });
  await expect(async () => {
    await page.goto('/drift?environment=staging');
    await expect(item(page)).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500] });
  await requester.close();
  await approver.close();
  await auditor.close();
});

import { expect, test } from '@playwright/test';
import { openVisit, pagesAt, setUpEveryPage } from './support/every-page';

// At 390 px a diff opens unified; when its first row is a folded-lines row, the library gives that
// row the split view's six cells, which (fixed table layout) made six columns and squeezed the code
// into a few characters per line. The code column must keep the table's width.
test('[REVIEW] at 390 px a unified diff that opens with folded lines gives the code the width', async ({ browser }) => {
  test.setTimeout(120_000);
  const every = await setUpEveryPage(browser, 'narrow');
  const pages = await pagesAt(browser, every, { width: 390, height: 844, colorScheme: 'light' });
  try {
    const page = await openVisit(
      pages,
      every.visits.find((v) => v.name === 'request-pending')!,
    );
    const diff = page.getByTestId('yaml-diff').first();
    await expect(diff).toHaveAttribute('data-view', 'unified');
    const shape = await diff.evaluate((root) => {
      const table = root.querySelector('table')!;
      const rows = [...table.querySelectorAll('tr')];
      // The code cell of the first ordinary row (the last cell of a unified row).
      const line = rows.find((r) => !/-code-fold/.test(r.className) && r.children.length > 1)!;
      const code = line.lastElementChild!;
      return {
        foldFirst: /-code-fold/.test(rows[0]?.className ?? ''),
        table: table.getBoundingClientRect().width,
        code: code.getBoundingClientRect().width,
      };
    });
    expect(shape.foldFirst, 'the scenario opens with folded lines').toBe(true);
    expect(shape.code, 'the code column').toBeGreaterThan(shape.table * 0.6);
  } finally {
    await pages.close();
    await every.close();
  }
});

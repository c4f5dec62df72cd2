import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openVisit, pagesAt, setUpEveryPage } from './support/every-page';

// Screenshots of every page in both themes at 1440 and 390 px, for a person to look at
// (reports/screenshots/<page>-<theme>-<width>.png). Nothing is compared: the spec fails only when
// a page does not render.
const DIR = 'reports/screenshots';

test('[SCREENS] every page in both themes at 1440 and 390 px', async ({ browser }) => {
  test.setTimeout(420_000);
  mkdirSync(DIR, { recursive: true });
  const every = await setUpEveryPage(browser, 'shots');
  for (const width of [1440, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const pages = await pagesAt(browser, every, { width, height: width === 390 ? 844 : 900, colorScheme });
      for (const visit of every.visits) {
        const page = await openVisit(pages, visit);
        await page.screenshot({ path: `${DIR}/${visit.name}-${colorScheme}-${width}.png`, fullPage: true });
      }
      await pages.close();
    }
  }
  await every.close();
  expect(every.visits.length).toBeGreaterThan(10);
});

// Sums Vitest and Playwright JSON reports into the closing line "N passed, N failed".
// A tier whose report is missing (it crashed before reporting) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
// Non-test steps (typecheck, lint, build) that failed, counted by scripts/test-all.sh.
let failed = Number(process.env.FAILED_CHECKS ?? 0);
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.log(`${file}: no report (the tier did not run to completion)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats && 'expected' in report.stats) {
    // Playwright
    passed += report.stats.expected + (report.stats.flaky ?? 0);
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
    if ((report.errors ?? []).length && report.stats.unexpected === 0) failed += 1;
  } else {
    // Vitest (jest-compatible JSON)
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A tier that skips itself says why in its test titles (the real-cluster tier without a cluster).
    const reasons = new Set(
      (report.testResults ?? []).flatMap((f) => (f.assertionResults ?? []).map((a) => a.title).filter((t) => t.startsWith('skipped:'))),
    );
    for (const reason of reasons) console.log(`${file}: ${reason}`);
    if (report.success === false && report.numFailedTests === 0) failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

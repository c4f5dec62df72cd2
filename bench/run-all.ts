// npm run bench — runs every benchmark in bench/ one after another; each prints its own figures.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const BENCHES = [
  'analysis.ts',
  'apply-latency.ts',
  'audit-export.ts',
  'diff-render.ts',
  'diff-page.ts',
  'drift-latency.ts',
  'live-latency.ts',
];
let failed = 0;
for (const file of BENCHES) {
  const full = path.join(root, 'bench', file);
  if (!existsSync(full)) continue;
  console.log(`\n=== bench/${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', full], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);

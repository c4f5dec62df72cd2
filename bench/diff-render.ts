/**
 * Large-diff benchmark (issue 6 quality bar): the request page's YamlDiff component — the real
 * one, bundled with esbuild — renders a 5,000-line Ingress pair (625 paths, ~2% changed, findings
 * on their lines) in Chromium driven by Playwright. Prints, per run and as the median:
 *   first rows   — diff computed (in a Web Worker) and the first rows with findings on screen
 *   interactive  — the main thread is free to handle input after that (the figure the bar is about: < 1 s)
 *   show all     — unfolding every unchanged line (virtualised: only visible rows are in the DOM)
 *   scroll end   — jumping to the last line after unfolding
 * Run: node_modules/.bin/tsx bench/diff-render.ts [runs=5]
 */
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 5);

const bundle = await build({
  entryPoints: [path.join(root, 'bench/diff-render/entry.tsx')],
  bundle: true,
  write: false,
  format: 'esm',
  minify: true,
  jsx: 'automatic',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'next/dynamic': path.join(root, 'bench/diff-render/next-dynamic-shim.tsx') },
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'error',
});
const js = bundle.outputFiles[0]!.text;
const html = `<!doctype html><html><head><meta charset="utf-8"><title>diff bench</title></head><body style="font-family:sans-serif"><script type="module" src="/bundle.js"></script></body></html>`;

const server = http.createServer((req, res) => {
  if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
  else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
type TResult = {
  lines: { old: number; new: number };
  findings: number;
  firstRowsMs: number;
  interactiveMs: number;
  domRows: number;
  showAllMs: number;
  scrollEndMs: number;
};
const results: TResult[] = [];
try {
  for (let i = 0; i < runs; i++) {
    // A fresh page per run: nothing cached (worker blob, diff memo, JIT of the page's code).
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => process.env.BENCH_DEBUG && console.log('page:', m.text()));
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
    results.push(await page.evaluate(() => (window as unknown as { runBench: () => Promise<TResult> }).runBench()));
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (ms: number) => `${ms.toFixed(0)} ms`;
const first = results[0]!;
console.log(
  `diff-render: ${first.lines.old.toLocaleString('en')} → ${first.lines.new.toLocaleString('en')} lines, ${first.findings} findings, Chromium, ${runs} runs`,
);
for (const [i, r] of results.entries())
  console.log(
    `  run ${i + 1}: first rows ${f(r.firstRowsMs)}, interactive ${f(r.interactiveMs)} (${r.domRows} rows in DOM), show all ${f(r.showAllMs)}, scroll to end ${f(r.scrollEndMs)}`,
  );
const interactive = median(results.map((r) => r.interactiveMs));
console.log(
  `  median: first rows ${f(median(results.map((r) => r.firstRowsMs)))}, interactive ${f(interactive)}, show all ${f(median(results.map((r) => r.showAllMs)))}, scroll to end ${f(median(results.map((r) => r.scrollEndMs)))}`,
);
console.log(`  target: interactive < 1000 ms — ${interactive < 1000 ? 'met' : 'NOT met'}`);

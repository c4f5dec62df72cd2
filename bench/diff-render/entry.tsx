// Browser side of bench/diff-render.ts: renders the request page's YamlDiff (the real component)
// for a 5,000-line Ingress pair with findings on their lines, and records timings.
import { createRoot } from 'react-dom/client';
import { analyseChange, canonicalYaml, ZPolicy } from '@/lib/domain';
import { bigIngressPair } from './big-ingress';
import { YamlDiff } from '@/components/requests/yaml-diff';

const { base, proposed } = bigIngressPair();
const analysis = analyseChange({
  action: 'update',
  namespace: 'shop',
  base,
  proposed,
  others: [],
  services: null,
  policy: ZPolicy.parse({}),
});
const oldValue = canonicalYaml(base);
const newValue = canonicalYaml(proposed);
const findings = {
  left: analysis.findings.filter((f) => f.side === 'base'),
  right: analysis.findings.filter((f) => f.side === 'proposed'),
};

type TResult = {
  lines: { old: number; new: number };
  findings: number;
  firstRowsMs: number;
  interactiveMs: number;
  domRows: number;
  showAllMs: number;
  scrollEndMs: number;
};

function waitFor(check: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const tick = () => (check() ? resolve(performance.now()) : requestAnimationFrame(tick));
    tick();
  });
}
/** Resolves when the main thread is free to run a task again (a queued macrotask runs). */
function idle(): Promise<number> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(null);
  });
}

async function run(): Promise<TResult> {
  const host = document.createElement('div');
  host.style.width = '1200px';
  document.body.appendChild(host);
  const rows = () => host.querySelectorAll('tbody tr').length;
  const t0 = performance.now();
  createRoot(host).render(
    <YamlDiff
      oldValue={oldValue}
      newValue={newValue}
      leftTitle="Live"
      rightTitle="Proposed"
      findings={findings}
      commentCounts={new Map()}
    />,
  );
  const tRows = await waitFor(() => rows() > 0 && host.querySelector('[data-testid="line-finding"]') !== null);
  const tIdle = await idle();
  const domRows = rows();
  // Expand everything (5,000 rows, virtualised) and wait for the first rows again.
  const button = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Show all lines')!;
  const t1 = performance.now();
  button.click();
  await waitFor(() => button.textContent === 'Fold unchanged lines' && rows() > 0);
  const tShow = await idle();
  // Jump to the end of the scroll container and wait for the last line to be in the DOM.
  const scroller = [...host.querySelectorAll('div')].find((d) => d.style.overflowY === 'scroll');
  const last = String(newValue.split('\n').length - 1);
  const t2 = performance.now();
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
  await waitFor(() => [...host.querySelectorAll('tbody tr td pre')].some((p) => p.textContent === last));
  const tEnd = await idle();
  const result: TResult = {
    lines: { old: oldValue.split('\n').length, new: newValue.split('\n').length },
    findings: analysis.findings.length,
    firstRowsMs: tRows - t0,
    interactiveMs: tIdle - t0,
    domRows,
    showAllMs: tShow - t1,
    scrollEndMs: tEnd - t2,
  };
  host.remove();
  return result;
}

(window as unknown as { runBench: () => Promise<TResult> }).runBench = run;
(window as unknown as { benchReady: boolean }).benchReady = true;

/**
 * Benchmark of the analysis core (issue 3, "Speed"): parse + validate + normalise + diff + all
 * rules + policy. Run: node_modules/.bin/tsx bench/analysis.ts
 *   (a) a typical 3-rule Ingress (target < 1 ms median)
 *   (b) 1,000 paths / 100 hosts / 50 annotations vs a 5%-changed variant, 2,000 other Ingresses
 *       as collision context (target < 25 ms median)
 * Each case is timed twice: the full pipeline from proposed text (parseIngress + analyseChange),
 * and analyseChange alone (objects in, what the worker's re-check costs); (b) also parseIngress alone.
 */
import { performance } from 'node:perf_hooks';
import { analyseChange, canonicalYaml, parseIngress, ZPolicy, type TIngress } from '../lib/domain';

const POLICY = ZPolicy.parse({
  allowedHostPatterns: ['*.example.com'],
  requireTls: true,
  allowedIngressClasses: ['nginx'],
  forbiddenAnnotations: ['nginx.ingress.kubernetes.io/*-snippet'],
  autoApproveMaxSeverity: 'low',
});

function ingress(
  name: string,
  namespace: string,
  hosts: string[],
  pathsPerHost: number,
  annotations: number,
  portBump = (_i: number) => 0,
): TIngress {
  const ann: Record<string, string> = { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' };
  for (let i = 0; ann && Object.keys(ann).length < annotations; i++) ann[`nginx.ingress.kubernetes.io/opt-${i}`] = `value-${i}`;
  let n = 0;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, labels: { app: name }, annotations: ann },
    spec: {
      ingressClassName: 'nginx',
      tls: hosts.map((h, i) => ({ hosts: [h], secretName: `tls-${i}` })),
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: Array.from({ length: pathsPerHost }, (_, j) => {
            const i = n++;
            return {
              path: `/svc-${j}/v${i % 7}`,
              pathType: j % 5 === 0 ? ('Exact' as const) : ('Prefix' as const),
              backend: { service: { name: `svc-${i % 40}`, port: { number: 8000 + (i % 5) + portBump(i) } } },
            };
          }),
        },
      })),
    },
  };
}

function stats(name: string, fn: () => void, iterations: number): void {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(
    `${name.padEnd(58)} median ${q(0.5).toFixed(3).padStart(8)} ms   p95 ${q(0.95).toFixed(3).padStart(8)} ms   (n=${iterations})`,
  );
}

// (a) typical: 3 rules, a few annotations, one change, 50 other Ingresses around
const typicalBase = ingress('shop', 'shop', ['shop.example.com', 'api.example.com', 'admin.example.com'], 1, 4);
const typicalProposed = ingress('shop', 'shop', ['shop.example.com', 'api.example.com', 'admin.example.com'], 1, 4, (i) =>
  i === 1 ? 1 : 0,
);
const typicalText = canonicalYaml(typicalProposed);
const typicalOthers = Array.from({ length: 50 }, (_, i) => ingress(`o${i}`, `ns${i % 10}`, [`o${i}.example.com`], 2, 2));

// (b) big: 100 hosts × 10 paths, 50 annotations; 5% of paths (50) get a new port
const hosts = Array.from({ length: 100 }, (_, i) => `h${i}.example.com`);
const bigBase = ingress('big', 'platform', hosts, 10, 50);
const bigProposed = ingress('big', 'platform', hosts, 10, 50, (i) => (i % 20 === 0 ? 100 : 0));
const bigText = canonicalYaml(bigProposed);
// 2,000 others, every tenth on a host of the big Ingress (and some on the same path: collisions)
const bigOthers = Array.from({ length: 2000 }, (_, i) =>
  ingress(`other-${i}`, `team-${i % 50}`, [i % 10 === 0 ? `h${i % 100}.example.com` : `o${i}.example.com`], 2, 3),
);

const check = analyseChange({
  action: 'update',
  namespace: 'platform',
  base: bigBase,
  proposed: bigProposed,
  others: bigOthers,
  policy: POLICY,
});
console.log(
  `big case: ${bigText.length} bytes of YAML, ${check.diff.routeCounts.changed} changed rows, ${check.findings.length} findings (${[...new Set(check.findings.map((f) => f.ruleId))].join(', ')})`,
);

function full(text: string, base: TIngress, others: TIngress[], ns: string) {
  const parsed = parseIngress(text, { namespace: ns });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
  return analyseChange({ action: 'update', namespace: ns, base, proposed: parsed.ingress, others, policy: POLICY });
}

stats('(a) typical 3-rule: parseIngress + analyseChange', () => full(typicalText, typicalBase, typicalOthers, 'shop'), 3000);
stats(
  '(a) typical 3-rule: analyseChange only',
  () =>
    analyseChange({
      action: 'update',
      namespace: 'shop',
      base: typicalBase,
      proposed: typicalProposed,
      others: typicalOthers,
      policy: POLICY,
    }),
  3000,
);
stats(
  '(b) 1000 paths/100 hosts/50 ann, 2000 others: analyseChange',
  () => analyseChange({ action: 'update', namespace: 'platform', base: bigBase, proposed: bigProposed, others: bigOthers, policy: POLICY }),
  200,
);
stats('(b) same, parseIngress + analyseChange', () => full(bigText, bigBase, bigOthers, 'platform'), 100);
stats('(b) parseIngress only (197 KB of YAML)', () => parseIngress(bigText, { namespace: 'platform' }), 100);

// Breakdown of the big case's costs (used while tuning; not part of `bench`).
import { performance } from 'node:perf_hooks';
import { parseAllDocuments, LineCounter, parseDocument } from 'yaml';
import { canonicalYaml, normaliseIngress, parseIngress, validateIngressObject, type TIngress } from '../lib/domain';
import { renderNormalised, hashNormalised } from '../lib/domain/ingress/normalise-ingress';
import { indexRoutesByHost } from '../lib/domain/risk/route-index';
import { routingTable } from '../lib/domain/ingress/routing-table';

function ingress(name: string, hosts: string[], pathsPerHost: number, annotations: number): TIngress {
  const ann: Record<string, string> = {};
  for (let i = 0; i < annotations; i++) ann[`nginx.ingress.kubernetes.io/opt-${i}`] = `value-${i}`;
  let n = 0;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'p', annotations: ann },
    spec: {
      ingressClassName: 'nginx',
      tls: hosts.map((h, i) => ({ hosts: [h], secretName: `tls-${i}` })),
      rules: hosts.map((host) => ({
        host,
        http: {
          paths: Array.from({ length: pathsPerHost }, (_, j) => ({
            path: `/svc-${j}/v${n++ % 7}`,
            pathType: 'Prefix' as const,
            backend: { service: { name: `svc-${n % 40}`, port: { number: 8000 } } },
          })),
        },
      })),
    },
  };
}
const big = ingress(
  'big',
  Array.from({ length: 100 }, (_, i) => `h${i}.example.com`),
  10,
  50,
);
const text = canonicalYaml(big);
const others = Array.from({ length: 2000 }, (_, i) => ingress(`o${i}`, [`o${i}.example.com`], 2, 3));
function time(name: string, fn: () => unknown, n = 30) {
  for (let i = 0; i < 5; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    fn();
    t.push(performance.now() - a);
  }
  t.sort((x, y) => x - y);
  console.log(name.padEnd(40), t[Math.floor(n / 2)]!.toFixed(2), 'ms');
}
time('parseAllDocuments (1.1, lineCounter)', () =>
  parseAllDocuments(text, { version: '1.1', lineCounter: new LineCounter(), uniqueKeys: true }),
);
time('parseDocument default', () => parseDocument(text));
time('parseIngress (yaml + limits + validate)', () => parseIngress(text));
time('parseIngress with source lines', () => parseIngress(text, { sourceLines: true }));
const doc = parseDocument(text);
time('toJS', () => doc.toJS());
time('JSON.parse of same object', () => JSON.parse(JSON.stringify(big)));
time('validate', () => validateIngressObject(big));
time('normalise', () => normaliseIngress(big));
const n = normaliseIngress(big);
time('render', () => renderNormalised(n));
time('hash', () => hashNormalised(n));
time('routingTable', () => routingTable(n));
time('index 2000 others', () => indexRoutesByHost(others, null));

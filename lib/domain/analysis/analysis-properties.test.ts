import type { TChangeAction } from '../change/lifecycle';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeManifestBytes } from '../ingress/decode-manifest';
import { appendKey } from '../ingress/field-path';
import { canonicalYaml } from '../ingress/normalise-ingress';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress, TIngressBackend, TPathType } from '../ingress/types';
import { ZPolicy } from '../policy/policy';
import { analyseChange, type TAnalysisInput } from './analyse-change';

// Property tests for the analysis core (issue 13): total (never throws), deterministic, and
// symmetric where it should be; plus a fuzz of the parser over raw bytes. Seeds are fixed so a
// failure reproduces; fast-check prints the shrunk counterexample.

const N = 'nginx.ingress.kubernetes.io/';
const SEED = 1313;

const HOSTS = ['shop.example.com', 'api.example.com', '*.example.com', 'a.b.example.org', ''];
const PATHS = ['/', '/api', '/api/v1', '/api/(.*)', '/a+b', '/static/file.txt', '/var/run/secrets', '/x;y', '/ADMIN', '/v?/x'];
const PATH_TYPES: TPathType[] = ['Exact', 'Prefix', 'ImplementationSpecific'];
const SERVICES = ['storefront', 'shop-api', 'cart', 'e1', 'x'];
const ANNOTATIONS: [string, string[]][] = [
  [`${N}server-snippet`, ['return 403;', 'location /x { }']],
  [`${N}mirror-target`, ['https://collector.example.net$request_uri', 'http://shadow/$request_uri', 'http://m.svc/;x']],
  [`${N}rewrite-target`, ['/', '/$2']],
  [`${N}use-regex`, ['true', 'false']],
  [`${N}default-backend`, ['errors']],
  [`${N}whitelist-source-range`, ['10.0.0.0/8', '0.0.0.0/0']],
  [`${N}ssl-redirect`, ['true', 'false']],
  [`${N}proxy-body-size`, ['8m', '8m;\nload_module x']],
  ['alb.ingress.kubernetes.io/scheme', ['internal', 'internet-facing']],
  ['haproxy.org/path-rewrite', ['/']],
  ['example.com/owner', ['team-a', '']],
];

const backend: fc.Arbitrary<TIngressBackend> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        name: fc.constantFrom(...SERVICES),
        port: fc.oneof(fc.record({ number: fc.constantFrom(80, 8080, 443) }), fc.record({ name: fc.constantFrom('http', 'grpc') })),
      })
      .map((service) => ({ service })),
  },
  { weight: 1, arbitrary: fc.constant({ resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'static' } }) },
);

const ingress: fc.Arbitrary<TIngress> = fc
  .record({
    className: fc.option(fc.constantFrom('nginx-internal', 'nginx-public', 'alb'), { nil: undefined }),
    annotations: fc
      .subarray(ANNOTATIONS)
      .chain((picked) =>
        fc.tuple(...picked.map(([k, vs]) => fc.constantFrom(...vs).map((v) => [k, v] as const))).map((kv) => Object.fromEntries(kv)),
      ),
    labels: fc.option(fc.constantFrom<Record<string, string>>({ team: 'shop' }, { team: 'payments', tier: 'web' }), { nil: undefined }),
    rules: fc.array(
      fc.record({
        host: fc.constantFrom(...HOSTS),
        paths: fc.array(fc.record({ path: fc.constantFrom(...PATHS), pathType: fc.constantFrom(...PATH_TYPES), backend }), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
      { minLength: 0, maxLength: 3 },
    ),
    tls: fc.boolean(),
    defaultBackend: fc.option(backend, { nil: undefined }),
  })
  .map((g) => {
    const rules = g.rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: r.paths } }));
    const hosts = [...new Set(g.rules.map((r) => r.host).filter(Boolean))];
    const i: TIngress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'prop', namespace: 'shop', ...(g.labels ? { labels: g.labels } : {}), annotations: g.annotations },
      spec: {
        ...(g.className ? { ingressClassName: g.className } : {}),
        ...(g.tls && hosts.length ? { tls: [{ hosts, secretName: 'prop-tls' }] } : {}),
        ...(rules.length ? { rules } : {}),
        // An Ingress needs rules or a default backend.
        ...(g.defaultBackend || !rules.length
          ? { defaultBackend: g.defaultBackend ?? { service: { name: 'storefront', port: { number: 80 } } } }
          : {}),
      },
    };
    return i;
  });

const POLICY = ZPolicy.parse({ autoApproveMaxSeverity: 'info', autoApprove: { annotations: [`${N}proxy-body-size`] }, requireTls: true });
const SERVICE_INFO = [
  { name: 'storefront', ports: [{ port: 80 }] },
  { name: 'shop-api', ports: [{ name: 'http', port: 8080 }] },
];

function input(action: TChangeAction, base: TIngress | null, proposed: TIngress | null, others: TIngress[] = []): TAnalysisInput {
  return { action, namespace: 'shop', base, proposed, others, services: SERVICE_INFO, policy: POLICY, lastApplied: base };
}

// Generous timeouts: the machine is shared; each property runs its fixed number of cases.
describe('analysis properties', { timeout: 120_000 }, () => {
  it('is total: any create, update or delete of generated Ingresses analyses without throwing, with valid lines', () => {
    fc.assert(
      fc.property(ingress, ingress, fc.array(ingress, { maxLength: 3 }), (a, b, others) => {
        const named = others.map((o, i) => ({ ...o, metadata: { ...o.metadata, name: `other-${i}`, namespace: i % 2 ? 'shop' : 'ns' } }));
        for (const [action, base, proposed] of [
          ['create', null, b],
          ['update', a, b],
          ['delete', a, null],
        ] as const) {
          const r = analyseChange(input(action, base, proposed, named));
          for (const f of r.findings) {
            const text = f.side === 'base' ? r.baseYaml : r.proposedYaml;
            expect(text, f.ruleId).not.toBeNull();
            for (const l of f.lines) expect(l).toBeLessThanOrEqual(text!.split('\n').length);
          }
          expect(typeof r.isAutoApprovable).toBe('boolean');
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('is deterministic: the same input (or a deep copy) gives the same analysis', () => {
    fc.assert(
      fc.property(ingress, ingress, (a, b) => {
        const first = analyseChange(input('update', a, b));
        const again = analyseChange(input('update', structuredClone(a), structuredClone(b)));
        expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('is symmetric: the diff of b → a mirrors a → b', () => {
    fc.assert(
      fc.property(ingress, ingress, (a, b) => {
        const ab = analyseChange(input('update', a, b)).diff;
        const ba = analyseChange(input('update', b, a)).diff;
        const key = (r: { host: string; path: string; pathType: string }) => `${r.host} ${r.path} ${r.pathType}`;
        const of = (d: typeof ab, c: string) =>
          d.routes
            .filter((r) => r.change === c)
            .map(key)
            .sort();
        expect(of(ba, 'removed')).toEqual(of(ab, 'added'));
        expect(of(ba, 'added')).toEqual(of(ab, 'removed'));
        expect(of(ba, 'changed')).toEqual(of(ab, 'changed'));
        const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
        expect(ba.annotations.map((x) => ({ ...x, change: flip[x.change], before: x.after, after: x.before }))).toEqual(ab.annotations);
        expect(ba.ingressClass).toEqual(ab.ingressClass && { before: ab.ingressClass.after, after: ab.ingressClass.before });
        expect(ba.defaultBackend).toEqual(ab.defaultBackend && { before: ab.defaultBackend.after, after: ab.defaultBackend.before });
        expect(ab.isIdentical).toBe(ba.isIdentical);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('an annotation flagged when a → b adds it is not flagged on the proposed side when b → a removes it', () => {
    const withoutIt = ANNOTATIONS.flatMap(([k, vs]) => vs.map((v) => [k, v] as const));
    fc.assert(
      fc.property(ingress, fc.constantFrom(...withoutIt), (base, [key, value]) => {
        const a = structuredClone(base);
        delete a.metadata.annotations?.[key];
        const b = structuredClone(a);
        b.metadata.annotations = { ...b.metadata.annotations, [key]: value };
        const at = appendKey('metadata.annotations', key);
        const removed = analyseChange(input('update', b, a)).findings.filter((f) => f.side === 'proposed' && f.path === at);
        expect(removed).toEqual([]);
        // and what the removal reports, it reports about the base (the side that had it)
        for (const f of analyseChange(input('update', b, a)).findings.filter((x) => x.path === at)) expect(f.side).toBe('base');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('never auto-approves a change that adds a flagged annotation', () => {
    fc.assert(
      fc.property(ingress, fc.constantFrom(...ANNOTATIONS.filter(([k]) => k !== `${N}proxy-body-size`)), (a, [key, values]) => {
        const base = structuredClone(a);
        delete base.metadata.annotations?.[key];
        const b = structuredClone(base);
        b.metadata.annotations = { ...b.metadata.annotations, [key]: values[0]! };
        expect(analyseChange(input('update', base, b)).isAutoApprovable).toBe(false);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('canonical YAML of any generated Ingress parses back (the parser accepts what the portal writes)', () => {
    fc.assert(
      fc.property(ingress, (a) => {
        const r = parseIngress(canonicalYaml(a));
        // Values with control characters are the only expected refusal (proxy-body-size with "\n" is fine).
        expect(r.ok ? 'ok' : r.issues.map((i) => `${i.code} ${i.path}`)).toBe('ok');
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

const CODES = new Set([
  'encoding',
  'empty',
  'too-large',
  'too-deep',
  'line-too-long',
  'yaml-syntax',
  'duplicate-key',
  'alias-limit',
  'undefined-alias',
  'merge-key',
  'unsupported-tag',
  'multiple-documents',
  'not-an-object',
  'wrong-kind',
  'removed-api-version',
  'unsupported-api-version',
  'required',
  'invalid',
  'type',
  'unknown-field',
  'not-supported',
  'too-long',
  'namespace-mismatch',
  'annotation-not-string',
  'annotations-too-large',
  'class-mismatch',
]);

function checkParse(bytes: Uint8Array): void {
  const decoded = decodeManifestBytes(bytes);
  if (!decoded.ok) {
    expect(decoded.issues).toEqual([expect.objectContaining({ code: 'encoding', line: expect.any(Number), column: expect.any(Number) })]);
    return;
  }
  const first = parseIngress(decoded.text, { namespace: 'shop' });
  expect(parseIngress(decoded.text, { namespace: 'shop' })).toStrictEqual(first);
  if (first.ok) return;
  const lines = decoded.text.split(/\r\n|\r|\n/).length;
  for (const i of first.issues) {
    expect(CODES.has(i.code), i.code).toBe(true);
    expect(typeof i.path).toBe('string');
    if (i.line !== null) expect(i.line).toBeGreaterThanOrEqual(1);
    if (i.line !== null) expect(i.line).toBeLessThanOrEqual(lines + 1);
  }
}

describe('parser fuzz over raw bytes', { timeout: 120_000 }, () => {
  it('random bytes: decoded strictly or refused at a position; the parser answers, the same way twice', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => checkParse(bytes)),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a valid manifest with bytes inserted, replaced or deleted', () => {
    const valid = Buffer.from(canonicalYaml(fc.sample(ingress, { seed: SEED, numRuns: 1 })[0]!), 'utf8');
    const edit = fc.record({
      at: fc.nat({ max: valid.length }),
      remove: fc.nat({ max: 8 }),
      insert: fc.oneof(
        fc.uint8Array({ maxLength: 8 }),
        fc.constantFrom(
          ...['&a ', '*a', '!!binary ', '<<: ', '[', '{', '"', "'", '\t', '\r', '\u0000', ': ', '- ', '#', '%TAG ! x\n---\n', '\u00e9'].map(
            (s) => Buffer.from(s, 'utf8'),
          ),
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let bytes: Buffer = valid;
        for (const e of edits) {
          const at = Math.min(e.at, bytes.length);
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(e.insert), bytes.subarray(Math.min(bytes.length, at + e.remove))]);
        }
        checkParse(new Uint8Array(bytes));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { analyseChange, type TAnalysis } from '../analysis/analyse-change';
import { fixture } from '../ingress/__fixtures__';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { DEFAULT_POLICY } from '../policy/policy';

// Issue 13, class 6: each rule's trigger, severity and line, with rows taken from the
// controllers' documentation — ingress-nginx annotations (mirror, rewrite, use-regex,
// default-backend) and path matching, the Kubernetes Ingress docs (defaultBackend), HAProxy's
// path-rewrite, the AWS Load Balancer Controller's transforms and wildcard paths, Traefik's
// PathRegexp — and CVE-2025-1098 (mirror values written into nginx.conf).

function ing(name: string): TIngress {
  const r = parseIngress(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}
const SHOP = ing('nginx-shop.yaml');
const N = 'nginx.ingress.kubernetes.io/';

function mod(base: TIngress, fn: (i: TIngress) => void): TIngress {
  const copy = structuredClone(base);
  fn(copy);
  return copy;
}
const withAnn = (base: TIngress, a: Record<string, string | undefined>) =>
  mod(base, (i) => {
    const next = { ...i.metadata.annotations };
    for (const [k, v] of Object.entries(a))
      if (v === undefined) delete next[k];
      else next[k] = v;
    i.metadata.annotations = next;
  });

function update(base: TIngress, proposed: TIngress): TAnalysis {
  return analyseChange({ action: 'update', namespace: 'shop', base, proposed, others: [], policy: DEFAULT_POLICY });
}
function create(proposed: TIngress): TAnalysis {
  return analyseChange({ action: 'create', namespace: 'shop', base: null, proposed, others: [], policy: DEFAULT_POLICY });
}
/** Findings of one rule as [severity, side, text of the line it points at]. */
function hits(a: TAnalysis, ruleId: string): [string, string, string][] {
  return a.findings
    .filter((f) => f.ruleId === ruleId)
    .map((f) => [f.severity, f.side, ((f.side === 'base' ? a.baseYaml : a.proposedYaml) ?? '').split('\n')[f.lines[0]! - 1]!.trim()]);
}

describe('traffic mirror: high when the copy leaves the cluster, whatever the URL looks like', () => {
  it.each([
    ['an external https URL', 'https://collector.example.net/ingest', 'high'],
    ['an external URL with nginx variables', 'https://collector.example.net$request_uri', 'high'],
    ['an IP address', 'http://203.0.113.7:8080/x', 'high'],
    ['a host nginx builds at runtime', 'https://$host.evil.example/', 'high'],
    ['a Service in the cluster (FQDN)', 'http://shadow.shop.svc.cluster.local/$request_uri', 'medium'],
    ['a Service in the cluster (.svc)', 'http://shadow.shop.svc:8080$request_uri', 'medium'],
    ['a bare Service name', 'http://shadow/$request_uri', 'medium'],
  ])('mirror-target to %s → %s', (_name, target, severity) => {
    const a = update(SHOP, withAnn(SHOP, { [`${N}mirror-target`]: target }));
    expect(hits(a, 'nginx-mirror-target')).toEqual([[severity, 'proposed', expect.stringContaining(`${N}mirror-target:`)]]);
  });

  it('an unchanged mirror is not a new finding; changing it is', () => {
    const base = withAnn(SHOP, { [`${N}mirror-target`]: 'http://shadow/$request_uri' });
    expect(hits(update(base, withAnn(base, { 'example.com/x': 'y' })), 'nginx-mirror-target')).toEqual([]);
    expect(hits(update(base, withAnn(base, { [`${N}mirror-target`]: 'https://x.example.org/' })), 'nginx-mirror-target')).toEqual([
      ['high', 'proposed', expect.stringContaining('mirror-target')],
    ]);
  });

  it('a new mirror on a created Ingress is flagged', () => {
    expect(hits(create(withAnn(SHOP, { [`${N}mirror-target`]: 'https://x.example.org/' })), 'nginx-mirror-target')).toHaveLength(1);
  });
});

describe('rewrite: added, changed or removed changes what every backend receives', () => {
  it.each([
    ['ingress-nginx rewrite-target added', {}, { [`${N}rewrite-target`]: '/$2' }, 'proposed'],
    ['ingress-nginx rewrite-target changed', { [`${N}rewrite-target`]: '/' }, { [`${N}rewrite-target`]: '/$1' }, 'proposed'],
    ['ingress-nginx rewrite-target removed', { [`${N}rewrite-target`]: '/' }, { [`${N}rewrite-target`]: undefined }, 'base'],
    ['HAProxy path-rewrite added', {}, { 'haproxy.org/path-rewrite': '/' }, 'proposed'],
    [
      'AWS LBC url-rewrite transform added',
      {},
      { 'alb.ingress.kubernetes.io/transforms.shop-api': '[{"type":"url-rewrite"}]' },
      'proposed',
    ],
  ])('%s → medium at the annotation', (_name, before, after, side) => {
    const base = withAnn(SHOP, before);
    const a = update(base, withAnn(base, after));
    expect(hits(a, 'rewrite-target-changed')).toEqual([['medium', side, expect.stringMatching(/rewrite|transforms/)]]);
  });
});

describe('default backend: added or changed catches all unmatched traffic', () => {
  const db = (name: string, port: number) => ({ service: { name, port: { number: port } } });
  const catchAll = mod(SHOP, (i) => {
    i.spec.rules = undefined;
    i.spec.tls = undefined;
    i.spec.defaultBackend = db('storefront', 80);
  });

  it('added to an Ingress without host rules → high (the controller-wide catch-all)', () => {
    expect(hits(create(catchAll), 'default-backend-set')).toEqual([['high', 'proposed', 'defaultBackend:']]);
  });
  it('added next to host rules → medium', () => {
    expect(
      hits(
        update(
          SHOP,
          mod(SHOP, (i) => (i.spec.defaultBackend = db('storefront', 80))),
        ),
        'default-backend-set',
      ),
    ).toEqual([['medium', 'proposed', 'defaultBackend:']]);
  });
  it('Service and port changed → two findings, at the name line and at the port line', () => {
    const a = update(
      catchAll,
      mod(catchAll, (i) => (i.spec.defaultBackend = db('shop-api', 8080))),
    );
    expect(hits(a, 'default-backend-set')).toEqual([
      ['high', 'proposed', 'name: shop-api'],
      ['high', 'proposed', 'number: 8080'],
    ]);
    expect(hits(a, 'backend-changed')).toEqual([]);
  });
  it('the ingress-nginx default-backend annotation added → medium at its line', () => {
    expect(hits(update(SHOP, withAnn(SHOP, { [`${N}default-backend`]: 'errors' })), 'default-backend-set')).toEqual([
      ['medium', 'proposed', expect.stringContaining(`${N}default-backend: errors`)],
    ]);
  });
  it('unchanged → silent', () => {
    expect(hits(update(catchAll, withAnn(catchAll, { 'example.com/x': 'y' })), 'default-backend-set')).toEqual([]);
  });
});

describe('backend moves: the Service and the port are separate findings on their own lines', () => {
  const path0 = (i: TIngress) => i.spec.rules![0]!.http!.paths[0]!.backend.service!;
  it.each<[string, (i: TIngress) => void, string[]]>([
    ['Service only', (i) => (path0(i).name = 'shop-api'), ['name: shop-api']],
    ['port only', (i) => (path0(i).port = { number: 8080 }), ['number: 8080']],
    ['port number → port name', (i) => (path0(i).port = { name: 'http' }), ['name: http']],
    ['both', (i) => Object.assign(path0(i), { name: 'shop-api', port: { number: 8080 } }), ['name: shop-api', 'number: 8080']],
  ])('%s', (_name, change, lines) => {
    const a = update(SHOP, mod(SHOP, change));
    expect(hits(a, 'backend-changed')).toEqual(lines.map((l) => ['medium', 'proposed', l]));
    expect(new Set(a.findings.filter((f) => f.ruleId === 'backend-changed').map((f) => f.lines[0])).size).toBe(lines.length);
  });
});

describe('regex paths are flagged at the path lines', () => {
  const paths = (ps: [string, 'Exact' | 'Prefix' | 'ImplementationSpecific'][]) =>
    mod(SHOP, (i) => {
      i.spec.rules![0]!.http!.paths = ps.map(([path, pathType]) => ({
        path,
        pathType,
        backend: { service: { name: 'storefront', port: { number: 80 } } },
      }));
    });
  it.each<[string, Record<string, string>, [string, 'Exact' | 'Prefix' | 'ImplementationSpecific'][], string[]]>([
    [
      'use-regex: every regex path of the host',
      { [`${N}use-regex`]: 'true' },
      [
        ['/api/(v1|v2)/.*', 'Prefix'],
        ['/static', 'Prefix'],
        ['/img/[a-z]+', 'ImplementationSpecific'],
      ],
      ['path: "/api/(v1|v2)/.*"', 'path: "/img/[a-z]+"'],
    ],
    [
      'rewrite-target implies regex matching',
      { [`${N}rewrite-target`]: '/$2' },
      [['/something(/|$)(.*)', 'ImplementationSpecific']],
      ['path: "/something(/|$)(.*)"'],
    ],
    [
      'ImplementationSpecific with ALB-style wildcards, no annotation',
      {},
      [
        ['/api/*', 'ImplementationSpecific'],
        ['/v?/x', 'ImplementationSpecific'],
      ],
      ['path: "/api/*"', 'path: "/v?/x"'],
    ],
    [
      'Traefik PathRegexp',
      { 'traefik.ingress.kubernetes.io/router.pathmatcher': 'PathRegexp' },
      [['/api/[0-9]+', 'Prefix']],
      ['path: "/api/[0-9]+"'],
    ],
    ['no regex mode: Prefix paths with dots are plain', {}, [['/v1.2/file.txt', 'Prefix']], []],
    ['use-regex false', { [`${N}use-regex`]: 'false' }, [['/a+b', 'Prefix']], []],
  ])('%s', (_name, annotations, ps, lines) => {
    const a = create(withAnn(paths(ps), annotations));
    expect(hits(a, 'path-regex').map(([sev, side, line]) => [sev, side, line.replace(/^- /, '')])).toEqual(
      lines.map((l) => ['medium', 'proposed', l]),
    );
  });
});

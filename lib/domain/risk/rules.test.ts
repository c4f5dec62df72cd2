import { describe, expect, it } from 'vitest';
import { analyseChange, type TAnalysisInput } from '../analysis/analyse-change';
import { fixture } from '../ingress/__fixtures__';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { DEFAULT_POLICY, ZPolicy } from '../policy/policy';
import { RULES } from './rules';

function ing(name: string): TIngress {
  const r = parseIngress(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}
const SHOP = ing('nginx-shop.yaml');
const ALB_ING = ing('alb-internal.yaml');
const BLOG = ing('traefik-blog.yaml');
const API = ing('haproxy-api.json');
const TENANTS = ing('cert-manager-wildcard.yaml');

/** Copy with annotations set (string) or removed (undefined). */
function ann(base: TIngress, changes: Record<string, string | undefined>): TIngress {
  const copy = structuredClone(base);
  const a = { ...copy.metadata.annotations };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete a[k];
    else a[k] = v;
  }
  copy.metadata.annotations = a;
  return copy;
}
function mod(base: TIngress, fn: (i: TIngress) => void): TIngress {
  const copy = structuredClone(base);
  fn(copy);
  return copy;
}
function setPath(base: TIngress, path: string, pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific' = 'Prefix'): TIngress {
  return mod(base, (i) => Object.assign(i.spec.rules![0]!.http!.paths[0]!, { path, pathType }));
}
function other(name: string, namespace: string, host: string, path: string): TIngress {
  return mod(SHOP, (i) => {
    i.metadata = { name, namespace };
    i.spec = {
      rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'x', port: { number: 80 } } } }] } }],
    };
  });
}

type TIn = Partial<TAnalysisInput>;
const create = (proposed: TIngress, extra: TIn = {}): TIn => ({ action: 'create', base: null, proposed, ...extra });
const update = (base: TIngress, proposed: TIngress, extra: TIn = {}): TIn => ({ action: 'update', base, proposed, ...extra });

function run(input: TIn) {
  const subject = input.proposed ?? input.base;
  return analyseChange({
    action: 'update',
    namespace: subject?.metadata.namespace ?? 'default',
    base: null,
    proposed: null,
    others: [],
    policy: DEFAULT_POLICY,
    ...input,
  });
}

const N = 'nginx.ingress.kubernetes.io/';
const SERVICES = [
  { name: 'storefront', ports: [{ port: 80 }] },
  { name: 'shop-api', ports: [{ name: 'http', port: 8000 }, { port: 8080 }] },
];

/** One row per rule: an input that must fire it and a near miss that must not. */
const TABLE: Record<string, { fires: TIn; silent: TIn }> = {
  'nginx-configuration-snippet': {
    fires: create(ann(SHOP, { [`${N}configuration-snippet`]: 'more_set_headers "X-Frame-Options: DENY";' })),
    silent: create(ann(SHOP, { [`${N}configuration-snippet-x`]: 'x' })),
  },
  'nginx-server-snippet': {
    fires: create(ann(SHOP, { [`${N}server-snippet`]: 'location /admin { deny all; }' })),
    silent: create(ann(SHOP, { [`${N}server-alias`]: undefined })),
  },
  'nginx-auth-snippet': {
    fires: create(ann(SHOP, { [`${N}auth-snippet`]: 'proxy_set_header Foo-Header 42;' })),
    silent: create(ann(SHOP, { 'example.com/auth-snippet': 'x' })),
  },
  'nginx-stream-snippet': { fires: create(ann(SHOP, { [`${N}stream-snippet`]: 'server { listen 8000; }' })), silent: create(SHOP) },
  'nginx-modsecurity-snippet': {
    fires: create(ann(SHOP, { [`${N}modsecurity-snippet`]: 'SecRuleEngine On' })),
    silent: create(ann(SHOP, { [`${N}enable-modsecurity`]: 'true' })),
  },
  'nginx-auth-url-injection': {
    fires: create(ann(SHOP, { [`${N}auth-url`]: 'http://auth.svc/ok;}\nlocation /x {' })),
    silent: create(ann(SHOP, { [`${N}auth-url`]: 'https://auth.example.com/oauth2/auth?rd=$escaped_request_uri' })),
  },
  'nginx-auth-tls-match-cn-injection': {
    fires: create(ann(SHOP, { [`${N}auth-tls-match-cn`]: 'CN=client"; deny all; "' })),
    silent: create(ann(SHOP, { [`${N}auth-tls-match-cn`]: 'CN=client.example.com' })),
  },
  'nginx-mirror-injection': {
    fires: create(ann(SHOP, { [`${N}mirror-target`]: 'http://m.svc/;return 200' })),
    silent: create(ann(SHOP, { [`${N}mirror-target`]: 'https://mirror.example.com$request_uri' })),
  },
  'nginx-redirect-injection': {
    fires: create(ann(SHOP, { [`${N}permanent-redirect`]: 'https://a.example.com; return 200 x' })),
    silent: create(ann(SHOP, { [`${N}permanent-redirect`]: 'https://www.example.com/new' })),
  },
  'nginx-annotation-value-injection': {
    fires: create(ann(SHOP, { [`${N}proxy-body-size`]: '8m;\nload_module /tmp/x.so' })),
    silent: create(ann(SHOP, { [`${N}proxy-body-size`]: '16m', 'example.com/json': '{"a":1}' })),
  },
  'nginx-server-alias': {
    fires: create(ann(SHOP, { [`${N}server-alias`]: 'payments.example.com' })),
    silent: create(ann(SHOP, { [`${N}server-snippet-alias`]: undefined })),
  },
  'nginx-auth-signin': { fires: create(ann(SHOP, { [`${N}auth-signin`]: 'https://auth.example.com/start' })), silent: create(SHOP) },
  'nginx-auth-tls-error-page': {
    fires: create(ann(SHOP, { [`${N}auth-tls-error-page`]: 'https://example.com/error' })),
    silent: create(SHOP),
  },
  'nginx-proxy-ssl-name': {
    fires: create(ann(SHOP, { [`${N}proxy-ssl-name`]: 'backend.internal' })),
    silent: create(ann(SHOP, { [`${N}proxy-ssl-verify`]: 'on' })),
  },
  'nginx-upstream-hash-by': {
    fires: create(ann(SHOP, { [`${N}upstream-hash-by`]: '$request_uri' })),
    silent: create(ann(SHOP, { [`${N}affinity`]: 'cookie' })),
  },
  'path-unusual-characters': {
    fires: create(setPath(SHOP, '/api/(.*)', 'ImplementationSpecific')),
    silent: create(setPath(SHOP, '/api/v1_beta-2.x')),
  },
  'path-sensitive-location': { fires: create(setPath(SHOP, '/var/run/secrets/kubernetes.io')), silent: create(setPath(SHOP, '/etcetera')) },
  'path-implementation-specific': {
    fires: create(setPath(SHOP, '/legacy', 'ImplementationSpecific')),
    silent: create(setPath(SHOP, '/legacy', 'Prefix')),
  },
  'nginx-use-regex': { fires: create(ann(SHOP, { [`${N}use-regex`]: 'true' })), silent: create(ann(SHOP, { [`${N}use-regex`]: 'false' })) },
  'rewrite-target-changed': {
    fires: update(SHOP, ann(SHOP, { [`${N}rewrite-target`]: '/$2' })),
    silent: update(ann(SHOP, { [`${N}rewrite-target`]: '/$2' }), ann(SHOP, { [`${N}rewrite-target`]: '/$2', 'example.com/x': 'y' })),
  },
  'path-regex': {
    fires: create(ann(setPath(SHOP, '/api/(.*)'), { [`${N}use-regex`]: 'true' })),
    silent: create(setPath(SHOP, '/api/v1.2')),
  },
  'nginx-mirror-target': {
    fires: update(SHOP, ann(SHOP, { [`${N}mirror-target`]: 'https://collector.example.net$request_uri' })),
    silent: update(
      ann(SHOP, { [`${N}mirror-target`]: 'https://collector.example.net$request_uri' }),
      ann(SHOP, { [`${N}mirror-target`]: 'https://collector.example.net$request_uri', 'example.com/x': 'y' }),
    ),
  },
  'ingress-class-changed': {
    fires: update(
      SHOP,
      mod(SHOP, (i) => (i.spec.ingressClassName = 'nginx-public')),
    ),
    silent: update(SHOP, ann(SHOP, { 'example.com/x': 'y' })),
  },
  'ingress-class-missing': {
    fires: create(mod(SHOP, (i) => delete i.spec.ingressClassName)),
    silent: create(
      ann(
        mod(SHOP, (i) => delete i.spec.ingressClassName),
        { 'kubernetes.io/ingress.class': 'nginx' },
      ),
    ),
  },
  'alb-internet-facing': {
    fires: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' })),
    silent: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/target-type': 'instance' })),
  },
  'alb-open-inbound-cidrs': {
    fires: create(ann(ALB_ING, { 'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/8, 0.0.0.0/0' })),
    silent: create(ann(ALB_ING, { 'alb.ingress.kubernetes.io/inbound-cidrs': '10.0.0.0/8, 100.64.0.0/10' })),
  },
  'alb-group-changed': {
    fires: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/group.name': 'public-apps' })),
    silent: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/group.order': '10' })),
  },
  'alb-auth-disabled': {
    fires: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/auth-type': 'none' })),
    silent: update(ALB_ING, ann(ALB_ING, { 'alb.ingress.kubernetes.io/auth-type': 'cognito' })),
  },
  'allowlist-removed': {
    fires: update(SHOP, ann(SHOP, { [`${N}whitelist-source-range`]: undefined })),
    silent: update(SHOP, ann(SHOP, { [`${N}whitelist-source-range`]: '10.0.0.0/8' })),
  },
  'allowlist-open': {
    fires: update(API, ann(API, { 'haproxy.org/whitelist': '10.0.0.0/8,0.0.0.0/0' })),
    silent: update(API, ann(API, { 'haproxy.org/whitelist': '10.0.0.0/8,172.16.0.0/12' })),
  },
  'auth-removed': {
    fires: update(SHOP, ann(SHOP, { [`${N}auth-type`]: undefined, [`${N}auth-secret`]: undefined })),
    silent: update(SHOP, ann(SHOP, { [`${N}auth-secret`]: 'shop-basic-auth-v2' })),
  },
  'traefik-middlewares-removed': {
    fires: update(BLOG, ann(BLOG, { 'traefik.ingress.kubernetes.io/router.middlewares': 'web-ratelimit@kubernetescrd' })),
    silent: update(
      BLOG,
      ann(BLOG, {
        'traefik.ingress.kubernetes.io/router.middlewares': 'web-auth@kubernetescrd,web-ratelimit@kubernetescrd,web-headers@kubernetescrd',
      }),
    ),
  },
  'traefik-entrypoint-web': {
    fires: update(BLOG, ann(BLOG, { 'traefik.ingress.kubernetes.io/router.entrypoints': 'web,websecure' })),
    silent: update(BLOG, ann(BLOG, { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure,webhook' })),
  },
  'haproxy-config-snippet': {
    fires: create(ann(API, { 'haproxy.org/backend-config-snippet': 'http-request set-header X 1' })),
    silent: create(ann(API, { 'haproxy.org/timeout-server': '50s' })),
  },
  'tls-removed': {
    fires: update(
      SHOP,
      mod(SHOP, (i) => delete i.spec.tls),
    ),
    silent: update(
      SHOP,
      mod(SHOP, (i) => (i.spec.tls![0]!.secretName = 'shop-example-com-tls')),
    ),
  },
  'tls-host-uncovered': { fires: create(mod(SHOP, (i) => (i.spec.rules![0]!.host = 'www.example.com'))), silent: create(TENANTS) },
  'ssl-redirect-disabled': {
    fires: create(ann(SHOP, { [`${N}ssl-redirect`]: 'false' })),
    silent: create(ann(SHOP, { [`${N}ssl-redirect`]: 'true' })),
  },
  'tls-secret-changed': {
    fires: update(
      SHOP,
      mod(SHOP, (i) => (i.spec.tls![0]!.secretName = 'other-tls')),
    ),
    silent: update(SHOP, ann(SHOP, { 'example.com/x': 'y' })),
  },
  'cert-manager-issuer-changed': {
    fires: update(TENANTS, ann(TENANTS, { 'cert-manager.io/issuer': 'selfsigned' })),
    silent: update(TENANTS, ann(TENANTS, { 'cert-manager.io/common-name': 'apps.example.com' })),
  },
  'cert-manager-issuer-removed': {
    fires: update(TENANTS, ann(TENANTS, { 'cert-manager.io/issuer': undefined })),
    silent: update(TENANTS, ann(TENANTS, { 'cert-manager.io/issuer': undefined, 'cert-manager.io/cluster-issuer': 'dns01' })),
  },
  'host-wildcard': { fires: create(mod(TENANTS, (i) => (i.spec.rules![0]!.host = '*.apps.example.com'))), silent: create(TENANTS) },
  'host-empty': { fires: create(mod(SHOP, (i) => delete i.spec.rules![0]!.host)), silent: create(SHOP) },
  'host-not-allowed': {
    fires: create(SHOP, { policy: ZPolicy.parse({ allowedHostPatterns: ['*.internal.example.com'] }) }),
    silent: create(ALB_ING, { policy: ZPolicy.parse({ allowedHostPatterns: ['*.internal.example.com'] }) }),
  },
  'host-path-collision': {
    fires: create(SHOP, { others: [other('legacy-shop', 'legacy', 'shop.example.com', '/api')] }),
    silent: create(SHOP, {
      others: [other('legacy-shop', 'legacy', 'shop.example.com', '/api2'), other('shop', 'shop', 'shop.example.com', '/api')],
    }),
  },
  'catch-all-shared-host': {
    fires: create(SHOP, { others: [other('cms', 'cms', 'shop.example.com', '/blog')] }),
    silent: create(SHOP, { others: [other('cms', 'cms', 'blog.example.com', '/blog')] }),
  },
  'default-backend-set': {
    fires: create(mod(SHOP, (i) => (i.spec.defaultBackend = { service: { name: 'storefront', port: { number: 80 } } }))),
    silent: update(SHOP, ann(SHOP, { 'example.com/x': 'y' })),
  },
  'backend-changed': {
    fires: update(
      SHOP,
      mod(SHOP, (i) => (i.spec.rules![0]!.http!.paths[1]!.backend.service!.name = 'shop-api-v2')),
    ),
    silent: update(
      SHOP,
      mod(SHOP, (i) =>
        i.spec.rules![0]!.http!.paths.push({
          path: '/new',
          pathType: 'Prefix',
          backend: { service: { name: 'new', port: { number: 80 } } },
        }),
      ),
    ),
  },
  'backend-service-missing': {
    fires: create(
      mod(SHOP, (i) => (i.spec.rules![0]!.http!.paths[0]!.backend.service!.name = 'storefrnt')),
      { services: SERVICES },
    ),
    silent: create(SHOP, { services: SERVICES }),
  },
  'backend-port-missing': {
    fires: create(
      mod(SHOP, (i) => (i.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8080 })),
      { services: SERVICES },
    ),
    silent: create(SHOP, { services: SERVICES }),
  },
  'resource-backend': {
    fires: create(
      mod(
        SHOP,
        (i) =>
          (i.spec.rules![0]!.http!.paths[0]!.backend = {
            resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' },
          }),
      ),
    ),
    silent: create(SHOP),
  },
  'ingress-deleted': { fires: { action: 'delete', base: SHOP, proposed: null }, silent: update(SHOP, SHOP) },
  'drift-detected': {
    fires: update(ann(SHOP, { 'example.com/hotfix': 'yes' }), SHOP, { lastApplied: SHOP }),
    silent: update(SHOP, ann(SHOP, { 'example.com/x': 'y' }), { lastApplied: SHOP }),
  },
};

describe('risk rules catalog', () => {
  it('has at least 30 rules with unique ids, a why and a reference', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.why.length, r.id).toBeGreaterThan(40);
      expect(r.reference, r.id).toMatch(/^https:\/\//);
    }
  });

  it('every rule has a table row (add one with each new rule)', () => {
    expect(Object.keys(TABLE).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id) => {
    const row = TABLE[id];
    it('fires, pointing at a line of its side', () => {
      const a = run(row!.fires);
      const hits = a.findings.filter((f) => f.ruleId === id);
      expect(hits.length, JSON.stringify(a.findings.map((f) => f.ruleId))).toBeGreaterThan(0);
      for (const f of hits) {
        const text = f.side === 'base' ? a.baseYaml : a.proposedYaml;
        expect(text, `${id} side ${f.side}`).not.toBeNull();
        expect(f.lines.length).toBe(1);
        expect(f.lines[0]).toBeGreaterThanOrEqual(1);
        expect(f.lines[0]).toBeLessThanOrEqual(text!.split('\n').length);
      }
    });
    it('stays silent on the near miss', () => {
      const a = run(row!.silent);
      expect(a.findings.filter((f) => f.ruleId === id).map((f) => f.message)).toEqual([]);
    });
  });
});

describe('finding lines', () => {
  it('point at the annotation key line in the proposed canonical YAML', () => {
    const a = run(create(ann(SHOP, { [`${N}server-snippet`]: 'return 403;' })));
    const f = a.findings.find((x) => x.ruleId === 'nginx-server-snippet')!;
    expect(a.proposedYaml!.split('\n')[f.lines[0]! - 1]).toContain(`${N}server-snippet: "return 403;"`);
  });
  it('point into the base YAML for removals', () => {
    const a = run(
      update(
        SHOP,
        mod(SHOP, (i) => delete i.spec.tls),
      ),
    );
    const f = a.findings.find((x) => x.ruleId === 'tls-removed')!;
    expect(f.side).toBe('base');
    expect(a.baseYaml!.split('\n')[f.lines[0]! - 1]).toBe('  tls:');
  });
  it('private → public class change is high', () => {
    const a = run(
      update(
        SHOP,
        mod(SHOP, (i) => (i.spec.ingressClassName = 'nginx-public')),
      ),
    );
    expect(a.findings.find((x) => x.ruleId === 'ingress-class-changed')?.severity).toBe('high');
    const b = run(
      update(
        SHOP,
        mod(SHOP, (i) => (i.spec.ingressClassName = 'nginx-private-2')),
      ),
    );
    expect(b.findings.find((x) => x.ruleId === 'ingress-class-changed')?.severity).toBe('medium');
  });
});

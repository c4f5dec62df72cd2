import type { TChangeAction } from '../change/lifecycle';
import { describe, expect, it } from 'vitest';
import { fixture } from '../ingress/__fixtures__';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { matchesHostPattern } from './host-pattern';
import { DEFAULT_POLICY, evaluatePolicy, ZPolicy, type TPolicyInput } from './policy';

function ing(name: string): TIngress {
  const r = parseIngress(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}
const SHOP = ing('nginx-shop.yaml');
const TENANTS = ing('cert-manager-wildcard.yaml');
const BLOG_NO_TLS = (() => {
  const b = ing('traefik-blog.yaml');
  delete b.spec.tls;
  return b;
})();

describe('matchesHostPattern', () => {
  it.each([
    ['shop.example.com', 'shop.example.com', true],
    ['shop.example.com', 'www.shop.example.com', false],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', '*.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['**.example.com', 'a.b.example.com', true],
    ['*.example.com', 'evil-example.com', false],
    ['*.example.com', '', false],
  ])('%s vs %s → %s', (p, h, expected) => expect(matchesHostPattern(p, h)).toBe(expected));
});

describe('ZPolicy', () => {
  it('defaults everything', () => {
    expect(DEFAULT_POLICY).toMatchObject({ requireTls: false, autoApproveMaxSeverity: 'none', enforcement: { hosts: 'block' } });
  });
  it.each([[{ blockOnSeverity: 'severe' }], [{ autoApproveMaxSeverity: 'high' }], [{ allowedHostPatterns: ['shop example.com'] }]])(
    'rejects %j',
    (input) => expect(ZPolicy.safeParse(input).success).toBe(false),
  );
});

type TCase = {
  name: string;
  policy: TPolicyInput;
  action?: TChangeAction;
  base?: TIngress | null;
  proposed: TIngress | null;
  namespace?: string;
  violations: string[];
  warnings?: string[];
};

const CASES: TCase[] = [
  { name: 'default policy passes anything', policy: {}, proposed: SHOP, violations: [] },
  { name: 'namespace not allowed', policy: { allowedNamespaces: ['team-*'] }, proposed: SHOP, violations: ['namespace-not-allowed'] },
  { name: 'namespace glob matches', policy: { allowedNamespaces: ['sh*'] }, proposed: SHOP, violations: [] },
  {
    name: 'namespace check applies to delete',
    policy: { allowedNamespaces: ['team-*'] },
    action: 'delete',
    base: SHOP,
    proposed: null,
    violations: ['namespace-not-allowed'],
  },
  {
    name: 'host outside patterns',
    policy: { allowedHostPatterns: ['*.apps.example.com'] },
    proposed: SHOP,
    violations: ['host-not-allowed'],
  },
  { name: 'hosts inside patterns', policy: { allowedHostPatterns: ['*.apps.example.com'] }, proposed: TENANTS, violations: [] },
  {
    name: 'pre-existing host is a warning',
    policy: { allowedHostPatterns: ['*.apps.example.com'] },
    action: 'update',
    base: SHOP,
    proposed: SHOP,
    violations: [],
    warnings: ['host-not-allowed'],
  },
  {
    name: 'host check in warn mode',
    policy: { allowedHostPatterns: ['x.com'], enforcement: { hosts: 'warn' } },
    proposed: SHOP,
    violations: [],
    warnings: ['host-not-allowed'],
  },
  { name: 'TLS required and missing', policy: { requireTls: true }, proposed: BLOG_NO_TLS, violations: ['tls-required'] },
  { name: 'TLS required and covered (wildcard)', policy: { requireTls: true }, proposed: TENANTS, violations: [] },
  { name: 'class not allowed', policy: { allowedIngressClasses: ['nginx'] }, proposed: SHOP, violations: ['class-not-allowed'] },
  { name: 'class allowed', policy: { allowedIngressClasses: ['nginx-private'] }, proposed: SHOP, violations: [] },
  {
    name: 'forbidden annotation (prefix glob)',
    policy: { forbiddenAnnotations: ['nginx.ingress.kubernetes.io/auth-*'] },
    proposed: SHOP,
    violations: ['annotation-forbidden', 'annotation-forbidden'],
  },
  {
    name: 'forbidden annotation (exact, absent)',
    policy: { forbiddenAnnotations: ['nginx.ingress.kubernetes.io/server-snippet'] },
    proposed: SHOP,
    violations: [],
  },
];

describe('evaluatePolicy', () => {
  it.each(CASES)('$name', ({ policy, action, base, proposed, namespace, violations, warnings }) => {
    const r = evaluatePolicy(
      { action: action ?? (base ? 'update' : 'create'), namespace: namespace ?? 'shop', base: base ?? null, proposed },
      ZPolicy.parse(policy),
    );
    expect(r.violations.map((v) => v.code)).toEqual(violations);
    if (warnings) expect(r.warnings.map((v) => v.code)).toEqual(warnings);
  });

  it('blockOnSeverity turns findings into a violation', () => {
    const r = evaluatePolicy(
      {
        action: 'create',
        namespace: 'shop',
        base: null,
        proposed: SHOP,
        findings: [
          { severity: 'critical', ruleId: 'nginx-server-snippet' },
          { severity: 'low', ruleId: 'x' },
        ],
      },
      ZPolicy.parse({ blockOnSeverity: 'high' }),
    );
    expect(r.violations).toEqual([
      expect.objectContaining({ code: 'severity-blocked', message: expect.stringContaining('nginx-server-snippet') }),
    ]);
  });

  // Issue 12.3: restoring an approved state that predates a rule (or whose live copy was deleted,
  // renamed or given TLS out of band) must not be refused for what the approved state already was.
  it.each([
    { name: 'create (deleted out of band)', base: null },
    {
      name: 'update (host renamed out of band)',
      base: { ...BLOG_NO_TLS, spec: { ...BLOG_NO_TLS.spec, rules: [{ host: 'other.example.com' }] } },
    },
    { name: 'update (TLS added out of band)', base: SHOP },
  ])('returning to an approved state: breaches are warnings saying so — $name', ({ base }) => {
    const policy = ZPolicy.parse({ requireTls: true, allowedIngressClasses: ['nginx-internal'], allowedNamespaces: ['shop'] });
    const subject = { action: base ? ('update' as const) : ('create' as const), namespace: 'shop', base, proposed: BLOG_NO_TLS };
    const ordinary = evaluatePolicy(subject, policy);
    expect(ordinary.violations.map((v) => v.code)).toContain('tls-required');
    const restore = evaluatePolicy({ ...subject, isReturnToApprovedState: true }, policy);
    expect(restore.violations).toEqual([]);
    expect(restore.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(ordinary.violations.map((v) => v.code)));
    for (const w of restore.warnings.filter((x) => ordinary.violations.some((v) => v.code === x.code)))
      expect(w.message).toMatch(/\(as in the approved state being restored\)$/);
  });

  it('returning to an approved state does not lift the namespace rule or blockOnSeverity', () => {
    const r = evaluatePolicy(
      {
        action: 'create',
        namespace: 'legacy',
        base: null,
        proposed: SHOP,
        findings: [{ severity: 'critical', ruleId: 'nginx-server-snippet' }],
        isReturnToApprovedState: true,
      },
      ZPolicy.parse({ allowedNamespaces: ['shop'], blockOnSeverity: 'high' }),
    );
    expect(r.violations.map((v) => v.code)).toEqual(['namespace-not-allowed', 'severity-blocked']);
  });
});

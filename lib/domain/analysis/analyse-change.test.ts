import { describe, expect, it } from 'vitest';
import { fixture } from '../ingress/__fixtures__';
import { contentHash } from '../ingress/normalise-ingress';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { DEFAULT_POLICY, ZPolicy } from '../policy/policy';
import { analyseChange } from './analyse-change';

function ing(name: string): TIngress {
  const r = parseIngress(fixture(name));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
}
const SHOP = ing('nginx-shop.yaml');
const LIVE = ing('live-with-server-fields.yaml');

describe('analyseChange', () => {
  it('update against the live object: hashes are revision hashes, YAML is canonical, no-op has no findings', () => {
    const a = analyseChange({ action: 'update', namespace: 'shop', base: LIVE, proposed: SHOP, others: [LIVE], policy: DEFAULT_POLICY });
    expect(a.baseHash).toBe(contentHash(SHOP));
    expect(a.proposedHash).toBe(a.baseHash);
    expect(a.baseYaml).toBe(a.proposedYaml);
    expect(a.baseYaml).not.toContain('resourceVersion');
    expect(a.diff.isIdentical).toBe(true);
    // the live copy of itself in `others` must not count as a collision
    expect(a.findings.map((f) => f.ruleId)).toEqual([]);
    expect(a.maxSeverity).toBe('none');
  });

  it('create: no base side', () => {
    const a = analyseChange({ action: 'create', namespace: 'shop', base: null, proposed: SHOP, others: [], policy: DEFAULT_POLICY });
    expect(a.baseYaml).toBeNull();
    expect(a.diff.action).toBe('create');
    expect(a.proposedYaml?.startsWith('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n')).toBe(true);
  });

  it('delete: only the base side, ingress-deleted is high, never auto-approved', () => {
    const a = analyseChange({
      action: 'delete',
      namespace: 'shop',
      base: LIVE,
      proposed: null,
      others: [],
      policy: ZPolicy.parse({ autoApproveMaxSeverity: 'medium' }),
    });
    expect(a.proposedYaml).toBeNull();
    expect(a.findings[0]).toMatchObject({ ruleId: 'ingress-deleted', severity: 'high', side: 'base', lines: [1] });
    expect(a.isAutoApprovable).toBe(false);
  });

  it('findings sorted most severe first; auto-approve follows the policy', () => {
    const risky = structuredClone(SHOP);
    risky.metadata.annotations = {
      ...risky.metadata.annotations,
      'nginx.ingress.kubernetes.io/server-snippet': 'return 200;',
      'nginx.ingress.kubernetes.io/rewrite-target': '/',
    };
    const a = analyseChange({
      action: 'update',
      namespace: 'shop',
      base: SHOP,
      proposed: risky,
      others: [],
      policy: ZPolicy.parse({ autoApproveMaxSeverity: 'low' }),
    });
    expect(a.findings.map((f) => f.severity)).toEqual(['critical', 'medium']);
    expect(a.maxSeverity).toBe('critical');
    expect(a.isAutoApprovable).toBe(false);

    const mild = structuredClone(SHOP);
    mild.metadata.annotations = { ...mild.metadata.annotations, 'nginx.ingress.kubernetes.io/rewrite-target': '/' };
    const b = analyseChange({
      action: 'update',
      namespace: 'shop',
      base: SHOP,
      proposed: mild,
      others: [],
      policy: ZPolicy.parse({ autoApproveMaxSeverity: 'low' }),
    });
    // Under the old threshold rule a `low` rewrite-target change auto-approved; now any finding
    // above info, and any annotation change not on the low-risk list, needs a human (issue 13).
    expect(b.isAutoApprovable).toBe(false);
    expect(b.autoApproveReasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['finding-above-info', 'annotation-change-not-allowed']),
    );
  });

  it('result is plain JSON (the server stores it, the browser renders it)', () => {
    const a = analyseChange({ action: 'create', namespace: 'shop', base: null, proposed: SHOP, others: [], policy: DEFAULT_POLICY });
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('findings carry the typed line (editor) as well as the canonical line (diff)', () => {
    // Written with annotations last and two comment lines first, so typed and canonical lines differ.
    const typed = [
      '# two comments',
      '#',
      'kind: Ingress',
      'apiVersion: networking.k8s.io/v1',
      'spec:',
      '  ingressClassName: nginx-private',
      '  rules:',
      '    - host: shop.example.com',
      '      http:',
      '        paths:',
      '          - {path: /, pathType: Prefix, backend: {service: {name: storefront, port: {number: 80}}}}',
      'metadata:',
      '  name: shop',
      '  annotations:',
      '    nginx.ingress.kubernetes.io/server-snippet: "return 403;"',
      '',
    ].join('\n');
    const parsed = parseIngress(typed, { namespace: 'shop', sourceLines: true });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const a = analyseChange({
      action: 'create',
      namespace: 'shop',
      base: null,
      proposed: parsed.ingress,
      others: [],
      policy: DEFAULT_POLICY,
      proposedSourceLines: parsed.sourceLines,
    });
    const f = a.findings.find((x) => x.ruleId === 'nginx-server-snippet')!;
    expect(f.sourceLines).toEqual([15]);
    expect(a.proposedYaml!.split('\n')[f.lines[0]! - 1]).toContain('server-snippet');
    expect(f.lines[0]).not.toBe(15);
    const missingClass = a.findings.find((x) => x.ruleId === 'tls-missing');
    if (missingClass) expect(missingClass.sourceLines?.[0]).toBeGreaterThanOrEqual(5);
  });
});

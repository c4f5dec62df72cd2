import type { TChangeAction } from '../change/lifecycle';
import { describe, expect, it } from 'vitest';
import { analyseChange } from '../analysis/analyse-change';
import { fixture } from '../ingress/__fixtures__';
import { parseIngress } from '../ingress/parse-ingress';
import type { TIngress } from '../ingress/types';
import { normaliseIngress } from '../ingress/normalise-ingress';
import { decideAutoApprove } from './auto-approve';
import { ZPolicy, type TPolicyInput } from './policy';

const BASE = (() => {
  const r = parseIngress(fixture('nginx-shop.yaml'));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.ingress;
})();

const LISTED = ['nginx.ingress.kubernetes.io/proxy-body-size'];
const ON: TPolicyInput = { autoApproveMaxSeverity: 'info', autoApprove: { annotations: LISTED } };

function decide(mutate: (i: TIngress) => void, policy: TPolicyInput = ON, action: TChangeAction = 'update') {
  const proposed = structuredClone(BASE);
  mutate(proposed);
  const a = analyseChange({
    action,
    namespace: 'shop',
    base: action === 'create' ? null : BASE,
    proposed: action === 'delete' ? null : proposed,
    others: [],
    policy: ZPolicy.parse(policy),
  });
  return { ok: a.isAutoApprovable, codes: [...new Set(a.autoApproveReasons.map((r) => r.code))], analysis: a };
}

function mod(mutate: (i: TIngress) => void): TIngress {
  const copy = structuredClone(BASE);
  mutate(copy);
  return copy;
}

const paths = (i: TIngress) => i.spec.rules![0]!.http!.paths;
const addPath =
  (service = 'shop-api', host = 0) =>
  (i: TIngress) => {
    i.spec.rules![host]!.http!.paths.push({
      path: '/v2',
      pathType: 'Prefix',
      backend: { service: { name: service, port: { name: 'http' } } },
    });
  };

describe('decideAutoApprove: positive criteria', () => {
  it('adding a path on an existing host to an existing Service auto-approves', () => {
    expect(decide(addPath())).toMatchObject({ ok: true, codes: [] });
  });

  it('the blind check (no findings) passes the allowed change, so it adds no spurious reason', () => {
    const a = decide(addPath()).analysis;
    const blind = decideAutoApprove(
      {
        action: 'update',
        base: normaliseIngress(BASE),
        proposed: normaliseIngress(mod(addPath())),
        diff: a.diff,
        findings: [],
        violations: [],
      },
      ZPolicy.parse(ON),
    );
    expect(blind).toEqual({ isAutoApprovable: true, reasons: [] });
  });

  it('changing a listed annotation auto-approves', () => {
    expect(decide((i) => (i.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-body-size'] = '16m'))).toMatchObject({ ok: true });
  });

  it.each<[string, (i: TIngress) => void, string]>([
    ['a path to a Service the Ingress does not use yet', addPath('billing'), 'change-not-allowed'],
    ['a new host', (i) => i.spec.rules!.push({ host: 'new.example.com', http: { paths: [...paths(i)] } }), 'change-not-allowed'],
    ['a changed backend', (i) => (paths(i)[0]!.backend.service!.name = 'shop-api'), 'change-not-allowed'],
    ['a removed path', (i) => paths(i).pop(), 'change-not-allowed'],
    ['a TLS change', (i) => (i.spec.tls![0]!.secretName = 'other-tls'), 'change-not-allowed'],
    ['a label change (a field no rule models)', (i) => (i.metadata.labels!['team'] = 'x'), 'change-not-allowed'],
    ['a finalizer (a field no rule models)', (i) => (i.metadata.finalizers = ['example.com/keep']), 'change-not-allowed'],
    ['a class change', (i) => (i.spec.ingressClassName = 'nginx-public'), 'change-not-allowed'],
    [
      'a default backend added',
      (i) => (i.spec.defaultBackend = { service: { name: 'storefront', port: { number: 80 } } }),
      'change-not-allowed',
    ],
    ['an unknown annotation added', (i) => (i.metadata.annotations!['example.com/anything'] = 'x'), 'unknown-annotation'],
    [
      'a known but unlisted annotation changed',
      (i) => (i.metadata.annotations!['nginx.ingress.kubernetes.io/ssl-redirect'] = 'false'),
      'annotation-change-not-allowed',
    ],
    [
      'a mirror to an external host (whatever findings say)',
      (i) => (i.metadata.annotations!['nginx.ingress.kubernetes.io/mirror-target'] = 'https://collector.example.net/$request_uri'),
      'annotation-change-not-allowed',
    ],
  ])('%s never auto-approves, even if no rule had flagged it', (_name, mutate, code) => {
    const r = decide(mutate);
    expect(r.ok).toBe(false);
    // The positive criteria alone refuse it: the same change with every finding removed (what a
    // change no rule recognises looks like) is still refused, for this reason.
    const blind = decideAutoApprove(
      {
        action: 'update',
        base: normaliseIngress(BASE),
        proposed: normaliseIngress(mod(mutate)),
        diff: r.analysis.diff,
        findings: [],
        violations: [],
      },
      ZPolicy.parse(ON),
    );
    expect(blind.isAutoApprovable).toBe(false);
    expect(blind.reasons.map((x) => x.code)).toContain(code);
  });

  it('an unknown annotation the base already had still blocks: the analyser cannot vouch for it', () => {
    const base = structuredClone(BASE);
    base.metadata.annotations!['example.com/owner'] = 'team-a';
    const proposed = structuredClone(base);
    addPath()(proposed);
    const a = analyseChange({ action: 'update', namespace: 'shop', base, proposed, others: [], policy: ZPolicy.parse(ON) });
    expect(a.autoApproveReasons.map((r) => r.code)).toEqual(['unknown-annotation']);
    const listed = ZPolicy.parse({ ...ON, autoApprove: { annotations: [...LISTED, 'example.com/*'] } });
    expect(analyseChange({ action: 'update', namespace: 'shop', base, proposed, others: [], policy: listed }).isAutoApprovable).toBe(true);
  });

  it('any finding above info never auto-approves, even under an old "medium" threshold', () => {
    // A path under ImplementationSpecific is a `low` finding.
    const r = decide(
      (i) =>
        paths(i).push({
          path: '/x',
          pathType: 'ImplementationSpecific',
          backend: { service: { name: 'shop-api', port: { name: 'http' } } },
        }),
      { ...ON, autoApproveMaxSeverity: 'medium' },
    );
    expect(r.analysis.maxSeverity).not.toBe('info');
    expect(r).toMatchObject({ ok: false, codes: ['finding-above-info'] });
  });

  it.each([
    ['create', 'action-not-allowed'],
    ['delete', 'action-not-allowed'],
  ] as const)('a %s never auto-approves', (action, code) => {
    expect(decide(() => {}, ON, action).codes).toContain(code);
  });

  it('is off with the default policy, and when the threshold is none', () => {
    expect(decide(addPath(), { ...ON, autoApproveMaxSeverity: 'none' }).codes).toEqual(['disabled']);
    expect(decide(addPath(), {}).codes).toContain('disabled');
  });

  it('ingress classes: both sides must be listed when the list is set', () => {
    expect(decide(addPath(), { ...ON, autoApprove: { annotations: LISTED, ingressClasses: ['nginx-private'] } }).ok).toBe(true);
    expect(decide(addPath(), { ...ON, autoApprove: { annotations: LISTED, ingressClasses: ['internal'] } }).codes).toEqual([
      'class-not-allowed',
    ]);
  });

  it('adding paths can be switched off', () => {
    expect(decide(addPath(), { ...ON, autoApprove: { annotations: LISTED, addPathsToExistingHosts: false } }).codes).toEqual([
      'change-not-allowed',
    ]);
  });

  it('a policy violation never auto-approves', () => {
    const forbidden = { ...ON, forbiddenAnnotations: ['nginx.ingress.kubernetes.io/proxy-body-size'] };
    expect(decide((i) => (i.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-body-size'] = '1g'), forbidden).codes).toEqual([
      'policy-violation',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { TIngress } from '../ingress/types';
import { mapHost, mapManifest, ZPromotionRules } from './promotion-rules';
import { priorStageDecision, type TPriorStageCandidate } from './prior-stage';

const RULES = ZPromotionRules.parse({
  hostSuffixes: [
    { from: 'staging.example.com', to: 'example.com' },
    { from: 'api.staging.example.com', to: 'api.example.com' },
  ],
  tlsSecrets: [{ from: 'staging-wildcard-tls', to: 'prod-wildcard-tls' }],
  ingressClasses: [{ from: 'nginx-internal', to: 'nginx-public' }],
  namespaces: [{ from: 'shop-staging', to: 'shop' }],
});

describe('mapHost', () => {
  const table: [string, string][] = [
    ['shop.staging.example.com', 'shop.example.com'],
    ['staging.example.com', 'example.com'],
    ['*.staging.example.com', '*.example.com'],
    ['v1.api.staging.example.com', 'v1.api.example.com'],
    ['notstaging.example.com', 'notstaging.example.com'],
    ['shop.example.org', 'shop.example.org'],
  ];
  it.each(table)('%s → %s', (from, to) => expect(mapHost(from, RULES.hostSuffixes)).toBe(to));
});

const SOURCE: TIngress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'storefront', namespace: 'shop-staging', annotations: { 'kubernetes.io/ingress.class': 'nginx-internal' } },
  spec: {
    ingressClassName: 'nginx-internal',
    tls: [{ hosts: ['shop.staging.example.com', 'other.example.org'], secretName: 'staging-wildcard-tls' }],
    rules: [
      {
        host: 'shop.staging.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
      {
        host: 'other.example.org',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
    ],
  },
};

describe('mapManifest', () => {
  const table: [string, (i: TIngress) => unknown, unknown][] = [
    ['namespace', (i) => i.metadata.namespace, 'shop'],
    ['rule host by suffix', (i) => i.spec.rules?.[0]?.host, 'shop.example.com'],
    ['host without a rule unchanged', (i) => i.spec.rules?.[1]?.host, 'other.example.org'],
    ['tls hosts', (i) => i.spec.tls?.[0]?.hosts, ['shop.example.com', 'other.example.org']],
    ['tls secret', (i) => i.spec.tls?.[0]?.secretName, 'prod-wildcard-tls'],
    ['class name', (i) => i.spec.ingressClassName, 'nginx-public'],
    ['legacy class annotation', (i) => i.metadata.annotations?.['kubernetes.io/ingress.class'], 'nginx-public'],
    ['backends untouched', (i) => i.spec.rules?.[0]?.http?.paths[0]?.backend.service?.name, 'web'],
  ];
  it.each(table)('maps %s', (_n, pick, expected) => expect(pick(mapManifest(SOURCE, RULES).ingress)).toEqual(expected));

  it('lists every change with its path and never modifies the input', () => {
    const before = structuredClone(SOURCE);
    const { changes } = mapManifest(SOURCE, RULES);
    expect(SOURCE).toEqual(before);
    expect(changes.map((c) => c.path)).toEqual([
      'metadata.namespace',
      'metadata.annotations["kubernetes.io/ingress.class"]',
      'spec.ingressClassName',
      'spec.rules[0].host',
      'spec.tls[0].hosts[0]',
      'spec.tls[0].secretName',
    ]);
  });
  it('no rules: identical copy, no changes', () => {
    const r = mapManifest(SOURCE, ZPromotionRules.parse({}));
    expect(r.ingress).toEqual(SOURCE);
    expect(r.changes).toEqual([]);
  });
  it('refuses bad rules naming the field', () => {
    const r = ZPromotionRules.safeParse({ hostSuffixes: [{ from: 'Bad Host', to: 'example.com' }] });
    expect(r.error?.issues[0]?.path.join('.')).toBe('hostSuffixes.0.from');
  });
});

describe('priorStageDecision', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const rule = { environment: 'staging', minutes: 60, onMissing: 'refuse' as const };
  const cand = (o: Partial<TPriorStageCandidate>): TPriorStageCandidate => ({
    namespace: 'shop-staging',
    name: 'storefront',
    appliedAt: new Date('2026-12-01T10:00:00Z'),
    appliedBy: 'alice@example.com',
    changeRequestNumber: 7,
    mappedHash: 'sha256:same',
    driftedAt: null,
    failedAt: null,
    ...o,
  });
  const table: [string, Parameters<typeof priorStageDecision>[0], boolean, RegExp | null][] = [
    ['no rule', { rule: null, proposedHash: 'sha256:same', candidates: [], now }, true, null],
    ['a delete has no content to compare', { rule, proposedHash: null, candidates: [], now }, true, null],
    ['never applied there', { rule, proposedHash: 'sha256:same', candidates: [], now }, false, /has not been applied in staging/],
    [
      'other content applied there',
      { rule, proposedHash: 'sha256:same', candidates: [cand({ mappedHash: 'sha256:other' })], now },
      false,
      /has not been applied/,
    ],
    ['applied 2 h ago, 60 min required', { rule, proposedHash: 'sha256:same', candidates: [cand({})], now }, true, null],
    [
      'applied 30 min ago',
      { rule, proposedHash: 'sha256:same', candidates: [cand({ appliedAt: new Date('2026-12-01T11:30:00Z') })], now },
      false,
      /30 min ago; 60 min are required, so not before 2026-12-01T12:30:00.000Z/,
    ],
    [
      'exactly N minutes ago counts',
      { rule, proposedHash: 'sha256:same', candidates: [cand({ appliedAt: new Date('2026-12-01T11:00:00Z') })], now },
      true,
      null,
    ],
    [
      'drifted since',
      { rule, proposedHash: 'sha256:same', candidates: [cand({ driftedAt: new Date('2026-12-01T11:00:00Z') })], now },
      false,
      /drifted in staging/,
    ],
    [
      'failed since',
      { rule, proposedHash: 'sha256:same', candidates: [cand({ failedAt: new Date('2026-12-01T11:00:00Z') })], now },
      false,
      /failed in staging/,
    ],
  ];
  it.each(table)('%s', (_n, input, ok, reason) => {
    const d = priorStageDecision(input);
    expect(d.ok).toBe(ok);
    if (!d.ok) expect(d.reason).toMatch(reason!);
  });
  it('carries the evidence and the policy’s choice', () => {
    const ok = priorStageDecision({ rule, proposedHash: 'sha256:same', candidates: [cand({})], now });
    expect(ok).toMatchObject({
      ok: true,
      required: true,
      evidence: { environment: 'staging', appliedBy: 'alice@example.com', minutesAgo: 120, changeRequestNumber: 7 },
    });
    const extra = priorStageDecision({ rule: { ...rule, onMissing: 'extra-approval' }, proposedHash: 'sha256:same', candidates: [], now });
    expect(extra).toMatchObject({ ok: false, onMissing: 'extra-approval' });
  });
});

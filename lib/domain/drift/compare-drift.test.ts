import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture } from '../ingress/__fixtures__';
import type { TIngress } from '../ingress/types';
import { DEFAULT_POLICY } from '../policy/policy';
import { analyseDrift } from './analyse-drift';
import { changeManager, fieldsCover, type TManagedFieldsEntry } from './change-manager';
import { compareDrift } from './compare-drift';
import { fieldChanges } from './field-changes';

const SELF = 'ingress-gate';
const SHOP = parse(fixture('nginx-shop.yaml')) as TIngress;
const LIVE = parse(fixture('live-with-server-fields.yaml')) as TIngress;

function edit(base: TIngress, fn: (i: TIngress) => void, managedFields?: TManagedFieldsEntry[]): TIngress {
  const copy = structuredClone(base);
  fn(copy);
  if (managedFields) copy.metadata.managedFields = managedFields;
  return copy;
}

const mf = (
  manager: string,
  time: string,
  fieldsV1: Record<string, unknown>,
  extra: Partial<TManagedFieldsEntry> = {},
): TManagedFieldsEntry =>
  ({
    manager,
    operation: 'Update',
    apiVersion: 'networking.k8s.io/v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...extra,
  }) as TManagedFieldsEntry;

describe('compareDrift', () => {
  const cases: {
    name: string;
    applied: { manifest: TIngress | null } | undefined;
    live: TIngress | null;
    state: string | null;
    reason: string;
    paths?: string[];
  }[] = [
    { name: 'never applied, absent → nothing to track', applied: undefined, live: null, state: null, reason: 'absent' },
    { name: 'never applied, live → UNMANAGED', applied: undefined, live: SHOP, state: 'UNMANAGED', reason: 'never-applied' },
    { name: 'applied, absent → DELETED', applied: { manifest: SHOP }, live: null, state: 'DELETED', reason: 'deleted', paths: [''] },
    { name: 'deleted through the portal, absent → IN_SYNC', applied: { manifest: null }, live: null, state: 'IN_SYNC', reason: 'in-sync' },
    {
      name: 'deleted through the portal, recreated → DRIFTED',
      applied: { manifest: null },
      live: SHOP,
      state: 'DRIFTED',
      reason: 'recreated',
      paths: [''],
    },
    { name: 'same object', applied: { manifest: SHOP }, live: SHOP, state: 'IN_SYNC', reason: 'in-sync' },
    {
      name: 'server-set fields, status, key order and the last-applied annotation are not drift',
      applied: {
        manifest: edit(LIVE, (i) => {
          delete i.status;
          for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'] as const) delete i.metadata[k];
          delete i.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'];
        }),
      },
      live: edit(LIVE, (i) => {
        i.status = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } };
        i.metadata.resourceVersion = '999';
      }),
      state: 'IN_SYNC',
      reason: 'in-sync',
    },
    {
      name: 'an added annotation and a changed backend port → DRIFTED with both paths',
      applied: { manifest: SHOP },
      live: edit(SHOP, (i) => {
        i.metadata.annotations = { ...i.metadata.annotations, 'nginx.ingress.kubernetes.io/configuration-snippet': 'return 200;' };
        i.spec.rules![0]!.http!.paths[0]!.backend.service!.port = { number: 8080 };
      }),
      state: 'DRIFTED',
      reason: 'changed',
      paths: [
        'metadata.annotations[nginx.ingress.kubernetes.io/configuration-snippet]',
        'spec.rules[0].http.paths[0].backend.service.port.number',
      ],
    },
    {
      name: 'a removed TLS block → one removed entry for the whole list',
      applied: { manifest: SHOP },
      live: edit(SHOP, (i) => void delete i.spec.tls),
      state: 'DRIFTED',
      reason: 'changed',
      paths: ['spec.tls'],
    },
  ];
  it.each(cases)('$name', ({ applied, live, state, reason, paths }) => {
    const r = compareDrift(applied, live, SELF);
    expect(r.state).toBe(state);
    expect(r.reason).toBe(reason);
    if (paths) expect(r.fields.map((f) => f.path)).toEqual(paths);
  });

  it('names the manager that changed a field, and the latest other writer for a removed one', () => {
    const live = edit(
      SHOP,
      (i) => {
        i.spec.ingressClassName = 'nginx-public';
        delete i.metadata.annotations!['nginx.ingress.kubernetes.io/ssl-redirect'];
      },
      [
        mf(SELF, '2025-01-01T10:00:00Z', {
          'f:metadata': { 'f:annotations': { 'f:cert-manager.io/cluster-issuer': {} } },
          'f:spec': { 'f:rules': {}, 'f:tls': {} },
        }),
        mf('kubectl-edit', '2025-01-02T10:00:00Z', { 'f:spec': { 'f:ingressClassName': {} } }),
        mf('ingress-controller', '2025-01-03T10:00:00Z', { 'f:status': { 'f:loadBalancer': {} } }, { subresource: 'status' }),
      ],
    );
    const r = compareDrift({ manifest: SHOP }, live, SELF);
    const byPath = Object.fromEntries(r.fields.map((f) => [f.path, f.manager]));
    expect(byPath['spec.ingressClassName']).toMatchObject({ manager: 'kubectl-edit', basis: 'owner' });
    expect(byPath['metadata.annotations[nginx.ingress.kubernetes.io/ssl-redirect]']).toMatchObject({
      manager: 'kubectl-edit',
      basis: 'latest-writer',
    });
    expect(r.managers).toEqual(['kubectl-edit']);
  });
});

describe('fieldsCover / changeManager', () => {
  it.each([
    [{ 'f:spec': { 'f:rules': {} } }, ['spec', 'rules', 0, 'host'], true],
    [{ 'f:spec': { 'f:rules': {} } }, ['spec', 'tls'], false],
    [{ 'f:metadata': { 'f:annotations': { 'f:a.b/c': {} } } }, ['metadata', 'annotations', 'a.b/c'], true],
    [{ 'f:metadata': { 'f:annotations': { 'f:a.b/c': {} } } }, ['metadata', 'annotations', 'other'], false],
    [{ 'f:spec': { 'f:rules': { 'k:{"host":"a"}': {} } } }, ['spec', 'rules', 0], true],
    [{ 'f:spec': { '.': {}, 'f:x': {} } }, ['spec', 'anything'], true],
  ] as const)('%j covers %j → %s', (fields, path, expected) => {
    expect(fieldsCover(fields as Record<string, unknown>, path)).toBe(expected);
  });

  it('prefers another manager over the portal, then the most recent', () => {
    const both = { 'f:spec': { 'f:rules': {} } };
    expect(
      changeManager(
        [mf(SELF, '2025-01-05T00:00:00Z', both), mf('a', '2025-01-01T00:00:00Z', both), mf('b', '2025-01-02T00:00:00Z', both)],
        ['spec', 'rules'],
        SELF,
      )?.manager,
    ).toBe('b');
    expect(changeManager([mf(SELF, '2025-01-05T00:00:00Z', both)], ['spec', 'tls'], SELF)).toBeNull();
    expect(changeManager(undefined, ['spec'], SELF)).toBeNull();
  });
});

describe('fieldChanges', () => {
  it.each([
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1 }, { a: 2 }, ['changed a']],
    [{ a: [1, 2] }, { a: [1] }, ['removed a[1]']],
    [{ a: [1] }, { a: [1, { b: 1 }] }, ['added a[1]']],
    [{}, { 'x.y/z': 'v' }, ['added [x.y/z]']],
    [{ a: { b: 1 } }, { a: 'text' }, ['changed a']],
  ] as const)('%j → %j', (a, b, expected) => {
    expect(fieldChanges(a, b).map((c) => `${c.change} ${c.path}`)).toEqual(expected);
  });
});

describe('analyseDrift', () => {
  it('drift is itself a finding, next to the risks of the out-of-band change', () => {
    const live = edit(
      SHOP,
      (i) =>
        void (i.metadata.annotations = {
          ...i.metadata.annotations,
          'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "x: y";',
        }),
    );
    const a = analyseDrift({ state: 'DRIFTED', namespace: 'shop', applied: SHOP, live, others: [], policy: DEFAULT_POLICY })!;
    const ids = a.findings.map((f) => f.ruleId);
    expect(ids).toContain('drift-detected');
    expect(ids.some((id) => id.includes('snippet'))).toBe(true);
    expect(a.maxSeverity).toBe('critical');
    expect(a.findings[0]!.severity).toBe('critical');
  });

  it('DELETED is analysed as a delete, UNMANAGED as a create, IN_SYNC not at all', () => {
    expect(
      analyseDrift({ state: 'DELETED', namespace: 'shop', applied: SHOP, live: null, others: [], policy: DEFAULT_POLICY })!.findings.map(
        (f) => f.ruleId,
      ),
    ).toContain('ingress-deleted');
    expect(
      analyseDrift({ state: 'UNMANAGED', namespace: 'shop', applied: null, live: SHOP, others: [], policy: DEFAULT_POLICY })!.action,
    ).toBe('create');
    expect(analyseDrift({ state: 'IN_SYNC', namespace: 'shop', applied: SHOP, live: SHOP, others: [], policy: DEFAULT_POLICY })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { globsOverlap, isSameCluster, namespaceOverlap, ownershipConflicts, type TOwnershipClaim } from './namespace-ownership';

describe('globsOverlap', () => {
  it.each([
    ['shop', 'shop', true],
    ['shop', 'payments', false],
    ['team-*', 'team-a', true],
    ['team-*', 'other', false],
    ['*-prod', 'team-*', true],
    ['a*', 'b*', false],
    ['*', 'anything', true],
    ['shop-*', 'shop', false],
    ['x*y', 'x*z', false],
  ] as const)('%s vs %s → %s', (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe('namespaceOverlap', () => {
  it('empty means every namespace', () => {
    expect(namespaceOverlap([], [])).toBe('both govern every namespace');
    expect(namespaceOverlap([], ['shop'])).toMatch(/every namespace/);
    expect(namespaceOverlap(['shop'], ['payments'])).toBeNull();
    expect(namespaceOverlap(['shop', 'team-*'], ['team-a'])).toBe('"team-*" overlaps "team-a"');
    expect(namespaceOverlap(['shop'], ['shop'])).toBe('both govern "shop"');
  });
});

const claim = (c: Partial<TOwnershipClaim>): TOwnershipClaim => ({
  id: 'x',
  name: 'x',
  clusterUid: null,
  clusterCaSha256: null,
  namespaces: [],
  ...c,
});

describe('ownership', () => {
  it('same cluster by kube-system uid, else by CA; unknown is not the same', () => {
    expect(isSameCluster({ clusterUid: 'u1', clusterCaSha256: 'A' }, { clusterUid: 'u2', clusterCaSha256: 'A' })).toBe(false);
    expect(isSameCluster({ clusterUid: 'u1', clusterCaSha256: null }, { clusterUid: 'u1', clusterCaSha256: 'B' })).toBe(true);
    expect(isSameCluster({ clusterUid: null, clusterCaSha256: 'A' }, { clusterUid: 'u1', clusterCaSha256: 'A' })).toBe(true);
    expect(isSameCluster({ clusterUid: null, clusterCaSha256: null }, { clusterUid: null, clusterCaSha256: null })).toBe(false);
  });

  it('dev and prod on one cluster: overlapping namespaces are named, disjoint ones pass, other clusters never conflict', () => {
    const prod = claim({ id: 'p', name: 'prod', clusterUid: 'u1', namespaces: ['shop'] });
    const devAll = claim({ id: 'd', name: 'dev', clusterUid: 'u1', namespaces: [] });
    const devOwn = claim({ id: 'd', name: 'dev', clusterUid: 'u1', namespaces: ['shop-dev'] });
    const elsewhere = claim({ id: 'e', name: 'eu', clusterUid: 'u2', namespaces: ['shop'] });
    expect(ownershipConflicts(devAll, [prod, elsewhere])).toEqual([
      { name: 'prod', overlap: 'one governs every namespace, the other shop' },
    ]);
    expect(ownershipConflicts(devOwn, [prod, elsewhere])).toEqual([]);
    expect(ownershipConflicts(prod, [prod])).toEqual([]);
  });
});

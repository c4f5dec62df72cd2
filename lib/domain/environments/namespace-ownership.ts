/**
 * One owner per object: an environment governs (cluster, namespaces), and two environments may
 * not govern the same namespace of the same cluster — otherwise the one with the weakest rules
 * (dev's auto-approval) writes what the strictest (prod) protects.
 */
export type TOwnershipClaim = {
  id: string;
  name: string;
  /** kube-system's uid, when known. */
  clusterUid: string | null;
  /** sha256 fingerprint of the CA the connection trusts, when it has one. */
  clusterCaSha256: string | null;
  /** Namespace globs (policy.allowedNamespaces); empty = every namespace. */
  namespaces: readonly string[];
};

/**
 * Same cluster when both know kube-system's uid and it is equal; when either does not know it,
 * when both trust the same CA (one CA per cluster is the norm; a shared CA across clusters errs
 * on the side of refusing). Nothing known on either side → not the same (checked again later).
 */
export function isSameCluster(a: Pick<TOwnershipClaim, 'clusterUid' | 'clusterCaSha256'>, b: typeof a): boolean {
  if (a.clusterUid && b.clusterUid) return a.clusterUid === b.clusterUid;
  return Boolean(a.clusterCaSha256 && b.clusterCaSha256 && a.clusterCaSha256 === b.clusterCaSha256);
}

/** Whether some name matches both globs (`*` = any run of characters). */
export function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (a[i] === '*') r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (b[j] === '*') r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else r = i < a.length && j < b.length && a[i] === b[j] && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** A sentence naming where two namespace sets overlap, or null when they are disjoint. */
export function namespaceOverlap(a: readonly string[], b: readonly string[]): string | null {
  if (a.length === 0 && b.length === 0) return 'both govern every namespace';
  if (a.length === 0) return `one governs every namespace, the other ${b.join(', ')}`;
  if (b.length === 0) return `one governs every namespace, the other ${a.join(', ')}`;
  for (const x of a) for (const y of b) if (globsOverlap(x, y)) return x === y ? `both govern "${x}"` : `"${x}" overlaps "${y}"`;
  return null;
}

/**
 * The environments among `others` that govern a namespace `claim` also governs on the same
 * cluster, each with where they overlap. Cases: different or unknown clusters → none; same
 * cluster and overlapping globs (or either side "every namespace") → listed; itself → skipped.
 */
export function ownershipConflicts(claim: TOwnershipClaim, others: readonly TOwnershipClaim[]): { name: string; overlap: string }[] {
  return others
    .filter((o) => o.id !== claim.id && isSameCluster(claim, o))
    .flatMap((o) => {
      const overlap = namespaceOverlap(claim.namespaces, o.namespaces);
      return overlap ? [{ name: o.name, overlap }] : [];
    });
}

import type { TChangeAction } from './lifecycle';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../ingress/sha256';

/**
 * The hash an approval is bound to (invariant 2): what will be done (action), to what
 * (namespace/name), with what content (the canonical manifest's hash; none for a delete), on top
 * of which live object (its resourceVersion; none for a create). Any edit or a rebase changes it,
 * so earlier approvals stop counting.
 */
export function revisionHash(input: {
  action: TChangeAction;
  namespace: string;
  name: string;
  proposedHash: string | null;
  baseResourceVersion: string | null;
}): string {
  return `sha256:${sha256Hex(canonicalJson(input))}`;
}

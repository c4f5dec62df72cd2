import { formatPath } from '../ingress/field-path';
import type { TPathSegment } from '../ingress/types';

export type TFieldChange = {
  /** Kubernetes-style field path (`spec.rules[0].host`, `metadata.annotations[a.b/c]`). */
  path: string;
  segments: TPathSegment[];
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
};

function isRec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Leaf-level differences between two plain JSON values (already normalised: key order and empty
 * fields do not matter here because normaliseIngress settled them).
 * Cases:
 * - objects: compared key by key; a key on one side only is one 'added'/'removed' entry holding
 *   the whole subtree (not one entry per leaf inside it)
 * - arrays: compared index by index (list order is the author's and meaningful); extra items on
 *   one side are 'added'/'removed' at their index
 * - anything else (scalars, or an object on one side and a scalar on the other): 'changed'
 * Ordered as encountered (depth first, keys in the order of `before`, then new keys of `after`).
 */
export function fieldChanges(before: unknown, after: unknown, prefix: TPathSegment[] = []): TFieldChange[] {
  const out: TFieldChange[] = [];
  walk(before, after, prefix, out);
  return out;
}

function walk(a: unknown, b: unknown, at: TPathSegment[], out: TFieldChange[]): void {
  if (isRec(a) && isRec(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) {
      const path = [...at, k];
      if (!(k in b)) out.push(entry(path, 'removed', a[k], undefined));
      else if (!(k in a)) out.push(entry(path, 'added', undefined, b[k]));
      else walk(a[k], b[k], path, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i += 1) {
      const path = [...at, i];
      if (i >= b.length) out.push(entry(path, 'removed', a[i], undefined));
      else if (i >= a.length) out.push(entry(path, 'added', undefined, b[i]));
      else walk(a[i], b[i], path, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(entry(at, 'changed', a, b));
}

function entry(segments: TPathSegment[], change: TFieldChange['change'], before: unknown, after: unknown): TFieldChange {
  return { path: formatPath(segments), segments, change, before: before ?? null, after: after ?? null };
}

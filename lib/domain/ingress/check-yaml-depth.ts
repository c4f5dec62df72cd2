import { CST } from 'yaml';
import { formatPath } from './field-path';
import type { TPathSegment } from './types';

/**
 * Deepest nesting of collections a manifest may have. An Ingress needs 10
 * (root › spec › rules › rule › http › paths › path › backend › service › port); the limit leaves
 * room for annotations written as flow maps by mistake (then refused by validation, with a path).
 */
export const MAX_DEPTH = 32;

export type TDepthExceeded = { offset: number; path: string; depth: number };

type TFrame = { token: CST.Token; depth: number; path: TPathSegment[] };

/**
 * The first collection nested deeper than MAX_DEPTH in the CST of a stream (from `yaml`'s Parser),
 * in document order, or null.
 *
 * Why a separate pass: the `yaml` package's composer and toJS recurse once per nesting level, so
 * a few thousand `[` end in "Maximum call stack size exceeded" — reported once or many times
 * depending on how deep the caller's stack already was (REST vs the React form). Its CST parser is
 * iterative, and so is this walk (an explicit stack), so the answer is the same everywhere and
 * the composer only ever sees bounded input.
 */
export function findTooDeep(tokens: readonly CST.Token[]): TDepthExceeded | null {
  const stack: TFrame[] = [];
  for (const token of tokens) {
    if (token.type === 'document' && token.value) stack.push({ token: token.value, depth: 0, path: [] });
    while (stack.length > 0) {
      const { token: t, depth, path } = stack.pop() as TFrame;
      if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
      const d = depth + 1;
      if (d > MAX_DEPTH) return { offset: t.offset, path: formatPath(path), depth: d };
      const isSeq = t.type === 'block-seq' || (t.type === 'flow-collection' && t.start.source === '[');
      // Push in reverse so the walk (and so the reported place) follows document order.
      for (let i = t.items.length - 1; i >= 0; i--) {
        const item = t.items[i] as { key?: CST.Token | null; value?: CST.Token | null };
        const seg: TPathSegment = isSeq && !item.key ? i : keyName(item.key);
        if (item.value) stack.push({ token: item.value, depth: d, path: [...path, seg] });
        if (item.key) stack.push({ token: item.key, depth: d, path: [...path, seg] });
      }
    }
  }
  return null;
}

function keyName(key: CST.Token | null | undefined): string {
  if (!key) return '';
  if (key.type === 'scalar' || key.type === 'single-quoted-scalar' || key.type === 'double-quoted-scalar') {
    const scalar = CST.resolveAsScalar(key);
    return scalar ? scalar.value : '?';
  }
  return '?';
}

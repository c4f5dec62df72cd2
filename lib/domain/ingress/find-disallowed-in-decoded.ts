import { findDisallowedCharacter } from '../text/disallowed-characters';
import { formatPath } from './field-path';
import type { TPathSegment } from './types';
import type { TLocatedIssue } from './validate-ingress';

/**
 * The first key or string value of a decoded manifest (or a form-built Ingress) that holds a
 * control character or an unpaired surrogate, as an `encoding` issue at its field path; null when
 * clean. Depth-first in key order, iterative. YAML/JSON escapes (`"\0"`, `"\u0000"`) and form
 * fields reach here without ever being raw text, so the text check alone cannot see them.
 */
export function findDisallowedInDecoded(root: unknown): TLocatedIssue | null {
  const stack: { value: unknown; segments: TPathSegment[] }[] = [{ value: root, segments: [] }];
  while (stack.length > 0) {
    const { value, segments } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = findDisallowedCharacter(value);
      if (bad)
        return encodingIssue(
          segments,
          `the value at ${formatPath(segments) || 'the top level'} contains ${bad.what} (written as an escape); remove it`,
        );
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], segments: [...segments, i] });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        const bad = findDisallowedCharacter(k);
        if (bad)
          return encodingIssue([...segments, k], `a key under ${formatPath(segments) || 'the top level'} contains ${bad.what}; remove it`);
        stack.push({ value: v, segments: [...segments, k] });
      }
    }
  }
  return null;
}

function encodingIssue(segments: TPathSegment[], message: string): TLocatedIssue {
  return { path: formatPath(segments), line: null, column: null, code: 'encoding', message, segments };
}

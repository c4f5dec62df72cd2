/**
 * Characters no text the application stores may contain.
 *
 * PostgreSQL refuses NUL in `text`/`jsonb` (22021, 22P05) and UTF-8 cannot encode a lone UTF-16
 * surrogate (a JSON body may still spell one as `\ud800`), so either reaching an INSERT is a 500.
 * The other control characters are refused too: they are invisible in the UI, break headers and
 * logs, and YAML 1.2 does not allow them in a stream either.
 *
 * Disallowed (each reported with its code point):
 * - C0 controls U+0000–U+001F except tab (U+0009), line feed (U+000A) and carriage return (U+000D)
 * - DEL U+007F and the C1 controls U+0080–U+009F
 * - a high surrogate U+D800–U+DBFF not followed by a low one, and a low surrogate U+DC00–U+DFFF not
 *   preceded by a high one (a well-formed pair is one astral character and is fine)
 *
 * Positions: `index` is the UTF-16 offset in the string; `line` and `column` are 1-based, lines end
 * at LF, CRLF or a lone CR (as in YAML), and the column counts UTF-16 code units like the YAML
 * parser's own positions, so a manifest issue points at the same place either way.
 */

// Without the `u` flag a regex sees UTF-16 code units, which is what finds unpaired surrogates.
// Matching control characters is this regex's job.
// eslint-disable-next-line no-control-regex
const DISALLOWED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/; // prettier-ignore

export type TDisallowedCharacter = {
  /** UTF-16 offset of the offending code unit. */
  index: number;
  /** 1-based line and column of `index`. */
  line: number;
  column: number;
  /** The offending code unit (a control character or a lone surrogate). */
  codePoint: number;
  /** e.g. `a NUL character (U+0000)`, `an unpaired surrogate (U+D800)`. */
  what: string;
  /** A sentence naming what and where, without the field: `contains a NUL character (U+0000) at line 3, column 7; remove it`. */
  message: string;
};

/** The first disallowed character in `text`, or null when the text is clean. */
export function findDisallowedCharacter(text: string): TDisallowedCharacter | null {
  const match = DISALLOWED.exec(text);
  if (match === null) return null;
  const index = match.index;
  const codePoint = text.charCodeAt(index);
  const { line, column } = positionOf(text, index);
  const what = describe(codePoint);
  const where = line === 1 && !/[\r\n]/.test(text) ? `at position ${column}` : `at line ${line}, column ${column}`;
  return { index, line, column, codePoint, what, message: `contains ${what} ${where}; remove it` };
}

/** True when `text` has no disallowed character. */
export function isCleanText(text: string): boolean {
  return !DISALLOWED.test(text);
}

export type TDisallowedInValue = TDisallowedCharacter & {
  /** Where in the value: `title`, `labels[2]`, `metadata.annotations["a"]`; `` for a bare string. */
  path: string;
  /** True when the character is in an object key rather than a string value. */
  inKey: boolean;
};

/**
 * Walks a parsed JSON-like value (strings, arrays, plain objects; keys too) and returns the first
 * disallowed character with the path to it, or null. Depth-first in key order, so the answer is
 * stable for one input.
 */
export function findDisallowedInValue(value: unknown, path = ''): TDisallowedInValue | null {
  if (typeof value === 'string') {
    const found = findDisallowedCharacter(value);
    return found === null ? null : { ...found, path, inKey: false };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findDisallowedInValue(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = joinKey(path, key);
      const inKey = findDisallowedCharacter(key);
      if (inKey !== null) return { ...inKey, path: childPath, inKey: true };
      const found = findDisallowedInValue(child, childPath);
      if (found !== null) return found;
    }
  }
  return null;
}

function joinKey(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function positionOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'BEL',
  0x08: 'backspace',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x85: 'NEL',
};

function describe(codePoint: number): string {
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return `an unpaired surrogate (${hex})`;
  const name = NAMES[codePoint];
  return name === undefined ? `a control character (${hex})` : `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} character (${hex})`;
}

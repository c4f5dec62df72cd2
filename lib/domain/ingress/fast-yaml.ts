import { Document, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions, type Tags } from 'yaml';

// Kubernetes decodes YAML with go-yaml (YAML 1.1 rules: `on`/`yes` are booleans), so we parse with
// 1.1 too — an unquoted `on` annotation value is rejected here as it would be there. Tags go-yaml
// leaves as strings in untyped context (timestamps, sexagesimal) are dropped so they stay strings.
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);
function k8sTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : t.format;
    return !DROPPED_TAGS.has(tag) && format !== 'TIME';
  });
}

/** The options parseIngress hands to the `yaml` package (and the schema the fast path borrows). */
export const K8S_YAML_OPTIONS = {
  uniqueKeys: true,
  version: '1.1',
  customTags: k8sTags,
  prettyErrors: false,
  strict: true,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

type TPlain = string | number | boolean | null;
type TScalarTag = {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (msg: string) => void, options: unknown) => unknown;
};

// The exact schema the `yaml` package builds for K8S_YAML_OPTIONS: plain scalars are resolved with
// its own tag tests and resolvers, so `on`, `0x1F`, `1_000`, `.inf`, `~`… come out identically.
const SCHEMA_DOC = new Document(null, K8S_YAML_OPTIONS);
const SCHEMA_OPTIONS: unknown = SCHEMA_DOC.options;
const SCHEMA_COMPAT = Boolean(SCHEMA_DOC.schema?.compat);
const ALL_TAGS = (SCHEMA_DOC.schema?.tags ?? []) as unknown as TScalarTag[];
const VALUE_TAGS = ALL_TAGS.filter((t) => t.default === true && t.test);
const KEY_TAGS = ALL_TAGS.filter((t) => (t.default === true || t.default === 'key') && t.test);

/** Thrown (one shared instance) when the text uses anything outside the fast subset. */
const BAIL: unique symbol = Symbol('fast-yaml-bail');

// Printable ASCII and newlines only: no tabs, CR, BOM, control or non-ASCII characters.
const OUTSIDE_SUBSET_RE = /[^\n\x20-\x7e]/;
// Plain map keys the fast path accepts (they must also not resolve to a non-string, e.g. `on`).
const PLAIN_KEY_RE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const MAX_KEY_LENGTH = 1000; // yaml rejects implicit keys over 1024 characters
// First characters that make a plain scalar an error, an indicator, or something not handled here.
const NOT_PLAIN_START = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', ' ']);

const SPACE = 32;

/**
 * A fast parser for the block-style YAML that people and tools write for Kubernetes manifests:
 * block maps and sequences (indented or not), plain / single-quoted / double-quoted one-line
 * scalars, `[]` and `{}`, comments, blank lines and one leading `---`.
 *
 * It returns exactly what `parseAllDocuments(text, K8S_YAML_OPTIONS)[0].toJS()` returns, or
 * `undefined` when it cannot guarantee that — anything outside the subset (anchors, aliases, tags,
 * flow collections, block scalars, multi-line scalars, a second document, tabs, non-ASCII, keys
 * that are not plain strings, merge keys) and anything `yaml` would report as an error (duplicate
 * keys, bad indentation, `a: b: c`, …). The caller then takes the `yaml` package path, which also
 * produces every error message and position.
 */
export function fastParseYaml(text: string): Record<string, unknown> | undefined {
  if (SCHEMA_COMPAT || VALUE_TAGS.length === 0 || OUTSIDE_SUBSET_RE.test(text)) return undefined;
  try {
    return new FastYaml(text).parseRoot();
  } catch {
    // BAIL, or anything unforeseen (say, a stack overflow on absurd nesting): the yaml path decides.
    return undefined;
  }
}

class FastYaml {
  // Content lines only (blank and comment-only lines are skipped): where the content starts, where
  // it ends (trailing spaces trimmed), and its column (the indentation, or the column after `- `
  // for a compact map in a sequence item).
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly cols: number[] = [];
  private i = 0;
  private readonly cache = new Map<string, TPlain>();
  private readonly plainKeys = new Set<string>();

  constructor(private readonly text: string) {
    const t = text;
    const len = t.length;
    let sawContent = false;
    let lineStart = 0;
    while (lineStart <= len) {
      let lineEnd = t.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = len;
      let p = lineStart;
      while (p < lineEnd && t.charCodeAt(p) === SPACE) p++;
      if (p < lineEnd && t[p] !== '#') {
        let e = lineEnd;
        while (e > p && t.charCodeAt(e - 1) === SPACE) e--;
        if (p === lineStart && (t.startsWith('---', p) || t.startsWith('...', p))) {
          // One leading `---` (nothing else on the line) is fine; any other marker is not.
          if (sawContent || e - p !== 3 || t[p] !== '-') throw BAIL;
        } else {
          this.starts.push(p);
          this.ends.push(e);
          this.cols.push(p - lineStart);
        }
        sawContent = true;
      }
      lineStart = lineEnd + 1;
    }
  }

  parseRoot(): Record<string, unknown> {
    if (this.starts.length === 0 || this.cols[0] !== 0 || this.isSeqItem(0)) throw BAIL;
    const root = this.parseMap(0);
    if (this.i !== this.starts.length) throw BAIL;
    return root;
  }

  private isSeqItem(i: number): boolean {
    const s = this.starts[i]!;
    return this.text.charCodeAt(s) === 45 /* - */ && (s + 1 === this.ends[i] || this.text.charCodeAt(s + 1) === SPACE);
  }

  /** A block node whose first line is the current one, at column `col`. */
  private parseBlock(col: number): unknown {
    return this.isSeqItem(this.i) ? this.parseSeq(col) : this.parseMap(col);
  }

  private parseMap(col: number): Record<string, unknown> {
    const t = this.text;
    const obj: Record<string, unknown> = {};
    const n = this.starts.length;
    while (this.i < n && this.cols[this.i] === col) {
      const i = this.i;
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      if (this.isSeqItem(i)) throw BAIL;
      const colon = this.keyColon(s, e);
      if (colon < 0 || colon - s > MAX_KEY_LENGTH) throw BAIL;
      const key = this.key(s, colon);
      let p = colon + 1;
      while (p < e && t.charCodeAt(p) === SPACE) p++;
      let value: unknown;
      this.i++;
      if (p === e || t[p] === '#') {
        if (this.i < n && this.cols[this.i]! > col) value = this.parseBlock(this.cols[this.i]!);
        else if (this.i < n && this.cols[this.i] === col && this.isSeqItem(this.i)) value = this.parseSeq(col);
        else value = null;
      } else {
        value = this.inlineValue(p, e);
      }
      if (this.i < n && this.cols[this.i]! > col) throw BAIL;
      if (!(key in obj)) obj[key] = value;
      else if (Object.prototype.hasOwnProperty.call(obj, key))
        throw BAIL; // duplicate key: yaml reports it
      // A name on Object.prototype (`constructor`, `toString`): an own property, as yaml's toJS does it.
      else Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
    }
    return obj;
  }

  private parseSeq(col: number): unknown[] {
    const t = this.text;
    const arr: unknown[] = [];
    const n = this.starts.length;
    while (this.i < n && this.cols[this.i] === col && this.isSeqItem(this.i)) {
      const i = this.i;
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      let p = s + 1;
      while (p < e && t.charCodeAt(p) === SPACE) p++;
      if (p === e || t[p] === '#') {
        this.i++;
        arr.push(this.i < n && this.cols[this.i]! > col ? this.parseBlock(this.cols[this.i]!) : null);
      } else if (t[p] === '-') {
        throw BAIL; // `- - x` or a plain scalar starting with `-`
      } else if (this.keyColon(p, e) >= 0) {
        // `- key: value`: a map whose keys sit at the column after `- `.
        const itemCol = col + (p - s);
        this.starts[i] = p;
        this.cols[i] = itemCol;
        arr.push(this.parseMap(itemCol));
      } else {
        this.i++;
        arr.push(this.inlineValue(p, e));
      }
      if (this.i < n && this.cols[this.i]! > col) throw BAIL;
    }
    return arr;
  }

  /** Index of the `:` ending an implicit key that starts at `p` (-1 when the line is no `key: …`). */
  private keyColon(p: number, e: number): number {
    const t = this.text;
    const c = t[p];
    if (c === '"' || c === "'") {
      const q = c === '"' ? this.doubleQuotedEnd(p, e) : this.singleQuotedEnd(p, e);
      return t[q] === ':' && (q + 1 === e || t.charCodeAt(q + 1) === SPACE) ? q : -1;
    }
    for (let j = p; j < e; j++) {
      const cc = t.charCodeAt(j);
      if (cc === 58 /* : */ && (j + 1 === e || t.charCodeAt(j + 1) === SPACE)) return j;
      if (cc === 35 /* # */ && j > p && t.charCodeAt(j - 1) === SPACE) return -1;
    }
    return -1;
  }

  private key(s: number, colon: number): string {
    const t = this.text;
    const c = t[s];
    let key: string;
    if (c === '"') key = this.doubleQuoted(s, colon);
    else if (c === "'") key = t.slice(s + 1, colon - 1).replaceAll("''", "'");
    else {
      key = t.slice(s, colon);
      if (!this.plainKeys.has(key)) {
        if (!PLAIN_KEY_RE.test(key)) throw BAIL;
        for (const tag of KEY_TAGS) if (tag.test!.test(key)) throw BAIL; // `on:`, `null:`, `<<:` …
        this.plainKeys.add(key);
      }
    }
    if (key === '__proto__' || key === '<<') throw BAIL;
    return key;
  }

  /** A scalar (or `[]` / `{}`) from `p` to the end of the line `e`, with an optional comment. */
  private inlineValue(p: number, e: number): unknown {
    const t = this.text;
    const c = t[p];
    if (c === '"' || c === "'") {
      const q = c === '"' ? this.doubleQuotedEnd(p, e) : this.singleQuotedEnd(p, e);
      this.expectLineEnd(q, e);
      return c === '"' ? this.doubleQuoted(p, q) : t.slice(p + 1, q - 1).replaceAll("''", "'");
    }
    if (c === '[' || c === '{') {
      if (t[p + 1] !== (c === '[' ? ']' : '}')) throw BAIL;
      this.expectLineEnd(p + 2, e);
      return c === '[' ? [] : {};
    }
    if (NOT_PLAIN_START.has(c!)) throw BAIL;
    let end = e;
    for (let j = p; j < e; j++) {
      const cc = t.charCodeAt(j);
      if (cc === 58 /* : */ && (j + 1 === e || t.charCodeAt(j + 1) === SPACE)) throw BAIL; // `a: b: c`
      if (cc === 35 /* # */ && t.charCodeAt(j - 1) === SPACE) {
        end = j;
        break;
      }
    }
    while (t.charCodeAt(end - 1) === SPACE) end--;
    return this.plain(t.slice(p, end));
  }

  private plain(source: string): TPlain {
    const hit = this.cache.get(source);
    if (hit !== undefined) return hit;
    let value: TPlain = source;
    for (const tag of VALUE_TAGS) {
      if (!tag.test!.test(source)) continue;
      let failed = false;
      let res: unknown;
      try {
        res = tag.resolve(
          source,
          () => {
            failed = true;
          },
          SCHEMA_OPTIONS,
        );
      } catch {
        throw BAIL; // yaml turns this into an error
      }
      if (failed) throw BAIL;
      if (isScalar(res)) res = res.value;
      if (res !== null && typeof res !== 'string' && typeof res !== 'number' && typeof res !== 'boolean') throw BAIL;
      value = res;
      break;
    }
    this.cache.set(source, value);
    return value;
  }

  /** After a quoted scalar or `[]`/`{}` ending at `q`: only spaces, then the end or a comment. */
  private expectLineEnd(q: number, e: number): void {
    if (q === e) return;
    if (this.text.charCodeAt(q) !== SPACE) throw BAIL;
    let p = q;
    while (p < e && this.text.charCodeAt(p) === SPACE) p++;
    if (p < e && this.text[p] !== '#') throw BAIL;
  }

  /** Index after the closing `"` of a one-line double-quoted scalar with JSON-compatible escapes. */
  private doubleQuotedEnd(p: number, e: number): number {
    const t = this.text;
    for (let j = p + 1; j < e; j++) {
      const c = t[j];
      if (c === '"') return j + 1;
      if (c === '\\') {
        const next = t[j + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(j + 2, j + 6))) throw BAIL;
          j += 5;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          j++;
        } else {
          throw BAIL;
        }
      }
    }
    throw BAIL; // not closed on this line
  }

  private doubleQuoted(p: number, q: number): string {
    const raw = this.text.slice(p, q);
    // Every escape allowed above means the same in JSON as in YAML.
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  /** Index after the closing `'` of a one-line single-quoted scalar (`''` is an escaped quote). */
  private singleQuotedEnd(p: number, e: number): number {
    const t = this.text;
    for (let j = p + 1; j < e; j++) {
      if (t[j] === "'") {
        if (t[j + 1] === "'") j++;
        else return j + 1;
      }
    }
    throw BAIL;
  }
}

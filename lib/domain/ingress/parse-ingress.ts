import { Composer, type Document, isMap, isPair, isScalar, isSeq, LineCounter, Parser, type ParsedNode } from 'yaml';

import { findDisallowedCharacter } from '../text/disallowed-characters';
import { findDisallowedInDecoded } from './find-disallowed-in-decoded';
import type { TLineMap } from './canonical-yaml';
import { findTooDeep, MAX_DEPTH } from './check-yaml-depth';
import { checkYamlNodes, keyText, MAX_ALIAS_COUNT, MAX_ALIAS_EXPANSION } from './check-yaml-nodes';
import { collectIngressIssues, type TLocatedIssue } from './validate-ingress';
import { formatPath } from './field-path';
import { K8S_YAML_OPTIONS } from './yaml-options';
import type { TIngress, TIssue, TPathSegment } from './types';

export { MAX_ALIAS_COUNT, MAX_ALIAS_EXPANSION, MAX_DEPTH };
export const MAX_MANIFEST_BYTES = 256 * 1024;
/** Longest line (UTF-16 code units) a manifest may have; far above any real annotation value on one line. */
export const MAX_LINE_LENGTH = 16 * 1024;

export type TParseResult =
  | { ok: true; ingress: TIngress; /** Field path → line in the submitted text (with opts.sourceLines). */ sourceLines?: TLineMap }
  | { ok: false; issues: TIssue[] };

export type TParseOptions = { namespace?: string; /** Also return where each field is in the text. */ sourceLines?: boolean };

/**
 * Parses one `networking.k8s.io/v1` Ingress from YAML or JSON text and validates it like the API
 * server. Every problem is a value with a field path (when there is one) and a 1-based
 * line/column in `text`. Total: it never throws, and every limit is checked before the step it
 * protects, so the same text gives the same answer in the browser and on the server.
 *
 * Cases (each an issue code), in the order they are checked — the first stage that fails answers:
 * - `encoding`: a control character other than tab/LF/CR, or an unpaired surrogate (line, column)
 * - `too-large`: over 256 KiB (UTF-8 bytes) — reported at the line where the limit is crossed
 * - `too-deep`: collections nested deeper than MAX_DEPTH (checked on the iterative CST, before the
 *   recursive composer could overflow the stack)
 * - `line-too-long`: a line over MAX_LINE_LENGTH characters (line, column, path)
 * - `empty`: no document, or only comments
 * - `yaml-syntax`: any YAML/JSON syntax error, with the parser's position and the path there
 * - `duplicate-key`: a map key repeated (the API server would silently keep the last one)
 * - `multiple-documents`: more than one document; the issue names each one's kind
 * - `unsupported-tag`, `undefined-alias`, `alias-limit`, `merge-key`: see checkYamlNodes
 * - `not-an-object`, `wrong-kind`, `removed-api-version` (extensions/v1beta1,
 *   networking.k8s.io/v1beta1), `unsupported-api-version`
 * - everything validateIngressObject reports (DNS names, hosts, paths, backends, TLS, annotations,
 *   namespace vs `opts.namespace`, …)
 * Plain scalars are typed like go-yaml v2 (see yaml-options): `on` is a boolean, `e1` a string.
 * On success, `metadata.namespace` is filled from `opts.namespace` when the manifest omits it, so
 * the same Ingress written with or without it hashes the same.
 */
export function parseIngress(text: string, opts: TParseOptions = {}): TParseResult {
  try {
    return parseChecked(text, opts);
  } catch (e) {
    // Nothing above should throw; if the yaml package still does, the input is refused, not crashed on.
    return fail([
      {
        path: '',
        line: null,
        column: null,
        code: 'yaml-syntax',
        message: `could not parse: ${e instanceof Error ? e.message : String(e)}`,
      },
    ]);
  }
}

function parseChecked(text: string, opts: TParseOptions): TParseResult {
  const bad = findDisallowedCharacter(text);
  if (bad) {
    return fail([{ path: '', line: bad.line, column: bad.column, code: 'encoding', message: `the manifest ${bad.message}` }]);
  }
  const tooLarge = sizeLimitCrossing(text);
  if (tooLarge) {
    return fail([
      {
        path: '',
        ...tooLarge.at,
        code: 'too-large',
        message: `manifest is ${tooLarge.size} bytes; the limit is ${MAX_MANIFEST_BYTES} bytes (256 KiB), reached at line ${tooLarge.at.line}`,
      },
    ]);
  }

  const lineCounter = new LineCounter();
  const pos = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const deep = findTooDeep(tokens);
  if (deep) {
    return fail([
      {
        path: deep.path,
        ...pos(deep.offset),
        code: 'too-deep',
        message: `nesting deeper than ${MAX_DEPTH} levels${deep.path ? ` under ${deep.path}` : ''}; an Ingress needs about 10`,
      },
    ]);
  }
  const docs = Array.from(new Composer(K8S_YAML_OPTIONS).compose(tokens, false, text.length)).filter(
    (d) => d.contents !== null || d.errors.length > 0,
  ) as Document.Parsed[];

  const longLine = findLongLine(text);
  if (longLine !== null) {
    const contents = docs.find((d) => d.range[0] <= longLine && longLine <= d.range[2])?.contents ?? null;
    const path = formatPath(pathAtOffset(contents, longLine, []));
    const at = pos(longLine);
    return fail([
      {
        path,
        ...at,
        code: 'line-too-long',
        message: `line ${at.line} is longer than ${MAX_LINE_LENGTH} characters; split the value (a block scalar \`|\` keeps newlines)`,
      },
    ]);
  }

  if (docs.length === 0) {
    return fail([
      { path: '', line: null, column: null, code: 'empty', message: 'the manifest is empty; paste one Ingress as YAML or JSON' },
    ]);
  }

  const syntax: TIssue[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const at = pos(err.pos[0]);
      const message = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      const segs = pathAtOffset(doc.contents, err.pos[0], []);
      if (err.code === 'DUPLICATE_KEY') {
        syntax.push({
          path: formatPath(segs),
          ...at,
          code: 'duplicate-key',
          message: `duplicate key ${JSON.stringify(String(segs.at(-1) ?? ''))}: each key may appear once in a map`,
        });
      } else {
        syntax.push({ path: formatPath(segs), ...at, code: 'yaml-syntax', message });
      }
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    const kinds = docs.map((d) => describeDoc(d)).join(', ');
    syntax.push({
      path: '',
      ...pos(second?.contents?.range[0] ?? second?.range[0] ?? 0),
      code: 'multiple-documents',
      message: `found ${docs.length} documents (${kinds}); a change holds exactly one Ingress`,
    });
  }
  if (syntax.length === 0 && /^\s*[{[]/.test(text)) {
    // kubectl decodes text starting with `{` as strict JSON; YAML would accept `{"a": }` or
    // trailing commas that kubectl rejects.
    const jsonError = strictJsonError(text);
    if (jsonError)
      syntax.push({
        path: '',
        ...(jsonError.offset === null ? { line: null, column: null } : pos(jsonError.offset)),
        code: 'yaml-syntax',
        message: `invalid JSON: ${jsonError.message}`,
      });
  }
  if (syntax.length > 0) return fail(syntax);

  const doc = docs[0] as Document.Parsed;
  // Tags need `!`, anchors `&`, aliases `*` and merge keys `<`: text without any of them has nothing
  // to check (most manifests; this skips a walk of every node).
  const nodeProblems = /[!&*<]/.test(text) ? checkYamlNodes(doc.contents) : [];
  if (nodeProblems.length > 0) return fail(nodeProblems.map(({ offset, ...p }) => ({ ...p, ...pos(offset) })));

  const obj: unknown = doc.toJS({ maxAliasCount: -1 });
  // Escapes (`"\0"`, `"\x07"`, JSON `"\u0000"`) make characters the text check cannot see.
  const badValue = findDisallowedInDecoded(obj);
  if (badValue) return fail([locate(doc.contents, badValue, pos)]);
  const issues = collectIngressIssues(obj, opts);
  if (issues.length > 0) return fail(issues.map((i) => locate(doc.contents, i, pos)));

  const result = succeed(obj, opts);
  if (result.ok && opts.sourceLines) result.sourceLines = sourceLineMap(doc.contents, (o) => lineCounter.linePos(o).line);
  return result;
}

function succeed(obj: unknown, opts: { namespace?: string }): TParseResult {
  const ingress = obj as TIngress;
  if (opts.namespace !== undefined && !ingress.metadata.namespace) {
    ingress.metadata = { ...ingress.metadata, namespace: opts.namespace };
  }
  return { ok: true, ingress };
}

function strictJsonError(text: string): { message: string; offset: number | null } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    return { message, offset: at ? Number(at[1]) : null };
  }
}

function fail(issues: TIssue[]): TParseResult {
  return { ok: false, issues };
}

/** Null when `text` fits in MAX_MANIFEST_BYTES of UTF-8; else its size and where the limit is crossed. */
function sizeLimitCrossing(text: string): { size: number; at: { line: number; column: number } } | null {
  // Every UTF-16 unit is at most 3 UTF-8 bytes, so short text needs no counting.
  if (text.length * 3 <= MAX_MANIFEST_BYTES) return null;
  let bytes = 0;
  let line = 1;
  let lineStart = 0;
  let at: { line: number; column: number } | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
    if (at === null && bytes > MAX_MANIFEST_BYTES) at = { line, column: i - lineStart + 1 };
    if (c === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return at === null ? null : { size: bytes, at };
}

/** Offset of the first character past MAX_LINE_LENGTH on any line, or null. */
function findLongLine(text: string): number | null {
  if (text.length <= MAX_LINE_LENGTH) return null;
  let lineStart = 0;
  for (;;) {
    const end = text.indexOf('\n', lineStart);
    const lineEnd = end === -1 ? text.length : end;
    if (lineEnd - lineStart > MAX_LINE_LENGTH) return lineStart + MAX_LINE_LENGTH;
    if (end === -1) return null;
    lineStart = end + 1;
  }
}

/**
 * Field path → 1-based line of its key (or of the item, for list items) in the submitted text,
 * in the same format as the canonical YAML's line map, so a finding can point at both.
 */
function sourceLineMap(root: ParsedNode | null, lineAt: (offset: number) => number): TLineMap {
  const lines: TLineMap = new Map();
  const stack: { node: unknown; path: TPathSegment[] }[] = [{ node: root, path: [] }];
  if (root) lines.set('', lineAt(root.range[0]));
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const p = [...path, keyText(pair.key)];
        lines.set(formatPath(p), lineAt((pair.key as ParsedNode).range[0]));
        stack.push({ node: pair.value, path: p });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, i];
        if (item && typeof item === 'object' && 'range' in item) lines.set(formatPath(p), lineAt((item as ParsedNode).range[0]));
        stack.push({ node: item, path: p });
      });
    }
  }
  return lines;
}

function describeDoc(doc: Document.Parsed): string {
  const c = doc.contents;
  if (!isMap(c)) return 'not a map';
  const kind = c.get('kind');
  const name = isMap(c.get('metadata')) ? (c.get('metadata') as { get(k: string): unknown }).get('name') : undefined;
  return `${typeof kind === 'string' ? kind : 'unknown kind'}${typeof name === 'string' ? ` ${name}` : ''}`;
}

type TPos = { line: number; column: number };

/** Fills line/column from the deepest node on the issue's path that exists in the source. */
function locate(root: ParsedNode | null, issue: TLocatedIssue, pos: (offset: number) => TPos): TIssue {
  const { segments, ...rest } = issue;
  let node: unknown = root;
  let offset = root?.range[0] ?? 0;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && keyText(p.key) === String(seg));
      if (!pair) break;
      offset = (pair.key as ParsedNode).range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as ParsedNode | undefined;
      if (!item) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return { ...rest, ...pos(offset) };
}

/** The path of the map key at `offset` (for duplicate-key errors, which only carry a position). */
function pathAtOffset(node: unknown, offset: number, at: TPathSegment[]): TPathSegment[] {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as ParsedNode | null;
      const keyName = keyText(key);
      if (key && key.range[0] <= offset && offset < key.range[2]) return [...at, keyName];
      const value = pair.value as ParsedNode | null;
      if (value && value.range[0] <= offset && offset < value.range[2]) return pathAtOffset(value, offset, [...at, keyName]);
    }
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i] as ParsedNode | undefined;
      if (item && item.range[0] <= offset && offset < item.range[2]) return pathAtOffset(item, offset, [...at, i]);
    }
  }
  return at;
}

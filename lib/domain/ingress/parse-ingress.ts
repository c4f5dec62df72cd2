import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type ParsedNode } from 'yaml';
import { collectIngressIssues, type TLocatedIssue } from './validate-ingress';
import { fastParseYaml, K8S_YAML_OPTIONS } from './fast-yaml';
import { formatPath } from './field-path';
import type { TIngress, TIssue, TPathSegment } from './types';

export const MAX_MANIFEST_BYTES = 256 * 1024;
// yaml's own default; a manifest never needs more, and it stops "billion laughs" expansion.
export const MAX_ALIAS_COUNT = 100;

export type TParseResult = { ok: true; ingress: TIngress } | { ok: false; issues: TIssue[] };

/**
 * Parses one `networking.k8s.io/v1` Ingress from YAML or JSON text and validates it like the API
 * server. Every problem is a value with a field path and a 1-based line/column in `text`.
 *
 * Cases (each an issue code):
 * - `too-large`: over 256 KiB (UTF-8 bytes) — nothing else is parsed
 * - `empty`: no document, or only comments
 * - `yaml-syntax`: any YAML/JSON syntax error, with the parser's position
 * - `duplicate-key`: a map key repeated (the API server would silently keep the last one)
 * - `alias-limit`: anchors/aliases expanding past MAX_ALIAS_COUNT (alias "bombs")
 * - `multiple-documents`: more than one document; the issue names each one's kind
 * - `not-an-object`, `wrong-kind`, `removed-api-version` (extensions/v1beta1,
 *   networking.k8s.io/v1beta1), `unsupported-api-version`
 * - everything validateIngressObject reports (DNS names, hosts, paths, backends, TLS, annotations,
 *   namespace vs `opts.namespace`, …)
 * On success, `metadata.namespace` is filled from `opts.namespace` when the manifest omits it, so
 * the same Ingress written with or without it hashes the same.
 */
export function parseIngress(text: string, opts: { namespace?: string } = {}): TParseResult {
  const size = utf8Length(text);
  if (size > MAX_MANIFEST_BYTES) {
    return fail([
      {
        path: '',
        line: null,
        column: null,
        code: 'too-large',
        message: `manifest is ${size} bytes; the limit is ${MAX_MANIFEST_BYTES} bytes (256 KiB)`,
      },
    ]);
  }
  // Fast path for plain block YAML (the common case; ~25× faster than the `yaml` package): it
  // yields exactly what the `yaml` path would, or nothing. Any issue — and anything it does not
  // handle — goes through the `yaml` path, which owns every error message and position.
  const fast = fastParseYaml(text);
  if (fast !== undefined && collectIngressIssues(fast, opts).length === 0) return succeed(fast, opts);
  return parseIngressWithYaml(text, opts);
}

/** parseIngress without the fast path (after the size check). Exported for the equivalence tests. */
export function parseIngressWithYaml(text: string, opts: { namespace?: string } = {}): TParseResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { ...K8S_YAML_OPTIONS, lineCounter });
  const docs = (Array.isArray(parsed) ? parsed : []).filter((d) => d.contents !== null || d.errors.length > 0);
  if (docs.length === 0) {
    return fail([
      { path: '', line: null, column: null, code: 'empty', message: 'the manifest is empty; paste one Ingress as YAML or JSON' },
    ]);
  }
  const pos = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const syntax: TIssue[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const at = pos(err.pos[0]);
      const message = err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      if (err.code === 'DUPLICATE_KEY') {
        const segs = pathAtOffset(doc.contents, err.pos[0], []);
        syntax.push({
          path: formatPath(segs),
          ...at,
          code: 'duplicate-key',
          message: `duplicate key ${JSON.stringify(String(segs.at(-1) ?? ''))}: each key may appear once in a map`,
        });
      } else {
        syntax.push({ path: '', ...at, code: 'yaml-syntax', message });
      }
    }
  }
  if (docs.length > 1) {
    const second = docs[1];
    const kinds = docs.map((d) => describeDoc(d)).join(', ');
    syntax.push({
      path: '',
      ...pos(second?.contents?.range[0] ?? 0),
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
  let obj: unknown;
  try {
    obj = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) {
      return fail([
        {
          path: '',
          line: 1,
          column: 1,
          code: 'alias-limit',
          message: `anchors and aliases expand to too much data (more than ${MAX_ALIAS_COUNT} aliases); write the manifest out without them`,
        },
      ]);
    }
    throw e;
  }

  const issues = collectIngressIssues(obj, opts);
  if (issues.length > 0) return fail(issues.map((i) => locate(doc.contents, i, pos)));

  return succeed(obj, opts);
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

function utf8Length(text: string): number {
  // Cheap bounds first: every UTF-16 unit is 1–3 UTF-8 bytes.
  if (text.length > MAX_MANIFEST_BYTES) return text.length;
  if (text.length * 3 <= MAX_MANIFEST_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
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
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
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
      const keyName = isScalar(key) ? String(key.value) : '?';
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

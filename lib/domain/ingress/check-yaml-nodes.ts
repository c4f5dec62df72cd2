import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type ParsedNode } from 'yaml';
import { formatPath } from './field-path';
import type { TIssueCode, TPathSegment } from './types';

/** At most this many aliases (`*name`) in one manifest: yaml's own default maxAliasCount. */
export const MAX_ALIAS_COUNT = 100;
/** At most this many nodes copied by alias expansion in total ("billion laughs" stops here). */
export const MAX_ALIAS_EXPANSION = 10_000;

// Explicit tags that mean what an untagged node would in go-yaml / JSON. Everything else —
// `!!binary` (decoded to bytes), `!!timestamp`, `!!set`, `!!omap`, language tags such as
// `!!python/object`, local `!custom` tags, `%TAG` shorthands and the bare `!` — changes how a
// value is read or has no meaning for Kubernetes, so it is refused rather than silently reread.
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export type TNodeProblem = { code: TIssueCode; offset: number; path: string; message: string };

type TFrame = { node: unknown; path: TPathSegment[]; exit: boolean };

/**
 * Checks a composed document (after findTooDeep, so its depth is bounded) for what the `yaml`
 * package would otherwise turn into an exception at toJS, or accept silently. Iterative.
 * Cases, each reported at the node's own offset and field path, first problem of each node only:
 * - `unsupported-tag`: an explicit tag outside ALLOWED_TAGS
 * - `undefined-alias`: `*x` with no `&x` before it (the `yaml` package calls this "unresolved")
 * - `alias-limit`: an alias to its own ancestor (infinite), more than MAX_ALIAS_COUNT aliases, or
 *   aliases that together copy more than MAX_ALIAS_EXPANSION nodes
 * - `merge-key`: a `<<` merge key whose value is not a map, an alias to a map, or a list of those
 */
export function checkYamlNodes(root: ParsedNode | null): TNodeProblem[] {
  const problems: TNodeProblem[] = [];
  if (!root) return problems;
  const anchors = new Map<string, Node>();
  // Expanded size (nodes, counting what aliases copy) of every finished node.
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let aliasCount = 0;
  let expansion = 0;
  let isAliasLimitReported = false;
  const report = (code: TIssueCode, node: unknown, path: TPathSegment[], message: string) =>
    problems.push({ code, offset: (node as ParsedNode).range?.[0] ?? 0, path: formatPath(path), message });

  const stack: TFrame[] = [{ node: root, path: [], exit: false }];
  while (stack.length > 0) {
    const frame = stack.pop() as TFrame;
    const { node, path } = frame;
    if (node === null || node === undefined) continue; // `{a, b}`: keys without values
    if (frame.exit) {
      open.delete(node);
      let size = 1;
      const children = isMap(node) ? node.items.flatMap((p) => [p.key, p.value]) : isSeq(node) ? node.items : [];
      for (const c of children) size += sizes.get(c) ?? 1;
      sizes.set(node, size);
      continue;
    }
    if (isAlias(node)) {
      aliasCount++;
      const target = anchors.get(node.source);
      if (!target) {
        report('undefined-alias', node, path, `alias *${node.source} refers to no anchor &${node.source} defined before it`);
        continue;
      }
      if (open.has(target)) {
        report('alias-limit', node, path, `alias *${node.source} refers to a node that contains it (an infinite structure)`);
        continue;
      }
      const size = sizes.get(target) ?? 1;
      sizes.set(node, size);
      expansion += size;
      if (!isAliasLimitReported && (aliasCount > MAX_ALIAS_COUNT || expansion > MAX_ALIAS_EXPANSION)) {
        isAliasLimitReported = true;
        report(
          'alias-limit',
          node,
          path,
          aliasCount > MAX_ALIAS_COUNT
            ? `more than ${MAX_ALIAS_COUNT} aliases; write the manifest out without anchors and aliases`
            : `anchors and aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes; write the manifest out without them`,
        );
      }
      continue;
    }
    const n = node as Node & { anchor?: string; tag?: string };
    if (n.tag !== undefined && !ALLOWED_TAGS.has(n.tag)) {
      report(
        'unsupported-tag',
        node,
        path,
        `the tag ${shortTag(n.tag)} is not supported; remove it (Kubernetes reads plain strings, numbers, booleans, maps and lists)`,
      );
    }
    if (n.anchor) anchors.set(n.anchor, n);
    open.add(node);
    stack.push({ node, path, exit: true });
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        if (!isPair(pair)) continue;
        const key = keyText(pair.key);
        if (isMergeKey(pair.key) && !isMergeSource(pair.value, anchors)) {
          // Checked before the value's own aliases are seen, so the anchors known here are exactly
          // those defined before the merge key.
          const at = [...path, key];
          if (!isUndefinedAlias(pair.value, anchors))
            report('merge-key', pair.key, at, 'a merge key (<<) takes a map, an alias to a map, or a list of those');
        }
        stack.push({ node: pair.value, path: [...path, key], exit: false });
        stack.push({ node: pair.key, path: [...path, key], exit: false });
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i], exit: false });
    }
  }
  return problems;
}

/** A map key as text; the merge key's value is a Symbol in the `yaml` package. */
export function keyText(key: unknown): string {
  if (!isScalar(key)) return '?';
  return typeof key.value === 'symbol' ? (key.source ?? '<<') : String(key.value);
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function resolved(node: unknown, anchors: Map<string, Node>): unknown {
  return isAlias(node) ? anchors.get(node.source) : node;
}

function isUndefinedAlias(node: unknown, anchors: Map<string, Node>): boolean {
  if (isAlias(node)) return !anchors.has(node.source);
  return isSeq(node) && node.items.some((i) => isAlias(i) && !anchors.has(i.source));
}

function isMergeSource(node: unknown, anchors: Map<string, Node>): boolean {
  if (isMap(resolved(node, anchors))) return true;
  return isSeq(node) && node.items.length > 0 && node.items.every((i) => isMap(resolved(i, anchors)));
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

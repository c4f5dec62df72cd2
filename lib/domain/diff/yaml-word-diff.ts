/**
 * Word-level diff of two YAML lines that follows YAML's tokens, so a changed value is marked as
 * one word ("admin.external"), never as character fragments ("adm·in·.·ext·ernal").
 *
 * Tokens: indentation, the `- ` of a sequence item, a key (plain or quoted), `:`, a quoted scalar
 * (quotes included, one token), flow punctuation (`[ ] { } ,`), a comment, runs of whitespace, and
 * the words of a plain value (split at whitespace only: a host name or URL stays one word).
 *
 * The result has the shape of jsdiff's `Change[]` (what react-diff-viewer-continued's
 * `compareMethod` takes): consecutive tokens of the same kind are merged.
 */
export type TWordChange = { value: string; added?: boolean; removed?: boolean; count: number };

const KEY = /^(\s*)(-\s+)?("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],][^:#]*?|)(:)(?=\s|$)/;

/** Splits one YAML line into tokens; joining them gives the line back exactly. */
export function yamlTokens(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  const key = KEY.exec(line);
  if (key && key[3]) {
    if (key[1]) out.push(key[1]);
    if (key[2]) out.push(...splitSpace(key[2]));
    out.push(key[3], key[4]!);
    rest = line.slice(key[0].length);
  } else {
    const lead = /^(\s*)(-(?=\s|$))?/.exec(line)!;
    if (lead[1]) out.push(lead[1]);
    if (lead[2]) out.push(lead[2]);
    rest = line.slice(lead[0].length);
  }
  out.push(...valueTokens(rest));
  return out;
}

function splitSpace(s: string): string[] {
  return s.match(/\s+|\S+/g) ?? [];
}

function valueTokens(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      const m = /^\s+/.exec(s.slice(i))![0];
      out.push(m);
      i += m.length;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) {
      out.push(...splitSpace(s.slice(i)));
      break;
    } else if (c === '"' || c === "'") {
      const end = closingQuote(s, i);
      out.push(s.slice(i, end));
      i = end;
    } else if ('[]{},'.includes(c)) {
      out.push(c);
      i++;
    } else {
      const m = /^[^\s[\]{},]+/.exec(s.slice(i))![0];
      out.push(m);
      i += m.length;
    }
  }
  return out;
}

function closingQuote(s: string, start: number): number {
  const q = s[start]!;
  for (let i = start + 1; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') i++;
    else if (s[i] === q) {
      if (q === "'" && s[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return s.length;
}

const isSpace = (t: string) => /^\s+$/.test(t);

/**
 * Token diff of two lines (longest common subsequence of tokens). With `ignoreWhitespace`, runs
 * of whitespace compare equal whatever their length (indentation included).
 */
export function yamlWordDiff(oldLine: string, newLine: string, opts: { ignoreWhitespace?: boolean } = {}): TWordChange[] {
  const a = yamlTokens(oldLine);
  const b = yamlTokens(newLine);
  const eq = opts.ignoreWhitespace ? (x: string, y: string) => x === y || (isSpace(x) && isSpace(y)) : (x: string, y: string) => x === y;
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]; lines are short (≤ a few hundred tokens).
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = eq(a[i]!, b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const changes: TWordChange[] = [];
  const push = (value: string, kind: 'same' | 'added' | 'removed') => {
    const last = changes.at(-1);
    const lastKind = last ? (last.added ? 'added' : last.removed ? 'removed' : 'same') : null;
    if (last && lastKind === kind) {
      last.value += value;
      last.count++;
      return;
    }
    changes.push(
      kind === 'same' ? { value, count: 1 } : kind === 'added' ? { value, added: true, count: 1 } : { value, removed: true, count: 1 },
    );
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (eq(a[i]!, b[j]!)) {
      // The new side's text is what the unchanged chunk shows on the right.
      push(b[j]!, 'same');
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push(a[i++]!, 'removed');
    else push(b[j++]!, 'added');
  }
  while (i < n) push(a[i++]!, 'removed');
  while (j < m) push(b[j++]!, 'added');
  return changes;
}

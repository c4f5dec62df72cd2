/**
 * Where a line of one text is in another text — how a comment thread anchored to a line of
 * revision k follows the request to revision m. Cases:
 * - same text → the same line
 * - the line is unchanged between the two texts (part of their longest common subsequence of
 *   lines, after the common head and tail) → its new line number
 * - otherwise, the anchored line's content appears exactly once in the new text and exactly once
 *   in the old text (a moved line) → that line
 * - otherwise (edited, deleted, or ambiguous) → null: the thread is outdated
 * `anchorText` is the line's content when the comment was made; a line whose content is not that
 * any more is never matched (the anchor must not silently move to different text).
 */
export function reanchorLine(oldText: string, newText: string, line: number, anchorText: string): number | null {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  if (line < 1 || line > a.length || a[line - 1] !== anchorText) return null;
  if (oldText === newText) return line;
  const mapped = lcsMap(a, b).get(line - 1);
  if (mapped !== undefined) return mapped + 1;
  const inNew = indexesOf(b, anchorText);
  if (inNew.length === 1 && indexesOf(a, anchorText).length === 1) return inNew[0]! + 1;
  return null;
}

/** Lines of a text as the diff shows them (a final newline does not make an extra line). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The text of 1-based `line`, or null past the end. */
export function lineText(text: string, line: number): string | null {
  return splitLines(text)[line - 1] ?? null;
}

function indexesOf(lines: string[], text: string): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => l === text && out.push(i));
  return out;
}

/** Above this many cells the middle is not aligned (only head, tail and moved-line matching). */
const MAX_CELLS = 4_000_000;

/** Old index → new index for lines the two texts share in order. */
function lcsMap(a: string[], b: string[]): Map<number, number> {
  const map = new Map<number, number>();
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) {
    map.set(head, head);
    head++;
  }
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    map.set(a.length - 1 - tail, b.length - 1 - tail);
    tail++;
  }
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) return map;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      t[i * w + j] = a[head + i] === b[head + j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[head + i] === b[head + j]) {
      map.set(head + i, head + j);
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
    else j++;
  }
  return map;
}

import { describe, expect, it } from 'vitest';
import { reanchorLine, splitLines } from './reanchor-line';

const doc = (...lines: string[]) => lines.join('\n') + '\n';
const base = doc('a: 1', 'b: 2', 'c: 3', 'd: 4');

describe('reanchorLine', () => {
  it.each([
    ['same text', base, 3, 'c: 3', 3],
    ['a line inserted above', doc('a: 1', 'x: 0', 'b: 2', 'c: 3', 'd: 4'), 3, 'c: 3', 4],
    ['a line removed above', doc('a: 1', 'c: 3', 'd: 4'), 3, 'c: 3', 2],
    ['the line itself edited', doc('a: 1', 'b: 2', 'c: 30', 'd: 4'), 3, 'c: 3', null],
    ['the line deleted', doc('a: 1', 'b: 2', 'd: 4'), 3, 'c: 3', null],
    ['the line moved to the end', doc('a: 1', 'b: 2', 'd: 4', 'c: 3'), 3, 'c: 3', 4],
    ['anchor text no longer what the old line says', base, 3, 'c: 99', null],
    ['past the end', base, 9, 'c: 3', null],
  ])('%s', (_name, next, line, anchor, expected) => {
    expect(reanchorLine(base, next, line, anchor)).toBe(expected);
  });

  it('does not jump to an identical line elsewhere when the anchored one changed', () => {
    const old = doc('x:', '  pathType: Prefix', 'y:', '  pathType: Prefix');
    const next = doc('x:', '  pathType: Exact', 'y:', '  pathType: Prefix');
    expect(reanchorLine(old, next, 2, '  pathType: Prefix')).toBeNull();
    expect(reanchorLine(old, next, 4, '  pathType: Prefix')).toBe(4);
  });

  it('splitLines ignores the final newline', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

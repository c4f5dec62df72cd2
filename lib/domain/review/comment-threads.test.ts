import { describe, expect, it } from 'vitest';
import { groupThreads, threadLineIn, type TCommentFact } from './comment-threads';

const c = (over: Partial<TCommentFact>): TCommentFact => ({
  id: 'x',
  parentId: null,
  author: { name: 'A' },
  body: 'b',
  revision: 1,
  line: null,
  side: null,
  anchorText: null,
  resolvedAt: null,
  resolvedBy: null,
  createdAt: new Date(0),
  ...over,
});

describe('groupThreads', () => {
  it('puts replies under their root, in order, and drops orphans', () => {
    const threads = groupThreads([
      c({ id: 'r1', line: 3, side: 'proposed', anchorText: 'c: 3' }),
      c({ id: 'r2' }),
      c({ id: 'a', parentId: 'r1', body: 'first reply' }),
      c({ id: 'b', parentId: 'r1', body: 'second reply' }),
      c({ id: 'o', parentId: 'gone' }),
    ]);
    expect(threads.map((t) => [t.id, t.comments.map((x) => x.id)])).toEqual([
      ['r1', ['r1', 'a', 'b']],
      ['r2', ['r2']],
    ]);
    expect(threads[0]).toMatchObject({ side: 'proposed', line: 3, isResolved: false });
  });
  it('a resolved root makes a resolved thread', () => {
    expect(groupThreads([c({ id: 'r', resolvedAt: new Date(1), resolvedBy: { name: 'B' } })])[0]!.isResolved).toBe(true);
  });
});

describe('threadLineIn', () => {
  const texts = (rev: number, side: 'proposed' | 'base') =>
    side === 'base'
      ? 'a: 1\n'
      : (({ 1: 'a: 1\nb: 2\nc: 3\n', 2: 'a: 1\nnew: 0\nb: 2\nc: 3\n', 3: 'a: 1\nb: 2\nc: 30\n' } as Record<number, string>)[rev] ?? null);
  const thread = { revision: 1, side: 'proposed' as const, line: 3, anchorText: 'c: 3' };
  it.each([
    ['its own revision', 1, 3],
    ['carried to a later revision where the line moved down', 2, 4],
    ['outdated where the line was edited', 3, null],
    ['outdated where the revision does not exist', 9, null],
  ])('%s', (_n, target, line) => expect(threadLineIn(thread, texts, target)).toBe(line));
  it('a general comment has no line anywhere', () => {
    expect(threadLineIn({ revision: 1, side: null, line: null, anchorText: null }, texts, 1)).toBeNull();
  });
});

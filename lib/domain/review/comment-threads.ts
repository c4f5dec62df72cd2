import { reanchorLine } from '../diff/reanchor-line';

export type TCommentSide = 'proposed' | 'base';

/** One stored comment, as the read model hands it over (dates as ISO strings or Dates). */
export type TCommentFact<D = Date> = {
  id: string;
  parentId: string | null;
  author: { id?: string; name: string; email?: string };
  body: string;
  revision: number | null;
  line: number | null;
  side: string | null;
  anchorText: string | null;
  resolvedAt: D | null;
  resolvedBy: { name: string } | null;
  createdAt: D;
};

export type TThread<D = Date> = {
  id: string;
  revision: number | null;
  side: TCommentSide | null;
  line: number | null;
  anchorText: string | null;
  isResolved: boolean;
  resolvedAt: D | null;
  resolvedBy: { name: string } | null;
  comments: TCommentFact<D>[];
};

/** Roots in creation order, each with its replies in creation order. Orphan replies are dropped. */
export function groupThreads<D>(comments: readonly TCommentFact<D>[]): TThread<D>[] {
  const threads = new Map<string, TThread<D>>();
  for (const c of comments)
    if (!c.parentId)
      threads.set(c.id, {
        id: c.id,
        revision: c.revision,
        side: c.side === 'base' || c.side === 'proposed' ? c.side : null,
        line: c.line,
        anchorText: c.anchorText,
        isResolved: c.resolvedAt !== null,
        resolvedAt: c.resolvedAt,
        resolvedBy: c.resolvedBy,
        comments: [c],
      });
  for (const c of comments) if (c.parentId) threads.get(c.parentId)?.comments.push(c);
  return [...threads.values()];
}

/** The YAML texts of a request's revisions: what `side` of revision `n` showed. */
export type TRevisionTexts = (revision: number, side: TCommentSide) => string | null;

/**
 * The line a line thread sits on in `side` of revision `target`, or null when the line is not
 * there any more (the thread is outdated for that revision). Cases: a general comment → null; on
 * its own revision → its line; later (or earlier) revisions → found by content (`reanchorLine`).
 */
export function threadLineIn(
  thread: Pick<TThread<unknown>, 'revision' | 'side' | 'line' | 'anchorText'>,
  texts: TRevisionTexts,
  target: number,
): number | null {
  if (thread.line === null || thread.side === null || thread.revision === null) return null;
  const from = texts(thread.revision, thread.side);
  const to = texts(target, thread.side);
  if (from === null || to === null) return null;
  if (thread.revision === target) return thread.line;
  const anchor = thread.anchorText ?? from.split('\n')[thread.line - 1] ?? '';
  return reanchorLine(from, to, thread.line, anchor);
}

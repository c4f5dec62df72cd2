'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import type { TFinding } from '@/lib/domain/risk/types';
import { commentOnChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { Card } from '@/components/ui/card';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { formatTime } from '@/components/ui/format';
import { FindingsList, findingKey } from './findings-list';
import { YamlDiff, type TLineRef } from './yaml-diff';

export type TReviewRevision = {
  number: number;
  proposedYaml: string;
  baseYaml: string;
  findings: TFinding[];
  author: string;
  createdAt: string;
};
export type TReviewComment = {
  id: string;
  author: string;
  body: string;
  line: number | null;
  side: string | null;
  revision: number | null;
  createdAt: string;
};

type TSideRef = { kind: 'base' | 'rev'; revision: number };
const parseRef = (v: string): TSideRef => {
  const [kind, n] = v.split(':');
  return { kind: kind === 'base' ? 'base' : 'rev', revision: Number(n) };
};

/**
 * The review surface: revision picker (live vs proposed, or any two revisions), the side-by-side
 * diff with findings on their lines, the findings panel, and comments (general or on a line).
 */
export function RequestReview({
  requestId,
  action,
  revisions,
  current,
  comments,
  canComment,
}: {
  requestId: string;
  action: string;
  revisions: TReviewRevision[];
  current: number;
  comments: TReviewComment[];
  canComment: boolean;
}) {
  const router = useRouter();
  const [left, setLeft] = useState(`base:${current}`);
  const [right, setRight] = useState(`rev:${current}`);
  const [selected, setSelected] = useState<string | null>(null);
  const [lineRef, setLineRef] = useState<TLineRef | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPosting, startPost] = useTransition();
  const byNumber = useMemo(() => new Map(revisions.map((r) => [r.number, r])), [revisions]);
  const l = parseRef(left);
  const r = parseRef(right);
  const lRev = byNumber.get(l.revision);
  const rRev = byNumber.get(r.revision);
  const oldValue = (l.kind === 'base' ? lRev?.baseYaml : lRev?.proposedYaml) ?? '';
  const newValue = rRev?.proposedYaml ?? '';
  const leftTitle = l.kind === 'base' ? `Live (base of revision ${l.revision})` : `Revision ${l.revision} (proposed)`;
  const rightTitle = action === 'DELETE' ? 'Deleted' : `Revision ${r.revision} (proposed)`;
  const findings = useMemo(
    () => ({
      left:
        l.kind === 'base'
          ? (lRev?.findings.filter((f) => f.side === 'base') ?? [])
          : (lRev?.findings.filter((f) => f.side === 'proposed') ?? []),
      right: rRev?.findings.filter((f) => f.side === 'proposed') ?? [],
    }),
    [l.kind, lRev, rRev],
  );
  // Which (side, revision) a left/right line comment belongs to.
  const target = (side: 'L' | 'R') =>
    side === 'R'
      ? { side: 'proposed' as const, revision: r.revision }
      : l.kind === 'base'
        ? { side: 'base' as const, revision: l.revision }
        : { side: 'proposed' as const, revision: l.revision };
  const commentCounts = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of comments) {
      if (!c.line || c.revision === null) continue;
      for (const s of ['L', 'R'] as const) {
        const t = target(s);
        if (t.side === c.side && t.revision === c.revision) m.set(`${s}-${c.line}`, (m.get(`${s}-${c.line}`) ?? 0) + 1);
      }
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [comments, left, right]);
  const panelFindings = rRev?.findings ?? [];

  function post(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const t = lineRef ? target(lineRef.side) : null;
    const input = t && lineRef ? { body, line: lineRef.line, side: t.side, revision: t.revision } : { body, revision: r.revision };
    startPost(async () => {
      const res = await commentOnChangeRequestAction(requestId, input);
      if (!res.ok) {
        setError([res.message, ...res.fieldErrors.map((f) => f.message)].join(' '));
        return;
      }
      setBody('');
      setLineRef(null);
      router.refresh();
    });
  }

  const options = revisions.flatMap((rev) => [
    { value: `base:${rev.number}`, label: `Live when revision ${rev.number} was made` },
    { value: `rev:${rev.number}`, label: `Revision ${rev.number}${rev.number === current ? ' (current)' : ''}` },
  ]);

  return (
    <div className="space-y-4">
      <Card id="diff" title="Changes">
        <div className="mb-3 flex flex-wrap items-end gap-3 text-xs" data-testid="revision-picker">
          <div>
            <label htmlFor="cmp-left" className={label}>
              Compare
            </label>
            <select
              id="cmp-left"
              className="mt-0.5 rounded border border-slate-300 bg-white px-2 py-1 text-sm"
              value={left}
              onChange={(e) => setLeft(e.target.value)}
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="cmp-right" className={label}>
              with
            </label>
            <select
              id="cmp-right"
              className="mt-0.5 rounded border border-slate-300 bg-white px-2 py-1 text-sm"
              value={right}
              onChange={(e) => setRight(e.target.value)}
            >
              {revisions.map((rev) => (
                <option key={rev.number} value={`rev:${rev.number}`}>
                  Revision {rev.number}
                  {rev.number === current ? ' (current)' : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <YamlDiff
          oldValue={oldValue}
          newValue={newValue}
          leftTitle={leftTitle}
          rightTitle={rightTitle}
          findings={findings}
          commentCounts={commentCounts}
          onFinding={(f) => {
            const key = findingKey(f);
            setSelected(key);
            document.getElementById(`finding-${key}`)?.scrollIntoView({ block: 'nearest' });
          }}
          onLine={(ref) => {
            if (!canComment) return;
            setLineRef(ref);
            document.getElementById('comment-body')?.focus();
          }}
        />
        {canComment && <p className="mt-2 text-xs text-slate-500">Click a line number to comment on that line.</p>}
      </Card>

      <Card id="findings" title={`Risk findings (${panelFindings.length}) — revision ${r.revision}`} testId="findings-panel">
        <FindingsList
          findings={panelFindings}
          selectedKey={selected}
          onLine={(f) => {
            setSelected(findingKey(f));
            const el = document.querySelector(`[data-line="${f.side === 'base' ? 'L' : 'R'}-${f.lines[0]}"]`) as HTMLElement | null;
            el?.scrollIntoView({ block: 'center' });
            el?.focus();
          }}
        />
      </Card>

      <Card id="comments" title={`Comments (${comments.length})`} testId="comments">
        {comments.length === 0 ? (
          <p className="text-sm text-slate-600">No comments yet.</p>
        ) : (
          <ol className="space-y-3">
            {comments.map((c) => (
              <li key={c.id} data-testid="comment" className="rounded border border-slate-200 p-3 text-sm">
                <div className="flex flex-wrap gap-2 text-xs text-slate-600">
                  <span className="font-semibold text-slate-900">{c.author}</span>
                  <span>{formatTime(c.createdAt)}</span>
                  {c.line ? (
                    <span data-testid="comment-line" className="rounded bg-blue-50 px-1 text-blue-900">
                      {c.side === 'base' ? 'live' : 'proposed'} line {c.line} · revision {c.revision}
                    </span>
                  ) : c.revision ? (
                    <span>revision {c.revision}</span>
                  ) : null}
                </div>
                <p className="mt-1 whitespace-pre-wrap break-words">{c.body}</p>
              </li>
            ))}
          </ol>
        )}
        {canComment && (
          <form onSubmit={post} className="mt-4 space-y-2" aria-label="Add a comment">
            {lineRef && (
              <p className="flex items-center gap-2 text-xs text-blue-900" data-testid="comment-target">
                Commenting on {lineRef.side === 'R' ? 'right' : 'left'} line {lineRef.line} ({target(lineRef.side).side}, revision{' '}
                {target(lineRef.side).revision})
                <button type="button" className="underline" onClick={() => setLineRef(null)}>
                  comment on the whole request instead
                </button>
              </p>
            )}
            <div className="grid gap-2 sm:grid-cols-[8rem_1fr]">
              <div>
                <label htmlFor="comment-line" className={label}>
                  Line (optional)
                </label>
                <input
                  id="comment-line"
                  type="number"
                  min={1}
                  className={input}
                  value={lineRef?.line ?? ''}
                  onChange={(e) => setLineRef(e.target.value ? { side: lineRef?.side ?? 'R', line: Number(e.target.value) } : null)}
                />
              </div>
              <div>
                <label htmlFor="comment-body" className={label}>
                  Comment
                </label>
                <textarea id="comment-body" className={`${input} min-h-20`} value={body} onChange={(e) => setBody(e.target.value)} />
              </div>
            </div>
            {error && <ErrorNote testId="comment-error">{error}</ErrorNote>}
            <button type="submit" className={btnPrimary} disabled={isPosting || !body.trim()}>
              {isPosting ? 'Posting…' : 'Post comment'}
            </button>
          </form>
        )}
      </Card>
    </div>
  );
}

'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import type { TFinding } from '@/lib/domain/risk/types';
import { commentOnChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { Card } from '@/components/ui/card';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { threadLineIn } from '@/lib/domain/review/comment-threads';
import { CommentThread, LineCommentComposer, type TReviewThread } from './comment-thread';
import { lineKey } from './diff-gutter';
import { FindingsList, findingKey } from './findings-list';
import { YamlDiff, type TLineRef } from './yaml-diff';

export type { TReviewThread } from './comment-thread';

export type TReviewRevision = {
  number: number;
  proposedYaml: string;
  baseYaml: string;
  findings: TFinding[];
  author: string;
  createdAt: string;
};
type TSideRef = { kind: 'base' | 'rev'; revision: number };
const parseRef = (v: string): TSideRef => {
  const [kind, n] = v.split(':');
  return { kind: kind === 'base' ? 'base' : 'rev', revision: Number(n) };
};

/**
 * The review surface: revision picker (live vs proposed, or any two revisions), the diff with
 * findings on their lines and comment threads under theirs (carried to later revisions by
 * content), the findings panel, and the conversation (every thread, and general comments).
 */
export function RequestReview({
  requestId,
  action,
  revisions,
  current,
  threads,
  canComment,
}: {
  requestId: string;
  action: string;
  revisions: TReviewRevision[];
  current: number;
  threads: TReviewThread[];
  canComment: boolean;
}) {
  const router = useRouter();
  const [left, setLeft] = useState(`base:${current}`);
  const [right, setRight] = useState(`rev:${current}`);
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedLine, setSelectedLine] = useState<TLineRef | null>(null);
  const [composing, setComposing] = useState<TLineRef | null>(null);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [lineError, setLineError] = useState<string | null>(null);
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
  // Threads placed on the lines of the two texts shown (found by content in other revisions).
  const placed = useMemo(() => placeThreads(threads, byNumber, l, r), [threads, byNumber, left, right]); // eslint-disable-line react-hooks/exhaustive-deps
  const commentCounts = useMemo(() => new Map([...placed].map(([k, list]) => [k, list.length])), [placed]);
  const selectedKey = selectedLine ? lineKey(selectedLine) : null;
  const composingKey = composing ? lineKey(composing) : null;
  const belowKeys = useMemo(
    () => [...new Set([...placed.keys(), ...(canComment && selectedKey ? [selectedKey] : []), ...(composingKey ? [composingKey] : [])])],
    [placed, canComment, selectedKey, composingKey],
  );
  const panelFindings = rRev?.findings ?? [];

  function post(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    startPost(async () => {
      const res = await commentOnChangeRequestAction(requestId, { body, revision: r.revision });
      if (!res.ok) {
        setError([res.message, ...res.fieldErrors.map((f) => f.message)].join(' '));
        return;
      }
      setBody('');
      router.refresh();
    });
  }

  function postLine(ref: TLineRef, text: string) {
    setLineError(null);
    const t = target(ref.side);
    startPost(async () => {
      const res = await commentOnChangeRequestAction(requestId, { body: text, line: ref.line, side: t.side, revision: t.revision });
      if (!res.ok) {
        setLineError([res.message, ...res.fieldErrors.map((f) => f.message)].join(' '));
        return;
      }
      setComposing(null);
      router.refresh();
    });
  }

  const describe = (ref: TLineRef) =>
    `${ref.side === 'R' ? 'right' : 'left'} line ${ref.line} (${target(ref.side).side}, revision ${target(ref.side).revision})`;
  const renderBelow = (key: string) => {
    const ref = { side: key[0] as 'L' | 'R', line: Number(key.slice(2)) };
    return (
      <div className="space-y-1.5 bg-slate-50 px-2 py-1.5 font-sans text-sm whitespace-normal" data-testid="line-threads" data-line={key}>
        {(placed.get(key) ?? []).map((t) => (
          <CommentThread key={t.id} requestId={requestId} thread={t} canComment={canComment} />
        ))}
        {composingKey === key ? (
          <LineCommentComposer
            label={`Comment on ${describe(ref)}`}
            isBusy={isPosting}
            error={lineError}
            onSubmit={(text) => postLine(ref, text)}
            onCancel={() => {
              setComposing(null);
              setLineError(null);
              document.getElementById(`line-${key}`)?.focus();
            }}
          />
        ) : (
          canComment &&
          selectedKey === key && (
            <button
              type="button"
              className={`${btnSecondary} py-0.5 text-xs`}
              onClick={() => setComposing(ref)}
              data-testid="comment-on-line"
            >
              Comment on {ref.side === 'R' ? 'right' : 'left'} line {ref.line}
            </button>
          )
        )}
      </div>
    );
  };

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
          belowKeys={belowKeys}
          renderBelow={renderBelow}
          onFinding={(f) => {
            const key = findingKey(f);
            setSelected(key);
            document.getElementById(`finding-${key}`)?.scrollIntoView({ block: 'nearest' });
          }}
          linkable
          onSelect={setSelectedLine}
          onComment={(ref) => canComment && setComposing(ref)}
        />
        {canComment && (
          <p className="mt-2 text-xs text-slate-500">Select a line number (click, or Tab and Enter) to link to it or comment on it.</p>
        )}
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

      <Card id="comments" title={`Conversation (${threads.length})`} testId="comments">
        {threads.length === 0 ? (
          <p className="text-sm text-slate-600">No comments yet.</p>
        ) : (
          <ol className="space-y-3">
            {threads.map((t) => (
              <li key={t.id}>
                <CommentThread requestId={requestId} thread={t} canComment={canComment} showPlace />
              </li>
            ))}
          </ol>
        )}
        {canComment && (
          <form onSubmit={post} className="mt-4 space-y-2" aria-label="Add a comment">
            <div>
              <label htmlFor="comment-body" className={label}>
                Comment on the whole request
              </label>
              <textarea id="comment-body" className={`${input} min-h-20`} value={body} onChange={(e) => setBody(e.target.value)} />
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

/**
 * Line key (`R-12`) → threads shown there. Right side: threads on proposed lines, placed in the
 * right revision. Left side: threads on live (base) lines when the left side is a live text.
 */
function placeThreads(
  threads: TReviewThread[],
  byNumber: Map<number, TReviewRevision>,
  l: { kind: 'base' | 'rev'; revision: number },
  r: { kind: 'base' | 'rev'; revision: number },
): Map<string, TReviewThread[]> {
  const texts = (n: number, side: 'proposed' | 'base') => {
    const rev = byNumber.get(n);
    return rev ? (side === 'base' ? rev.baseYaml : rev.proposedYaml) : null;
  };
  const out = new Map<string, TReviewThread[]>();
  for (const t of threads) {
    if (t.line === null) continue;
    const spot =
      t.side === 'proposed'
        ? { prefix: 'R', revision: r.revision }
        : t.side === 'base' && l.kind === 'base'
          ? { prefix: 'L', revision: l.revision }
          : null;
    if (!spot) continue;
    const line = threadLineIn(t, texts, spot.revision);
    if (line === null) continue;
    const key = `${spot.prefix}-${line}`;
    out.set(key, [...(out.get(key) ?? []), t]);
  }
  return out;
}

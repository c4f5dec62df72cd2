'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { commentOnChangeRequestAction } from '@/lib/web/actions/change-request-actions';
import { resolveCommentThreadAction } from '@/lib/web/actions/comment-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input } from '@/components/ui/field';
import { formatTime } from '@/components/ui/format';
import { CommentIcon } from './diff-gutter';

export type TReviewThreadComment = { id: string; author: string; body: string; createdAt: string };
export type TReviewThread = {
  id: string;
  revision: number | null;
  side: 'proposed' | 'base' | null;
  line: number | null;
  anchorText: string | null;
  isResolved: boolean;
  resolvedBy: string | null;
  /** Where the thread sits in the current revision; null when outdated or a general comment. */
  currentLine: number | null;
  isOutdated: boolean;
  comments: TReviewThreadComment[];
};

const small = 'py-0.5 text-xs';

/** Where a thread was started, in words: "proposed line 12 of revision 1". */
export function threadPlace(t: TReviewThread): string | null {
  if (t.line === null) return t.revision ? `revision ${t.revision}` : null;
  return `${t.side === 'base' ? 'live' : 'proposed'} line ${t.line} of revision ${t.revision}`;
}

/**
 * One conversation: its comments, a reply box and resolve / reopen. A resolved thread folds to
 * one line (it can be opened). An outdated one says so: its line is not in the current revision.
 */
export function CommentThread({
  requestId,
  thread,
  canComment,
  showPlace = false,
}: {
  requestId: string;
  thread: TReviewThread;
  canComment: boolean;
  showPlace?: boolean;
}) {
  const router = useRouter();
  const [isOpen, setOpen] = useState(!thread.isResolved);
  const [reply, setReply] = useState('');
  const [isReplying, setReplying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, start] = useTransition();
  const place = threadPlace(thread);
  const replyId = `reply-${thread.id}${showPlace ? '-list' : ''}`;

  function act(fn: () => Promise<{ ok: true } | { ok: false; message: string; fieldErrors: { message: string }[] }>, then?: () => void) {
    setError(null);
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setError([r.message, ...r.fieldErrors.map((f) => f.message)].join(' '));
        return;
      }
      then?.();
      router.refresh();
    });
  }

  return (
    <div
      className={`rounded border text-sm ${thread.isResolved ? 'border-slate-200 bg-slate-50' : 'border-blue-200 bg-white'}`}
      data-testid="comment-thread"
      data-thread={thread.id}
      data-resolved={thread.isResolved ? 'true' : 'false'}
      data-outdated={thread.isOutdated ? 'true' : 'false'}
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-2 py-1 text-xs text-slate-600">
        <CommentIcon className="h-3 w-3 text-blue-800" />
        <span className="font-semibold text-slate-900">{thread.comments[0]?.author}</span>
        {showPlace && place && <span data-testid="comment-line">{place}</span>}
        {thread.isOutdated && (
          <span
            className="rounded bg-amber-100 px-1 font-semibold text-amber-900"
            data-testid="thread-outdated"
            title="The line this thread is about is not in the current revision."
          >
            outdated
          </span>
        )}
        {thread.isResolved && (
          <span className="rounded bg-emerald-50 px-1 text-emerald-900" data-testid="thread-resolved">
            resolved{thread.resolvedBy ? ` by ${thread.resolvedBy}` : ''}
          </span>
        )}
        <span className="ml-auto flex gap-1">
          {thread.isResolved && (
            <button type="button" className="underline" aria-expanded={isOpen} onClick={() => setOpen((v) => !v)}>
              {isOpen ? 'Hide' : `Show ${thread.comments.length} comment${thread.comments.length === 1 ? '' : 's'}`}
            </button>
          )}
        </span>
      </div>
      {isOpen && (
        <>
          <ol className="divide-y divide-slate-100">
            {thread.comments.map((c) => (
              <li key={c.id} className="px-2 py-1.5" data-testid="comment">
                <div className="flex flex-wrap gap-2 text-xs text-slate-600">
                  <span className="font-semibold text-slate-900">{c.author}</span>
                  <span>{formatTime(c.createdAt)}</span>
                </div>
                <p className="mt-0.5 whitespace-pre-wrap break-words">{c.body}</p>
              </li>
            ))}
          </ol>
          {canComment && (
            <div className="space-y-1.5 border-t border-slate-100 px-2 py-1.5">
              {isReplying ? (
                <form
                  className="space-y-1.5"
                  onSubmit={(e) => {
                    e.preventDefault();
                    act(
                      () => commentOnChangeRequestAction(requestId, { body: reply, replyTo: thread.id }),
                      () => {
                        setReply('');
                        setReplying(false);
                      },
                    );
                  }}
                >
                  <label htmlFor={replyId} className="sr-only">
                    Reply
                  </label>
                  <textarea
                    id={replyId}
                    autoFocus
                    className={`${input} min-h-14`}
                    value={reply}
                    onChange={(e) => setReply(e.target.value)}
                    placeholder="Reply…"
                  />
                  <div className="flex gap-2">
                    <button type="submit" className={`${btnPrimary} ${small}`} disabled={isBusy || !reply.trim()}>
                      Reply
                    </button>
                    <button type="button" className={`${btnSecondary} ${small}`} onClick={() => setReplying(false)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <div className="flex flex-wrap gap-2">
                  <button type="button" className={`${btnSecondary} ${small}`} onClick={() => setReplying(true)}>
                    Reply
                  </button>
                  <button
                    type="button"
                    className={`${btnSecondary} ${small}`}
                    disabled={isBusy}
                    onClick={() => act(() => resolveCommentThreadAction(requestId, thread.id, !thread.isResolved))}
                  >
                    {thread.isResolved ? 'Reopen thread' : 'Resolve thread'}
                  </button>
                </div>
              )}
              {error && <ErrorNote testId="thread-error">{error}</ErrorNote>}
            </div>
          )}
        </>
      )}
    </div>
  );
}

/** The box that starts a thread on a line (opened by a line's "Comment" button or `c`). */
export function LineCommentComposer({
  label,
  onSubmit,
  onCancel,
  isBusy,
  error,
}: {
  label: string;
  onSubmit: (body: string) => void;
  onCancel: () => void;
  isBusy: boolean;
  error: string | null;
}) {
  const [body, setBody] = useState('');
  return (
    <form
      className="space-y-1.5 rounded border border-blue-300 bg-white p-2 text-sm"
      data-testid="line-comment-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(body);
      }}
    >
      <label htmlFor="line-comment-body" className="block text-xs font-semibold text-slate-700">
        {label}
      </label>
      <textarea
        id="line-comment-body"
        autoFocus
        className={`${input} min-h-16`}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      />
      {error && <ErrorNote testId="comment-error">{error}</ErrorNote>}
      <div className="flex gap-2">
        <button type="submit" className={`${btnPrimary} ${small}`} disabled={isBusy || !body.trim()}>
          {isBusy ? 'Posting…' : 'Comment'}
        </button>
        <button type="button" className={`${btnSecondary} ${small}`} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

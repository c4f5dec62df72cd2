'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import {
  cancelChangeRequestAction,
  rebaseChangeRequestAction,
  reviewChangeRequestAction,
  rollbackChangeRequestAction,
} from '@/lib/web/actions/change-request-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { btnDanger, btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { RestoreDialog } from '@/components/history/restore-dialog';

export type TViewer = {
  canReview: boolean;
  reviewRefusal: string | null;
  canRevise: boolean;
  canRebase: boolean;
  canCancel: boolean;
  canRollback: boolean;
  canComment: boolean;
};
type TResult = { ok: true } | { ok: false; message: string; fieldErrors: { path: string; message: string }[] };

/**
 * What the viewer may do, where they decide it. Buttons the viewer may not use are shown
 * disabled with the server's reason (never hidden silently); the server re-checks everything.
 */
export function RequestActions({
  id,
  status,
  currentRevision,
  viewer,
  isProduction,
  environmentName,
  rollbackPreview,
}: {
  id: string;
  status: string;
  currentRevision: number;
  viewer: TViewer;
  isProduction: boolean;
  environmentName: string;
  rollbackPreview: { from: string; to: string; error: string | null; isPreApproved: boolean; preApprovalReason: string } | null;
}) {
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [panel, setPanel] = useState<null | 'cancel' | 'rollback'>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [isBusy, start] = useTransition();

  function run(fn: () => Promise<TResult & Record<string, unknown>>, after?: (data: unknown) => void) {
    setError(null);
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setError({ message: r.message, details: r.fieldErrors.map((f) => f.message) });
        return;
      }
      setPanel(null);
      setReason('');
      setComment('');
      if (after) after((r as { data?: unknown }).data);
      else router.refresh();
    });
  }

  const review = (decision: 'APPROVE' | 'REJECT' | 'REQUEST_CHANGES') =>
    run(() => reviewChangeRequestAction(id, { decision, revision: currentRevision, comment }));
  const showReview = status === 'PENDING';
  // Nothing this viewer may do here (e.g. an approver on an applied request): no empty card.
  const hasAnything = showReview || viewer.canRevise || viewer.canRebase || viewer.canCancel || viewer.canRollback;
  if (!hasAnything && !error) return null;

  return (
    <section aria-labelledby="actions-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="actions">
      <h2 id="actions-title" className="text-sm font-semibold">
        Actions
      </h2>
      {showReview && (
        <div className="space-y-2">
          {viewer.canReview ? (
            <>
              <label htmlFor="review-comment" className={label}>
                Review comment (required to reject)
              </label>
              <textarea
                id="review-comment"
                aria-describedby="review-comment-hint"
                className={`${input} min-h-16`}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
              <p id="review-comment-hint" className="text-xs text-slate-600">
                Also required to request changes, which blocks approval until the requester revises.
              </p>
            </>
          ) : (
            <p data-testid="review-refusal" className="rounded bg-slate-100 px-2 py-1 text-sm text-slate-700">
              {viewer.reviewRefusal ?? 'You cannot review this request.'}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className={isProduction ? btnDanger : btnPrimary}
              disabled={!viewer.canReview || isBusy}
              title={viewer.reviewRefusal ?? undefined}
              onClick={() => review('APPROVE')}
            >
              Approve revision {currentRevision}
              {isProduction ? ` in ${environmentName}` : ''}
            </button>
            <button
              type="button"
              className={btnSecondary}
              disabled={!viewer.canReview || isBusy}
              title={viewer.reviewRefusal ?? undefined}
              onClick={() => review('REQUEST_CHANGES')}
            >
              Request changes
            </button>
            <button
              type="button"
              className={btnSecondary}
              disabled={!viewer.canReview || isBusy}
              title={viewer.reviewRefusal ?? undefined}
              onClick={() => review('REJECT')}
            >
              Reject
            </button>
          </div>
        </div>
      )}

      <div className="flex flex-wrap gap-2">
        {viewer.canRevise && (
          <Link href={`/requests/${id}/revise`} className={btnSecondary}>
            Revise
          </Link>
        )}
        {viewer.canRebase && (
          <button type="button" className={btnPrimary} disabled={isBusy} onClick={() => run(() => rebaseChangeRequestAction(id))}>
            Rebase onto the live object
          </button>
        )}
        {viewer.canCancel && (
          <button
            type="button"
            className={btnSecondary}
            aria-expanded={panel === 'cancel'}
            onClick={() => setPanel(panel === 'cancel' ? null : 'cancel')}
          >
            Cancel request…
          </button>
        )}
        {viewer.canRollback && (
          <button
            type="button"
            className={btnDanger}
            aria-expanded={panel === 'rollback'}
            onClick={() => setPanel(panel === 'rollback' ? null : 'rollback')}
          >
            Roll back…
          </button>
        )}
      </div>

      {panel === 'cancel' && (
        <div className="space-y-2 rounded border border-slate-300 p-3" role="group" aria-label="Confirm cancellation">
          <label htmlFor="cancel-reason" className={label}>
            Reason for cancelling
          </label>
          <input id="cancel-reason" className={input} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" className={btnDanger} disabled={isBusy} onClick={() => run(() => cancelChangeRequestAction(id, reason))}>
            Confirm cancel
          </button>
        </div>
      )}

      {panel === 'rollback' && (
        <RestoreDialog
          title="Roll back this change"
          testId="rollback-confirm"
          intro={
            <p>
              {rollbackPreview && !rollbackPreview.error && !rollbackPreview.to
                ? 'This change created the Ingress, so rolling it back deletes it from the cluster. '
                : 'This proposes a new request that puts the Ingress back to its state before this change. '}
              {rollbackPreview?.isPreApproved ? `In ${environmentName} it is applied right away.` : 'It then needs approval.'}
            </p>
          }
          note={rollbackPreview?.preApprovalReason}
          diff={
            rollbackPreview && !rollbackPreview.error
              ? {
                  oldValue: rollbackPreview.from,
                  newValue: rollbackPreview.to,
                  leftTitle: 'Live now',
                  rightTitle: rollbackPreview.to ? 'After rollback' : 'After rollback (deleted)',
                }
              : null
          }
          error={
            (error ? [error.message, ...error.details].join(' ') : null) ??
            rollbackPreview?.error ??
            (rollbackPreview ? null : 'The rollback cannot be previewed right now.')
          }
          reasonLabel="Why roll back?"
          reasonId="rollback-reason"
          confirmLabel={rollbackPreview && !rollbackPreview.error && !rollbackPreview.to ? 'Confirm rollback (delete)' : 'Confirm rollback'}
          isBusy={isBusy}
          onClose={() => setPanel(null)}
          onConfirm={(why) =>
            run(
              () => rollbackChangeRequestAction(id, why),
              (data) => router.push(`/requests/${(data as { id: string }).id}`),
            )
          }
        />
      )}

      {error && (
        <ErrorNote testId="action-error">
          <p>{error.message}</p>
          {error.details.length > 0 && (
            <ul className="ml-4 list-disc">
              {error.details.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </ErrorNote>
      )}
      {isBusy && (
        <p role="status" className="text-xs text-slate-500">
          Working…
        </p>
      )}
    </section>
  );
}

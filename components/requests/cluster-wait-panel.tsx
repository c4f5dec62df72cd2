'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ErrorNote } from '@/components/ui/error-note';
import { btnSecondary } from '@/components/ui/buttons';
import { formatTime } from '@/components/ui/format';
import { errorSummary } from '@/lib/domain/text/error-summary';
import { retryChangeRequestAction } from '@/lib/web/actions/apply-actions';

/**
 * "Waiting for cluster since …" while an approved change cannot reach its cluster, and "Retry"
 * (no new approvals; every just-in-time check runs again) for the requester and approvers once a
 * change waits or failed only because of the cluster. A viewer who may not retry sees the button
 * disabled with the reason.
 */
export function ClusterWaitPanel({
  id,
  view,
}: {
  id: string;
  view: {
    waitingSince: Date | null;
    nextAttemptAt: Date | null;
    isFailedUnreachable: boolean;
    canRetry: boolean;
    retryRefusal: string | null;
  };
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, start] = useTransition();
  const retry = () =>
    start(async () => {
      setError(null);
      const r = await retryChangeRequestAction(id);
      if (!r.ok) setError(errorSummary(r.message, r.fieldErrors));
      else router.refresh();
    });
  return (
    <div className="space-y-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="cluster-wait">
      <p>
        {view.waitingSince ? (
          <>
            <span className="font-semibold">Waiting for cluster since {formatTime(view.waitingSince)}</span>
            {view.nextAttemptAt ? ` — next attempt ${formatTime(view.nextAttemptAt)}` : ''}. The change keeps its approvals and is applied
            when the cluster answers, until the request expires.
          </>
        ) : (
          <span className="font-semibold">
            This change failed only because the cluster was unreachable; it can be retried without new approvals.
          </span>
        )}
      </p>
      <button
        type="button"
        className={btnSecondary}
        onClick={retry}
        disabled={!view.canRetry || isBusy}
        title={view.retryRefusal ?? undefined}
        data-testid="retry-apply"
      >
        {view.waitingSince ? 'Retry now' : 'Retry apply'}
      </button>
      {view.retryRefusal && <p className="text-xs text-amber-900">{view.retryRefusal}</p>}
      {error && <ErrorNote>{error}</ErrorNote>}
    </div>
  );
}

'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { adoptLiveStateAction, restoreApprovedStateAction } from '@/lib/web/actions/drift-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { errorSummary } from '@/lib/domain/text/error-summary';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';

type TState = 'DRIFTED' | 'DELETED' | 'UNMANAGED';

/**
 * The one-click remediations of one drifted Ingress. Restore: re-apply the last approved state
 * (pre-approved when the environment pre-approves rollbacks). Adopt / Import: a normal request
 * whose proposed manifest is the live object. Buttons the viewer may not use are shown disabled
 * with the reason; the server re-checks everything.
 */
export function DriftActions({
  id,
  name,
  state,
  canRestore,
  canAdopt,
  rollbackPreApproved,
}: {
  id: string;
  name: string;
  state: TState;
  canRestore: boolean;
  canAdopt: boolean;
  rollbackPreApproved: boolean;
}) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; number: number; status: string } | null>(null);
  const [isBusy, start] = useTransition();
  const showRestore = state !== 'UNMANAGED';
  const showAdopt = state !== 'DELETED';
  const adoptLabel = state === 'UNMANAGED' ? 'Import' : 'Adopt live state';

  function run(kind: 'restore' | 'adopt') {
    setError(null);
    start(async () => {
      const r =
        kind === 'restore' ? await restoreApprovedStateAction(id, note || undefined) : await adoptLiveStateAction(id, note || undefined);
      if (!r.ok) {
        setError(errorSummary(r.message, r.fieldErrors));
        return;
      }
      setCreated(r.data);
      router.refresh();
    });
  }

  if (created) {
    return (
      <p
        role="status"
        data-testid="drift-remediation-created"
        className="rounded border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
      >
        Request{' '}
        <Link href={`/requests/${created.id}`} className="font-semibold underline">
          #{created.number}
        </Link>{' '}
        created ({created.status.toLowerCase()}).
      </p>
    );
  }

  return (
    <div className="space-y-2">
      <div>
        <label htmlFor={`drift-note-${id}`} className={label}>
          Reason (optional; a summary of the drift is used otherwise)
        </label>
        <input
          id={`drift-note-${id}`}
          className={input}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Why restore or keep it"
        />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {showRestore && (
          <button
            type="button"
            className={btnPrimary}
            data-testid="drift-restore"
            disabled={!canRestore || isBusy}
            title={canRestore ? undefined : 'Only requesters and admins of this environment can restore.'}
            aria-label={`Restore approved state of ${name}`}
            onClick={() => run('restore')}
          >
            Restore approved state
          </button>
        )}
        {showAdopt && (
          <button
            type="button"
            className={btnSecondary}
            data-testid={state === 'UNMANAGED' ? 'drift-import' : 'drift-adopt'}
            disabled={!canAdopt || isBusy}
            title={canAdopt ? undefined : 'Only requesters of this environment can propose adopting the live state.'}
            aria-label={`${adoptLabel} of ${name}`}
            onClick={() => run('adopt')}
          >
            {adoptLabel}
          </button>
        )}
        {isBusy && (
          <span role="status" className="text-xs text-slate-600">
            Working…
          </span>
        )}
      </div>
      <p className="text-xs text-slate-600">
        {showRestore &&
          (rollbackPreApproved
            ? 'Restoring is pre-approved here for the requester of the last applied change and for approvers: it re-applies the state approved now. Others’ restores need the usual approvals. '
            : 'Restoring needs the usual approvals here. ')}
        {showAdopt && `${adoptLabel} opens a normal request with the live object as the proposal, reviewed like any change.`}
      </p>
      {error && <ErrorNote testId="drift-error">{error}</ErrorNote>}
    </div>
  );
}

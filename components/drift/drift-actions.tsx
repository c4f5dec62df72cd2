'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { adoptLiveStateAction, restoreApprovedStateAction } from '@/lib/web/actions/drift-actions';
import { ErrorNote } from '@/components/ui/error-note';
import { errorSummary } from '@/lib/domain/text/error-summary';
import { btnPrimary, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { RestoreDialog } from '@/components/history/restore-dialog';

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
  approvedYaml,
  liveYaml,
}: {
  id: string;
  name: string;
  state: TState;
  canRestore: boolean;
  canAdopt: boolean;
  rollbackPreApproved: boolean;
  /** The last approved (applied) manifest and the live one, canonical YAML ('' = none): the restore dialog's diff. */
  approvedYaml: string;
  liveYaml: string;
}) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; number: number; status: string } | null>(null);
  const [isBusy, start] = useTransition();
  const [isConfirming, setConfirming] = useState(false);
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
      setConfirming(false);
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
            onClick={() => setConfirming(true)}
          >
            Restore approved state…
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
      {((showRestore && !canRestore) || (showAdopt && !canAdopt)) && (
        <p className="text-sm text-slate-700" data-testid="drift-disabled-reason">
          {showRestore && !canRestore && 'Only requesters and admins of this environment can restore. '}
          {showAdopt &&
            !canAdopt &&
            `Only requesters of this environment can ${state === 'UNMANAGED' ? 'import it' : 'propose adopting the live state'}: ask one to do it.`}
        </p>
      )}
      <p className="text-xs text-slate-600">
        {showRestore &&
          (rollbackPreApproved
            ? 'Restoring is pre-approved here for the requester of the last applied change and for approvers: it re-applies the state approved now. Others’ restores need the usual approvals. '
            : 'Restoring needs the usual approvals here. ')}
        {showAdopt && `${adoptLabel} opens a normal request with the live object as the proposal, reviewed like any change.`}
      </p>
      {error && !isConfirming && <ErrorNote testId="drift-error">{error}</ErrorNote>}
      {isConfirming && (
        <RestoreDialog
          title={`Restore the approved state of ${name}`}
          testId="drift-restore-confirm"
          intro={
            <p>
              {state === 'DELETED'
                ? 'Creates the Ingress again exactly as it was last approved. '
                : 'Puts the Ingress back to the state last approved and applied through Ingress Gate, undoing the changes made outside it. '}
              {rollbackPreApproved
                ? 'This environment pre-approves restores by the requester of the last applied change and by approvers; anyone else’s needs the usual approvals.'
                : 'It then needs the usual approvals.'}
            </p>
          }
          diff={{ oldValue: liveYaml, newValue: approvedYaml, leftTitle: 'Live now', rightTitle: 'After restoring the approved state' }}
          error={error}
          reasonLabel="Reason (optional; a summary of the drift is used otherwise)"
          reasonId={`drift-restore-reason-${id}`}
          confirmLabel="Confirm restore"
          isBusy={isBusy}
          onClose={() => setConfirming(false)}
          onConfirm={(why) => {
            if (why) setNote(why);
            setError(null);
            start(async () => {
              const r = await restoreApprovedStateAction(id, why || note || undefined);
              if (!r.ok) {
                setError(errorSummary(r.message, r.fieldErrors));
                return;
              }
              setConfirming(false);
              setCreated(r.data);
              router.refresh();
            });
          }}
        />
      )}
    </div>
  );
}

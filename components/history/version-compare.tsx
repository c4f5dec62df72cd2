'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import {
  previewRestoreAction,
  previewRollbackAction,
  restoreAppliedVersionAction,
  rollbackChangeRequestAction,
} from '@/lib/web/actions/change-request-actions';
import { YamlDiff } from '@/components/requests/yaml-diff';
import { btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { formatTime } from '@/components/ui/format';
import { RestoreDialog } from './restore-dialog';

export type THistoryVersion = {
  id: string;
  label: string;
  yaml: string;
  appliedAt: string;
  isCurrent: boolean;
  action: string;
  /** The request that applied it (null: applied outside a request). */
  request: { id: string; number: number } | null;
};

type TPreview = { action: string; liveYaml: string; resultYaml: string; isPreApproved: boolean; preApprovalReason: string };
/** Roll back = undo the change that made this version (the current one); restore = go back to this older version. */
type TPending = { mode: 'rollback' | 'restore'; version: THistoryVersion };

/**
 * Diff between any two applied versions; "Roll back this change" on the current version (undoing
 * a create deletes the Ingress, and says so) and "Restore this version" on every older one, each
 * confirmed in a full-width dialog with the complete diff against the live object.
 */
export function VersionCompare({
  versions,
  canRestore,
  environmentName,
}: {
  versions: THistoryVersion[];
  canRestore: boolean;
  environmentName: string;
}) {
  const router = useRouter();
  const [left, setLeft] = useState(versions[1]?.id ?? versions[0]?.id ?? '');
  const [right, setRight] = useState(versions[0]?.id ?? '');
  const [pending, setPending] = useState<TPending | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the server will actually propose: the target against the live object, not the last applied version.
  const [preview, setPreview] = useState<TPreview | null>(null);
  const [isBusy, start] = useTransition();
  const byId = new Map(versions.map((v) => [v.id, v]));

  function open(next: TPending) {
    setPending(next);
    setError(null);
    setPreview(null);
    start(async () => {
      const r =
        next.mode === 'rollback' ? await previewRollbackAction(next.version.request!.id) : await previewRestoreAction(next.version.id);
      if (r.ok) setPreview(r.data);
      else setError(r.message);
    });
  }

  function confirm(reason: string) {
    if (!pending) return;
    setError(null);
    start(async () => {
      const r =
        pending.mode === 'rollback'
          ? await rollbackChangeRequestAction(pending.version.request!.id, reason)
          : await restoreAppliedVersionAction(pending.version.id, reason);
      if (r.ok) router.push(`/requests/${r.data.id}`);
      else setError(r.message);
    });
  }

  const isDelete = preview?.action === 'delete';
  const isCreate = preview?.action === 'create';
  return (
    <div className="space-y-4">
      {versions.length > 1 ? (
        <>
          <div className="flex flex-wrap items-end gap-2" data-testid="version-picker">
            <VersionSelect id="v-left" text="From" versions={versions} value={left} onChange={setLeft} />
            <VersionSelect id="v-right" text="To" versions={versions} value={right} onChange={setRight} />
          </div>
          {left === right ? (
            <p className="text-sm text-slate-600" data-testid="same-version">
              Both sides are the same version: pick two different versions to compare.
            </p>
          ) : (
            <YamlDiff
              oldValue={byId.get(left)?.yaml ?? ''}
              newValue={byId.get(right)?.yaml ?? ''}
              leftTitle={byId.get(left)?.label ?? ''}
              rightTitle={byId.get(right)?.label ?? ''}
              findings={{ left: [], right: [] }}
              commentCounts={new Map()}
            />
          )}
        </>
      ) : (
        versions[0] && (
          <details data-testid="only-version">
            <summary className="cursor-pointer text-sm text-slate-700">
              One version applied through Ingress Gate so far (nothing to compare it with yet): show its manifest
            </summary>
            <pre className="mt-2 overflow-x-auto rounded border border-slate-200 bg-slate-50 p-3 font-mono text-xs">{versions[0].yaml}</pre>
          </details>
        )
      )}

      <ol className="divide-y divide-slate-200 rounded border border-slate-200" data-testid="versions">
        {versions.map((v) => (
          <li key={v.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-testid="version">
            <span className="font-medium">{v.label}</span>
            <span className="text-xs text-slate-600">{formatTime(v.appliedAt)}</span>
            {v.isCurrent && <span className="rounded bg-emerald-50 px-1.5 text-xs font-semibold text-emerald-900">current</span>}
            {canRestore && v.isCurrent && v.request && (
              <button
                type="button"
                className={`${btnSecondary} ml-auto py-0.5 text-xs`}
                onClick={() => open({ mode: 'rollback', version: v })}
              >
                Roll back this change…
              </button>
            )}
            {canRestore && !v.isCurrent && (
              <button
                type="button"
                className={`${btnSecondary} ml-auto py-0.5 text-xs`}
                onClick={() => open({ mode: 'restore', version: v })}
              >
                Restore this version…
              </button>
            )}
          </li>
        ))}
      </ol>

      {pending && (
        <RestoreDialog
          title={pending.mode === 'rollback' ? `Roll back ${pending.version.label}` : `Restore ${pending.version.label}`}
          testId="restore-confirm"
          intro={
            <p>
              {pending.mode === 'rollback'
                ? isDelete
                  ? 'This change created the Ingress, so rolling it back deletes it from the cluster. '
                  : 'Proposes a request that puts the Ingress back to its state before this change. '
                : `Proposes a request that puts the Ingress back to ${pending.version.label}${isCreate ? ', creating it again' : isDelete ? ', which deletes it' : ''}. `}
              {preview ? (preview.isPreApproved ? `In ${environmentName} it is applied right away.` : 'It then needs approval.') : null}
            </p>
          }
          note={preview?.preApprovalReason}
          diff={
            preview
              ? {
                  oldValue: preview.liveYaml,
                  newValue: preview.resultYaml,
                  leftTitle: 'Live now',
                  rightTitle: isDelete
                    ? 'After (deleted)'
                    : pending.mode === 'rollback'
                      ? 'After rollback'
                      : `After restoring ${pending.version.label}`,
                }
              : null
          }
          isLoading={!preview}
          error={error}
          reasonLabel={pending.mode === 'rollback' ? 'Why roll back?' : 'Why restore?'}
          reasonId="restore-reason"
          confirmLabel={pending.mode === 'rollback' ? (isDelete ? 'Confirm rollback (delete)' : 'Confirm rollback') : 'Confirm restore'}
          isBusy={isBusy}
          onConfirm={confirm}
          onClose={() => setPending(null)}
        />
      )}
    </div>
  );
}

function VersionSelect({
  id,
  text,
  versions,
  value,
  onChange,
}: {
  id: string;
  text: string;
  versions: THistoryVersion[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <div className="min-w-0 max-w-full">
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <select id={id} className={`${input} w-auto max-w-full`} value={value} onChange={(e) => onChange(e.target.value)}>
        {versions.map((v) => (
          <option key={v.id} value={v.id}>
            {v.label}
          </option>
        ))}
      </select>
    </div>
  );
}

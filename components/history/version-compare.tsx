'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { previewRestoreAction, restoreAppliedVersionAction } from '@/lib/web/actions/change-request-actions';
import { YamlDiff } from '@/components/requests/yaml-diff';
import { ErrorNote } from '@/components/ui/error-note';
import { btnDanger, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';
import { formatTime } from '@/components/ui/format';

export type THistoryVersion = { id: string; label: string; yaml: string; appliedAt: string; isCurrent: boolean; action: string };

/** Diff between any two applied versions, and "restore this version" with its diff shown first. */
export function VersionCompare({
  versions,
  canRestore,
  preApproved,
  environmentName,
}: {
  versions: THistoryVersion[];
  canRestore: boolean;
  preApproved: boolean;
  environmentName: string;
}) {
  const router = useRouter();
  const [left, setLeft] = useState(versions[1]?.id ?? versions[0]?.id ?? '');
  const [right, setRight] = useState(versions[0]?.id ?? '');
  const [restoring, setRestoring] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  // What the server will actually propose: the target against the live object, not the last applied version.
  const [preview, setPreview] = useState<{
    liveYaml: string;
    resultYaml: string;
    isPreApproved: boolean;
    preApprovalReason: string;
  } | null>(null);
  const [isBusy, start] = useTransition();
  const byId = new Map(versions.map((v) => [v.id, v]));
  const target = restoring ? byId.get(restoring) : null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-2" data-testid="version-picker">
        <div>
          <label htmlFor="v-left" className={label}>
            From
          </label>
          <select id="v-left" className={`${input} w-auto`} value={left} onChange={(e) => setLeft(e.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="v-right" className={label}>
            To
          </label>
          <select id="v-right" className={`${input} w-auto`} value={right} onChange={(e) => setRight(e.target.value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <YamlDiff
        oldValue={byId.get(left)?.yaml ?? ''}
        newValue={byId.get(right)?.yaml ?? ''}
        leftTitle={byId.get(left)?.label ?? ''}
        rightTitle={byId.get(right)?.label ?? ''}
        findings={{ left: [], right: [] }}
        commentCounts={new Map()}
      />

      <ol className="divide-y divide-slate-200 rounded border border-slate-200" data-testid="versions">
        {versions.map((v) => (
          <li key={v.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-testid="version">
            <span className="font-medium">{v.label}</span>
            <span className="text-xs text-slate-600">{formatTime(v.appliedAt)}</span>
            {v.isCurrent && <span className="rounded bg-emerald-50 px-1.5 text-xs font-semibold text-emerald-900">current</span>}
            {canRestore && !v.isCurrent && (
              <button
                type="button"
                className={`${btnSecondary} ml-auto py-0.5 text-xs`}
                onClick={() => {
                  setRestoring(v.id);
                  setError(null);
                  setPreview(null);
                  start(async () => {
                    const r = await previewRestoreAction(v.id);
                    if (r.ok) setPreview(r.data);
                    else setError(r.message);
                  });
                }}
              >
                Restore this version…
              </button>
            )}
          </li>
        ))}
      </ol>

      {target && (
        <div
          className="space-y-2 rounded border border-red-300 p-3"
          role="group"
          aria-label="Confirm restore"
          data-testid="restore-confirm"
        >
          <p className="text-sm">
            Proposes a request that puts the Ingress back to <strong>{target.label}</strong>
            {preview
              ? preview.isPreApproved
                ? `; in ${environmentName} it is applied right away.`
                : '; it then needs approval.'
              : preApproved
                ? '; pre-approval is being checked…'
                : '; it then needs approval.'}
          </p>
          {preview && (
            <p className="text-sm text-slate-700" data-testid="pre-approval">
              {preview.preApprovalReason}
            </p>
          )}
          {preview ? (
            <YamlDiff
              oldValue={preview.liveYaml}
              newValue={preview.resultYaml}
              leftTitle="Live now"
              rightTitle={`After restoring ${target.label}`}
              findings={{ left: [], right: [] }}
              commentCounts={new Map()}
            />
          ) : (
            !error && (
              <p className="text-sm text-slate-600" role="status">
                Comparing with the live object…
              </p>
            )
          )}
          <label htmlFor="restore-reason" className={label}>
            Why restore?
          </label>
          <input id="restore-reason" className={input} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="flex gap-2">
            <button
              type="button"
              className={btnDanger}
              disabled={isBusy}
              onClick={() =>
                start(async () => {
                  const r = await restoreAppliedVersionAction(target.id, reason);
                  if (r.ok) router.push(`/requests/${r.data.id}`);
                  else setError(r.message);
                })
              }
            >
              Confirm restore
            </button>
            <button type="button" className={btnSecondary} onClick={() => setRestoring(null)}>
              Keep current
            </button>
          </div>
          {error && <ErrorNote testId="restore-error">{error}</ErrorNote>}
        </div>
      )}
    </div>
  );
}

'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { YamlDiff } from '@/components/requests/yaml-diff';
import { ErrorNote } from '@/components/ui/error-note';
import { btnDanger, btnSecondary } from '@/components/ui/buttons';
import { input, label } from '@/components/ui/field';

export type TRestoreDiff = { oldValue: string; newValue: string; leftTitle: string; rightTitle: string };

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The confirmation of a rollback, a restore from history or a drift restore: a modal dialog as
 * wide as the window, with the complete diff of what the cluster holds now against what it will
 * hold after, so people see everything that will be restored before they confirm. Native
 * <dialog> opened with showModal(): the rest of the page is inert, Esc closes it (the "cancel"
 * event), Tab and Shift+Tab cycle inside it, and focus returns to the button that opened it.
 */
export function RestoreDialog({
  title,
  testId,
  intro,
  note,
  diff,
  isLoading,
  error,
  reasonLabel,
  reasonId,
  confirmLabel,
  isBusy,
  onConfirm,
  onClose,
}: {
  title: string;
  testId: string;
  intro: ReactNode;
  /** Why it is or is not pre-approved (the server's sentence). */
  note?: string | null;
  diff: TRestoreDiff | null;
  isLoading?: boolean;
  error?: string | null;
  reasonLabel: string;
  reasonId: string;
  confirmLabel: string;
  isBusy: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);

  function trapTab(e: React.KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  const titleId = `${testId}-title`;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={trapTab}
      className="m-auto max-h-[calc(100dvh-1rem)] w-[calc(100vw-1rem)] max-w-none rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/60 sm:max-h-[calc(100dvh-3rem)] sm:w-[calc(100vw-3rem)] open:flex open:flex-col"
    >
      <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-4 py-3">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        <button type="button" className={`${btnSecondary} py-0.5`} onClick={onClose} aria-label="Close">
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="min-h-0 flex-1 space-y-3 overflow-y-auto px-4 py-3">
        <div className="text-sm">{intro}</div>
        {note && (
          <p className="text-sm text-slate-700" data-testid="pre-approval">
            {note}
          </p>
        )}
        {diff ? (
          <YamlDiff
            oldValue={diff.oldValue}
            newValue={diff.newValue}
            leftTitle={diff.leftTitle}
            rightTitle={diff.rightTitle}
            findings={{ left: [], right: [] }}
            commentCounts={new Map()}
          />
        ) : (
          isLoading &&
          !error && (
            <p className="text-sm text-slate-600" role="status">
              Comparing with the live object…
            </p>
          )
        )}
        {error && <ErrorNote testId={`${testId}-error`}>{error}</ErrorNote>}
      </div>
      <div className="space-y-2 border-t border-slate-200 px-4 py-3">
        <label htmlFor={reasonId} className={label}>
          {reasonLabel}
        </label>
        <input id={reasonId} className={input} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
        <div className="flex flex-wrap gap-2">
          <button type="button" className={btnDanger} disabled={isBusy || !diff} onClick={() => onConfirm(reason)}>
            {confirmLabel}
          </button>
          <button type="button" className={btnSecondary} onClick={onClose}>
            Keep current
          </button>
          {isBusy && (
            <span role="status" className="self-center text-xs text-slate-600">
              Working…
            </span>
          )}
        </div>
      </div>
    </dialog>
  );
}

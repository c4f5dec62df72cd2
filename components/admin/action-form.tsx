'use client';

import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { TActionResult } from '@/lib/web/action';

type TState = TActionResult<unknown> | null;

const VARIANT = {
  primary: 'border-blue-800 bg-blue-700 text-white hover:bg-blue-800',
  secondary: 'border-slate-300 bg-white text-slate-800 hover:bg-slate-100',
  danger: 'border-red-800 bg-red-700 text-white hover:bg-red-800',
} as const;

/**
 * A form posting to a server action that returns `{ ok, data } | { ok: false, message, fieldErrors }`:
 * shows the error message and every field error (by field path), or the data's `message` (else
 * `successText`). Props are plain data: a server component renders this.
 *
 * Every input is kept after a refusal (issue 18: a refused new user lost every field, a refused
 * approval count snapped back): the form is never reset by React (`<form action>` resets once the
 * action ends), only by this component after a success, and not at all with `keepValues`.
 */
export function ActionForm({
  action,
  children,
  submitLabel,
  testId,
  successText,
  className,
  keepValues = false,
  errorTestId = 'form-error',
  variant = 'primary',
  isCompact = false,
  confirmText,
  confirmLabel,
  submitAriaLabel,
}: {
  action: (prev: TState, form: FormData) => Promise<TState>;
  children: ReactNode;
  submitLabel: string;
  testId?: string;
  successText?: string;
  className?: string;
  /** Settings forms: keep what is shown after a save too. A reset `<select defaultValue>` falls
   * back to its FIRST option, so a second save silently sent that option (an environment's
   * connection switched to the sandbox). Without it, a success clears the form for the next entry. */
  keepValues?: boolean;
  /** data-testid of the refusal note. */
  errorTestId?: string;
  /** danger: destructive (deactivate, revoke), red; secondary: harmless side actions. */
  variant?: 'primary' | 'secondary' | 'danger';
  /** A small button (the × beside a role). */
  isCompact?: boolean;
  /** Asks first: the submit button reveals this question with a confirming button and "Keep". */
  confirmText?: string;
  /** The confirming button's label (default: submitLabel). */
  confirmLabel?: string;
  /** Accessible name when the visible label is a symbol (×). */
  submitAriaLabel?: string;
}) {
  const [state, formAction, isPending] = useActionState<TState, FormData>(action, null);
  const form = useRef<HTMLFormElement>(null);
  const [isConfirming, setConfirming] = useState(false);
  const submitClass = `rounded border font-medium disabled:opacity-60 ${isCompact ? 'px-1.5 py-0 text-xs leading-5' : 'px-3 py-1.5 text-sm'} ${VARIANT[variant]}`;
  const submitWithoutReset = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  useEffect(() => {
    if (state?.ok && !keepValues) form.current?.reset();
  }, [state, keepValues]);
  return (
    <form ref={form} onSubmit={submitWithoutReset} data-testid={testId} className={className ?? 'space-y-3'} noValidate>
      {children}
      <div className="flex flex-wrap items-center gap-3">
        {confirmText && !isConfirming ? (
          <button type="button" className={submitClass} aria-label={submitAriaLabel} onClick={() => setConfirming(true)}>
            {submitLabel}
          </button>
        ) : confirmText ? (
          <span role="group" aria-label="Confirm" className="flex flex-wrap items-center gap-2 text-sm">
            <span data-testid="confirm-text">{confirmText}</span>
            <button type="submit" disabled={isPending} className={submitClass} onClick={() => setTimeout(() => setConfirming(false))}>
              {isPending ? 'Working…' : (confirmLabel ?? submitLabel)}
            </button>
            <button
              type="button"
              className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </span>
        ) : (
          <button type="submit" disabled={isPending} className={submitClass} aria-label={submitAriaLabel}>
            {isPending ? 'Working…' : submitLabel}
          </button>
        )}
        {state?.ok && (
          <p role="status" data-testid="form-success" className="text-sm text-green-800">
            {(state.data as { message?: string } | null)?.message ?? successText ?? 'Saved.'}
          </p>
        )}
      </div>
      {state && !state.ok && (
        <div role="alert" data-testid={errorTestId} className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p>{state.message}</p>
          {state.fieldErrors.length > 0 && (
            <ul className="mt-1 list-disc pl-5">
              {state.fieldErrors.map((e) => (
                <li key={`${e.path}:${e.message}`}>
                  <span className="font-mono text-xs">{e.path}</span>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

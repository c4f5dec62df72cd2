'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import type { TActionResult } from '@/lib/web/action';

type TState = TActionResult<unknown> | null;

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
}) {
  const [state, formAction, isPending] = useActionState<TState, FormData>(action, null);
  const form = useRef<HTMLFormElement>(null);
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
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {isPending ? 'Working…' : submitLabel}
        </button>
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

'use client';

import { startTransition, useActionState, type FormEvent, type ReactNode } from 'react';
import type { TActionResult } from '@/lib/web/action';

type TState = TActionResult<unknown> | null;

/**
 * A form posting to a server action that returns `{ ok, data } | { ok: false, message, fieldErrors }`:
 * shows the error message and every field error (by field path), or the data's `message` (else
 * `successText`). Props are plain data: a server component renders this.
 */
export function ActionForm({
  action,
  children,
  submitLabel,
  testId,
  successText,
  className,
  keepValues = false,
}: {
  action: (prev: TState, form: FormData) => Promise<TState>;
  children: ReactNode;
  submitLabel: string;
  testId?: string;
  successText?: string;
  className?: string;
  /** Settings forms: keep what is shown after a save. React resets a `<form action>` once the action
   * ends, and a reset `<select defaultValue>` falls back to its FIRST option, so a second save
   * silently sent that option (an environment's connection switched to the sandbox). */
  keepValues?: boolean;
}) {
  const [state, formAction, isPending] = useActionState<TState, FormData>(action, null);
  const submitWithoutReset = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };
  return (
    <form
      {...(keepValues ? { onSubmit: submitWithoutReset } : { action: formAction })}
      data-testid={testId}
      className={className ?? 'space-y-3'}
      noValidate
    >
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
        <div role="alert" data-testid="form-error" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
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

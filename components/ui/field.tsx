import type { ReactNode } from 'react';

// Class strings for form controls and their labels; every control has the same focus ring,
// disabled look and red border when aria-invalid.
export const input =
  'block w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700 aria-[invalid=true]:border-red-500';
export const label = 'block text-xs font-semibold text-slate-700';

/** What a Field hands to its control: spread it on the input, select or textarea. */
export type TFieldControl = {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
};

/** The ids a Field's hint and error get (stable, derived from the control's id). */
export function fieldIds(id: string) {
  return { hint: `${id}-hint`, error: `${id}-error` };
}

/** Props for a control inside a Field: its id, aria-invalid only when there is an error, and aria-describedby naming the hint and the error. */
export function fieldControl(id: string, { hint, error }: { hint?: ReactNode; error?: ReactNode }): TFieldControl {
  const ids = fieldIds(id);
  const describedBy = [hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined };
}

/**
 * One labelled form control: the label (htmlFor the control), the control, a hint and an error,
 * both tied to the control by aria-describedby; aria-invalid is set only while there is an error.
 * The control is rendered by `children`, which receives the props to spread on it:
 *
 *   <Field id="title" label="Title" error={errors.title}>{(c) => <input {...c} className={input} />}</Field>
 *
 * No hooks: it renders in server components (admin pages) and client components alike.
 */
export function Field({
  id,
  label: text,
  hint,
  error,
  className,
  errorTestId,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  /** data-testid of the error line (the ingress form's errors are found by `field-error`). */
  errorTestId?: string;
  children: (control: TFieldControl) => ReactNode;
}) {
  const ids = fieldIds(id);
  return (
    <div className={className}>
      <label htmlFor={id} className={label}>
        {text}
      </label>
      {children(fieldControl(id, { hint, error }))}
      {hint ? (
        <p id={ids.hint} className="mt-0.5 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={ids.error} className="mt-0.5 text-xs text-red-700" data-testid={errorTestId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

import type { ReactNode } from 'react';

/** A titled panel (a section labelled by its heading when it has an id). */
export function Card({
  title,
  children,
  actions,
  id,
  testId,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  id?: string;
  testId?: string;
}) {
  return (
    <section
      id={id}
      data-testid={testId}
      aria-labelledby={id && title ? `${id}-title` : undefined}
      className="rounded-lg border border-slate-200 bg-white"
    >
      {title && (
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
          <h2 id={id ? `${id}-title` : undefined} className="text-sm font-semibold text-slate-900">
            {title}
          </h2>
          {actions}
        </div>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}

/** What a list shows when it has nothing to show. */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p
      data-testid={testId}
      className="rounded border border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center text-sm text-slate-600"
    >
      {children}
    </p>
  );
}

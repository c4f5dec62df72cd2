import type { ReactNode } from 'react';

/** An error shown where it happened, announced to screen readers (role=alert). */
export function ErrorNote({ children, testId = 'error' }: { children: ReactNode; testId?: string }) {
  return (
    <div role="alert" data-testid={testId} className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
      {children}
    </div>
  );
}

'use client';

import { useActionState } from 'react';
import type { TConnectionReport } from '@/lib/server/kube/test-connection';
import type { TActionResult } from '@/lib/web/action';

type TState = TActionResult<TConnectionReport> | null;

export function TestConnectionButton({ action }: { action: (prev: TState) => Promise<TState> }) {
  const [state, run, isPending] = useActionState<TState>(action, null);
  const report = state?.ok ? state.data : null;
  return (
    <form action={run} className="space-y-2">
      <button
        type="submit"
        disabled={isPending}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
      >
        {isPending ? 'Testing…' : 'Test connection'}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-800">
          {state.message}
        </p>
      )}
      {report && (
        <div
          role="status"
          data-testid="connection-report"
          className={`rounded border px-3 py-2 text-sm ${report.reachable && !report.error ? 'border-green-300 bg-green-50' : 'border-red-300 bg-red-50'}`}
        >
          <p>{report.reachable ? `Reachable: Kubernetes ${report.serverVersion}` : 'Not reachable'}</p>
          {report.error && (
            <p className="break-words">
              {report.error.kind}: {report.error.message}
            </p>
          )}
          <p className="text-xs">
            Ingress permissions:{' '}
            {Object.entries(report.permissions)
              .map(([verb, ok]) => `${verb} ${ok ? '✓' : '✗'}`)
              .join(' · ')}
          </p>
        </div>
      )}
    </form>
  );
}

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
          data-ok={report.ok ? 'true' : 'false'}
          className={`space-y-1 rounded border px-3 py-2 text-sm ${report.ok ? 'border-green-300 bg-green-50' : 'border-red-300 bg-red-50'}`}
        >
          <p className="font-medium">{report.ok ? 'Connection OK' : 'Connection not usable yet'}</p>
          <ul className="text-xs">
            <li>
              {report.reachable ? '✓' : '✗'} Reachable{report.serverVersion ? `: Kubernetes ${report.serverVersion}` : ''}
            </li>
            <li>
              {report.tls.ok ? '✓' : '✗'} TLS: {report.tls.detail}
            </li>
            <li>
              {report.authenticatedAs ? `✓ Authenticated as ${report.authenticatedAs}` : '✗ Not authenticated (or the server cannot say)'}
            </li>
            {report.identity && (
              <li>
                Cluster: kube-system {report.identity.kubeSystemUid ?? 'unknown'}
                {report.identity.caFingerprint ? ` · CA ${report.identity.caFingerprint.slice(0, 23)}…` : ''}
              </li>
            )}
          </ul>
          {report.permissions.length > 0 && (
            <p className="text-xs" data-testid="connection-permissions">
              Permissions:{' '}
              {report.permissions
                .map((p) => `${p.verb} ${p.resource}${p.namespace ? ` (${p.namespace})` : ''} ${p.allowed ? '✓' : '✗'}`)
                .join(' · ')}
            </p>
          )}
          {report.problems.map((p) => (
            <p key={p} className="break-words text-red-800">
              {p}
            </p>
          ))}
          {report.error && (
            <p className="break-words">
              {report.error.kind}: {report.error.message}
            </p>
          )}
        </div>
      )}
    </form>
  );
}

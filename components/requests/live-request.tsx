'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import { StatusBadge } from '@/components/ui/badges';
import type { TLiveRequestSummary } from '@/lib/server/live/get-live-request-summary';
import { LiveRefresh } from './auto-refresh';

const LiveSummary = createContext<TLiveRequestSummary | null>(null);

const seq = (s: TLiveRequestSummary) => (s.lastEvent === null ? -1n : BigInt(s.lastEvent));

function useSummary(): TLiveRequestSummary {
  const summary = useContext(LiveSummary);
  if (!summary) throw new Error('LiveRequest components must be inside <LiveRequest>.');
  return summary;
}

/**
 * The request page's live parts. The server renders the page with `initial`; a change pushed by
 * /api/live (or found by polling) replaces the summary at once — status badge, approvals box and
 * the apply note re-render on the spot — while the whole page refreshes behind it. When that
 * refresh lands (a new `initial`), the server's render wins unless the pushed summary is newer
 * (a later audit event).
 */
export function LiveRequest({ initial, children }: { initial: TLiveRequestSummary; children: ReactNode }) {
  const [pushed, setPushed] = useState<TLiveRequestSummary | null>(null);
  const [rendered, setRendered] = useState(initial.fingerprint);
  if (rendered !== initial.fingerprint) {
    setRendered(initial.fingerprint);
    if (pushed && seq(pushed) <= seq(initial)) setPushed(null);
  }
  const summary = pushed && pushed.id === initial.id ? pushed : initial;
  return (
    <LiveSummary.Provider value={summary}>
      <LiveRefresh
        stream={`/api/live?request=${encodeURIComponent(initial.id)}`}
        statusUrl={`/api/requests/${encodeURIComponent(initial.id)}/status`}
        fingerprint={summary.fingerprint}
        onSummary={(s) => setPushed((current) => (current && seq(current) > seq(s) ? current : s))}
      />
      {children}
    </LiveSummary.Provider>
  );
}

export function LiveStatusBadge() {
  return <StatusBadge status={useSummary().status} />;
}

/** "Following the apply worker" while the request is approved or applying. */
export function LiveApplyNote() {
  const { status } = useSummary();
  if (status !== 'APPROVED' && status !== 'APPLYING') return null;
  return (
    <p role="status" data-testid="live-updates" className="inline-flex items-center gap-2 text-xs text-indigo-800">
      <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-indigo-600" aria-hidden="true" />
      Following the apply worker — this page updates by itself.
    </p>
  );
}

/** The approvals box: count of required, who approved, rejected or requested changes, what is missing. */
export function LiveApprovals({ environmentName }: { environmentName: string }) {
  const { approval, currentRevision, status, autoApproved } = useSummary();
  return (
    <section aria-labelledby="approvals-title" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="approvals">
      <h2 id="approvals-title" className="text-sm font-semibold">
        Approvals
      </h2>
      <p className="mt-1 text-2xl font-semibold" data-testid="approval-count">
        {approval.count} of {approval.required}
      </p>
      <p className="text-xs text-slate-600">
        on revision {currentRevision} · {environmentName} needs {approval.required}
      </p>
      {approval.voided > 0 && (
        <p className="mt-1 text-xs text-amber-800" data-testid="approvals-voided">
          {approval.voided} approval{approval.voided === 1 ? '' : 's'} no longer count: the Ingress changed in the cluster after review.
          Rebase for new approvals.
        </p>
      )}
      {approval.approvers.length > 0 && (
        <ul className="mt-2 text-sm" data-testid="approvers">
          {approval.approvers.map((a) => (
            <li key={a.id}>✓ {a.name}</li>
          ))}
        </ul>
      )}
      {approval.rejecters.length > 0 && (
        <ul className="mt-2 text-sm text-red-800">
          {approval.rejecters.map((a) => (
            <li key={a.id}>✕ rejected by {a.name}</li>
          ))}
        </ul>
      )}
      {approval.changeRequesters.length > 0 && (
        <ul className="mt-2 text-sm text-amber-900" data-testid="changes-requested">
          {approval.changeRequesters.map((a) => (
            <li key={a.id}>± changes requested by {a.name}</li>
          ))}
        </ul>
      )}
      {status === 'PENDING' && (
        <p className="mt-2 text-sm text-slate-700" data-testid="approval-missing">
          {approval.hasStandingRejection
            ? 'A rejection stands: the requester must revise.'
            : approval.changeRequesters.length > 0
              ? 'Changes were requested: nobody can approve this revision until the requester revises.'
              : approval.missing > 0
                ? `Needs ${approval.missing} more approval${approval.missing === 1 ? '' : 's'} from eligible approvers.`
                : 'Approved.'}
        </p>
      )}
      {autoApproved && <p className="mt-2 text-xs text-slate-600">Auto-approved by the environment&apos;s policy.</p>}
    </section>
  );
}

import Link from 'next/link';
import { ActionBadge, EnvironmentBadge, SeverityBadge, StatusBadge } from '@/components/ui/badges';
import { EmptyState } from '@/components/ui/card';
import { formatTime } from '@/components/ui/format';

export type TRequestRow = {
  id: string;
  number: number;
  title: string;
  status: string;
  action: string;
  kind: string;
  namespace: string;
  ingressName: string;
  maxSeverity: string;
  currentRevision: number;
  createdAt: Date;
  environment: { name: string; isProduction: boolean; requiredApprovals: number };
  requester: { name: string; email: string };
  chosenReviewers?: { userId: string }[];
  /** Approved, and its cluster unreachable since then. */
  clusterWaitingSince?: Date | null;
};

/** The inbox table; stacks into cards on narrow screens. All values render as text. */
export function RequestList({ items, empty }: { items: TRequestRow[]; empty: string }) {
  if (items.length === 0) return <EmptyState testId="requests-empty">{empty}</EmptyState>;
  return (
    <ul data-testid="request-list" className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {items.map((r) => (
        <li
          key={r.id}
          data-testid="request-row"
          className={`grid gap-x-4 gap-y-1 px-4 py-3 md:grid-cols-[4rem_minmax(0,1fr)_9rem_7rem_11rem] md:items-center ${r.environment.isProduction ? 'border-l-4 border-l-red-700' : 'border-l-4 border-l-transparent'}`}
        >
          <span className="font-mono text-sm text-slate-500">#{r.number}</span>
          <div className="min-w-0">
            <Link href={`/requests/${r.id}`} className="block truncate font-medium text-blue-800 hover:underline">
              {r.title}
            </Link>
            <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-600">
              <EnvironmentBadge name={r.environment.name} isProduction={r.environment.isProduction} />
              <ActionBadge action={r.action} />
              <span className="font-mono">
                {r.namespace}/{r.ingressName}
              </span>
              {r.kind !== 'CHANGE' && <span className="rounded bg-slate-100 px-1 uppercase">{r.kind.toLowerCase()}</span>}
              {r.currentRevision > 1 && <span>rev {r.currentRevision}</span>}
              {r.chosenReviewers?.length ? (
                <span data-testid="requested-from-me" className="rounded bg-indigo-100 px-1 font-medium text-indigo-900">
                  review requested from you
                </span>
              ) : null}
            </div>
          </div>
          <div>
            <StatusBadge status={r.status} />
            {r.status === 'APPROVED' && r.clusterWaitingSince ? (
              <span data-testid="cluster-waiting" className="mt-1 block text-xs text-amber-800">
                waiting for cluster since {formatTime(r.clusterWaitingSince)}
              </span>
            ) : null}
          </div>
          <div>
            <span className="sr-only">Risk: </span>
            <SeverityBadge severity={r.maxSeverity} />
          </div>
          <div className="text-xs text-slate-600">
            <div className="truncate" title={r.requester.email}>
              {r.requester.name}
            </div>
            <div>{formatTime(r.createdAt)}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function RequestListSkeleton() {
  return (
    <div role="status" aria-label="Loading requests" className="space-y-2">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="h-14 animate-pulse rounded-lg border border-slate-200 bg-white" />
      ))}
      <span className="sr-only">Loading requests…</span>
    </div>
  );
}

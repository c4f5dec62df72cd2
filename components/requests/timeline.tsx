import { formatTime } from '@/components/ui/format';

export type TTimelineEvent = {
  seq: string;
  occurredAt: Date;
  actor: string;
  action: string;
  reason: string | null;
  details: Record<string, unknown>;
};

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function describe(e: TTimelineEvent): { title: string; detail?: string; tone: string } {
  const d = e.details ?? {};
  const after = (d.after ?? {}) as Record<string, unknown>;
  switch (e.action.replace(/^change-request\./, '')) {
    case 'submitted':
      return {
        title: `Submitted (revision 1)`,
        detail:
          [
            d.promotedFrom ? 'a promotion from an earlier stage' : '',
            d.notBefore ? `not before ${formatTime(str(d.notBefore))}` : '',
            (d.priorStage as { satisfied?: boolean } | undefined)?.satisfied === false
              ? 'prior stage not met: one extra approval needed'
              : '',
          ]
            .filter(Boolean)
            .join(' · ') || undefined,
        tone: 'slate',
      };
    case 'rollback-proposed':
      return { title: 'Rollback proposed', tone: 'slate' };
    case 'restore-proposed':
      return { title: 'Restore proposed', tone: 'slate' };
    case 'adopt-proposed':
      return { title: 'Adoption of the live state proposed', tone: 'slate' };
    case 'review-approved':
      return { title: `Approved revision ${str(d.revision)}`, tone: 'emerald' };
    case 'review-rejected':
      return { title: `Rejected revision ${str(d.revision)}`, tone: 'red' };
    case 'changes-requested':
      return { title: `Requested changes on revision ${str(d.revision)}`, tone: 'amber' };
    case 'approved':
      return {
        title: 'Quorum reached — queued for apply',
        detail: str(d.mode) && d.mode !== 'quorum' ? `(${str(d.mode)})` : undefined,
        tone: 'blue',
      };
    case 'applying':
      return { title: `Applying (attempt ${str(d.attempt)})`, tone: 'indigo' };
    case 'applied':
      return {
        title: `Applied${after.resourceVersion ? ` — resourceVersion ${str(after.resourceVersion)}` : ''}`,
        detail: d.reconciled ? 'reconciled: the cluster already held this revision' : undefined,
        tone: 'emerald',
      };
    case 'stale':
      return { title: 'Stale — the live object moved', tone: 'purple' };
    case 'failed':
      return { title: 'Failed', tone: 'red' };
    case 'waiting-for-cluster':
      return {
        title: d.waitingSince ? `Waiting for the cluster since ${formatTime(str(d.waitingSince))}` : 'Waiting for the cluster',
        detail: d.nextAttemptAt ? `next attempt ${formatTime(str(d.nextAttemptAt))}` : undefined,
        tone: 'amber',
      };
    case 'revised':
      return { title: `Revised — revision ${str(d.revision)}, approvals reset`, tone: 'slate' };
    case 'rebased':
      return { title: `Rebased — revision ${str(d.revision)}, approvals reset`, tone: 'slate' };
    case 'cancelled':
      return { title: 'Cancelled', tone: 'slate' };
    case 'commented':
      return { title: `${d.threadId ? 'Replied' : 'Commented'}${d.line ? ` on ${str(d.side)} line ${str(d.line)}` : ''}`, tone: 'slate' };
    case 'thread-resolved':
      return { title: 'Resolved a comment thread', tone: 'slate' };
    case 'thread-reopened':
      return { title: 'Reopened a comment thread', tone: 'slate' };
    case 'expired':
      return d.cause === 'cluster-unreachable'
        ? { title: 'Expired while waiting for the cluster', detail: e.reason ?? undefined, tone: 'red' }
        : { title: 'Expired', tone: 'slate' };
    case 'retry-requested':
      return { title: `Retry requested (as ${str(d.as)}) — the just-in-time checks run again`, tone: 'blue' };
    case 'reopened':
      return { title: 'Reopened for review', tone: 'amber' };
    case 'scheduled':
      return {
        title: d.scheduledFor ? `Scheduled — applies at ${formatTime(str(d.scheduledFor))}` : 'Scheduled — no change window opens soon',
        detail:
          d.why === 'freeze'
            ? 'changes are frozen'
            : d.why === 'not-before'
              ? 'the requester asked for not before then'
              : 'outside the change window',
        tone: 'purple',
      };
    case 'window-overridden':
      return { title: 'Change window overridden by an admin', tone: 'red' };
    default: {
      // An event this page does not know yet still reads as words, not as its raw key.
      const words = e.action.replace(/^change-request\./, '').replace(/[.-]/g, ' ');
      return { title: words.charAt(0).toUpperCase() + words.slice(1), tone: 'slate' };
    }
  }
}

const DOT: Record<string, string> = {
  slate: 'bg-slate-400',
  emerald: 'bg-emerald-600',
  red: 'bg-red-600',
  blue: 'bg-blue-600',
  indigo: 'bg-indigo-600',
  purple: 'bg-purple-600',
  amber: 'bg-amber-500',
};

/** Every audit event of the request, the worker's included, oldest first. */
export function Timeline({ events }: { events: TTimelineEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No events yet.</p>;
  return (
    <ol className="relative space-y-3 border-l border-slate-200 pl-4" data-testid="timeline">
      {events.map((e) => {
        const t = describe(e);
        return (
          <li key={e.seq} data-testid="timeline-event" data-action={e.action} className="relative text-sm">
            <span className={`absolute -left-[21px] top-1.5 h-2.5 w-2.5 rounded-full ${DOT[t.tone]}`} aria-hidden="true" />
            <p className="font-medium">{t.title}</p>
            <p className="text-xs text-slate-600">
              {e.actor} · {formatTime(e.occurredAt)}
            </p>
            {t.detail && <p className="text-xs text-slate-700">{t.detail}</p>}
            {e.reason && <p className="mt-0.5 whitespace-pre-wrap break-words text-xs text-slate-800">{e.reason}</p>}
          </li>
        );
      })}
    </ol>
  );
}

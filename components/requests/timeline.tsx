import { formatTime } from '@/components/ui/format';
import { requestEvent, type TAuditEventDetails, type TRequestEvent } from '@/lib/domain/audit/audit-events';

export type TTimelineEvent = {
  seq: string;
  occurredAt: Date;
  actor: string;
  action: string;
  reason: string | null;
  details: Record<string, unknown>;
};

type TTone = 'slate' | 'emerald' | 'red' | 'blue' | 'indigo' | 'purple' | 'amber';
type TDescription = { title: string; detail?: string; tone: TTone };

const PROPOSED: Record<'rollback' | 'restore' | 'adopt', string> = {
  rollback: 'Rollback proposed',
  restore: 'Restore proposed',
  adopt: 'Adoption of the live state proposed',
};

function submittedDetail(d: Partial<TAuditEventDetails['change-request.submitted']>): string | undefined {
  const parts = [
    d.promotedFrom ? 'a promotion from an earlier stage' : '',
    d.notBefore ? `not before ${formatTime(d.notBefore)}` : '',
    d.priorStage?.satisfied === false ? 'prior stage not met: one extra approval needed' : '',
  ];
  return parts.filter(Boolean).join(' · ') || undefined;
}

function scheduledDescription(d: Partial<TAuditEventDetails['change-request.scheduled']>): TDescription {
  return {
    title: d.scheduledFor ? `Scheduled — applies at ${formatTime(d.scheduledFor)}` : 'Scheduled — no change window opens soon',
    detail:
      d.why === 'freeze'
        ? 'changes are frozen'
        : d.why === 'not-before'
          ? 'the requester asked for not before then'
          : 'outside the change window',
    tone: 'purple',
  };
}

/** How each request event reads on the timeline; the switch covers every request event in audit-events.ts. */
function describeKnown(e: TRequestEvent & { reason: string | null }): TDescription {
  switch (e.action) {
    case 'change-request.submitted':
      return { title: 'Submitted (revision 1)', detail: submittedDetail(e.details), tone: 'slate' };
    case 'change-request.rollback-proposed':
      return { title: PROPOSED.rollback, tone: 'slate' };
    case 'change-request.restore-proposed':
      return { title: PROPOSED.restore, tone: 'slate' };
    case 'change-request.adopt-proposed':
      return { title: PROPOSED.adopt, tone: 'slate' };
    case 'change-request.review-approved':
      return { title: `Approved revision ${e.details.revision ?? ''}`, tone: 'emerald' };
    case 'change-request.review-rejected':
      return { title: `Rejected revision ${e.details.revision ?? ''}`, tone: 'red' };
    case 'change-request.changes-requested':
      return { title: `Requested changes on revision ${e.details.revision ?? ''}`, tone: 'amber' };
    case 'change-request.approved':
      return {
        title: 'Quorum reached — queued for apply',
        detail: e.details.mode && e.details.mode !== 'quorum' ? `(${e.details.mode})` : undefined,
        tone: 'blue',
      };
    case 'change-request.applying':
      return { title: `Applying (attempt ${e.details.attempt ?? ''})`, tone: 'indigo' };
    case 'change-request.applied':
      return {
        title: `Applied${e.details.after?.resourceVersion ? ` — resourceVersion ${e.details.after.resourceVersion}` : ''}`,
        detail: e.details.reconciled ? 'reconciled: the cluster already held this revision' : undefined,
        tone: 'emerald',
      };
    case 'change-request.stale':
      return { title: 'Stale — the live object moved', tone: 'purple' };
    case 'change-request.failed':
      return { title: 'Failed', tone: 'red' };
    case 'change-request.waiting-for-cluster':
      return {
        title: e.details.waitingSince ? `Waiting for the cluster since ${formatTime(e.details.waitingSince)}` : 'Waiting for the cluster',
        detail: e.details.nextAttemptAt ? `next attempt ${formatTime(e.details.nextAttemptAt)}` : undefined,
        tone: 'amber',
      };
    case 'change-request.revised':
      return { title: `Revised — revision ${e.details.revision ?? ''}, approvals reset`, tone: 'slate' };
    case 'change-request.rebased':
      return { title: `Rebased — revision ${e.details.revision ?? ''}, approvals reset`, tone: 'slate' };
    case 'change-request.cancelled':
      return { title: 'Cancelled', tone: 'slate' };
    case 'change-request.commented':
      return {
        title: `${e.details.threadId ? 'Replied' : 'Commented'}${e.details.line ? ` on ${e.details.side ?? ''} line ${e.details.line}` : ''}`,
        tone: 'slate',
      };
    case 'change-request.thread-resolved':
      return { title: 'Resolved a comment thread', tone: 'slate' };
    case 'change-request.thread-reopened':
      return { title: 'Reopened a comment thread', tone: 'slate' };
    case 'change-request.expired':
      return e.details.cause === 'cluster-unreachable'
        ? { title: 'Expired while waiting for the cluster', detail: e.reason ?? undefined, tone: 'red' }
        : { title: 'Expired', tone: 'slate' };
    case 'change-request.retry-requested':
      return { title: `Retry requested (as ${e.details.as ?? ''}) — the just-in-time checks run again`, tone: 'blue' };
    case 'change-request.reopened':
      return { title: 'Reopened for review', tone: 'amber' };
    case 'change-request.scheduled':
      return scheduledDescription(e.details);
    case 'change-request.window-overridden':
      return { title: 'Change window overridden by an admin', tone: 'red' };
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

function describe(e: TTimelineEvent): TDescription {
  const known = requestEvent(e.action, e.details);
  if (known.action !== null) return describeKnown({ ...known, reason: e.reason });
  // An event this build does not know (written by a newer one) still reads as words, not as its raw key.
  const words = known.name.replace(/^change-request\./, '').replace(/[.-]/g, ' ');
  return { title: words.charAt(0).toUpperCase() + words.slice(1), tone: 'slate' };
}

const DOT: Record<TTone, string> = {
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

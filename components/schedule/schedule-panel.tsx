import Link from 'next/link';
import { formatCountdown, formatInZone } from '@/lib/domain/schedule/change-windows';
import { formatTime } from '@/components/ui/format';
import { OverrideWindowForm } from './override-window-form';

type TSchedule = {
  notBefore: Date | null;
  scheduledFor: Date | null;
  timeZone: string;
  windowOverride: { at: Date; reason: string | null } | null;
  canOverride: boolean;
};
type TPromotedFrom = {
  environment: string;
  namespace: string;
  name: string;
  appliedAt: Date;
  appliedBy: string | null;
  changeRequestId: string | null;
  changeRequestNumber: number | null;
  driftedAt: Date | null;
  failedAt: Date | null;
} | null;

/**
 * When the request will be applied (SCHEDULED: the time in the environment's zone and a countdown),
 * its "not before", an admin's window override, the promotion it came from with the evidence,
 * and the "Promote to <next>" link. `now` is the render time (server-rendered; the page refreshes
 * when the worker acts).
 */
export function SchedulePanel({
  id,
  status,
  schedule,
  promotedFrom,
  promoteTo,
  now,
}: {
  id: string;
  status: string;
  schedule: TSchedule;
  promotedFrom: TPromotedFrom;
  promoteTo: { environment: string; appliedVersionId: string } | null;
  now: Date;
}) {
  const hasAnything =
    status === 'SCHEDULED' || schedule.notBefore || schedule.windowOverride || schedule.canOverride || promotedFrom || promoteTo;
  if (!hasAnything) return null;
  return (
    <section
      aria-labelledby="schedule-title"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      data-testid="schedule-panel"
    >
      <h2 id="schedule-title" className="text-sm font-semibold">
        Schedule and promotion
      </h2>
      {status === 'SCHEDULED' && schedule.scheduledFor && (
        <p data-testid="scheduled-for" className="rounded border border-violet-300 bg-violet-50 px-2 py-1 text-violet-950">
          Applies at <strong>{formatInZone(new Date(schedule.scheduledFor), schedule.timeZone)}</strong>,{' '}
          {formatCountdown(new Date(schedule.scheduledFor), now)}
        </p>
      )}
      {schedule.notBefore && (
        <p data-testid="not-before">Not before {formatInZone(new Date(schedule.notBefore), schedule.timeZone)} (asked by the requester)</p>
      )}
      {schedule.windowOverride && (
        <p data-testid="window-override" className="break-words">
          Change window overridden {formatTime(schedule.windowOverride.at)}: {schedule.windowOverride.reason}
        </p>
      )}
      {schedule.canOverride && <OverrideWindowForm id={id} />}
      {promotedFrom && (
        <div data-testid="promotion-evidence" className="rounded border border-emerald-300 bg-emerald-50 px-2 py-1 text-emerald-950">
          <p>
            Promoted from <strong>{promotedFrom.environment}</strong> ({promotedFrom.namespace}/{promotedFrom.name}): applied there{' '}
            {formatTime(promotedFrom.appliedAt)}
            {promotedFrom.appliedBy ? ` by ${promotedFrom.appliedBy}` : ''}
            {promotedFrom.changeRequestId && promotedFrom.changeRequestNumber !== null && (
              <>
                {' '}
                (
                <Link href={`/requests/${promotedFrom.changeRequestId}`} className="text-blue-800 hover:underline">
                  #{promotedFrom.changeRequestNumber}
                </Link>
                )
              </>
            )}
            .
          </p>
          <p>
            {promotedFrom.driftedAt
              ? `Drifted there ${formatTime(promotedFrom.driftedAt)}.`
              : promotedFrom.failedAt
                ? `An apply failed there ${formatTime(promotedFrom.failedAt)}.`
                : 'No drift or failure there since.'}
          </p>
        </div>
      )}
      {promoteTo && (
        <Link
          href={`/requests/new?promote=${encodeURIComponent(promoteTo.appliedVersionId)}`}
          className="inline-flex items-center rounded border border-emerald-700 bg-emerald-700 px-3 py-1.5 font-semibold text-white hover:bg-emerald-800"
          data-testid="promote"
        >
          Promote to {promoteTo.environment}
        </Link>
      )}
    </section>
  );
}

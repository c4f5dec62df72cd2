import {
  ALWAYS_OPEN,
  evaluateChangeWindow,
  formatInZone,
  ZChangeWindows,
  type TChangeWindows,
  type TWindowDecision,
} from '@/lib/domain/schedule/change-windows';
import { auditRequestEvent } from '../operation';
import type { TTx } from '../db/client';
import type { TAuditActor } from '../audit/append-audit-event';
import { enqueueApply } from '../jobs/queue';

// With no opening within the horizon (every window frozen for a year), look again daily: an admin
// may change the windows or override.
const RECHECK_MS = 24 * 3_600_000;

/** An environment's stored windows; a value that no longer parses (written outside the app) counts as always open and is reported by the admin page. */
export function changeWindowsOf(env: { changeWindows: unknown }): TChangeWindows {
  const parsed = ZChangeWindows.safeParse(env.changeWindows ?? {});
  return parsed.success ? parsed.data : ALWAYS_OPEN;
}

export function windowDecisionFor(
  env: { changeWindows: unknown },
  request: { notBefore: Date | null; windowOverrideAt: Date | null },
  now: Date,
): TWindowDecision {
  return evaluateChangeWindow(changeWindowsOf(env), now, {
    notBefore: request.notBefore,
    ignoreWindows: request.windowOverrideAt !== null,
  });
}

export function scheduledReason(decision: Extract<TWindowDecision, { isOpen: false }>, zone: string): string {
  const when = decision.nextOpen ? `Applies at ${formatInZone(decision.nextOpen, zone)}` : 'No change window opens within 400 days';
  const why =
    decision.reason === 'not-before'
      ? 'the requester asked for not before then'
      : decision.reason === 'freeze'
        ? `changes are frozen${decision.freeze?.label ? `: ${decision.freeze.label}` : ''}`
        : 'outside the environment’s change window';
  return `${when} (${why}).`;
}

/**
 * Decides, in the caller's transaction (which holds the request's row lock), whether an approved
 * request is enqueued now or waits: open → APPROVED with its job due now; closed → SCHEDULED with
 * `scheduledFor` and its job due then (the worker re-runs every check when it runs). The
 * `change-request.scheduled` event is appended only when the scheduled time changes.
 */
export async function scheduleOrEnqueue(
  tx: TTx,
  request: {
    id: string;
    environmentId: string;
    namespace: string;
    ingressName: string;
    currentRevision: number;
    status: string;
    notBefore: Date | null;
    windowOverrideAt: Date | null;
    scheduledFor: Date | null;
  },
  env: { changeWindows: unknown },
  opts: { actor: TAuditActor; now: Date },
): Promise<'APPROVED' | 'SCHEDULED'> {
  const decision = windowDecisionFor(env, request, opts.now);
  const payload = { changeRequestId: request.id, revision: request.currentRevision };
  if (decision.isOpen) {
    await tx.changeRequest.update({ where: { id: request.id }, data: { status: 'APPROVED', scheduledFor: null, statusReason: null } });
    await enqueueApply(tx, payload);
    return 'APPROVED';
  }
  const zone = changeWindowsOf(env).timeZone;
  const at = decision.nextOpen ?? new Date(opts.now.getTime() + RECHECK_MS);
  const reason = scheduledReason(decision, zone);
  await tx.changeRequest.update({ where: { id: request.id }, data: { status: 'SCHEDULED', scheduledFor: at, statusReason: reason } });
  await enqueueApply(tx, payload, at);
  if (request.status !== 'SCHEDULED' || request.scheduledFor?.getTime() !== at.getTime()) {
    await auditRequestEvent(
      tx,
      opts.actor,
      request,
      {
        action: 'change-request.scheduled',
        reason,
        details: {
          revision: request.currentRevision,
          scheduledFor: decision.nextOpen?.toISOString() ?? null,
          recheckAt: at.toISOString(),
          why: decision.reason,
          timeZone: zone,
          ...(decision.freeze
            ? {
                freeze: {
                  label: decision.freeze.label,
                  start: decision.freeze.start.toISOString(),
                  end: decision.freeze.end.toISOString(),
                },
              }
            : {}),
        },
      },
      opts.now,
    );
  }
  return 'SCHEDULED';
}

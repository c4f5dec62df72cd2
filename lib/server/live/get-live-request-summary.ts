import { shownApproval } from '@/lib/domain/approval/approval-state';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { currentApprovalState } from '../change-requests/quorum';
import { db } from '../db/client';
import { AppError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a live request page patches in place when a change arrives (the status badge, the reason,
 * the approvals box), pushed with the server-sent event so the browser shows it without a round
 * trip. `fingerprint` is the page's `status:lastEventSeq:currentRevision`; everything else on the
 * page follows through the (slower) full refresh.
 */
export type TLiveRequestSummary = {
  id: string;
  status: string;
  statusReason: string | null;
  currentRevision: number;
  lastEvent: string | null;
  fingerprint: string;
  autoApproved: boolean;
  approval: {
    count: number;
    required: number;
    missing: number;
    voided: number;
    hasStandingRejection: boolean;
    approvers: { id: string; name: string }[];
    rejecters: { id: string; name: string }[];
    changeRequesters: { id: string; name: string }[];
  };
};

/**
 * The live summary of one request, with the request page's visibility: no actor → 401, a
 * request the actor may not view (or no such id) → 404. Three indexed reads and the approval
 * count (the same rule as the page: `shownApproval`).
 */
export async function getLiveRequestSummary(actor: TActor | null, id: string): Promise<TLiveRequestSummary> {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  if (!UUID.test(id)) throw new AppError('NOT_FOUND', 'No such change request.');
  const request = await db().changeRequest.findUnique({
    where: { id },
    select: { environmentId: true, status: true, statusReason: true, currentRevision: true, autoApproved: true },
  });
  if (!request || !can(actor, 'change-request.view', { environmentId: request.environmentId }))
    throw new AppError('NOT_FOUND', 'No such change request.');
  const [state, last] = await Promise.all([
    db().$transaction((tx) => currentApprovalState(tx, id)),
    db().auditEvent.findFirst({ where: { changeRequestId: id }, orderBy: { seq: 'desc' }, select: { seq: true } }),
  ]);
  const shown = shownApproval(request.status, state);
  const ids = [...new Set([...shown.approvals, ...shown.rejections, ...shown.changesRequested])];
  const names = ids.length
    ? new Map((await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((u) => [u.id, u]))
    : new Map<string, { id: string; name: string }>();
  const people = (list: string[]) => list.map((x) => names.get(x)).filter((u): u is { id: string; name: string } => Boolean(u));
  const lastEvent = last?.seq.toString() ?? null;
  return {
    id,
    status: request.status,
    statusReason: request.statusReason,
    currentRevision: request.currentRevision,
    lastEvent,
    fingerprint: `${request.status}:${lastEvent}:${request.currentRevision}`,
    autoApproved: request.autoApproved,
    approval: {
      count: shown.approvals.length,
      required: shown.required,
      missing: shown.missing,
      voided: shown.voided,
      hasStandingRejection: shown.hasStandingRejection,
      approvers: people(shown.approvals),
      rejecters: people(shown.rejections),
      changeRequesters: people(shown.changesRequested),
    },
  };
}

import { can, environmentsWhere, type TActor } from '@/lib/domain/authz/permissions';
import type { TDriftState } from '@/lib/domain/drift/compare-drift';
import { IN_FLIGHT_STATUSES, isStatusIn } from '@/lib/domain/change/lifecycle';
import { assertCan } from '../authz/assert-can';
import { db } from '../db/client';
import { AppError } from '../errors';
import type { TDriftDetails } from './drift-details';

export type TDriftOverview = Awaited<ReturnType<typeof listDrift>>;
export type TDriftItem = TDriftOverview['records'][number];

const STATE_ORDER: Record<TDriftState, number> = { DRIFTED: 0, DELETED: 1, UNMANAGED: 2, IN_SYNC: 3 };

/**
 * The drift page: the environments whose drift the actor may see (with counts per state), and
 * for one of them (by id or name; the first with open drift by default) every drifted, deleted
 * and unmanaged Ingress with its details, the request raised for it (with that request's current
 * status), and what the actor may do. 403 without drift.view anywhere; an environment the actor
 * cannot see is 404.
 */
export async function listDrift(actor: TActor | null, environment?: string | null) {
  assertCan(actor, 'drift.view', 'any', 'You cannot see drift in any environment.');
  const visible = environmentsWhere(actor, 'drift.view');
  const envs = await db().environment.findMany({
    where: visible === 'all' ? {} : { id: { in: visible } },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, isProduction: true, disabledAt: true, rollbackPreApproved: true },
  });
  const grouped = await db().driftRecord.groupBy({
    by: ['environmentId', 'state'],
    where: { environmentId: { in: envs.map((e) => e.id) } },
    _count: { _all: true },
  });
  const environments = envs.map((e) => {
    const counts: Record<TDriftState, number> = { DRIFTED: 0, DELETED: 0, UNMANAGED: 0, IN_SYNC: 0 };
    for (const g of grouped) if (g.environmentId === e.id) counts[g.state] = g._count._all;
    return { ...e, counts, open: counts.DRIFTED + counts.DELETED + counts.UNMANAGED };
  });
  const selected = environment
    ? environments.find((e) => e.id === environment || e.name === environment)
    : (environments.find((e) => e.open > 0) ?? environments[0]);
  if (environment && !selected) throw new AppError('NOT_FOUND', `No environment named "${environment}".`);
  if (!selected)
    return { environments, selected: null, records: [], permissions: { canRemediate: false, canRestore: false, canAdopt: false } };

  const rows = await db().driftRecord.findMany({ where: { environmentId: selected.id, state: { not: 'IN_SYNC' } } });
  const requestIds = rows
    .map((r) => (r.details as Partial<TDriftDetails>).remediation?.changeRequestId)
    .filter((id): id is string => Boolean(id));
  const requests = requestIds.length
    ? await db().changeRequest.findMany({
        where: { id: { in: requestIds } },
        select: { id: true, number: true, status: true, kind: true, title: true },
      })
    : [];
  const requestById = new Map(requests.map((r) => [r.id, r]));
  const records = rows
    .map((r) => {
      const details = r.details as unknown as TDriftDetails;
      const request = details.remediation ? (requestById.get(details.remediation.changeRequestId) ?? null) : null;
      return {
        id: r.id,
        namespace: r.namespace,
        ingressName: r.ingressName,
        state: r.state as TDriftState,
        detectedAt: r.detectedAt,
        updatedAt: r.updatedAt,
        liveResourceVersion: r.liveResourceVersion,
        details,
        remediation: details.remediation
          ? {
              ...details.remediation,
              status: request?.status ?? null,
              isOpen: request ? isStatusIn(request.status, IN_FLIGHT_STATUSES) : false,
            }
          : null,
      };
    })
    .sort(
      (a, b) =>
        STATE_ORDER[a.state] - STATE_ORDER[b.state] || `${a.namespace}/${a.ingressName}`.localeCompare(`${b.namespace}/${b.ingressName}`),
    );
  const scope = { environmentId: selected.id };
  return {
    environments,
    selected,
    records,
    permissions: {
      canRemediate: can(actor, 'drift.remediate', scope),
      // The requests themselves are checked by their own operations: a restore is a rollback, an adopt a submission.
      canRestore: can(actor, 'drift.remediate', scope) && can(actor, 'change-request.rollback', scope),
      canAdopt: can(actor, 'drift.remediate', scope) && can(actor, 'change-request.submit', scope),
    },
  };
}

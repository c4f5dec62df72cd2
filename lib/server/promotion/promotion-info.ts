import { can, type TActor } from '@/lib/domain/authz/permissions';
import { db } from '../db/client';
import { changeWindowsOf } from '../schedule/schedule-apply';
import { troubleSince } from './check-prior-stage';
import { nextStage } from './prepare-promotion';

/**
 * What the request page and the REST API show about a request's schedule and promotion: its
 * "not before", scheduled time (in the environment's zone), window override; where it was promoted
 * from, with the evidence (applied when, by whom, drift or failure there since); and, for an
 * applied request that is still the Ingress's current version, the next stage it can be promoted to.
 */
export async function promotionInfo(
  actor: TActor,
  request: {
    id: string;
    status: string;
    environmentId: string;
    namespace: string;
    ingressName: string;
    notBefore: Date | null;
    scheduledFor: Date | null;
    windowOverrideAt: Date | null;
    windowOverrideReason: string | null;
    promotedFromId: string | null;
  },
) {
  const env = await db().environment.findUniqueOrThrow({
    where: { id: request.environmentId },
    select: { changeWindows: true, promotionOrder: true },
  });
  const from = request.promotedFromId
    ? await db().appliedVersion.findUnique({
        where: { id: request.promotedFromId },
        include: {
          environment: { select: { name: true } },
          appliedBy: { select: { email: true } },
          changeRequest: { select: { id: true, number: true } },
        },
      })
    : null;
  let promoteTo: { environment: string; appliedVersionId: string } | null = null;
  if (request.status === 'APPLIED') {
    const [mine, latest, next] = await Promise.all([
      db().appliedVersion.findFirst({
        where: { changeRequestId: request.id },
        orderBy: { appliedAt: 'desc' },
        select: { id: true, manifest: true },
      }),
      db().appliedVersion.findFirst({
        where: { environmentId: request.environmentId, namespace: request.namespace, ingressName: request.ingressName },
        orderBy: { appliedAt: 'desc' },
        select: { id: true },
      }),
      nextStage(env.promotionOrder),
    ]);
    if (mine && mine.manifest && latest?.id === mine.id && next && can(actor, 'change-request.submit', { environmentId: next.id })) {
      promoteTo = { environment: next.name, appliedVersionId: mine.id };
    }
  }
  return {
    schedule: {
      notBefore: request.notBefore,
      scheduledFor: request.scheduledFor,
      timeZone: changeWindowsOf(env).timeZone,
      windowOverride: request.windowOverrideAt ? { at: request.windowOverrideAt, reason: request.windowOverrideReason } : null,
      canOverride:
        can(actor, 'change-request.override-window', { environmentId: request.environmentId }) &&
        !request.windowOverrideAt &&
        ['PENDING', 'APPROVED', 'SCHEDULED'].includes(request.status),
    },
    promotedFrom: from
      ? {
          appliedVersionId: from.id,
          environment: from.environment.name,
          namespace: from.namespace,
          name: from.ingressName,
          appliedAt: from.appliedAt,
          appliedBy: from.appliedBy?.email ?? null,
          changeRequestId: from.changeRequest?.id ?? null,
          changeRequestNumber: from.changeRequest?.number ?? null,
          ...(await troubleSince(db(), from.environmentId, from.namespace, from.ingressName, from.appliedAt)),
        }
      : null,
    promoteTo,
  };
}

import { appendAuditEvent } from '../audit/append-audit-event';
import { db } from '../db/client';
import { lockChangeRequest, TX_OPTIONS } from './quorum';

/** PENDING (and REJECTED/STALE, which wait on the requester) requests past their expiry become EXPIRED, one audited transaction each. */
export async function expireChangeRequests(now: Date = new Date()): Promise<number> {
  const due = await db().changeRequest.findMany({
    where: { status: { in: ['PENDING', 'REJECTED', 'STALE'] }, expiresAt: { lt: now } },
    select: { id: true },
    take: 500,
  });
  let expired = 0;
  for (const { id } of due) {
    await db().$transaction(async (tx) => {
      await lockChangeRequest(tx, id);
      const r = await tx.changeRequest.findUniqueOrThrow({ where: { id } });
      if (!['PENDING', 'REJECTED', 'STALE'].includes(r.status) || !r.expiresAt || r.expiresAt >= now) return;
      await tx.changeRequest.update({
        where: { id },
        data: { status: 'EXPIRED', statusReason: `No decision before ${r.expiresAt.toISOString()}` },
      });
      await appendAuditEvent(
        tx,
        {
          actor: { system: 'system' },
          action: 'change-request.expired',
          environmentId: r.environmentId,
          namespace: r.namespace,
          ingressName: r.ingressName,
          changeRequestId: id,
          details: { before: { status: r.status }, after: { status: 'EXPIRED' }, expiresAt: r.expiresAt.toISOString() },
        },
        now,
      );
      expired += 1;
    }, TX_OPTIONS);
  }
  return expired;
}

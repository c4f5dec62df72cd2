import { EXPIRABLE_STATUSES, isStatusIn } from '@/lib/domain/change/lifecycle';
import { db } from '../db/client';
import { auditRequestEvent, lockedChangeRequest, TX_OPTIONS } from '../operation';

/** PENDING (and REJECTED/STALE, which wait on the requester) requests past their expiry become EXPIRED, one audited transaction each. */
export async function expireChangeRequests(now: Date = new Date()): Promise<number> {
  const due = await db().changeRequest.findMany({
    where: { status: { in: [...EXPIRABLE_STATUSES] }, expiresAt: { lt: now } },
    select: { id: true },
    take: 500,
  });
  let expired = 0;
  for (const { id } of due) {
    await db().$transaction(async (tx) => {
      const r = await lockedChangeRequest(tx, id);
      if (!isStatusIn(r.status, EXPIRABLE_STATUSES) || !r.expiresAt || r.expiresAt >= now) return;
      await tx.changeRequest.update({
        where: { id },
        data: { status: 'EXPIRED', statusReason: `No decision before ${r.expiresAt.toISOString()}` },
      });
      await auditRequestEvent(
        tx,
        { system: 'system' },
        r,
        {
          action: 'change-request.expired',
          details: { before: { status: r.status }, after: { status: 'EXPIRED' }, expiresAt: r.expiresAt.toISOString() },
        },
        now,
      );
      expired += 1;
    }, TX_OPTIONS);
  }
  return expired;
}

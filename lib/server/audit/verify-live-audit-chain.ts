import type pg from 'pg';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createChainVerifier, type TVerifyResult } from '@/lib/domain/audit/audit-chain';
import { Prisma } from '@/lib/generated/prisma/client';
import { assertCan } from '../authz/assert-can';
import { auditPageAfter, auditReadPool, R, toChainedEvent } from './audit-query';

/**
 * Recomputes the whole live chain from genesis, page by page (memory stays at one page), and
 * returns the first broken link or the count and head hash. Read-only. Needs a global audit.view
 * role: the answer covers every environment's events.
 */
export async function verifyLiveAuditChain(actor: TActor | null, opts: { pool?: pg.Pool; pageSize?: number } = {}): Promise<TVerifyResult> {
  assertCan(actor, 'audit.view', 'global', 'Only auditors and admins of every environment can verify the whole audit log.');
  const pool = opts.pool ?? auditReadPool();
  const verifier = createChainVerifier();
  let last = '0';
  for (;;) {
    const rows = await auditPageAfter(pool, last, Prisma.sql`TRUE`, opts.pageSize ?? 5000);
    for (const row of rows) {
      const broken = verifier.push(toChainedEvent(row));
      if (broken) return broken;
    }
    if (rows.length === 0) break;
    last = rows[rows.length - 1]![R.seq];
  }
  return verifier.finish();
}

import type pg from 'pg';
import type { TActor } from '@/lib/domain/authz/permissions';
import { createChainVerifier, type TVerifyResult } from '@/lib/domain/audit/audit-chain';
import { Prisma } from '@/lib/generated/prisma/client';
import { assertCan } from '../authz/assert-can';
import { checkCheckpointSignature, checkpointKey, type TSignedCheckpoint } from '@/lib/domain/audit/audit-checkpoint';
import { db } from '../db/client';
import { env } from '../env';
import { auditPageAfter, auditReadPool, R, toChainedEvent } from './audit-query';

/**
 * Recomputes the whole live chain from genesis, page by page (memory stays at one page), and
 * returns the first broken link or the count and head hash. Read-only. Needs a global audit.view
 * role: the answer covers every environment's events.
 */
export async function verifyLiveAuditChain(
  actor: TActor | null,
  opts: { pool?: pg.Pool; pageSize?: number } = {},
): Promise<TVerifyResult & { checkpoints?: number }> {
  assertCan(actor, 'audit.view', 'global', 'Only auditors and admins of every environment can verify the whole audit log.');
  const pool = opts.pool ?? auditReadPool();
  const verifier = createChainVerifier();
  // Signed checkpoints (lib/domain/audit/audit-checkpoint.ts): each signature is checked with the
  // key from the environment, and the chain must have the signed hash at each checkpoint's seq,
  // which catches a rewrite whose hashes were all recomputed.
  const key = checkpointKey(env());
  const checkpoints = new Map<string, TSignedCheckpoint>();
  const stored = await db().auditCheckpoint.findMany({ orderBy: { seq: 'asc' } });
  let count = 0;
  for (const c of stored) {
    const signed = { seq: c.seq.toString(), hash: c.hash, createdAt: c.createdAt.toISOString(), keyId: c.keyId, signature: c.signature };
    const check = key ? checkCheckpointSignature(key, signed) : ({ ok: true } as const);
    if (!check.ok) return { ok: false, count, brokenAt: { seq: signed.seq, index: 0, reason: check.reason } };
    checkpoints.set(signed.seq, signed);
  }
  let last = '0';
  for (;;) {
    const rows = await auditPageAfter(pool, last, Prisma.sql`TRUE`, opts.pageSize ?? 5000);
    for (const row of rows) {
      const event = toChainedEvent(row);
      const broken = verifier.push(event);
      if (broken) return broken;
      const checkpoint = checkpoints.get(event.seq);
      if (checkpoint) {
        checkpoints.delete(event.seq);
        if (checkpoint.hash !== event.hash) {
          return {
            ok: false,
            count,
            brokenAt: {
              seq: event.seq,
              index: count,
              reason: `the chain has hash ${event.hash} at seq ${event.seq}, but the checkpoint signed at ${checkpoint.createdAt} says ${checkpoint.hash}: the log was rewritten and its hashes recomputed after that checkpoint`,
            },
          };
        }
      }
      count += 1;
    }
    if (rows.length === 0) break;
    last = rows[rows.length - 1]![R.seq];
  }
  const [missing] = checkpoints.keys();
  if (missing) {
    return {
      ok: false,
      count,
      brokenAt: {
        seq: missing,
        index: count,
        reason: `the checkpoint at seq ${missing} names an event that is gone (events were removed)`,
      },
    };
  }
  return { ...verifier.finish(), checkpoints: stored.length };
}

import { checkpointKey, signCheckpoint } from '@/lib/domain/audit/audit-checkpoint';
import { db, type TDb } from '../db/client';
import { env } from '../env';

/**
 * Signs the current head of the audit chain and stores the checkpoint. Cases: empty log → none;
 * the head already has a checkpoint → none (a quiet log adds no rows); `minIntervalMs` given and
 * the latest checkpoint is younger → none (the worker's periodic call); else written. The worker
 * calls it every housekeeping round with INGRESS_GATE_AUDIT_CHECKPOINT_MINUTES, every export
 * without a minimum.
 */
export async function writeAuditCheckpoint(
  opts: { client?: TDb; now?: Date; minIntervalMs?: number } = {},
): Promise<{ seq: string; hash: string } | null> {
  const client = opts.client ?? db();
  const now = opts.now ?? new Date();
  const key = checkpointKey(env());
  if (!key) return null;
  const [head, latest] = await Promise.all([
    client.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } }),
    client.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, createdAt: true } }),
  ]);
  if (!head) return null;
  if (latest && latest.seq >= head.seq) return null;
  if (opts.minIntervalMs && latest && now.getTime() - latest.createdAt.getTime() < opts.minIntervalMs) return null;
  const checkpoint = signCheckpoint(key, { seq: head.seq.toString(), hash: head.hash, createdAt: now.toISOString() });
  await client.auditCheckpoint.createMany({
    data: [{ seq: head.seq, hash: head.hash, createdAt: now, keyId: checkpoint.keyId, signature: checkpoint.signature }],
    skipDuplicates: true,
  });
  return { seq: checkpoint.seq, hash: checkpoint.hash };
}

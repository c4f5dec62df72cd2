import { canonicalJson, GENESIS_HASH, hashAuditEvent, type TAuditEventBody } from '@/lib/domain/audit/audit-chain';
import type { TAuditAction, TAuditEventDetails } from '@/lib/domain/audit/audit-events';
import type { TTx } from '../db/client';
import { currentRequestId } from '../request-context';

export const AUDIT_CHAIN_LOCK = 7245010;

// 'anonymous': a failed sign-in for an email that has no account.
export type TAuditActor = { id: string; email: string } | { system: 'worker' | 'system' | 'anonymous' };

export type TAuditInput = {
  actor: TAuditActor;
  action: string;
  environmentId?: string | null;
  namespace?: string | null;
  ingressName?: string | null;
  changeRequestId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
};

/** An event the application records: its name is one of audit-events.ts and its details have that name's shape. */
export type TAuditEvent<A extends TAuditAction> = Omit<TAuditInput, 'action' | 'details'> & { action: A; details: TAuditEventDetails[A] };

/**
 * Records one application event (typed by lib/domain/audit/audit-events.ts) in the caller's
 * transaction. Operations use this — or `auditRequestEvent` for an event about one request —
 * never the untyped chain appender below (lint enforces it).
 */
export async function recordAuditEvent<A extends TAuditAction>(tx: TTx, event: TAuditEvent<A>, now: Date = new Date()) {
  return appendAuditEvent(tx, event, now);
}

/**
 * Appends one event to the audit chain inside the caller's transaction, so the event commits
 * or rolls back with the change it records. The advisory lock (also taken by the database
 * trigger) serialises appends: the head read here is still the head at insert.
 */
export async function appendAuditEvent(tx: TTx, input: TAuditInput, now: Date = new Date()): Promise<{ seq: bigint; hash: string }> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
  const prevHash = head?.hash ?? GENESIS_HASH;
  const actorId = 'id' in input.actor ? input.actor.id : null;
  const actorLabel = 'id' in input.actor ? input.actor.email : input.actor.system;
  const body: TAuditEventBody = {
    occurredAt: now.toISOString(),
    actorId,
    actorLabel,
    action: input.action,
    environmentId: input.environmentId ?? null,
    namespace: input.namespace ?? null,
    ingressName: input.ingressName ?? null,
    changeRequestId: input.changeRequestId ?? null,
    reason: input.reason ?? null,
    // Round-trip through canonical JSON so what is hashed is exactly what JSONB gives back. The
    // request id (when the event comes from a web request) ties the event to the logs.
    details: JSON.parse(canonicalJson(withRequestIdDetail(input.details ?? {}))) as unknown,
  };
  const hash = hashAuditEvent(prevHash, body);
  const row = await tx.auditEvent.create({
    data: {
      occurredAt: now,
      actorId,
      actorLabel,
      action: body.action,
      environmentId: body.environmentId,
      namespace: body.namespace,
      ingressName: body.ingressName,
      changeRequestId: body.changeRequestId,
      reason: body.reason,
      details: body.details as object,
      prevHash,
      hash,
    },
    select: { seq: true },
  });
  return { seq: row.seq, hash };
}

function withRequestIdDetail(details: Record<string, unknown>): Record<string, unknown> {
  const requestId = currentRequestId();
  return requestId && details.requestId === undefined ? { ...details, requestId } : details;
}

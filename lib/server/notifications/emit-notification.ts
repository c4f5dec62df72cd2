import type { TNotificationKind } from '@/lib/domain/notifications/notification-kinds';
import type { TAuditActor } from '../audit/append-audit-event';
import type { TTx } from '../db/client';

export const NOTIFY_TASK = 'notify';
export const DELIVER_TASK = 'deliver-notification';

export type TEmitNotification = {
  kind: TNotificationKind;
  actor: TAuditActor;
  changeRequestId?: string | null;
  environmentId?: string | null;
  /** The revision the event is about (links open the request at it). */
  revision?: number | null;
  /** Free details the summary shows: { comment?, reason?, namespace?, ingressName? }. */
  details?: Record<string, unknown>;
  /** The same key twice is one event (e.g. "expiring:<request>:<deadline>"). */
  dedupeKey?: string;
};

/**
 * The outbox write: call it inside the transaction that writes the state change. The event row
 * and its fan-out job (graphile-worker's add_job is plain SQL) commit with the change or not at
 * all, so no notification is lost and none is sent for a change that rolled back.
 * Returns the event id, or null when `dedupeKey` was already used.
 */
export async function emitNotification(tx: TTx, input: TEmitNotification): Promise<string | null> {
  const actorId = 'id' in input.actor ? input.actor.id : null;
  const actorLabel = 'id' in input.actor ? input.actor.email : input.actor.system;
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO notification_events (kind, dedupe_key, change_request_id, environment_id, revision, actor_id, actor_label, details)
     VALUES ($1, $2, $3::uuid, $4::uuid, $5, $6::uuid, $7, $8::jsonb)
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id::text`,
    input.kind,
    input.dedupeKey ?? null,
    input.changeRequestId ?? null,
    input.environmentId ?? null,
    input.revision ?? null,
    actorId,
    actorLabel,
    JSON.stringify(input.details ?? {}),
  );
  const id = rows[0]?.id;
  if (!id) return null;
  await tx.$executeRawUnsafe(
    `SELECT graphile_worker.add_job($1::text, $2::json, job_key := $3::text, max_attempts := 5)`,
    NOTIFY_TASK,
    JSON.stringify({ eventId: id }),
    `notify:${id}`,
  );
  return id;
}

/** Enqueues one delivery (in the caller's transaction); the job key keeps it to one job. */
export async function enqueueDelivery(tx: TTx, deliveryId: string, runAt: Date | null = null): Promise<void> {
  await tx.$executeRawUnsafe(
    `SELECT graphile_worker.add_job($1::text, $2::json, job_key := $3::text, run_at := COALESCE($4::timestamptz, now()), max_attempts := 3, job_key_mode := 'replace')`,
    DELIVER_TASK,
    JSON.stringify({ deliveryId }),
    `deliver:${deliveryId}`,
    runAt,
  );
}

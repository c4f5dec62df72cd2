import type { z } from 'zod';
import { can, type TActor } from '@/lib/domain/authz/permissions';
import { requestRefusal, type TChangeStatus, type TRequestFacts, type TRequestVerb } from '@/lib/domain/change/lifecycle';
import { isUuid } from '@/lib/domain/text/uuid';
import type { ChangeRequest, ChangeStatus, Environment } from '@/lib/generated/prisma/client';
import type { TAuditEventDetails, TRequestAuditAction } from '@/lib/domain/audit/audit-events';
import { recordAuditEvent, type TAuditActor } from './audit/append-audit-event';
import { db, type TTx } from './db/client';
import { AppError } from './errors';

/**
 * The opening every operation shares (ARCHITECTURE.md, "The operation kit"): who is asking, the
 * input parsed to a 400 naming each field, the request found (404 when unknown or not visible),
 * the lifecycle's refusal as a 403/409, the request locked and re-checked, and its audit event.
 */

/** Transactions that take row locks wait their turn rather than fail under load. */
export const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 } as const;

/** 401 without a signed-in caller; the caller otherwise. */
export function requireActor(actor: TActor | null, message = 'Sign in first.'): TActor {
  if (!actor) throw new AppError('UNAUTHENTICATED', message);
  return actor;
}

/** Each zod issue as a field error (`path.to.field`), under one 400. */
export function zodToAppError(error: z.ZodError, message = 'Some fields need attention.'): AppError {
  return new AppError('INVALID_INPUT', message, { fieldErrors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

/** The parsed input, or a 400 naming every field that needs attention; nothing has been read or written yet. */
export function parseInput<TSchema extends z.ZodType>(schema: TSchema, input: unknown, message?: string): z.output<TSchema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodToAppError(parsed.error, message);
  return parsed.data;
}

export { isUuid };

export type TRequestWithEnvironment = ChangeRequest & { environment: Environment };

const NO_SUCH_REQUEST = 'No such change request.';

/** 404 unless the request exists; for callers that check a permission of their own next. */
export async function findChangeRequestOr404(id: string): Promise<TRequestWithEnvironment> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
  const request = await db().changeRequest.findUnique({ where: { id }, include: { environment: true } });
  if (!request) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
  return request;
}

/** The request, or 404 — also when it is in an environment the actor cannot see, so ids do not leak. */
export async function findVisibleChangeRequest(actor: TActor, id: string): Promise<TRequestWithEnvironment> {
  const request = await findChangeRequestOr404(id);
  if (!can(actor, 'change-request.view', { environmentId: request.environmentId })) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
  return request;
}

/** The facts the lifecycle decides on, from a request row and its environment. */
export function requestFacts(request: ChangeRequest & { environment: Pick<Environment, 'name'> }): TRequestFacts {
  return {
    requesterId: request.requesterId,
    environmentId: request.environmentId,
    environmentName: request.environment.name,
    status: request.status,
    action: request.action,
    windowOverrideAt: request.windowOverrideAt,
  };
}

/** Throws the lifecycle's refusal (403 or 409, with its sentence) unless the actor may `verb` the request now. */
export function assertMay(actor: TActor, request: ChangeRequest & { environment: Pick<Environment, 'name'> }, verb: TRequestVerb): void {
  const refusal = requestRefusal(actor, requestFacts(request), verb);
  if (refusal) throw new AppError(refusal.status, refusal.message, { details: { reason: refusal.code } });
}

/** Locks the request row for the rest of the transaction: concurrent writers to one request queue here. */
export async function lockChangeRequest(tx: TTx, changeRequestId: string): Promise<void> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM change_requests WHERE id = $1::uuid FOR UPDATE', changeRequestId);
  if (!rows.length) throw new AppError('NOT_FOUND', NO_SUCH_REQUEST);
}

/**
 * The request as it is under its row lock. With `expect`, a status outside `statuses` (another
 * writer got there first) is a 409 with `conflict(status)`; without it, the caller re-asks the
 * lifecycle (assertMay) on the fresh row.
 */
export async function lockedChangeRequest(
  tx: TTx,
  changeRequestId: string,
  expect?: { statuses: readonly TChangeStatus[]; conflict: (status: string) => string },
): Promise<TRequestWithEnvironment> {
  await lockChangeRequest(tx, changeRequestId);
  const request = await tx.changeRequest.findUniqueOrThrow({ where: { id: changeRequestId }, include: { environment: true } });
  if (expect && !(expect.statuses as readonly string[]).includes(request.status))
    throw new AppError('CONFLICT', expect.conflict(request.status.toLowerCase()));
  return request;
}

/** The audit actor of a signed-in caller. */
export function auditActor(actor: Pick<TActor, 'id' | 'email'>): TAuditActor {
  return { id: actor.id, email: actor.email };
}

type TRequestRef = Pick<ChangeRequest, 'id' | 'environmentId' | 'namespace' | 'ingressName'>;

/** Appends an event about one request: its environment, namespace, Ingress and id are said once, here. */
export async function auditRequestEvent<A extends TRequestAuditAction>(
  tx: TTx,
  actor: TAuditActor,
  request: TRequestRef,
  event: { action: A; reason?: string | null; details: TAuditEventDetails[A] },
  now: Date,
): Promise<{ seq: bigint; hash: string }> {
  return recordAuditEvent(
    tx,
    {
      actor,
      action: event.action,
      environmentId: request.environmentId,
      namespace: request.namespace,
      ingressName: request.ingressName,
      changeRequestId: request.id,
      reason: event.reason ?? null,
      details: event.details,
    },
    now,
  );
}

// The lifecycle's statuses are the schema's (enum ChangeStatus): this fails to compile when they drift.
type TSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const LIFECYCLE_MATCHES_SCHEMA: TSame<TChangeStatus, ChangeStatus> = true;

import { headers } from 'next/headers';
import type { TActor } from '@/lib/domain/authz/permissions';
import { AppError, expectedAppError, type TAppErrorCode, type TFieldError } from '@/lib/server/errors';
import { log } from '@/lib/server/log';
import { currentRequestId, requestIdFrom, withRequestId } from '@/lib/server/request-context';
import { getActor } from './auth';

export type TActionResult<T> =
  { ok: true; data: T } | { ok: false; code: TAppErrorCode | 'INTERNAL'; message: string; fieldErrors: TFieldError[]; requestId?: string };

/**
 * Expected failures (AppError, an unreachable database → UNAVAILABLE) become values; anything
 * else is a bug: logged with the request id and shown generically (never a stack trace).
 */
export function toActionError(error: unknown): Extract<TActionResult<never>, { ok: false }> {
  const requestId = currentRequestId();
  const expected = expectedAppError(error);
  if (expected) {
    if (expected.code === 'UNAVAILABLE') log.warn({ reason: expected.details?.reason }, 'database unreachable');
    return { ok: false, code: expected.code, message: expected.message, fieldErrors: expected.fieldErrors, requestId };
  }
  log.error({ err: error }, 'unexpected error');
  return {
    ok: false,
    code: 'INTERNAL',
    message: `Something went wrong (request ${requestId ?? 'unknown'}). Try again; if it persists, give the id to an admin.`,
    fieldErrors: [],
    requestId,
  };
}

/** The id proxy.ts gave this request (X-Request-Id), or a new one outside a request. */
export async function incomingRequestId(): Promise<string> {
  try {
    return requestIdFrom((await headers()).get('x-request-id'));
  } catch {
    return requestIdFrom(null);
  }
}

/**
 * Wraps a server action: resolves the signed-in actor (fresh roles) and turns failures into
 * values. It authenticates and maps errors only — every permission check lives in the lib/server
 * operation `run` calls; the input boundary (no NUL, control characters or lone surrogates) is
 * the database client's, so every action is covered without repeating it here.
 */
export async function authedAction<T>(run: (actor: TActor) => Promise<T>): Promise<TActionResult<T>> {
  return withRequestId(await incomingRequestId(), async () => {
    try {
      const actor = await getActor();
      if (!actor) throw new AppError('UNAUTHENTICATED', 'Your session ended. Sign in again.');
      return { ok: true as const, data: await run(actor) };
    } catch (error) {
      return toActionError(error);
    }
  });
}

import { randomUUID } from 'node:crypto';
import type { TActor } from '@/lib/domain/authz/permissions';
import { AppError, type TAppErrorCode, type TFieldError } from '@/lib/server/errors';
import { getActor } from './auth';

export type TActionResult<T> =
  { ok: true; data: T } | { ok: false; code: TAppErrorCode | 'INTERNAL'; message: string; fieldErrors: TFieldError[] };

/** Unknown errors are logged with an id and shown generically (never a stack trace). */
export function toActionError(error: unknown): Extract<TActionResult<never>, { ok: false }> {
  if (error instanceof AppError) return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  const id = randomUUID().slice(0, 8);
  console.error(`[ingress-gate] unexpected error ${id}:`, error);
  return {
    ok: false,
    code: 'INTERNAL',
    message: `Something went wrong (error ${id}). Try again; if it persists, give the id to an admin.`,
    fieldErrors: [],
  };
}

/**
 * Wraps a server action: resolves the signed-in actor (fresh roles) and turns failures into
 * values. It authenticates and maps errors only — every permission check lives in the lib/server
 * operation `run` calls.
 */
export async function authedAction<T>(run: (actor: TActor) => Promise<T>): Promise<TActionResult<T>> {
  try {
    const actor = await getActor();
    if (!actor) throw new AppError('UNAUTHENTICATED', 'Your session ended. Sign in again.');
    return { ok: true, data: await run(actor) };
  } catch (error) {
    return toActionError(error);
  }
}

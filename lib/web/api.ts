import type { TActor } from '@/lib/domain/authz/permissions';
import { actorFromApiToken } from '@/lib/server/api-tokens/actor-from-api-token';
import { AppError } from '@/lib/server/errors';
import { getActor } from './auth';
import { toActionError } from './action';

/** `{ error: { code, message, details } }` with the AppError's status; 500 for anything else. */
export function errorResponse(error: unknown): Response {
  const e = toActionError(error);
  const status = error instanceof AppError ? error.status : 500;
  const details = error instanceof AppError ? { fieldErrors: e.fieldErrors, ...(error.details ?? {}) } : undefined;
  return Response.json({ error: { code: e.code, message: e.message, ...(details ? { details } : {}) } }, { status });
}

/**
 * The caller of a route handler: a personal API token (`Authorization: Bearer igt_…`) or the
 * browser session. Authenticates only; operations check permissions.
 */
export async function apiActor(request: Request): Promise<TActor> {
  const header = request.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'Use "Authorization: Bearer <token>".');
    const actor = await actorFromApiToken(match[1]!);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is invalid, expired or revoked.');
    return actor;
  }
  const actor = await getActor();
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in or send an API token.');
  return actor;
}

/** Runs a handler with the caller and maps errors to JSON. */
export async function withApiActor(request: Request, run: (actor: TActor) => Promise<Response>): Promise<Response> {
  try {
    return await run(await apiActor(request));
  } catch (error) {
    return errorResponse(error);
  }
}

/** Reads a JSON body; a malformed one is a 400 naming the problem. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body must be JSON.');
  }
}

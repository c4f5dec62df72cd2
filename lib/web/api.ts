import type { TActor } from '@/lib/domain/authz/permissions';
import { actorFromApiToken } from '@/lib/server/api-tokens/actor-from-api-token';
import { AppError, expectedAppError } from '@/lib/server/errors';
import { assertCleanInput } from '@/lib/server/input/assert-clean-input';
import { observeHttpRequest } from '@/lib/server/metrics/http-metrics';
import { requestIdFrom, withRequestId } from '@/lib/server/request-context';
import { getActor } from './auth';
import { toActionError } from './action';

/**
 * `{ error: { code, message, details, requestId } }` with the AppError's status (503 UNAVAILABLE
 * when the database is unreachable, with `Retry-After`); 500 for anything else. The request id is
 * also in the `X-Request-Id` header, the logs and the audit details.
 */
export function errorResponse(error: unknown): Response {
  const e = toActionError(error);
  const expected = expectedAppError(error);
  const status = expected ? expected.status : 500;
  const details = expected ? { fieldErrors: e.fieldErrors, ...(expected.details ?? {}) } : undefined;
  const headers: Record<string, string> = {};
  if (e.requestId) headers['X-Request-Id'] = e.requestId;
  if (status === 503) headers['Retry-After'] = '5';
  return Response.json(
    { error: { code: e.code, message: e.message, ...(details ? { details } : {}), ...(e.requestId ? { requestId: e.requestId } : {}) } },
    { status, headers },
  );
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

/**
 * Runs a handler with the caller and maps errors to JSON, inside the request's id (logs, audit)
 * and timed for /api/metrics by route.
 */
export async function withApiActor(request: Request, run: (actor: TActor) => Promise<Response>): Promise<Response> {
  return withApiRequest(request, async () => run(await apiActor(request)));
}

/** The request-id, error mapping and timing of withApiActor, for handlers that authenticate otherwise. */
export async function withApiRequest(request: Request, run: () => Promise<Response>): Promise<Response> {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const started = performance.now();
  const response = await withRequestId(requestId, async () => {
    try {
      const r = await run();
      r.headers.set('X-Request-Id', requestId);
      return r;
    } catch (error) {
      return errorResponse(error);
    }
  });
  observeHttpRequest(request.method, new URL(request.url).pathname, response.status, (performance.now() - started) / 1000);
  return response;
}

/**
 * Reads a JSON body; a malformed one is a 400 naming the problem. A string (or key) with NUL,
 * another control character or an unpaired surrogate (`"\ud800"` is valid JSON) is a 400 naming
 * its field, e.g. `title contains a NUL character (U+0000) at position 4; remove it.`
 */
export async function readJson(request: Request): Promise<unknown> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError('INVALID_INPUT', 'The request body must be JSON.');
  }
  assertCleanInput(body);
  return body;
}

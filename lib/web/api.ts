import type { TActor } from '@/lib/domain/authz/permissions';
import { actorFromApiToken } from '@/lib/server/api-tokens/actor-from-api-token';
import { AppError, expectedAppError } from '@/lib/server/errors';
import { assertCleanInput } from '@/lib/server/input/assert-clean-input';
import { observeHttpRequest } from '@/lib/server/metrics/http-metrics';
import { requestIdFrom, withRequestId } from '@/lib/server/request-context';
import { env } from '@/lib/server/env';
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Per route: the body types it accepts from a browser session (bearer calls are not limited here). */
export type TApiOptions = { contentTypes?: readonly string[] };
const DEFAULT_CONTENT_TYPES = ['application/json'] as const;

/** The origins this app is served at: the request's own, the forwarded host, and AUTH_URL. */
function ownOrigins(request: Request): Set<string> {
  const url = new URL(request.url);
  const origins = new Set([url.origin]);
  const fwdHost = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const fwdProto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? url.protocol.replace(':', '');
  if (fwdHost) origins.add(`${fwdProto}://${fwdHost}`);
  const configured = env().AUTH_URL;
  if (configured) origins.add(new URL(configured).origin);
  return origins;
}

/**
 * Cross-site request forgery guard for cookie-authenticated mutations. A browser attaches the
 * session cookie to a form another site (or a sibling subdomain: SameSite=Lax does not stop
 * same-site posts) submits, and HTML forms can send text/plain, urlencoded and multipart bodies
 * without a preflight. So a cookie-authenticated POST/PUT/PATCH/DELETE must (1) come from this
 * origin — Sec-Fetch-Site: same-origin when the browser sends it, and an Origin among ours when
 * it sends one; a request with neither is refused (non-browser clients use API tokens) — and
 * (2) carry one of the route's content types (JSON by default). Bearer-token calls never carry
 * ambient credentials, so they skip this.
 */
export function assertSameOriginMutation(request: Request, opts: TApiOptions = {}): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  if (site !== null && site !== 'same-origin')
    throw new AppError(
      'FORBIDDEN',
      `Cross-site request refused: a signed-in browser session may change things only from this site (Sec-Fetch-Site: ${site.slice(0, 20)}). Pipelines use an API token.`,
    );
  if (origin !== null && !ownOrigins(request).has(origin))
    throw new AppError('FORBIDDEN', 'Cross-origin request refused: the Origin is not this site. Pipelines use an API token.');
  if (site === null && origin === null)
    throw new AppError(
      'FORBIDDEN',
      'Request refused: a change made with the session cookie must come from this site (no Origin or Sec-Fetch-Site header). Pipelines use an API token.',
    );
  if (request.method.toUpperCase() === 'DELETE' && !request.headers.get('content-type')) return;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const allowed = opts.contentTypes ?? DEFAULT_CONTENT_TYPES;
  if (!allowed.includes(type))
    throw new AppError(
      'FORBIDDEN',
      `Request refused: send the body as ${allowed.join(' or ')} (got ${type ? type.slice(0, 60) : 'no Content-Type'}).`,
    );
}

/**
 * The caller of a route handler: a personal API token (`Authorization: Bearer igt_…`) or the
 * browser session (mutations then pass assertSameOriginMutation). Authenticates only; operations
 * check permissions.
 */
export async function apiActor(request: Request, opts: TApiOptions = {}): Promise<TActor> {
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
  assertSameOriginMutation(request, opts);
  return actor;
}

/**
 * Runs a handler with the caller and maps errors to JSON, inside the request's id (logs, audit)
 * and timed for /api/metrics by route.
 */
export async function withApiActor(request: Request, run: (actor: TActor) => Promise<Response>, opts: TApiOptions = {}): Promise<Response> {
  return withApiRequest(request, async () => run(await apiActor(request, opts)));
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

import { NextResponse, type NextRequest } from 'next/server';
import { findDisallowedCharacter } from '@/lib/domain/text/disallowed-characters';
import { isDatabaseReachable } from '@/lib/server/health/database-reachable';
import { requestIdFrom } from '@/lib/server/request-context';

// Runs before every request (except static assets):
// 1. gives it a request id (X-Request-Id, to the handler and back to the client; logs, error
//    bodies and audit details carry it);
// 2. the URL part of the input boundary: a path segment or query parameter with NUL, another
//    control character or an unpaired surrogate is a 400 naming the parameter, before any page or
//    handler could send it to PostgreSQL;
// 3. when the database is unreachable, pages answer a 503 "unreachable; retrying" page and the
//    REST API 503 UNAVAILABLE, instead of Next's generic error (health and metrics answer themselves);
// 4. only redirects: a visitor without a session cookie goes to sign-in and comes back after. The
//    real check (a live session row, active user, fresh roles) happens in every page and operation
//    via getActor()/requireActor(); a forged or ended cookie gets no further than this;
// 5. security headers that depend on the request: a Content-Security-Policy with a fresh nonce per
//    page view (Next reads it from the request's CSP header and puts it on its own scripts;
//    app/layout.tsx reads `x-nonce`, which makes every page dynamic, as nonces require), HSTS when
//    the request came over https, `Cache-Control: no-store` on API responses.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];
const SELF_REPORTING = /^\/api\/(health|metrics)(\/|$)/;

export async function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers.get('x-request-id'));
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');

  const bad = badUrlPart(request);
  if (bad)
    return refuse(400, isApi, requestId, 'INVALID_INPUT', `${bad.label} ${bad.message}.`, {
      fieldErrors: [{ path: bad.path, message: bad.message }],
    });

  // Server actions return their own UNAVAILABLE value; a page answer would break the caller.
  if (!SELF_REPORTING.test(pathname) && !request.headers.has('next-action')) {
    const db = await isDatabaseReachable();
    if (!db.reachable) {
      return refuse(503, isApi, requestId, 'UNAVAILABLE', 'The database is unreachable; retrying. Try again in a few seconds.', {
        reason: db.reason,
      });
    }
  }

  const headers = new Headers(request.headers);
  headers.set('x-request-id', requestId);
  const needsSession = !isApi && !pathname.startsWith('/sign-in');
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (needsSession && !hasSession) {
    const url = request.nextUrl.clone();
    url.pathname = '/sign-in';
    url.search = `?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
    const response = NextResponse.redirect(url);
    response.headers.set('X-Request-Id', requestId);
    if (isHttps(request)) response.headers.set('Strict-Transport-Security', HSTS);
    return response;
  }
  let csp: string | null = null;
  if (!isApi) {
    const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
    csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
    headers.set('x-nonce', nonce);
    headers.set('Content-Security-Policy', csp);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('X-Request-Id', requestId);
  if (csp) response.headers.set('Content-Security-Policy', csp);
  // API answers are per caller (and some carry secrets, like a new token): never cached.
  else response.headers.set('Cache-Control', 'no-store');
  if (isHttps(request)) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

const HSTS = 'max-age=31536000; includeSubDomains';

function contentSecurityPolicy(nonce: string, isDev: boolean): string {
  // Scripts: only those carrying this response's nonce, and what they load ('strict-dynamic').
  // Styles: 'unsafe-inline' stays: the diff viewer (emotion) injects <style> tags and style
  // attributes at run time that cannot carry a nonce; styles cannot run code.
  // form-action: our own origin, plus the OIDC issuer the sign-in form redirects to.
  const issuer = process.env.OIDC_ISSUER ? safeOrigin(process.env.OIDC_ISSUER) : null;
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'${issuer ? ` ${issuer}` : ''}`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function isHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

type TBadUrlPart = { path: string; label: string; message: string };

/** The first query parameter or path segment with a disallowed character, e.g. `query parameter "q"`. */
function badUrlPart(request: NextRequest): TBadUrlPart | null {
  for (const [name, value] of request.nextUrl.searchParams) {
    const inName = findDisallowedCharacter(name);
    if (inName)
      return {
        path: `query[${JSON.stringify(name)}]`,
        label: `the name of query parameter ${JSON.stringify(name)}`,
        message: inName.message,
      };
    const found = findDisallowedCharacter(value);
    if (found) return { path: `query.${name}`, label: `query parameter ${JSON.stringify(name)}`, message: found.message };
  }
  const segments = request.nextUrl.pathname.split('/');
  for (let i = 1; i < segments.length; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segments[i]!);
    } catch {
      return { path: `path[${i}]`, label: `path segment ${i}`, message: 'is not valid percent-encoding' };
    }
    const found = findDisallowedCharacter(decoded);
    if (found) return { path: `path[${i}]`, label: `path segment ${i}`, message: found.message };
  }
  return null;
}

function refuse(status: 400 | 503, isApi: boolean, requestId: string, code: string, message: string, details: Record<string, unknown>) {
  const headers: Record<string, string> = { 'X-Request-Id': requestId, 'Cache-Control': 'no-store' };
  if (status === 503) headers['Retry-After'] = '5';
  if (isApi) return NextResponse.json({ error: { code, message, details, requestId } }, { status, headers });
  return new NextResponse(page(status, message, requestId), {
    status,
    headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A self-contained page: the app's layout needs the database, which may be what is missing.
function page(status: 400 | 503, message: string, requestId: string): string {
  const title = status === 503 ? 'Ingress Gate is waiting for its database' : 'Bad request';
  const retry = status === 503 ? '<meta http-equiv="refresh" content="5">' : '';
  const action =
    status === 503
      ? '<p>This page retries by itself every 5 seconds. <a href="">Retry now</a></p>'
      : '<p><a href="/">Back to requests</a></p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${retry}<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a}p{color:#334155}small{color:#64748b}a{color:#1e40af}</style>
</head><body><main><h1>${title}</h1><p>${escapeHtml(message)}</p>${action}<p><small>Status ${status} · request ${escapeHtml(requestId)}</small></p></main></body></html>`;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};

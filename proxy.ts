import { NextResponse, type NextRequest } from 'next/server';

// Only redirects: a visitor without a session cookie goes to sign-in and comes back after.
// The real check (valid session, active user, fresh roles) happens in every page and
// operation via getActor()/requireActor(); a forged cookie gets no further than this.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = '/sign-in';
  url.search = `?callbackUrl=${encodeURIComponent(request.nextUrl.pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!api/|sign-in|_next/|favicon.ico).*)'],
};

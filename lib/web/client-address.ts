/**
 * The client's address for sign-in throttling. Next.js sets X-Forwarded-For to the socket's
 * address unless the request already carries one; a reverse proxy in front (the usual
 * deployment) appends the address it saw, so the rightmost entry is the one the nearest proxy
 * vouches for. Exposed without a proxy, a client can choose its own X-Forwarded-For and so its
 * address bucket; the per-account throttle does not depend on it.
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  if (last) return last.slice(0, 100);
  return headers.get('x-real-ip')?.trim().slice(0, 100) || null;
}

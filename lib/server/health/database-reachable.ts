import { connect } from 'node:net';

// The proxy asks before every page; one TCP connect per interval is the whole cost.
const CACHE_UP_MS = 2_000;
const CACHE_DOWN_MS = 1_000;
const CONNECT_TIMEOUT_MS = 1_500;

let cached: { at: number; reachable: boolean; reason: string } | null = null;
let inFlight: Promise<{ reachable: boolean; reason: string }> | null = null;

/**
 * Whether the database server accepts connections (a TCP connect to DATABASE_URL's host and port),
 * cached for a second or two. proxy.ts uses it to answer a clear 503 page instead of letting every
 * page fail with Next's generic error when the database is down.
 */
export async function isDatabaseReachable(databaseUrl = process.env.DATABASE_URL): Promise<{ reachable: boolean; reason: string }> {
  const now = Date.now();
  if (cached && now - cached.at < (cached.reachable ? CACHE_UP_MS : CACHE_DOWN_MS)) return cached;
  inFlight ??= probe(databaseUrl).finally(() => {
    inFlight = null;
  });
  const result = await inFlight;
  cached = { at: Date.now(), ...result };
  return result;
}

function probe(databaseUrl: string | undefined): Promise<{ reachable: boolean; reason: string }> {
  if (!databaseUrl) return Promise.resolve({ reachable: true, reason: '' });
  let host = '127.0.0.1';
  let port = 5432;
  try {
    const url = new URL(databaseUrl);
    host = url.hostname.replace(/^\[|\]$/g, '') || host;
    port = Number(url.port || 5432);
    // A Unix socket (?host=/var/run/postgresql) cannot be probed over TCP: trust it.
    if (url.searchParams.get('host')?.startsWith('/')) return Promise.resolve({ reachable: true, reason: '' });
  } catch {
    return Promise.resolve({ reachable: true, reason: '' });
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean, reason: string) => {
      socket.destroy();
      resolve({ reachable, reason });
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false, `no answer from ${host}:${port} within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once('connect', () => done(true, ''));
    socket.once('error', (error: NodeJS.ErrnoException) => done(false, `${error.code ?? 'error'} connecting to ${host}:${port}`));
  });
}

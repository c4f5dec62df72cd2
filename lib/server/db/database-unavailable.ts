// Errors that mean "the database cannot be reached right now" rather than a bug: connection
// refused or reset, the server shutting down or starting up, a connection dropped mid-query.
// They become 503 UNAVAILABLE (REST), an "unreachable; retrying" page, a 503 health check, and a
// worker log line with the reason — never a 500 or an empty message.

const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
const UNREACHABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'DatabaseDoesNotExist']);
// libpq SQLSTATEs: 08xxx connection exceptions; 57P01–57P03 admin shutdown, crash shutdown, cannot connect now.
const UNREACHABLE_SQLSTATES = /^(08\d{3}|57P0[1-3])$/;
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNREACHABLE_MESSAGE =
  /Can't reach database server|Connection terminated|connection refused|terminating connection|the database system is (starting up|shutting down|in recovery)|Client has encountered a connection error|timeout exceeded when trying to connect|Server has closed the connection/i;

type TErrorLike = { name?: unknown; code?: unknown; message?: unknown; meta?: unknown; cause?: unknown; errors?: unknown };

/** True when `error` (or anything in its cause chain) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const e = error as TErrorLike;
  if (e.name === 'PrismaClientInitializationError') return true;
  if (
    typeof e.code === 'string' &&
    (UNREACHABLE_PRISMA_CODES.has(e.code) || UNREACHABLE_SQLSTATES.test(e.code) || UNREACHABLE_NODE_CODES.has(e.code))
  )
    return true;
  const adapter = (e.meta as { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined)?.driverAdapterError
    ?.cause;
  if (adapter?.kind && UNREACHABLE_ADAPTER_KINDS.has(adapter.kind)) return true;
  if (adapter?.originalCode && UNREACHABLE_SQLSTATES.test(adapter.originalCode)) return true;
  if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * One line saying why, for logs and /api/health: Prisma's messages start with a blank line and
 * the source of the call, so the first line was empty ("error": ""). Picks the sentence that says
 * what happened; falls back to the error's name and code.
 */
export function databaseErrorReason(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  const e = error as TErrorLike;
  const message = typeof e.message === 'string' ? e.message : '';
  const known = UNREACHABLE_MESSAGE.exec(message);
  if (known) {
    const line = message.split('\n').find((l) => l.includes(known[0])) ?? known[0];
    return line
      .replace(/^.*Message: `/, '')
      .replace(/`$/, '')
      .trim();
  }
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Invalid `.*` invocation/.test(l) && !/^(→\s*)?\d+\s/.test(l) && !l.startsWith('/'));
  const last = lines.at(-1);
  if (last) return last;
  if (e.cause) return databaseErrorReason(e.cause);
  return [typeof e.name === 'string' ? e.name : 'Error', typeof e.code === 'string' ? e.code : ''].filter(Boolean).join(' ');
}

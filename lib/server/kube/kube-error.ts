import { ApiException } from '@kubernetes/client-node';

/**
 * Every failure talking to a cluster becomes a KubeError a user can act on. The client
 * (@kubernetes/client-node 2.x over undici fetch) fails in these shapes:
 * - `ApiException` with `code` (HTTP status) and `body`: the response text (a `Status` JSON from the
 *   API server, or whatever a proxy in front of it sent), except 401, where the body is dropped.
 * - `TypeError('fetch failed')` with `cause.code`: ECONNREFUSED, ENOTFOUND, ECONNRESET,
 *   UND_ERR_SOCKET ("other side closed"), UND_ERR_CONNECT_TIMEOUT, or a TLS code
 *   (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ...).
 * - `TypeError('terminated')` with cause UND_ERR_SOCKET: the connection died while the body streamed.
 * - the abort reason of our own per-request timeout signal.
 * - plain `Error` from the kubeconfig loader ("HTTP protocol is not allowed when skipTLSVerify is not
 *   set or false", "No active cluster!").
 * Messages never carry stack traces, response headers, or credentials.
 */
export type TKubeErrorKind =
  | 'not-found'
  | 'already-exists'
  | 'conflict'
  | 'forbidden'
  | 'invalid'
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'server-error'
  // The connection itself is misconfigured (bad kubeconfig, unknown context, http without
  // insecure-skip-tls-verify): nothing was sent, retrying will not help, an admin must fix it.
  | 'config'
  | 'unknown';

export type TKubeCause = { field: string; message: string };

/** What was being attempted, so messages can say which verb on which resource where. */
export type TKubeOperation = { verb: string; resource: string; namespace?: string | null; name?: string | null };

const RETRYABLE: Record<TKubeErrorKind, boolean> = {
  'not-found': false,
  'already-exists': false,
  // A moved object needs a rebase and new approvals (invariant 4), never a blind retry.
  conflict: false,
  forbidden: false,
  invalid: false,
  unauthorized: false,
  unreachable: true,
  timeout: true,
  tls: false,
  'server-error': true,
  config: false,
  unknown: false,
};

export class KubeError extends Error {
  readonly kind: TKubeErrorKind;
  readonly retryable: boolean;
  readonly status: number | null;
  /** The API server's `Status.reason` (NotFound, Conflict, ...), when there was one. */
  readonly reason: string | null;
  readonly causes: TKubeCause[];
  readonly operation: TKubeOperation | null;
  /** The API server's own `Status.message` (redacted), when it sent one: shown to people as it is. */
  readonly serverMessage: string | null;

  constructor(
    kind: TKubeErrorKind,
    message: string,
    opts: {
      status?: number | null;
      reason?: string | null;
      causes?: TKubeCause[];
      operation?: TKubeOperation | null;
      retryable?: boolean;
      cause?: unknown;
      serverMessage?: string | null;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KubeError';
    this.kind = kind;
    this.retryable = opts.retryable ?? RETRYABLE[kind];
    this.status = opts.status ?? null;
    this.reason = opts.reason ?? null;
    this.causes = opts.causes ?? [];
    this.operation = opts.operation ?? null;
    this.serverMessage = opts.serverMessage ?? null;
  }

  /** The safe, serialisable view (no stack, no cause chain). */
  toJSON(): {
    kind: TKubeErrorKind;
    message: string;
    retryable: boolean;
    status: number | null;
    reason: string | null;
    causes: TKubeCause[];
  } {
    return {
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      status: this.status,
      reason: this.reason,
      causes: this.causes,
    };
  }
}

export function isKubeError(error: unknown): error is KubeError {
  return error instanceof KubeError;
}

/** Thrown as the abort reason of our per-request timeout, so it is told apart from other aborts. */
export class KubeTimeoutSignal extends Error {
  constructor(readonly timeoutMs: number) {
    super(`request timed out after ${timeoutMs} ms`);
    this.name = 'KubeTimeoutSignal';
  }
}

type TStatusBody = {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { field?: string; message?: string; reason?: string }[] };
};

const NETWORK_UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);
const NETWORK_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|ERR_OSSL_|HOSTNAME_MISMATCH$)/;

/** Removes anything credential-shaped from text that may end up in a user-facing message. */
export function redact(text: string): string {
  return text
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1[redacted]@')
    .replace(/(token|password|client-key-data|client-certificate-data)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]');
}

function parseStatus(body: unknown): TStatusBody | null {
  if (typeof body !== 'string' || !body.trim().startsWith('{')) return null;
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as TStatusBody) : null;
  } catch {
    return null;
  }
}

function where(op: TKubeOperation | null): string {
  if (!op) return '';
  return op.namespace ? ` in namespace "${op.namespace}"` : ' at cluster scope';
}

const KIND_OF: Record<string, string> = {
  ingresses: 'Ingress',
  services: 'Service',
  ingressclasses: 'IngressClass',
  namespaces: 'Namespace',
};

function subject(op: TKubeOperation | null): string {
  if (!op) return 'the object';
  return op.name ? `${KIND_OF[op.resource] ?? op.resource} "${op.name}"` : op.resource;
}

function fromHttp(status: number, body: unknown, op: TKubeOperation | null, cause: unknown): KubeError {
  const s = parseStatus(body);
  const serverMessage = s?.message ? redact(s.message) : null;
  const reason = s?.reason ?? null;
  const base = { status, reason, operation: op, cause, serverMessage };
  switch (true) {
    case status === 401:
      return new KubeError(
        'unauthorized',
        "The cluster rejected the connection's credentials (401 Unauthorized): the token or client certificate is missing, expired or revoked.",
        base,
      );
    case status === 403: {
      const what = op ? `${op.verb} ${op.resource}${where(op)}` : 'do this';
      return new KubeError(
        'forbidden',
        `The connection's identity may not ${what}.${serverMessage ? ` The API server said: ${serverMessage}` : ''}`,
        base,
      );
    }
    case status === 404:
      if (s?.details?.kind === 'namespaces' && op?.resource !== 'namespaces') {
        return new KubeError('not-found', `Namespace "${s.details.name ?? op?.namespace ?? ''}" does not exist in the cluster.`, base);
      }
      return new KubeError(
        'not-found',
        serverMessage && s?.kind === 'Status' ? `Not found: ${serverMessage}.` : `${subject(op)}${where(op)} was not found.`,
        base,
      );
    case status === 409 && reason === 'AlreadyExists':
      return new KubeError('already-exists', `${capitalise(subject(op))} already exists${where(op)}.`, base);
    case status === 409:
      return new KubeError(
        'conflict',
        `${capitalise(subject(op))}${where(op)} was changed in the cluster since it was read; nothing was written.${serverMessage ? ` The API server said: ${serverMessage}` : ''}`,
        base,
      );
    case status === 400 || status === 422: {
      const causes = (s?.details?.causes ?? []).map((c) => ({ field: c.field ?? '', message: redact(c.message ?? c.reason ?? '') }));
      return new KubeError('invalid', `The API server rejected the object: ${serverMessage ?? `${status} with no explanation`}`, {
        ...base,
        causes,
      });
    }
    case status === 429:
      return new KubeError('server-error', 'The API server is throttling requests (429 Too Many Requests); try again shortly.', base);
    case status === 504 || reason === 'Timeout':
      return new KubeError('timeout', `The API server timed out handling the request.${serverMessage ? ` ${serverMessage}` : ''}`, base);
    case status >= 500:
      return new KubeError(
        'server-error',
        `The API server failed (${status}${reason ? ` ${reason}` : ''})${serverMessage ? `: ${serverMessage}` : ''}.`,
        { ...base, retryable: status !== 501 },
      );
    default:
      return new KubeError('unknown', `The API server answered ${status}${serverMessage ? `: ${serverMessage}` : ''}.`, base);
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function errorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Maps anything a client call threw to a KubeError. Cases: KubeError → itself; ApiException → by
 * HTTP status and Status.reason; our timeout signal / AbortError / undici timeouts → timeout;
 * socket-level failures → unreachable; certificate and handshake failures → tls; kubeconfig
 * loader errors → config; anything else → unknown with a generic message (the original stays in
 * `cause` for server logs).
 */
export function toKubeError(error: unknown, op: TKubeOperation | null = null, timeoutMs?: number): KubeError {
  if (error instanceof KubeError) return error;
  if (error instanceof ApiException) return fromHttp(error.code, error.body, op, error);
  if (error instanceof KubeTimeoutSignal) {
    return new KubeError('timeout', `The API server did not answer within ${formatSeconds(error.timeoutMs)}.`, {
      operation: op,
      cause: error,
    });
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new KubeError('timeout', `The API server did not answer${timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : ' in time'}.`, {
      operation: op,
      cause: error,
    });
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof KubeTimeoutSignal) return toKubeError(cause, op, timeoutMs);
  const code = errorCode(cause) ?? errorCode(error);
  if (code && NETWORK_TIMEOUT.has(code)) {
    return new KubeError('timeout', `Connecting to the API server timed out (${code}).`, { operation: op, cause: error });
  }
  if (code && TLS_CODES.test(code)) {
    return new KubeError(
      'tls',
      `The TLS connection to the API server failed (${code}): ${redact(String((cause as Error | undefined)?.message ?? ''))}. Check the cluster's certificate authority data and server name.`,
      {
        operation: op,
        cause: error,
      },
    );
  }
  if (code && NETWORK_UNREACHABLE.has(code)) {
    const midResponse = error instanceof Error && error.message === 'terminated';
    const detail = redact(String((cause as Error | undefined)?.message ?? code));
    return new KubeError(
      'unreachable',
      midResponse
        ? `The connection to the API server broke while reading its answer (${detail}).`
        : `The API server could not be reached (${detail}).`,
      { operation: op, cause: error },
    );
  }
  if (error instanceof Error && /skipTLSVerify|No active cluster|context|kubeconfig|ENOENT|service ?account/i.test(error.message)) {
    return new KubeError('config', `The cluster connection is misconfigured: ${redact(error.message)}`, { operation: op, cause: error });
  }
  return new KubeError('unknown', 'Unexpected error while talking to the cluster.', { operation: op, cause: error });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

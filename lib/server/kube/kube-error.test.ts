import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeError, KubeTimeoutSignal, redact, toKubeError } from './kube-error';

// Shapes the client throws (see kube-error.ts); the integration tests produce them over sockets.
function fetchFailed(code: string, message = code): TypeError {
  const cause = Object.assign(new Error(message), { code });
  return Object.assign(new TypeError('fetch failed'), { cause });
}

const status = (code: number, reason: string, message: string, extra: object = {}) =>
  new ApiException(
    code,
    'Unknown API Status Code!',
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code, ...extra }),
    {},
  );

describe('toKubeError', () => {
  const op = { verb: 'update', resource: 'ingresses', namespace: 'shop', name: 'web' };

  it.each([
    [status(404, 'NotFound', 'ingresses.networking.k8s.io "web" not found'), 'not-found', false],
    [status(409, 'AlreadyExists', 'x already exists'), 'already-exists', false],
    [status(409, 'Conflict', 'Operation cannot be fulfilled'), 'conflict', false],
    [status(403, 'Forbidden', 'forbidden'), 'forbidden', false],
    [
      status(422, 'Invalid', 'invalid', {
        details: { causes: [{ field: 'spec.rules[0].host', message: 'Invalid value', reason: 'FieldValueInvalid' }] },
      }),
      'invalid',
      false,
    ],
    [new ApiException(401, 'Unauthorized', undefined, {}), 'unauthorized', false],
    [status(500, 'InternalError', 'etcd'), 'server-error', true],
    [status(501, 'NotImplemented', 'nope'), 'server-error', false],
    [status(504, 'Timeout', 'slow'), 'timeout', true],
    [new KubeTimeoutSignal(10_000), 'timeout', true],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'timeout', true],
    [fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:6443'), 'unreachable', true],
    [fetchFailed('ENOTFOUND'), 'unreachable', true],
    [fetchFailed('UND_ERR_SOCKET', 'other side closed'), 'unreachable', true],
    [fetchFailed('UND_ERR_CONNECT_TIMEOUT'), 'timeout', true],
    [fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'tls', false],
    [fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls', false],
    [fetchFailed('CERT_HAS_EXPIRED'), 'tls', false],
    [new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false'), 'config', false],
    [new RangeError('something odd'), 'unknown', false],
  ] as const)('%#: maps to %s (retryable %s)', (error, kind, retryable) => {
    const e = toKubeError(error, op);
    expect(e).toBeInstanceOf(KubeError);
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
  });

  it('keeps the causes of a 422', () => {
    const e = toKubeError(
      status(422, 'Invalid', 'x', { details: { causes: [{ field: 'spec.tls[0].hosts[0]', message: 'Invalid value: "*"' }] } }),
      op,
    );
    expect(e.causes).toEqual([{ field: 'spec.tls[0].hosts[0]', message: 'Invalid value: "*"' }]);
  });

  it('passes a KubeError through unchanged', () => {
    const e = new KubeError('conflict', 'moved');
    expect(toKubeError(e)).toBe(e);
  });

  it('an unknown error gets a generic message (the original stays in cause, not in message)', () => {
    const original = new Error('at /srv/app/secret-path.ts:12 token=abc');
    const e = toKubeError(original);
    expect(e.message).toBe('Unexpected error while talking to the cluster.');
    expect(e.cause).toBe(original);
    expect(JSON.stringify(e)).not.toContain('secret-path');
  });
});

describe('redact', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOi.abc.def', 'Authorization: Bearer [redacted]'],
    ['https://admin:hunter2@k8s.example.com:6443', 'https://[redacted]@k8s.example.com:6443'],
    ['token: abc123', 'token: [redacted]'],
    ['"password":"p4ss"', '"password":"[redacted]"'],
    ['nothing to see', 'nothing to see'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

import { qualifiedKind, qualifiedResource, type TResourceInfo } from './resources';

/**
 * `Status` bodies exactly as k8s.io/apimachinery/pkg/api/errors writes them, so the client-side
 * error mapping is tested against the real shapes (reason, code, details.causes).
 */
export type TStatusCause = { reason: string; message: string; field: string };
export type TStatus = {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: TStatusCause[]; retryAfterSeconds?: number };
  code: number;
};

function failure(code: number, reason: string, message: string, details?: TStatus['details']): TStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function detailsFor(info: TResourceInfo, name: string | undefined): NonNullable<TStatus['details']> {
  return { ...(name ? { name } : {}), ...(info.group ? { group: info.group } : {}), kind: info.resource };
}

export function notFound(info: TResourceInfo, name: string): TStatus {
  return failure(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, detailsFor(info, name));
}

export function alreadyExists(info: TResourceInfo, name: string): TStatus {
  return failure(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, detailsFor(info, name));
}

/** errors.NewConflict: optimistic-concurrency failures on update and delete preconditions. */
export function conflict(info: TResourceInfo, name: string, why: string): TStatus {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${why}`, detailsFor(info, name));
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(info: TResourceInfo, name: string | undefined, user: string, verb: string, namespace: string | null): TStatus {
  const subject = name ? `${qualifiedResource(info)} "${name}"` : qualifiedResource(info);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${info.resource}" in API group "${info.group}" ${scope}`,
    detailsFor(info, name),
  );
}

export function unauthorized(): TStatus {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function badRequest(message: string): TStatus {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(): TStatus {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** errors.NewInvalid: message lists the causes, one as `field: message`, several in brackets. */
export function invalid(info: TResourceInfo, name: string, causes: TStatusCause[]): TStatus {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind(info)} "${name}" is invalid: ${list}`, {
    name,
    ...(info.group ? { group: info.group } : {}),
    kind: info.kind,
    causes,
  });
}

export function gone(message: string): TStatus {
  return failure(410, 'Expired', message);
}

/** A generic body for a status injected by a test with failNext(). */
export function statusForCode(code: number): TStatus {
  switch (code) {
    case 400:
      return badRequest('the request is invalid');
    case 401:
      return unauthorized();
    case 403:
      return failure(403, 'Forbidden', 'forbidden');
    case 404:
      return failure(404, 'NotFound', 'the server could not find the requested resource');
    case 409:
      return failure(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
    case 410:
      return gone('too old resource version');
    case 422:
      return failure(422, 'Invalid', 'the object is invalid');
    case 429:
      return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    case 500:
      return failure(500, 'InternalError', 'Internal error occurred: etcdserver: leader changed');
    case 503:
      return failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    case 504:
      return failure(504, 'Timeout', 'Timeout: request did not complete within requested timeout');
    default:
      return failure(code, 'Unknown', `status ${code}`);
  }
}

export function success(info: TResourceInfo, name: string, uid: string | undefined): TStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...detailsFor(info, name), ...(uid ? { uid } : {}) },
    code: 200,
  };
}

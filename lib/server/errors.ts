import { databaseErrorReason, isDatabaseUnavailable } from './db/database-unavailable';

/**
 * Expected server-side failures. `code` decides the HTTP status; `message` is safe to show a user.
 * Anything that is not an AppError is a bug: it is logged with an id and shown generically.
 */
export const APP_ERROR_STATUS = {
  INVALID_INPUT: 400,
  UNPROCESSABLE: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE: 409,
  CLUSTER_UNAVAILABLE: 503,
  // The database is unreachable (down, restarting, network); retry later.
  UNAVAILABLE: 503,
} as const;

export type TAppErrorCode = keyof typeof APP_ERROR_STATUS;

export type TFieldError = { path: string; message: string; line?: number | null; column?: number | null };

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly fieldErrors: TFieldError[];
  readonly details: Record<string, unknown> | undefined;

  constructor(code: TAppErrorCode, message: string, opts: { fieldErrors?: TFieldError[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = opts.fieldErrors ?? [];
    this.details = opts.details;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** An AppError for anything expected, including an unreachable database (503 UNAVAILABLE); null for bugs. */
export function expectedAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error))
    return new AppError('UNAVAILABLE', 'The database is unreachable; retrying. Try again in a few seconds.', {
      details: { reason: databaseErrorReason(error) },
    });
  return null;
}

/**
 * One line naming why something failed, for logs: an unreachable database says so with the
 * driver's reason ("database unreachable: Can't reach database server at 127.0.0.1:5432"); Prisma's
 * multi-line messages (which start with a blank line, so `.split('\n')[0]` was empty) are reduced
 * to the sentence that says what happened.
 */
export function errorReason(error: unknown): string {
  if (isDatabaseUnavailable(error)) return `database unreachable: ${databaseErrorReason(error)}`;
  return databaseErrorReason(error) || 'unknown error';
}

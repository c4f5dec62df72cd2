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

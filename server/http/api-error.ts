/** Error codes the card API answers with (README "Card API"). */
export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'not_found'
  | 'needs_reauth'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Readonly<Record<ApiErrorCode, number>> = {
  validation_failed: 400,
  unauthorized: 401,
  not_found: 404,
  needs_reauth: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** An error a route means to answer with; the one error handler turns it into JSON. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    this.field = field;
  }
}

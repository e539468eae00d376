/** Error codes the card API answers with (README "Card API"). */
export type ApiErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'needs_reauth'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

const STATUS: Readonly<Record<ApiErrorCode, number>> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  needs_reauth: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
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

/**
 * A zod failure as the API answers it: the first problem, its message, and
 * the field it names — for an unknown key, the key itself (`settings.colour`);
 * `body` when the body as a whole is wrong (not an object, an empty list).
 * `prefix` places the path inside the request body (e.g. `['settings']`).
 */
export function validationError(
  error: { readonly issues: readonly ZodIssueLike[] },
  prefix: readonly string[] = [],
): ApiError {
  const issue = error.issues[0];
  if (issue === undefined)
    return new ApiError('validation_failed', 'invalid input', prefix.join('.') || 'body');
  const path = [...prefix, ...issue.path.map(String)];
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined) path.push(issue.keys[0]);
  return new ApiError(
    'validation_failed',
    issue.message,
    path.length > 0 ? path.join('.') : 'body',
  );
}

interface ZodIssueLike {
  readonly code: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
  readonly keys?: readonly string[];
}

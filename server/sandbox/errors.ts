import { randomUUID } from 'node:crypto';

/** One entry of the `errors` array HubSpot puts in some error bodies. */
export interface HubSpotErrorDetail {
  readonly message: string;
  readonly code?: string;
  readonly in?: string;
  readonly subCategory?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

interface HubSpotErrorExtras {
  readonly errors?: readonly HubSpotErrorDetail[];
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly subCategory?: string;
  readonly links?: Readonly<Record<string, string>>;
}

/**
 * An API error as HubSpot reports it: `{status: "error", message,
 * correlationId, category, ...}`. Routes throw it; the one error handler
 * turns it into the response.
 */
export class HubSpotError extends Error {
  readonly status: number;
  readonly category: string;
  readonly extras: HubSpotErrorExtras;

  constructor(status: number, category: string, message: string, extras: HubSpotErrorExtras = {}) {
    super(message);
    this.status = status;
    this.category = category;
    this.extras = extras;
  }

  /** The JSON body HubSpot sends for this error. */
  toBody(): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId: newCorrelationId(),
      ...this.extras,
      category: this.category,
    };
  }
}

/** HubSpot answers every error with a fresh UUID that support can look up. */
export function newCorrelationId(): string {
  return randomUUID();
}

/** 400 `VALIDATION_ERROR`, the category of every bad request body or parameter. */
export function validationError(message: string, extras: HubSpotErrorExtras = {}): HubSpotError {
  return new HubSpotError(400, 'VALIDATION_ERROR', message, extras);
}

export function objectNotFound(message: string, ids: readonly string[] = []): HubSpotError {
  return new HubSpotError(
    404,
    'OBJECT_NOT_FOUND',
    message,
    ids.length > 0 ? { context: { id: ids } } : {},
  );
}

export function conflict(message: string): HubSpotError {
  return new HubSpotError(409, 'OBJECT_ALREADY_EXISTS', message);
}

const AUTH_HELP =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** 401 for a missing, unknown or revoked token. */
export function invalidAuthentication(): HubSpotError {
  return new HubSpotError(401, 'INVALID_AUTHENTICATION', AUTH_HELP);
}

/** 401 for an access token past its `expires_in`. */
export function expiredAuthentication(expiredForMs: number): HubSpotError {
  const seconds = Math.max(1, Math.round(expiredForMs / 1000));
  return new HubSpotError(
    401,
    'EXPIRED_AUTHENTICATION',
    `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
  );
}

/** 403 when the token lacks every scope that would allow the call. */
export function missingScopes(anyOf: readonly string[]): HubSpotError {
  return new HubSpotError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: anyOf },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

/**
 * HubSpot's 429 body differs from its other errors: `errorType` and
 * `policyName` instead of `category`.
 */
export function rateLimitBody(policyName: string): Record<string, string> {
  return {
    status: 'error',
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: newCorrelationId(),
    policyName,
  };
}

import { z } from 'zod';
import { isRetriableStatus, retryAfterMs } from './retry-policy.ts';

/** HubSpot's date-versioned OAuth endpoints; the v1 ones sunset in Feb 2027. */
const TOKEN_PATH = '/oauth/2026-03/token';
const INTROSPECT_PATH = '/oauth/2026-03/token/introspect';
const REVOKE_PATH = '/oauth/2026-03/token/revoke';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string(),
  hub_id: z.number().int().positive(),
  scopes: z.array(z.string()).default([]),
});

const introspectionSchema = z.object({
  active: z.boolean(),
  token_type: z.string().optional(),
  hub_id: z.number().int().optional(),
  app_id: z.number().int().optional(),
  client_id: z.string().optional(),
  user_id: z.number().int().optional(),
  scopes: z.array(z.string()).optional(),
  expires_in: z.number().int().optional(),
});

/** HubSpot's `{status, message}`, or the RFC 6749 `{error, error_description}`. */
const oauthErrorSchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .loose();

/** What HubSpot says of a code or refresh token that will never work (hubspot-facts.md). */
const REFUSED_GRANT_CODES = new Set(['BAD_REFRESH_TOKEN', 'BAD_AUTH_CODE', 'invalid_grant']);

/** Tokens of one install, as HubSpot issued them. */
export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
  readonly tokenType: string;
  /** The portal the tokens belong to. */
  readonly hubId: number;
  readonly scopes: readonly string[];
}

export interface TokenIntrospection {
  readonly active: boolean;
  readonly tokenType: string | null;
  readonly hubId: number | null;
  readonly appId: number | null;
  readonly scopes: readonly string[];
  readonly expiresInSeconds: number | null;
}

/** The OAuth endpoint failed; `code` is HubSpot's `status` (e.g. `BAD_REFRESH_TOKEN`). */
export class OAuthError extends Error {
  override readonly name: string = 'OAuthError';
  readonly httpStatus: number;
  readonly code: string | null;
  readonly correlationId: string | null;

  constructor(
    message: string,
    httpStatus: number,
    code: string | null,
    correlationId: string | null,
  ) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.correlationId = correlationId;
  }
}

/**
 * HubSpot refused the grant for good: a 400 `BAD_REFRESH_TOKEN`,
 * `BAD_AUTH_CODE` or `invalid_grant`, or a 401 (the app's access was
 * revoked). Trying again will not help; the portal must re-authorise.
 */
export class OAuthRefusedError extends OAuthError {
  override readonly name: string = 'OAuthRefusedError';
}

/**
 * A refusal that says nothing about the grant: HubSpot unreachable, no
 * answer in time, 408, 429, 5xx or an unexpected body. Retry later, after
 * `retryAfterMs` when HubSpot said how long.
 */
export class OAuthUnavailableError extends OAuthError {
  override readonly name: string = 'OAuthUnavailableError';
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    httpStatus: number,
    code: string | null,
    correlationId: string | null,
    retryAfterMs: number | null = null,
  ) {
    super(message, httpStatus, code, correlationId);
    this.retryAfterMs = retryAfterMs;
  }
}

/** 408, 429 and 5xx say "not now", never "no". */
function isTemporaryStatus(status: number): boolean {
  return status === 408 || status === 429 || isRetriableStatus(status);
}

export interface OAuthClientOptions {
  /** HubSpot's API origin (`https://api.hubapi.com`) or the sandbox's. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs?: number;
}

export interface OAuthClient {
  /** `grant_type=authorization_code`: the install's first tokens. */
  readonly exchangeCode: (code: string, redirectUri: string) => Promise<OAuthTokens>;
  /** `grant_type=refresh_token`; throws `OAuthRefusedError` when HubSpot says no. */
  readonly refresh: (refreshToken: string) => Promise<OAuthTokens>;
  readonly introspect: (token: string) => Promise<TokenIntrospection>;
  /** Revoking a refresh token also ends its access tokens. */
  readonly revoke: (token: string) => Promise<void>;
}

/**
 * HubSpot's 2026-03 OAuth token endpoints (form-encoded). Errors carry
 * HubSpot's code and correlation id, never a token or the client secret.
 *
 * @example
 * const oauth = createOAuthClient({ baseUrl, clientId, clientSecret });
 * const tokens = await oauth.exchangeCode(code, 'https://app.example.com/oauth/callback');
 * tokens.hubId // the portal that installed the app
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function post(
    path: string,
    form: Record<string, string>,
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, options.baseUrl), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({
          ...form,
          client_id: options.clientId,
          client_secret: options.clientSecret,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OAuthUnavailableError(`${path}: HubSpot unreachable (${reason})`, 0, null, null);
    }
    const text = await response.text();
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    if (response.ok) return { status: response.status, body };
    const parsed = oauthErrorSchema.safeParse(body);
    const data = parsed.success ? parsed.data : {};
    const code = data.status ?? data.error ?? null;
    const message =
      `${path}: ${response.status} ${code ?? ''} ${data.message ?? data.error_description ?? ''}`.trim();
    const correlationId = data.correlationId ?? null;
    if (isTemporaryStatus(response.status)) {
      const wait = retryAfterMs(response.headers, Date.now());
      throw new OAuthUnavailableError(message, response.status, code, correlationId, wait);
    }
    if (response.status === 401 || (code !== null && REFUSED_GRANT_CODES.has(code)))
      throw new OAuthRefusedError(message, response.status, code, correlationId);
    // Anything else (BAD_CLIENT_SECRET, BAD_REDIRECT_URI, 403, …) is the app's own
    // misconfiguration: it says nothing about the portal's grant.
    throw new OAuthError(message, response.status, code, correlationId);
  }

  function tokensOf(path: string, status: number, body: unknown): OAuthTokens {
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      // Only the field names are reported: the body holds tokens.
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new OAuthUnavailableError(
        `${path}: unexpected token response (${fields})`,
        status,
        null,
        null,
      );
    }
    const data = parsed.data;
    return {
      accessToken: data.access_token,
      refreshToken: data.refresh_token,
      expiresInSeconds: data.expires_in,
      tokenType: data.token_type,
      hubId: data.hub_id,
      scopes: data.scopes,
    };
  }

  return {
    async exchangeCode(code, redirectUri) {
      const { status, body } = await post(TOKEN_PATH, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      });
      return tokensOf(TOKEN_PATH, status, body);
    },

    async refresh(refreshToken) {
      const { status, body } = await post(TOKEN_PATH, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      return tokensOf(TOKEN_PATH, status, body);
    },

    async introspect(token) {
      const { status, body } = await post(INTROSPECT_PATH, { token });
      const parsed = introspectionSchema.safeParse(body);
      if (!parsed.success) {
        throw new OAuthUnavailableError(
          `${INTROSPECT_PATH}: unexpected response`,
          status,
          null,
          null,
        );
      }
      const data = parsed.data;
      return {
        active: data.active,
        tokenType: data.token_type ?? null,
        hubId: data.hub_id ?? null,
        appId: data.app_id ?? null,
        scopes: data.scopes ?? [],
        expiresInSeconds: data.expires_in ?? null,
      };
    },

    async revoke(token) {
      await post(REVOKE_PATH, { token });
    },
  };
}

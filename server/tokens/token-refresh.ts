import type { OAuthClient, OAuthTokens } from '../hubspot/oauth-client.ts';
import { OAuthRefusedError, OAuthUnavailableError } from '../hubspot/oauth-client.ts';
import { backoffDelayMs } from '../hubspot/retry-policy.ts';
import type { TokenSet } from './token-store.ts';
import { TokenRefreshRefusedError } from './token-store.ts';

/** How patiently a refresh HubSpot answers "not now" (429, 408, 5xx, timeout) is retried. */
export interface RefreshRetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * No wait may end later than this after the first attempt: the token
   * store holds its refresh lock meanwhile (15 s), so a longer `Retry-After`
   * gives up at once and the work that needed the token is retried later.
   */
  readonly budgetMs: number;
}

export const DEFAULT_REFRESH_RETRY: RefreshRetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  budgetMs: 10_000,
};

/** HubSpot's answer as the token store keeps it. */
export function tokenSetOf(tokens: OAuthTokens, now: number): TokenSet {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: now + tokens.expiresInSeconds * 1000,
    scopes: tokens.scopes,
  };
}

export interface TokenRefreshOptions {
  readonly now: () => number;
  readonly policy?: Partial<RefreshRetryPolicy>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * The token store's `refresh` on HubSpot's token endpoint. Only a refusal
 * for good (`OAuthRefusedError`) becomes `TokenRefreshRefusedError`, which
 * marks the portal `needs_reauth`; a temporary one is retried with back-off,
 * `Retry-After` honoured, and if it lasts the `OAuthUnavailableError` is
 * thrown as is, so the tokens stay and the next call tries again.
 */
export function refreshWithRetry(
  oauth: Pick<OAuthClient, 'refresh'>,
  options: TokenRefreshOptions,
): (refreshToken: string) => Promise<TokenSet> {
  const policy = { ...DEFAULT_REFRESH_RETRY, ...options.policy };
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return async (refreshToken) => {
    const deadline = options.now() + policy.budgetMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return tokenSetOf(await oauth.refresh(refreshToken), options.now());
      } catch (error) {
        if (error instanceof OAuthRefusedError) throw new TokenRefreshRefusedError(error.message);
        if (!(error instanceof OAuthUnavailableError) || attempt >= policy.maxAttempts) throw error;
        const wait = error.retryAfterMs ?? backoffDelayMs(attempt - 1, policy, random);
        if (options.now() + wait > deadline) throw error;
        await sleep(wait);
      }
    }
  };
}

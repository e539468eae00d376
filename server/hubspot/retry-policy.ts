import { z } from 'zod';

/** How often and how patiently transient failures (5xx, timeouts, resets) are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 429s in a row before giving up on a request (each one already waited). */
  readonly max429s: number;
  /** A request without an answer after this long counts as a timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  max429s: 10,
  timeoutMs: 30_000,
};

/**
 * Exponential back-off with jitter: half the doubled delay fixed, half
 * random, so workers that failed together do not retry together. Pure given
 * `random`.
 *
 * @example
 * backoffDelayMs(0, policy, () => 0) // => policy.baseDelayMs / 2
 * backoffDelayMs(2, policy, () => 1) // => policy.baseDelayMs * 4 (capped at maxDelayMs)
 */
export function backoffDelayMs(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** HubSpot answers 5xx for its own trouble; those are worth another try. */
export function isRetriableStatus(status: number): boolean {
  return status >= 500 && status <= 599;
}

const rateLimitBodySchema = z.object({ policyName: z.string().optional() }).loose();

/**
 * HubSpot's `Retry-After`, in seconds or as an HTTP date, as milliseconds
 * from `now`; null when absent or unreadable. Pure.
 *
 * @example
 * retryAfterMs(new Headers({ 'retry-after': '2' }), 0) // => 2000
 */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const value = headers.get('retry-after')?.trim() ?? '';
  if (value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * How long the whole portal should back off after a 429: `Retry-After` when
 * HubSpot sends one, one second for the secondly (search) policy, otherwise
 * the rolling window's length (`X-HubSpot-RateLimit-Interval-Milliseconds`),
 * after which the window is certainly clear. Pure given `now`.
 */
export function rateLimitPauseMs(headers: Headers, body: unknown, now = Date.now()): number {
  const retryAfter = retryAfterMs(headers, now);
  if (retryAfter !== null) return retryAfter;
  const policy = rateLimitBodySchema.safeParse(body);
  if (policy.success && policy.data.policyName === 'SECONDLY') return 1_000;
  const interval = Number(headers.get('x-hubspot-ratelimit-interval-milliseconds'));
  if (Number.isFinite(interval) && interval > 0) return interval;
  return 10_000;
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Raised when HubSpot did not answer within the policy's timeout. */
export class HubSpotTimeoutError extends Error {
  override readonly name = 'HubSpotTimeoutError';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * A failure below HTTP (reset, refused, DNS, timeout) that another attempt may
 * not meet. `fetch` wraps them as `TypeError('fetch failed')` with the cause.
 */
export function isTransientNetworkError(error: unknown): boolean {
  if (error instanceof HubSpotTimeoutError) return true;
  const code = codeOf(error);
  if (code !== undefined) return NETWORK_ERROR_CODES.has(code);
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause: unknown = error.cause;
    const causeCode = codeOf(cause);
    return causeCode === undefined || NETWORK_ERROR_CODES.has(causeCode);
  }
  return false;
}

import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { HubSpotApiError } from './portal-client.ts';
import type { LimitBucket, LimiterSlot, PortalRateLimiter } from './rate-limiter.ts';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  HubSpotTimeoutError,
  isRetriableStatus,
  isTransientNetworkError,
  rateLimitPauseMs,
  type RetryPolicy,
} from './retry-policy.ts';

/** Called once per HTTP exchange; `status` 0 when no answer came (reset, timeout). */
export interface HubSpotCallMetrics {
  onCall(route: string, status: number, ms: number): void;
}

export interface HubSpotRequest {
  /** Label for metrics, path template style: `POST /crm/v3/objects/companies/batch/update`. */
  readonly route: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly bucket?: LimitBucket;
  /**
   * False for creates: a 5xx or a timeout may have written already, so only
   * 429s (never processed) are retried.
   */
  readonly idempotent?: boolean;
  /** Error statuses handed back to the caller instead of thrown (e.g. 400 of a batch). */
  readonly accept?: readonly number[];
}

export interface HubSpotResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Counters of one client, for progress, the demo and the benchmark. */
export interface HubSpotCallStats {
  /** HTTP exchanges, retries and 429s included. */
  readonly calls: number;
  readonly rateLimited: number;
  /** Retries after 5xx, timeouts and resets. */
  readonly retried: number;
  readonly authRefreshed: number;
}

export interface HubSpotTransportOptions {
  readonly portalId: number;
  /** HubSpot's API origin (`https://api.hubapi.com`) or the sandbox's. */
  readonly baseUrl: string;
  readonly getAccessToken: () => Promise<string>;
  /** Asked once per request after a 401, for a token HubSpot will take. */
  readonly onAuthFailure?: (() => Promise<string>) | undefined;
  readonly limiter: PortalRateLimiter;
  readonly metrics?: HubSpotCallMetrics | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Injected in tests to skip real back-off waits. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
}

export interface HubSpotTransport {
  readonly send: (request: HubSpotRequest) => Promise<HubSpotResponse>;
  readonly stats: () => HubSpotCallStats;
}

const errorBodySchema = z
  .object({
    message: z.string().optional(),
    category: z.string().optional(),
    errorType: z.string().optional(),
    correlationId: z.string().optional(),
  })
  .loose();

/** HubSpot's error body as a `HubSpotApiError`; never includes request headers (tokens). */
export function toHubSpotApiError(route: string, status: number, body: unknown): HubSpotApiError {
  const parsed = errorBodySchema.safeParse(body);
  const data = parsed.success ? parsed.data : {};
  const detail =
    data.message ?? (typeof body === 'string' && body !== '' ? body : `HTTP ${status}`);
  return new HubSpotApiError(
    `${route}: ${status} ${detail}`,
    status,
    data.category ?? data.errorType ?? null,
    data.correlationId ?? null,
  );
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Every HubSpot call of one portal: through the shared limiter, with 429s
 * honoured (the whole portal pauses, then the call is retried), 5xx and
 * network failures retried with jittered exponential back-off, and a 401
 * answered by asking for a fresh token once.
 *
 * The SDK's own limiter and retries stay off: they are process-wide (a
 * singleton decorator list set by every `Client` constructed) and know
 * nothing of other processes or portals.
 */
export function createHubSpotTransport(options: HubSpotTransportOptions): HubSpotTransport {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  // No accessToken in the config: the bearer is set per request, so a
  // refreshed token is used at once without rebuilding the client.
  const client = new Client({ basePath: options.baseUrl, numberOfApiCallRetries: 0 });
  const counters = { calls: 0, rateLimited: 0, retried: 0, authRefreshed: 0 };

  /** One HTTP exchange, body included, bounded by the policy's timeout. */
  async function exchange(
    request: HubSpotRequest,
    token: string,
  ): Promise<{ response: Response; body: unknown }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new HubSpotTimeoutError(`${request.route}: no answer in ${policy.timeoutMs} ms`));
      }, policy.timeoutMs);
    });
    try {
      // The SDK's request has no abort signal; a timed-out exchange is
      // abandoned, which is why creates are not retried after a timeout.
      const answered = async () => {
        const response = await client.apiRequest({
          method: request.method,
          path: request.path,
          ...(request.query === undefined ? {} : { qs: request.query }),
          ...(request.body === undefined ? {} : { body: request.body }),
          authType: 'none',
          headers: { Authorization: `Bearer ${token}` },
        });
        return { response, body: await readBody(response) };
      };
      return await Promise.race([answered(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A search takes a slot of the search limit and one of the 10-second
   * limit: HubSpot's limits are separate counters, and a search request is
   * still a request of the portal's (the sandbox counts it under both).
   */
  async function takeSlots(bucket: LimitBucket): Promise<LimiterSlot[]> {
    const slots = [await options.limiter.acquire(options.portalId, bucket)];
    if (bucket !== 'default')
      slots.push(await options.limiter.acquire(options.portalId, 'default'));
    return slots;
  }
  const completeSlots = (slots: readonly LimiterSlot[]): Promise<unknown> =>
    Promise.all(slots.map((slot) => options.limiter.complete(slot)));

  async function send(request: HubSpotRequest): Promise<HubSpotResponse> {
    const bucket = request.bucket ?? 'default';
    const idempotent = request.idempotent ?? true;
    let token = await options.getAccessToken();
    let failures = 0;
    let rateLimitedInRow = 0;
    let refreshed = false;
    for (;;) {
      const slots = await takeSlots(bucket);
      const started = performance.now();
      let response: Response;
      let body: unknown;
      try {
        ({ response, body } = await exchange(request, token));
      } catch (error) {
        counters.calls += 1;
        options.metrics?.onCall(request.route, 0, performance.now() - started);
        await completeSlots(slots);
        if (idempotent && isTransientNetworkError(error) && failures + 1 < policy.maxAttempts) {
          await sleep(backoffDelayMs(failures, policy, random));
          failures += 1;
          counters.retried += 1;
          continue;
        }
        throw error;
      }
      counters.calls += 1;
      options.metrics?.onCall(request.route, response.status, performance.now() - started);
      await completeSlots(slots);

      if (response.status === 429) {
        counters.rateLimited += 1;
        rateLimitedInRow += 1;
        if (rateLimitedInRow > policy.max429s) {
          throw toHubSpotApiError(request.route, response.status, body);
        }
        // Paused in Redis, so every worker of this portal waits, not just this one.
        await options.limiter.pause(options.portalId, rateLimitPauseMs(response.headers, body));
        continue;
      }
      if (idempotent && isRetriableStatus(response.status) && failures + 1 < policy.maxAttempts) {
        await sleep(backoffDelayMs(failures, policy, random));
        failures += 1;
        counters.retried += 1;
        continue;
      }
      if (response.status === 401 && !refreshed && options.onAuthFailure !== undefined) {
        refreshed = true;
        counters.authRefreshed += 1;
        token = await options.onAuthFailure();
        continue;
      }
      if (response.ok || (request.accept ?? []).includes(response.status)) {
        return { status: response.status, headers: response.headers, body };
      }
      throw toHubSpotApiError(request.route, response.status, body);
    }
  }

  return { send, stats: () => ({ ...counters }) };
}

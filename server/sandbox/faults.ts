import { z } from 'zod';

/** Faults the sandbox injects into HubSpot API traffic, switchable at runtime. */
export const faultChangeSchema = z
  .strictObject({
    /** Share (0–1) of API requests answered with a 5xx instead of being served. */
    errorRate: z.number().min(0).max(1),
    /** The status of injected server errors. */
    errorStatus: z.number().int().min(500).max(599),
    /** The next this-many API requests are answered with a 429, whatever the window says. */
    forced429: z.number().int().min(0),
    /** Added to every API response, in milliseconds. */
    latencyMs: z.number().int().min(0).max(60_000),
    /**
     * Share (0–1) of API requests whose answer is held back for `hangMs`
     * after they were served: a client with a shorter timeout gives up on a
     * request HubSpot did carry out.
     */
    timeoutRate: z.number().min(0).max(1),
    /** How long the answer of a request picked by `timeoutRate` is held, in milliseconds. */
    hangMs: z.number().int().min(0).max(120_000),
    /** Share (0–1) of webhook deliveries silently lost. */
    webhookDropRate: z.number().min(0).max(1),
    /**
     * The next this-many requests to `/oauth/2026-03/token` fail with
     * `tokenErrorStatus` instead of being served: HubSpot rate-limits that
     * endpoint and has outages there too.
     */
    tokenErrors: z.number().int().min(0),
    /**
     * 429 (with `Retry-After: 1`), 408, a 5xx, or 401 (the app's access
     * revoked); 0 sends no answer for `hangMs`, a timeout for the client.
     */
    tokenErrorStatus: z.union([
      z.literal(0),
      z.literal(401),
      z.literal(408),
      z.literal(429),
      z.number().int().min(500).max(599),
    ]),
  })
  .partial();
export type FaultChange = z.input<typeof faultChangeSchema>;
export type FaultSettings = Required<z.output<typeof faultChangeSchema>>;

export const NO_FAULTS: FaultSettings = Object.freeze({
  errorRate: 0,
  errorStatus: 503,
  forced429: 0,
  latencyMs: 0,
  timeoutRate: 0,
  hangMs: 35_000,
  webhookDropRate: 0,
  tokenErrors: 0,
  tokenErrorStatus: 429,
});

/** The fault settings plus the random source that decides which request fails. */
export class FaultInjector {
  #settings: FaultSettings = NO_FAULTS;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Merges a partial change into the current settings. */
  update(change: FaultChange): FaultSettings {
    const parsed = faultChangeSchema.parse(change);
    const defined = Object.fromEntries(
      Object.entries(parsed).filter(([, value]) => value !== undefined),
    );
    this.#settings = { ...this.#settings, ...defined };
    return this.#settings;
  }

  reset(): void {
    this.#settings = NO_FAULTS;
  }

  /** Whether this request gets a forced 429 (consumes one from the burst). */
  takeForced429(): boolean {
    if (this.#settings.forced429 <= 0) return false;
    this.#settings = { ...this.#settings, forced429: this.#settings.forced429 - 1 };
    return true;
  }

  /** The status this token request fails with (consumes one of `tokenErrors`), or null. */
  takeTokenError(): number | null {
    if (this.#settings.tokenErrors <= 0) return null;
    this.#settings = { ...this.#settings, tokenErrors: this.#settings.tokenErrors - 1 };
    return this.#settings.tokenErrorStatus;
  }

  shouldFailRequest(): boolean {
    return this.#settings.errorRate > 0 && this.#random() < this.#settings.errorRate;
  }

  /** Whether this request's answer is held for `hangMs` (a timeout for the client). */
  shouldHangRequest(): boolean {
    return this.#settings.timeoutRate > 0 && this.#random() < this.#settings.timeoutRate;
  }

  shouldDropWebhook(): boolean {
    return this.#settings.webhookDropRate > 0 && this.#random() < this.#settings.webhookDropRate;
  }
}

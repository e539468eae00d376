/** One decision of a rolling-window limiter. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly max: number;
  readonly remaining: number;
  readonly intervalMs: number;
}

/**
 * A rolling window: at most `max` requests per key in any `intervalMs`
 * span, HubSpot's TEN_SECONDLY_ROLLING policy. Rejected requests do not
 * count, so a client that backs off gets through again.
 */
export class RollingWindowLimiter {
  readonly max: number;
  readonly intervalMs: number;
  readonly #hits = new Map<string, number[]>();

  constructor(max: number, intervalMs: number) {
    this.max = max;
    this.intervalMs = intervalMs;
  }

  #recent(key: string, now: number): number[] {
    const hits = this.#hits.get(key) ?? [];
    const cutoff = now - this.intervalMs;
    let drop = 0;
    while (drop < hits.length && (hits[drop] as number) <= cutoff) drop += 1;
    if (drop > 0) hits.splice(0, drop);
    this.#hits.set(key, hits);
    return hits;
  }

  /** Counts a request when the window has room. */
  tryAcquire(key: string, now: number): RateDecision {
    const hits = this.#recent(key, now);
    const allowed = hits.length < this.max;
    if (allowed) hits.push(now);
    return {
      allowed,
      max: this.max,
      remaining: Math.max(0, this.max - hits.length),
      intervalMs: this.intervalMs,
    };
  }

  /** Requests counted in the window ending `now`, without counting one. */
  used(key: string, now: number): number {
    return this.#recent(key, now).length;
  }

  /** Requests counted in the last `windowMs` (≤ the interval), for HubSpot's secondly headers. */
  countWithin(key: string, now: number, windowMs: number): number {
    return this.#recent(key, now).filter((hit) => hit > now - windowMs).length;
  }

  reset(): void {
    this.#hits.clear();
  }
}

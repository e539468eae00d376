import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** HubSpot counts search requests apart from the rest (5/s against 110/10 s). */
export const LIMIT_BUCKETS = ['default', 'search'] as const;
export type LimitBucket = (typeof LIMIT_BUCKETS)[number];

/** At most `max` requests in any rolling `windowMs`. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** HubSpot's limits for an installed OAuth app, per portal (hubspot-facts.md, Limits). */
export const HUBSPOT_LIMITS: Readonly<Record<LimitBucket, RateLimit>> = {
  default: { max: 110, windowMs: 10_000 },
  search: { max: 5, windowMs: 1_000 },
};

/** A slot taken from the limiter; `complete` it when the response arrived. */
export interface LimiterSlot {
  readonly portalId: number;
  readonly bucket: LimitBucket;
  readonly member: string;
  /** When the slot was taken, in Redis's clock (epoch ms). */
  readonly grantedAt: number;
}

/**
 * What the HubSpot client needs of a limiter. `RedisRateLimiter` is the
 * production one; unit tests pass an in-memory stand-in.
 */
export interface PortalRateLimiter {
  /** Resolves once a request of this portal and bucket may be sent. */
  acquire(portalId: number, bucket: LimitBucket): Promise<LimiterSlot>;
  /**
   * Marks the request as answered. HubSpot counts a request when it arrives,
   * which is somewhere between `acquire` and the response: until then the
   * slot counts as in flight, and from then it holds its place for a window
   * after the response, however slow the request was.
   */
  complete(slot: LimiterSlot): Promise<void>;
  /** Stops every process from sending for this portal for `ms` (after a 429). */
  pause(portalId: number, ms: number): Promise<void>;
}

/** The Redis keys of one portal's limiter. Pure; `:`-separated under a clear prefix. */
export function limiterKeys(
  prefix: string,
  portalId: number,
  bucket: LimitBucket,
): { readonly log: string; readonly pause: string } {
  return {
    log: `${prefix}${portalId}:${bucket}`,
    pause: `${prefix}${portalId}:paused`,
  };
}

/** The answer of the acquire script: a slot, or how long until one may free up. */
export type AcquireDecision =
  | { readonly granted: true; readonly at: number }
  | { readonly granted: false; readonly waitMs: number };

/**
 * Turns the script's `[1, grantedAt]` or `[0, waitMs]` reply into a decision. Pure. The wait
 * is at least 1 ms so a caller never spins on a zero wait.
 */
export function parseAcquireReply(reply: unknown): AcquireDecision {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new Error(`rate limiter: unexpected script reply ${JSON.stringify(reply)}`);
  }
  const [granted, value] = reply.map(Number) as [number, number];
  if (granted === 1) return { granted: true, at: value };
  return { granted: false, waitMs: Math.max(1, Number.isFinite(value) ? value : 1) };
}

/**
 * The sliding log, atomically: drop entries older than the window, take a
 * slot when fewer than `max` remain, otherwise answer the exact time until the
 * oldest entry leaves the window (or the pause ends). Time is Redis's own
 * clock, so processes on machines with skewed clocks agree.
 *
 * An entry with score `s` occupies the window while `s > now - window`, as
 * HubSpot's (and the sandbox's) TEN_SECONDLY_ROLLING policy counts it. A
 * slot is taken with a score ARGV[4] ms ahead (its request is in flight:
 * HubSpot may count it at any moment until it answers), and `complete`
 * moves it to the response time; so a request answered after more than a
 * window still holds its place, and one whose process died frees it after
 * ARGV[4] + window. A wait is never longer than a window: when only slots
 * in flight fill the log, one may complete sooner.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then
  return {0, pausedUntil - now}
end
local inFlight = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now + inFlight, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2 + inFlight)
  return {1, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.min(tonumber(oldest[2]) + window - now, window)}
`;

/** Moves a taken slot to "now" (the response time), if it is still in the log. */
const COMPLETE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2 + tonumber(ARGV[3]))
return 1
`;

/** Extends the portal's pause to now + ms; a shorter pause never cuts a longer one. */
const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
end
return untilMs
`;

export interface RedisRateLimiterOptions {
  readonly redis: Redis;
  /** Key prefix; tests pass a unique one. */
  readonly prefix?: string;
  readonly limits?: Partial<Record<LimitBucket, RateLimit>>;
  /**
   * How long a slot taken and not completed counts as in flight: longer than
   * any request may take (the transport gives up after 30 s).
   */
  readonly inFlightMs?: number;
}

/** Twice the transport's timeout: a request still unanswered after it was abandoned. */
const IN_FLIGHT_MS = 60_000;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * One sliding-log limiter per portal and bucket in Redis, shared by every
 * process that uses the same Redis and prefix: in any rolling window no more
 * than `max` slots are taken, whichever process takes them.
 */
export class RedisRateLimiter implements PortalRateLimiter {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limits: Readonly<Record<LimitBucket, RateLimit>>;
  readonly #inFlightMs: number;

  constructor(options: RedisRateLimiterOptions) {
    this.#inFlightMs = options.inFlightMs ?? IN_FLIGHT_MS;
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'kam:limit:';
    this.#limits = { ...HUBSPOT_LIMITS, ...options.limits };
  }

  /** The limit this limiter enforces for a bucket. */
  limitOf(bucket: LimitBucket): RateLimit {
    return this.#limits[bucket];
  }

  /**
   * Takes a slot, waiting until the oldest entry leaves the window (or the
   * pause ends, or a window passed) whenever the window is full. `complete`
   * it once the request is answered.
   */
  async acquire(portalId: number, bucket: LimitBucket = 'default'): Promise<LimiterSlot> {
    const keys = limiterKeys(this.#prefix, portalId, bucket);
    const limit = this.#limits[bucket];
    const member = randomUUID();
    for (;;) {
      const reply = await this.#redis.eval(
        ACQUIRE_SCRIPT,
        2,
        keys.log,
        keys.pause,
        limit.max,
        limit.windowMs,
        member,
        this.#inFlightMs,
      );
      const decision = parseAcquireReply(reply);
      if (decision.granted) return { portalId, bucket, member, grantedAt: decision.at };
      await sleep(decision.waitMs);
    }
  }

  async complete(slot: LimiterSlot): Promise<void> {
    const keys = limiterKeys(this.#prefix, slot.portalId, slot.bucket);
    await this.#redis.eval(
      COMPLETE_SCRIPT,
      1,
      keys.log,
      slot.member,
      this.#limits[slot.bucket].windowMs,
      this.#inFlightMs,
    );
  }

  async pause(portalId: number, ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const keys = limiterKeys(this.#prefix, portalId, 'default');
    await this.#redis.eval(PAUSE_SCRIPT, 1, keys.pause, Math.ceil(ms));
  }
}

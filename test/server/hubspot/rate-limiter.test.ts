import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  limiterKeys,
  parseAcquireReply,
  RedisRateLimiter,
  type LimitBucket,
  type RateLimit,
} from '../../../server/hubspot/rate-limiter.ts';
import { startTestRedis, type TestRedis } from '../../support/redis-server.ts';

/** The largest number of timestamps inside any half-open window (t - windowMs, t]. */
function maxInAnyWindow(timestamps: readonly number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[start] as number) <= (sorted[end] as number) - windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Redis's clock in ms: the limiter's own time base, so windows are measured in it. */
async function redisNow(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe('limiter window helpers', () => {
  it.each([
    [[1, 1_700_000_000_123], { granted: true, at: 1_700_000_000_123 }],
    [['0', '250'], { granted: false, waitMs: 250 }],
    [[0, 0], { granted: false, waitMs: 1 }],
  ])('parseAcquireReply(%j) → %j', (reply, expected) => {
    expect(parseAcquireReply(reply)).toEqual(expected);
  });

  it('refuses a malformed reply', () => {
    expect(() => parseAcquireReply('OK')).toThrow(/unexpected script reply/);
  });

  it('keeps each portal and bucket apart under one prefix, the pause per portal', () => {
    expect(limiterKeys('kam:limit:', 42, 'default')).toEqual({
      log: 'kam:limit:42:default',
      pause: 'kam:limit:42:paused',
    });
    expect(limiterKeys('kam:limit:', 42, 'search').pause).toBe('kam:limit:42:paused');
  });
});

describe('RedisRateLimiter on a real Redis', () => {
  let redis: TestRedis;
  const small: RateLimit = { max: 10, windowMs: 500 };

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  /** A slot whose request was answered at once, as the transport completes it. */
  async function answered(limiter: RedisRateLimiter, portalId: number, bucket: LimitBucket) {
    const slot = await limiter.acquire(portalId, bucket);
    await limiter.complete(slot);
    return slot;
  }

  /** Two limiters on two connections, as two worker processes would have. */
  function twoProcesses(limits: Partial<Record<LimitBucket, RateLimit>>) {
    const prefix = `test:${randomUUID()}:`;
    const a = new RedisRateLimiter({ redis: redis.connect(), prefix, limits });
    const b = new RedisRateLimiter({ redis: redis.connect(), prefix, limits });
    return { a, b, clock: redis.connect() };
  }

  it('never lets two processes together exceed the limit in any rolling window', async () => {
    const { a, b } = twoProcesses({ default: small });
    // 35 requests at once from both: 3.5 windows' worth, each answered at once.
    const slots = await Promise.all(
      Array.from({ length: 35 }, (_, index) => answered(index % 2 ? a : b, 7, 'default')),
    );
    const granted = slots.map((slot) => slot.grantedAt);

    expect(granted).toHaveLength(35);
    // Grant times are Redis's own clock at the moment the script took the slot.
    expect(maxInAnyWindow(granted, small.windowMs)).toBe(small.max);
    // And the limiter did let them through in about 3 windows, not one by one.
    expect(maxInAnyWindow(granted, small.windowMs * 4)).toBe(35);
  });

  it('records the slots in Redis: the log never holds more than the limit', async () => {
    const prefix = `test:${randomUUID()}:`;
    const connection = redis.connect();
    const limiter = new RedisRateLimiter({ redis: connection, prefix, limits: { default: small } });
    await Promise.all(Array.from({ length: 10 }, () => answered(limiter, 8, 'default')));
    const key = limiterKeys(prefix, 8, 'default').log;
    expect(await connection.zcard(key)).toBe(10);
    const eleventh = limiter.acquire(8, 'default');
    // While the eleventh waits the log is still full, not 11.
    expect(await connection.zcard(key)).toBe(10);
    await eleventh;
    expect(await connection.zcard(key)).toBeLessThanOrEqual(10);
  });

  it('pause() from one process holds back both until it ends', async () => {
    const { a, b, clock } = twoProcesses({ default: small });
    const pausedAt = await redisNow(clock);
    await a.pause(9, 300);
    const slots = await Promise.all([a.acquire(9, 'default'), b.acquire(9, 'default')]);
    for (const slot of slots) expect(slot.grantedAt - pausedAt).toBeGreaterThanOrEqual(300);
    // A shorter pause afterwards does not cut a longer one in force.
    const second = await redisNow(clock);
    await a.pause(9, 400);
    await b.pause(9, 10);
    const after = await b.acquire(9, 'default');
    expect(after.grantedAt - second).toBeGreaterThanOrEqual(400);
  });

  it('counts search in its own bucket: a full search window does not hold back other calls', async () => {
    const { a, b } = twoProcesses({ search: { max: 5, windowMs: 1_000 }, default: small });
    const searches = await Promise.all(Array.from({ length: 5 }, () => answered(a, 10, 'search')));
    const firstSearch = Math.min(...searches.map((slot) => slot.grantedAt));
    const other = await b.acquire(10, 'default');
    const sixthSearch = await b.acquire(10, 'search');
    // The sixth search waited for the search window; the default call did not.
    expect(sixthSearch.grantedAt - firstSearch).toBeGreaterThanOrEqual(1_000);
    expect(other.grantedAt).toBeLessThan(sixthSearch.grantedAt);
    expect(other.grantedAt - firstSearch).toBeLessThan(1_000);
  });

  it('keeps portals apart', async () => {
    const { a } = twoProcesses({ default: { max: 2, windowMs: 5_000 } });
    const first = await answered(a, 11, 'default');
    await answered(a, 11, 'default');
    const otherPortal = await a.acquire(12, 'default');
    // Portal 11's window is full for 5 s; portal 12 did not wait for it.
    expect(otherPortal.grantedAt - first.grantedAt).toBeLessThan(5_000);
  });

  it('complete() moves a slot from in flight to its response time', async () => {
    const prefix = `test:${randomUUID()}:`;
    const connection = redis.connect();
    const limiter = new RedisRateLimiter({ redis: connection, prefix, limits: { default: small } });
    const slot = await limiter.acquire(13, 'default');
    const key = limiterKeys(prefix, 13, 'default').log;
    // In flight: ahead of its grant, until it is answered.
    expect(Number(await connection.zscore(key, slot.member))).toBeGreaterThan(slot.grantedAt);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await limiter.complete(slot);
    const answeredAt = Number(await connection.zscore(key, slot.member));
    expect(answeredAt - slot.grantedAt).toBeGreaterThanOrEqual(29);
    expect(answeredAt).toBeLessThanOrEqual(await redisNow(connection));
  });

  it('keeps a slot whose request is still unanswered after a window in the window', async () => {
    const prefix = `test:${randomUUID()}:`;
    const limiter = new RedisRateLimiter({
      redis: redis.connect(),
      prefix,
      limits: { default: { max: 1, windowMs: 200 } },
    });
    const slow = await limiter.acquire(14, 'default');
    let second: number | null = null;
    const waiting = limiter.acquire(14, 'default').then((slot) => (second = slot.grantedAt));
    // Three windows pass and the first request has not been answered: HubSpot
    // may count it on arrival at any time, so the second waits.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(second).toBeNull();
    await limiter.complete(slow);
    const answeredAt = await redisNow(redis.connect());
    await waiting;
    // A window after the answer, not before.
    expect((second ?? 0) - answeredAt).toBeGreaterThanOrEqual(190);
  });

  it('frees a slot whose process died, once it has been in flight too long', async () => {
    const prefix = `test:${randomUUID()}:`;
    const limits = { default: { max: 1, windowMs: 100 } };
    const died = new RedisRateLimiter({ redis: redis.connect(), prefix, limits, inFlightMs: 300 });
    const other = new RedisRateLimiter({ redis: redis.connect(), prefix, limits, inFlightMs: 300 });
    const lost = await died.acquire(15, 'default'); // never completed
    const next = await other.acquire(15, 'default');
    expect(next.grantedAt - lost.grantedAt).toBeGreaterThanOrEqual(400);
    expect(next.grantedAt - lost.grantedAt).toBeLessThan(1_500);
  });
});

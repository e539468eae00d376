import type { RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface ClientRateLimitOptions {
  readonly redis: Redis;
  /** Names the limit's keys: `kam:client-limit:<name>:<address>`. */
  readonly name: string;
  readonly perMinute: number;
  /** Answers a client over its limit; `retryAfterSeconds` is also sent as `Retry-After`. */
  readonly refuse: (response: Response, retryAfterSeconds: number) => void;
}

/**
 * Whom a request is counted against: its IPv4 address (an IPv4-mapped IPv6
 * one included), or the /64 of an IPv6 one, since a single client commonly
 * holds a whole /64 and could otherwise count each address apart.
 *
 * @example
 * clientKey('::ffff:203.0.113.7') // => '203.0.113.7'
 * clientKey('2001:db8:1:2:aa::1') // => '2001:db8:1:2::/64'
 */
export function clientKey(address: string | undefined): string {
  if (address === undefined || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${parsed.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/**
 * At most `perMinute` requests a minute per client (`clientKey` of
 * `request.ip`, as `TRUST_PROXY_HOPS` resolves it), counted in Redis so every API process
 * shares the count: one key per address, gone a minute after its last
 * request. A client over its limit is then refused from memory, without a
 * Redis round trip, until its minute is over.
 */
export function perClientRateLimit(options: ClientRateLimitOptions): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `kam:client-limit:${options.name}`,
    points: options.perMinute,
    duration: 60,
    inMemoryBlockOnConsumed: options.perMinute + 1,
  });
  return async (request, response, next) => {
    try {
      await limiter.consume(clientKey(request.ip));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      response.set('Retry-After', String(seconds));
      options.refuse(response, seconds);
      return;
    }
    next();
  };
}

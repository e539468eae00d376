import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  HubSpotTimeoutError,
  isRetriableStatus,
  isTransientNetworkError,
  rateLimitPauseMs,
  retryAfterMs,
} from '../../../server/hubspot/retry-policy.ts';

const policy = { baseDelayMs: 500, maxDelayMs: 4_000 };

describe('backoffDelayMs', () => {
  it.each([
    [0, 0, 250],
    [0, 1, 500],
    [1, 0, 500],
    [2, 1, 2_000],
    [5, 1, 4_000],
    [5, 0, 2_000],
  ])('retry %i with random %f waits %i ms', (retry, random, expected) => {
    expect(backoffDelayMs(retry, policy, () => random)).toBe(expected);
  });
});

describe('isRetriableStatus', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [404, false],
    [429, false],
  ])('%i → %s', (status, expected) => {
    expect(isRetriableStatus(status)).toBe(expected);
  });
});

describe('rateLimitPauseMs', () => {
  const ten = { policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' };
  it.each([
    ['Retry-After wins', { 'Retry-After': '3' }, ten, 3_000],
    ['secondly (search) policy: one second', {}, { policyName: 'SECONDLY' }, 1_000],
    [
      'otherwise the rolling interval',
      { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' },
      ten,
      10_000,
    ],
    ['nothing to go by: ten seconds', {}, 'not json', 10_000],
    ['an unparsable Retry-After is ignored', { 'Retry-After': 'soon' }, ten, 10_000],
  ])('%s', (_name, headers, body, expected) => {
    expect(rateLimitPauseMs(new Headers(headers), body)).toBe(expected);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  it.each([
    ['seconds', '2', 2_000],
    ['an HTTP date', 'Fri, 04 Dec 2026 10:00:05 GMT', 5_000],
    ['a date past', 'Fri, 04 Dec 2026 09:59:00 GMT', 0],
    ['junk', 'soon', null],
    ['none', '', null],
  ])('%s', (_name, value, expected) => {
    expect(retryAfterMs(new Headers(value === '' ? {} : { 'Retry-After': value }), now)).toBe(
      expected,
    );
  });
});

describe('isTransientNetworkError', () => {
  const fetchFailed = (code?: string) =>
    new TypeError('fetch failed', { cause: code === undefined ? undefined : { code } });
  it.each([
    ['timeout', new HubSpotTimeoutError('slow'), true],
    ['reset inside fetch', fetchFailed('ECONNRESET'), true],
    ['undici socket error', fetchFailed('UND_ERR_SOCKET'), true],
    ['bare reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ["no route to the network (and nock's guard)", fetchFailed('ENETUNREACH'), false],
    ['a programming error', new TypeError('x is not a function'), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isTransientNetworkError(error)).toBe(expected);
  });
});

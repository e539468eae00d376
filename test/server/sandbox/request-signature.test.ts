import { describe, expect, it } from 'vitest';
import { isSignatureV3Valid, signatureV3 } from '../../../server/hubspot/request-signature.ts';

const example = {
  method: 'POST',
  url: 'https://example.com/webhooks/hubspot?portalId=1',
  body: '[{"eventId":1}]',
  timestamp: 1_700_000_000_000,
  clientSecret: 'my-client-secret',
};

describe('HubSpot v3 request signature', () => {
  it('matches a worked example computed by hand', () => {
    // printf 'POSThttps://example.com/webhooks/hubspot?portalId=1[{"eventId":1}]1700000000000' \
    //   | openssl dgst -sha256 -hmac 'my-client-secret' -binary | base64
    expect(signatureV3(example)).toBe('7gcPYRT+Q1/G26YN4LlxIC/8HoQoCLIGB+1MAIv5Qh0=');
  });

  it('decodes the percent-escapes HubSpot decodes before hashing', () => {
    const encoded = {
      ...example,
      url: 'https%3A%2F%2Fexample.com%2Fwebhooks/hubspot%3FportalId=1',
    };
    expect(signatureV3(encoded)).toBe(signatureV3(example));
    expect(signatureV3({ ...example, url: `${example.url}&a=%20` })).not.toBe(signatureV3(example));
  });

  it.each([
    ['a fresh, correct signature', {}, true],
    ['a tampered body', { body: '[{"eventId":2}]' }, false],
    ['another secret', { clientSecret: 'other' }, false],
    ['a timestamp over 5 minutes old', { now: example.timestamp + 5 * 60_000 + 1 }, false],
    ['a timestamp far in the future', { now: example.timestamp - 5 * 60_000 - 1 }, false],
  ])('accepts only valid requests: %s', (_label, change, valid) => {
    const signature = signatureV3(example);
    expect(
      isSignatureV3Valid({ ...example, signature, now: example.timestamp + 1_000, ...change }),
    ).toBe(valid);
  });
});

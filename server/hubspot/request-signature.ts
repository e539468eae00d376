import { createHmac, timingSafeEqual } from 'node:crypto';

/** What HubSpot signs: the request as it was sent, plus the time it was sent. */
export interface SignatureV3Input {
  readonly method: string;
  /** The full URL HubSpot called: scheme, host, path and query. */
  readonly url: string;
  /** The raw request body, exactly as sent ('' when there is none). */
  readonly body: string;
  /** `X-HubSpot-Request-Timestamp`: epoch milliseconds, as sent in the header. */
  readonly timestamp: number | string;
  /** The app's client secret. */
  readonly clientSecret: string;
}

/**
 * HubSpot decodes these percent-escapes in the URL before hashing (its docs
 * list them); signer and verifier must agree, so both go through here.
 */
const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

function normaliseUrl(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => {
    return DECODED_ESCAPES[escape.toUpperCase()] ?? escape;
  });
}

/**
 * HubSpot's v3 request signature (webhooks and `hubspot.fetch`):
 * base64(HMAC-SHA256(clientSecret, method + url + body + timestamp)).
 *
 * @example
 * signatureV3({ method: 'POST', url: 'https://example.com/webhooks', body: '[]',
 *   timestamp: 1700000000000, clientSecret: 'secret' })
 * // => the value HubSpot sends in X-HubSpot-Signature-v3
 */
export function signatureV3(input: SignatureV3Input): string {
  const source = `${input.method.toUpperCase()}${normaliseUrl(input.url)}${input.body}${String(input.timestamp)}`;
  return createHmac('sha256', input.clientSecret).update(source, 'utf8').digest('base64');
}

/** HubSpot's documented replay window for signed requests. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Whether `X-HubSpot-Request-Timestamp` is within five minutes of `now`
 * either way (a skewed clock): checkable before the body is read.
 */
export function isTimestampFresh(timestamp: number | string, now: number): boolean {
  const value = Number(timestamp);
  return Number.isFinite(value) && Math.abs(now - value) <= SIGNATURE_MAX_AGE_MS;
}

/**
 * Checks a v3 signature in constant time and rejects timestamps older than
 * five minutes (or more than five minutes in the future, a skewed clock).
 * `now` is an input so callers and tests control the clock.
 */
export function isSignatureV3Valid(
  input: SignatureV3Input & { readonly signature: string; readonly now: number },
): boolean {
  if (!isTimestampFresh(input.timestamp, input.now)) return false;
  const expected = Buffer.from(signatureV3(input), 'utf8');
  const actual = Buffer.from(input.signature, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

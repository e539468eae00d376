import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isSignatureV3Valid, isTimestampFresh } from '../hubspot/request-signature.ts';
import { ApiError } from './api-error.ts';

/** The raw body, the exact bytes HubSpot signed. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/** HubSpot's limit on a `hubspot.fetch` body; webhook batches stay far below it. */
const BODY_LIMIT = '1mb';

/**
 * A signed JSON request: a request without the signature headers, or with a
 * stale timestamp, refused before a byte of its body is read; then the body
 * read as bytes, the signature checked on them, and only then the JSON
 * parsed, so what HubSpot did not sign is 401 whatever its body holds.
 */
export function signedJson(options: SignatureOptions): RequestHandler[] {
  return [
    refuseUnsignedUnread(options),
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    (request: RawBodyRequest, _response, next) => {
      if (Buffer.isBuffer(request.body)) request.rawBody = request.body;
      request.body = undefined;
      next();
    },
    verifyHubSpotSignature(options),
    (request: RawBodyRequest, _response, next) => {
      const raw = request.rawBody;
      if (raw === undefined || raw.length === 0) {
        next();
      } else if (request.is('application/json') === false) {
        next(new ApiError('validation_failed', 'the body must be application/json', 'body'));
      } else {
        try {
          request.body = JSON.parse(raw.toString('utf8')) as unknown;
          next();
        } catch {
          next(new ApiError('validation_failed', 'request body is not valid JSON', 'body'));
        }
      }
    },
  ];
}

interface SignatureOptions {
  readonly clientSecret: string;
  readonly publicBaseUrl: string;
  readonly now: () => number;
}

/**
 * What can be refused from the headers alone: no signature, no timestamp,
 * or one outside the five-minute window. The body stays unread and the
 * connection is closed after the answer, so an unsigned upload costs
 * neither memory nor the time to drain it.
 */
function refuseUnsignedUnread(options: SignatureOptions) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const signature = request.get('X-HubSpot-Signature-v3');
    const timestamp = request.get('X-HubSpot-Request-Timestamp');
    let refusal: ApiError | null = null;
    if (signature === undefined || timestamp === undefined) {
      refusal = new ApiError(
        'unauthorized',
        'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp',
      );
    } else if (!isTimestampFresh(timestamp, options.now())) {
      refusal = new ApiError('unauthorized', 'invalid or expired HubSpot signature');
    }
    if (refusal !== null) response.set('Connection', 'close');
    next(refusal ?? undefined);
  };
}

/**
 * Verifies HubSpot's v3 signature (webhooks and `hubspot.fetch`): method +
 * the full URL as HubSpot called it (rebuilt from PUBLIC_BASE_URL) + raw
 * body + timestamp, HMAC-SHA256 with the client secret, compared in
 * constant time.
 */
function verifyHubSpotSignature(options: SignatureOptions) {
  return (request: RawBodyRequest, _response: Response, next: NextFunction): void => {
    // Both headers are there: refuseUnsignedUnread saw them.
    const signature = request.get('X-HubSpot-Signature-v3') ?? '';
    const timestamp = request.get('X-HubSpot-Request-Timestamp') ?? '';
    const valid = isSignatureV3Valid({
      method: request.method,
      url: `${options.publicBaseUrl}${request.originalUrl}`,
      body: request.rawBody?.toString('utf8') ?? '',
      timestamp,
      clientSecret: options.clientSecret,
      signature,
      now: options.now(),
    });
    next(valid ? undefined : new ApiError('unauthorized', 'invalid or expired HubSpot signature'));
  };
}

/**
 * The portal of a signed card request. `hubspot.fetch` adds `portalId` to
 * the query; it is trusted only because the signature covers the URL.
 */
export function signedPortalId(request: Request): number {
  const value = request.query.portalId;
  const portalId = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(portalId) || portalId <= 0) {
    throw new ApiError('validation_failed', 'the signed request names no portalId', 'portalId');
  }
  return portalId;
}

/**
 * The HubSpot user a signed card request comes from. `hubspot.fetch` adds
 * `userId` to the query; it is trusted only because the signature covers
 * the URL.
 */
export function signedUserId(request: Request): string {
  const value = request.query.userId;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) {
    throw new ApiError('forbidden', 'the signed request names no HubSpot user', 'userId');
  }
  return value;
}

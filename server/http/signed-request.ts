import type { NextFunction, Request, Response } from 'express';
import { isSignatureV3Valid } from '../hubspot/request-signature.ts';
import { ApiError } from './api-error.ts';

/** The raw body, kept by the JSON parser for the signature check. */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

/** Keeps the exact bytes HubSpot signed; pass as `verify` to express.json/express.text. */
export function keepRawBody(request: RawBodyRequest, _response: Response, buffer: Buffer): void {
  request.rawBody = buffer;
}

/**
 * Verifies HubSpot's v3 signature (webhooks and `hubspot.fetch`): method +
 * the full URL as HubSpot called it (rebuilt from PUBLIC_BASE_URL) + raw
 * body + timestamp, HMAC-SHA256 with the client secret, compared in
 * constant time, timestamp within five minutes.
 */
export function verifyHubSpotSignature(options: {
  readonly clientSecret: string;
  readonly publicBaseUrl: string;
  readonly now: () => number;
}) {
  return (request: RawBodyRequest, _response: Response, next: NextFunction): void => {
    const signature = request.get('X-HubSpot-Signature-v3');
    const timestamp = request.get('X-HubSpot-Request-Timestamp');
    if (signature === undefined || timestamp === undefined) {
      next(
        new ApiError(
          'unauthorized',
          'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp',
        ),
      );
      return;
    }
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

import type { ErrorRequestHandler } from 'express';
import { HubSpotError, validationError } from './errors.ts';

interface BodyParserError {
  readonly type?: unknown;
  readonly message?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error;
}

/**
 * The sandbox's one error handler: HubSpot-shaped bodies for every failure.
 * Express 5 forwards errors thrown in async routes here, so routes never
 * catch.
 */
export const handleErrors: ErrorRequestHandler = (error: unknown, _request, response, next) => {
  if (response.headersSent) {
    next(error);
    return;
  }
  let hubspotError: HubSpotError;
  if (error instanceof HubSpotError) {
    hubspotError = error;
  } else if (isBodyParserError(error) && error.type === 'entity.parse.failed') {
    hubspotError = validationError(`Invalid input JSON: ${String(error.message)}`);
  } else if (isBodyParserError(error) && error.type === 'entity.too.large') {
    hubspotError = new HubSpotError(413, 'VALIDATION_ERROR', 'Request body too large');
  } else {
    console.error('sandbox: unexpected error', error);
    hubspotError = new HubSpotError(500, 'INTERNAL_ERROR', 'internal error');
  }
  response.status(hubspotError.status).json(hubspotError.toBody());
};

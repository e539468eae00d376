import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** A path is logged up to this length: a 5,000-digit id is not worth 5 kB of log. */
const PATH_SHOWN = 200;

/**
 * One info line per request once it is answered (or abandoned): method,
 * path, status and milliseconds. The query is left out — it carries
 * hubspot.fetch's user e-mail and OAuth's code and state — and so are the
 * headers (signatures, cookies). Written by hand rather than with
 * pino-http, which makes a child logger per request even with info off:
 * the warm card API answers in well under a millisecond.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    response.once('close', () => {
      if (!logger.isLevelEnabled('info')) return;
      const path = request.originalUrl.split('?', 1)[0] ?? '';
      logger.info(
        {
          method: request.method,
          path: path.length > PATH_SHOWN ? `${path.slice(0, PATH_SHOWN)}…` : path,
          status: response.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(response.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}

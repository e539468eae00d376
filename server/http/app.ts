import { performance } from 'node:perf_hooks';
import express from 'express';
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { HubSpotApiError } from '../hubspot/portal-client.ts';
import { NeedsReauthError } from '../tokens/token-store.ts';
import { accessLog } from './access-log.ts';
import { ApiError, validationError } from './api-error.ts';
import type { CardRoutesDeps } from './card-routes.ts';
import { cardRoutes } from './card-routes.ts';
import type { InstallationRoutesDeps } from './installation-routes.ts';
import { installationRoutes } from './installation-routes.ts';
import type { CompanyInputRoutesDeps } from './company-input-routes.ts';
import { companyInputRoutes } from './company-input-routes.ts';
import type { OAuthRoutesDeps } from './oauth-routes.ts';
import { oauthRoutes } from './oauth-routes.ts';
import type { SettingsRoutesDeps } from './settings-routes.ts';
import { settingsRoutes } from './settings-routes.ts';
import { ownerRoutes } from './owner-routes.ts';
import { ticketPipelineRoutes } from './ticket-pipeline-routes.ts';
import { signedJson } from './signed-request.ts';
import type { TaskRoutesDeps } from './task-routes.ts';
import { taskRoutes } from './task-routes.ts';
import type { WebhookRoutesDeps } from './webhook-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export interface AppDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly clientSecret: string;
  readonly publicBaseUrl: string;
  readonly now: () => number;
  /** Proxies in front that append to X-Forwarded-For (the client address is read past them); 0 by default. */
  readonly trustProxyHops?: number;
  /** Absent in single-portal mode (no install flow). */
  readonly oauth: Omit<
    OAuthRoutesDeps,
    'redis' | 'logger' | 'publicBaseUrl' | 'clientSecret' | 'now'
  > | null;
  readonly cards: CardRoutesDeps;
  /** Action → HubSpot task; absent in tests that do not exercise it. */
  readonly tasks?: TaskRoutesDeps;
  /** The settings page's routes; absent in tests that do not exercise them. */
  readonly settings?: SettingsRoutesDeps;
  readonly installation?: InstallationRoutesDeps;
  readonly companyInputs: Omit<CompanyInputRoutesDeps, keyof CardRoutesDeps>;
  readonly webhooks: Pick<WebhookRoutesDeps, 'associationIndex' | 'queue' | 'debounceMs'>;
}

/**
 * The backend's HTTP surface (architecture.md): thin routes, one error
 * handler, every `/api/v1` request verified as signed by HubSpot.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Cards fetch through hubspot.fetch, which never revalidates: hashing every
  // 8 KB scorecard for an ETag would be work for nobody.
  app.disable('etag');
  app.set('trust proxy', deps.trustProxyHops ?? 0);

  app.use(accessLog(deps.logger));
  app.use(
    helmet({
      // HSTS only where the public origin is https: on http it would be a lie.
      strictTransportSecurity: deps.publicBaseUrl.startsWith('https:')
        ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true }
        : false,
    }),
  );

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  const ready = readiness(deps.redis);
  app.get('/readyz', async (_request, response) => {
    // Anyone may ask: the answer says ready or not, nothing about why.
    if (await ready()) response.json({ status: 'ready' });
    else response.status(503).json({ status: 'unavailable' });
  });

  if (deps.oauth !== null) {
    app.use(
      oauthRoutes({
        ...deps.oauth,
        redis: deps.redis,
        logger: deps.logger,
        publicBaseUrl: deps.publicBaseUrl,
        clientSecret: deps.clientSecret,
        now: deps.now,
      }),
    );
  }

  app.use(
    webhookRoutes({
      ...deps.webhooks,
      tokens: deps.cards.tokens,
      redis: deps.redis,
      logger: deps.logger,
      clientSecret: deps.clientSecret,
      publicBaseUrl: deps.publicBaseUrl,
      now: deps.now,
    }),
  );
  app.use('/api/v1', (_request, response, next) => {
    // A portal's data: no proxy or browser cache keeps a copy.
    response.set('Cache-Control', 'no-store');
    next();
  });
  app.use(
    '/api/v1',
    signedJson({
      clientSecret: deps.clientSecret,
      publicBaseUrl: deps.publicBaseUrl,
      now: deps.now,
    }),
  );
  app.use(cardRoutes(deps.cards));
  if (deps.tasks !== undefined) app.use(taskRoutes(deps.tasks));
  if (deps.settings !== undefined) app.use(settingsRoutes(deps.settings));
  app.use(ticketPipelineRoutes({ ...deps.cards, redis: deps.redis }));
  app.use(ownerRoutes(deps.cards));
  app.use(companyInputRoutes({ ...deps.cards, ...deps.companyInputs }));
  if (deps.installation !== undefined) app.use(installationRoutes(deps.installation));

  app.use((_request, _response, next) => {
    next(new ApiError('not_found', 'no such route'));
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** How long one Redis ping answers /readyz for. */
const READINESS_MS = 1_000;

/**
 * Whether Redis answers, asked at most once a second however often the
 * load balancer (or anyone else) calls, so /readyz cannot be turned into a
 * flood of Redis pings.
 */
function readiness(redis: Redis): () => Promise<boolean> {
  let last: { readonly at: number; readonly ready: Promise<boolean> } | null = null;
  return () => {
    const at = performance.now();
    if (last === null || at - last.at >= READINESS_MS) {
      last = {
        at,
        ready: redis.ping().then(
          () => true,
          () => false,
        ),
      };
    }
    return last.ready;
  };
}

/** The one place errors become HTTP answers: `{error: {code, message, field?}}`. */
function errorHandler(logger: Logger) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    const bodyError = bodyReadError(error);
    if (bodyError?.type === 'request.aborted') {
      // The client went away mid-upload: nobody is left to answer.
      logger.debug({ path: request.path }, 'upload aborted by the client');
    } else if (bodyError !== null) {
      logger.warn(
        { path: request.path, status: bodyError.status, type: bodyError.type },
        'request body refused',
      );
    }
    const apiError = bodyError === null ? toApiError(error) : bodyError.answer;
    if (apiError.status >= 500) logger.error({ err: error, path: request.path }, 'request failed');
    response.status(apiError.status).json({
      error: {
        code: apiError.code,
        message: apiError.message,
        ...(apiError.field === undefined ? {} : { field: apiError.field }),
      },
    });
  };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (error instanceof NeedsReauthError) return new ApiError('needs_reauth', error.message);
  if (error instanceof HubSpotApiError && error.status === 429) {
    return new ApiError('rate_limited', 'HubSpot is rate-limiting this portal; try again shortly');
  }
  return new ApiError('internal', 'something went wrong; it has been logged');
}

/** The fields of an error Express's body reader (body-parser, through http-errors) raises. */
interface BodyParserError {
  readonly status: number;
  /** http-errors' mark: a 4xx whose message may be shown (HubSpot's errors have none). */
  readonly expose: boolean;
  readonly type?: string;
  readonly encoding?: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

/**
 * A body the reader refused, with the reader's own status: too large (413),
 * a Content-Encoding it cannot decode (415), a body it could not read (400:
 * bad gzip, a length that does not match, an upload aborted).
 */
function bodyReadError(
  error: unknown,
): { readonly status: number; readonly type: string; readonly answer: ApiError } | null {
  if (!isBodyParserError(error)) return null;
  const type = error.type ?? 'body.unreadable';
  if (error.status === 413)
    return {
      status: 413,
      type,
      answer: new ApiError('payload_too_large', 'request body is larger than 1 MB', 'body'),
    };
  if (error.status === 415)
    return {
      status: 415,
      type,
      answer: new ApiError(
        'unsupported_media_type',
        `Content-Encoding "${error.encoding ?? ''}" is not supported (gzip, deflate, br, zstd or none)`,
        'body',
      ),
    };
  return {
    status: 400,
    type,
    answer: new ApiError('validation_failed', 'the request body could not be read', 'body'),
  };
}

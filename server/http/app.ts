import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ZodError } from 'zod';
import { HubSpotApiError } from '../hubspot/portal-client.ts';
import { NeedsReauthError } from '../tokens/token-store.ts';
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
import { signedJson } from './signed-request.ts';
import type { TaskRoutesDeps } from './task-routes.ts';
import { taskRoutes } from './task-routes.ts';
import type { WebhookRoutesDeps } from './webhook-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export interface AppDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly metrics: Registry;
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

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    try {
      await deps.redis.ping();
      response.json({ status: 'ready' });
    } catch {
      response.status(503).json({ status: 'redis unreachable' });
    }
  });
  app.get('/metrics', async (_request, response) => {
    response.type(deps.metrics.contentType).send(await deps.metrics.metrics());
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
  app.use(companyInputRoutes({ ...deps.cards, ...deps.companyInputs }));
  if (deps.installation !== undefined) app.use(installationRoutes(deps.installation));

  app.use((_request, _response, next) => {
    next(new ApiError('not_found', 'no such route'));
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** The one place errors become HTTP answers: `{error: {code, message, field?}}`. */
function errorHandler(logger: Logger) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    const apiError = toApiError(error);
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
  const status = (error as { status?: unknown }).status;
  if (status === 413)
    return new ApiError('validation_failed', 'request body is larger than 1 MB', 'body');
  return new ApiError('internal', 'something went wrong; it has been logged');
}

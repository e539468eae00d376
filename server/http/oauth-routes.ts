import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { TokenSet } from '../tokens/token-store.ts';
import { ApiError } from './api-error.ts';

/** The scopes the backend needs, and no more (hubspot-facts.md). */
export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.schemas.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
] as const;
export const OPTIONAL_SCOPES = ['tickets'] as const;

const STATE_TTL_SECONDS = 600;

export interface OAuthRoutesDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly clientId: string;
  readonly authorizeUrl: string;
  readonly publicBaseUrl: string;
  /** Exchanges the code at /oauth/2026-03/token; `hubId` identifies the portal. */
  readonly exchangeCode: (
    code: string,
    redirectUri: string,
  ) => Promise<{ hubId: number; tokens: TokenSet }>;
  /** Stores the tokens, provisions properties, queues the first recompute. */
  readonly onInstalled: (portalId: number, tokens: TokenSet) => Promise<void>;
}

/** GET /oauth/install and /oauth/callback: the marketplace install, state single-use for 10 minutes. */
export function oauthRoutes(deps: OAuthRoutesDeps): Router {
  const router = Router();
  const redirectUri = `${deps.publicBaseUrl}/oauth/callback`;
  const stateKey = (state: string): string => `kam:oauth-state:${state}`;

  router.get('/oauth/install', async (_request, response) => {
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(stateKey(state), '1', 'EX', STATE_TTL_SECONDS);
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    url.searchParams.set('optional_scope', OPTIONAL_SCOPES.join(' '));
    url.searchParams.set('state', state);
    response.redirect(302, url.toString());
  });

  router.get('/oauth/callback', async (request, response) => {
    const { code, state, error } = request.query;
    if (typeof error === 'string')
      throw new ApiError('unauthorized', `HubSpot did not authorise the app: ${error}`);
    if (typeof state !== 'string' || (await deps.redis.getdel(stateKey(state))) === null) {
      throw new ApiError(
        'unauthorized',
        'unknown or expired install state; start again from the install link',
        'state',
      );
    }
    if (typeof code !== 'string' || code === '')
      throw new ApiError('validation_failed', 'missing code', 'code');
    const { hubId, tokens } = await deps.exchangeCode(code, redirectUri);
    await deps.onInstalled(hubId, tokens);
    deps.logger.info({ portalId: hubId }, 'app installed');
    response
      .status(200)
      .type('html')
      .send(
        `<!doctype html><meta charset="utf-8"><title>KAM for HubSpot installed</title>` +
          `<h1>KAM for HubSpot is installed</h1>` +
          `<p>Portal ${hubId}: the app's company properties are ready and a first full recompute of your ` +
          `portfolio has started. Tiers, grades and next actions appear on company records as it finishes; ` +
          `open any company and look for the Account grade card.</p>`,
      );
  });
  return router;
}

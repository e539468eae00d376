import { parseCookie } from 'cookie';
import escapeHtml from 'escape-html';
import type { CookieOptions, Request, Response } from 'express';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OAuthRefusedError, OAuthUnavailableError } from '../hubspot/oauth-client.ts';
import type { TokenSet } from '../tokens/token-store.ts';
import { perClientRateLimit } from './client-rate-limit.ts';
import {
  INSTALL_STATE_COOKIE,
  INSTALL_STATE_TTL_MS,
  isInstallStateValid,
  issueInstallState,
} from './install-state.ts';

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
/**
 * `settings.users.read` tells a super admin from other users (admin
 * actions); `crm.objects.owners.read` names owners on the cards and lists
 * the executives to pick on the settings page (kam-model.md §10).
 */
export const OPTIONAL_SCOPES = [
  'tickets',
  'settings.users.read',
  'crm.objects.owners.read',
] as const;

export interface OAuthRoutesDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly clientId: string;
  /** Signs the install state cookie. */
  readonly clientSecret: string;
  readonly authorizeUrl: string;
  readonly publicBaseUrl: string;
  readonly now: () => number;
  /** Installs, and callbacks, a client address may start per minute. */
  readonly installsPerMinute: number;
  /** Exchanges the code at /oauth/2026-03/token; `hubId` identifies the portal. */
  readonly exchangeCode: (
    code: string,
    redirectUri: string,
  ) => Promise<{ hubId: number; tokens: TokenSet }>;
  /** Stores the tokens, provisions properties, queues the first recompute. */
  readonly onInstalled: (portalId: number, tokens: TokenSet) => Promise<void>;
}

/** An install that cannot go on, shown to the admin as a plain page. */
class InstallPageError extends Error {
  override readonly name = 'InstallPageError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** A plain HTML page; every piece of text in it is escaped. */
function installPage(response: Response, status: number, title: string, text: string): void {
  response
    .status(status)
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`,
    );
}

const START_AGAIN = 'Start again from the install link in the HubSpot marketplace.';

/**
 * GET /oauth/install and /oauth/callback: the marketplace install. The
 * state lives in a signed, HttpOnly, SameSite=Lax cookie for 10 minutes,
 * so only the browser that started an install can finish it and an
 * anonymous install stores nothing; both routes are rate-limited per
 * client address; every failure is a plain page.
 */
export function oauthRoutes(deps: OAuthRoutesDeps): Router {
  const router = Router();
  const redirectUri = `${deps.publicBaseUrl}/oauth/callback`;
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    // Lax, not Strict: HubSpot's redirect back is a cross-site top-level navigation.
    sameSite: 'lax',
    secure: deps.publicBaseUrl.startsWith('https:'),
    path: '/oauth/callback',
  };
  const limited = (name: string) =>
    perClientRateLimit({
      redis: deps.redis,
      name,
      perMinute: deps.installsPerMinute,
      refuse: (response, seconds) => {
        installPage(
          response,
          429,
          'Too many install attempts',
          `Too many install attempts from your address; try again in ${seconds} seconds.`,
        );
      },
    });

  router.get('/oauth/install', limited('oauth-install'), (_request, response) => {
    const { state, cookie } = issueInstallState(deps.clientSecret, deps.now());
    response.cookie(INSTALL_STATE_COOKIE, cookie, {
      ...cookieOptions,
      maxAge: INSTALL_STATE_TTL_MS,
    });
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    url.searchParams.set('optional_scope', OPTIONAL_SCOPES.join(' '));
    url.searchParams.set('state', state);
    response.redirect(302, url.toString());
  });

  router.get('/oauth/callback', limited('oauth-callback'), async (request, response) => {
    const { code, state, error } = request.query;
    const cookie = parseCookie(request.get('cookie') ?? '')[INSTALL_STATE_COOKIE];
    // Single use in this browser, whatever happens next.
    response.clearCookie(INSTALL_STATE_COOKIE, cookieOptions);
    if (typeof error === 'string')
      throw new InstallPageError(400, `HubSpot did not authorise the app (${error}).`);
    if (!isInstallStateValid(deps.clientSecret, cookie, state, deps.now())) {
      throw new InstallPageError(
        400,
        `This install was not started in this browser, or it is more than 10 minutes old. ${START_AGAIN}`,
      );
    }
    if (typeof code !== 'string' || code === '')
      throw new InstallPageError(400, `HubSpot sent no authorisation code. ${START_AGAIN}`);
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

  router.use(
    ['/oauth/install', '/oauth/callback'],
    (error: unknown, request: Request, response: Response, _next: unknown) => {
      if (error instanceof InstallPageError) {
        deps.logger.warn({ path: request.path, reason: error.message }, 'install refused');
        installPage(response, error.status, 'The app could not be installed', error.message);
      } else if (error instanceof OAuthUnavailableError) {
        deps.logger.warn(
          { status: error.httpStatus },
          'install: HubSpot token endpoint unavailable',
        );
        installPage(
          response,
          503,
          'The app could not be installed',
          `HubSpot did not answer in time. ${START_AGAIN}`,
        );
      } else if (error instanceof OAuthRefusedError) {
        // A code HubSpot refuses (junk, used, expired): the caller's mistake, not ours.
        deps.logger.warn(
          { status: error.httpStatus, code: error.code, correlationId: error.correlationId },
          'install: HubSpot refused the authorisation code',
        );
        installPage(
          response,
          400,
          'The app could not be installed',
          `HubSpot refused the authorisation code. ${START_AGAIN}`,
        );
      } else {
        deps.logger.error({ err: error, path: request.path }, 'install failed');
        installPage(
          response,
          500,
          'The app could not be installed',
          `Something went wrong on our side; it has been logged. ${START_AGAIN}`,
        );
      }
    },
  );
  return router;
}

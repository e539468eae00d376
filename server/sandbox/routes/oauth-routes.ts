import escapeHtml from 'escape-html';
import express, { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context.ts';
import { HubSpotError, invalidAuthentication, rateLimitBody } from '../errors.ts';
import type { RegisteredApp } from '../oauth.ts';
import { stringParameter } from '../request-schemas.ts';

function formOf(request: Request): Record<string, string | undefined> {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : undefined,
    ]),
  );
}

function scopesOf(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s+]+/).filter((scope) => scope !== '');
}

interface AuthorizeRequest {
  readonly app: RegisteredApp;
  readonly redirectUri: string;
  readonly scopes: string[];
  readonly state: string | undefined;
}

/** Checks client id and redirect URI before anything is shown or redirected, as HubSpot does. */
function readAuthorizeRequest(
  context: SandboxContext,
  parameters: Readonly<Record<string, unknown>>,
  response: Response,
): AuthorizeRequest | undefined {
  const clientId = stringParameter(parameters.client_id);
  const app = clientId === undefined ? undefined : context.oauth.appByClientId(clientId);
  const redirectUri = stringParameter(parameters.redirect_uri);
  if (app === undefined) {
    response
      .status(400)
      .type('html')
      .send('<h1>Authorization failed</h1><p>Unknown client_id.</p>');
    return undefined;
  }
  if (redirectUri === undefined || !app.redirectUrls.includes(redirectUri)) {
    response
      .status(400)
      .type('html')
      .send(
        "<h1>Authorization failed</h1><p>redirect_uri does not match the app's redirect URLs.</p>",
      );
    return undefined;
  }
  const scopes = [
    ...new Set([
      ...scopesOf(stringParameter(parameters.scope)),
      ...scopesOf(stringParameter(parameters.optional_scope)),
    ]),
  ];
  return { app, redirectUri, scopes, state: stringParameter(parameters.state) };
}

function approve(
  context: SandboxContext,
  request: AuthorizeRequest,
  portalId: number,
  response: Response,
): void {
  const code = context.oauth.issueCode(request.app, portalId, request.redirectUri, request.scopes);
  const target = new URL(request.redirectUri);
  target.searchParams.set('code', code);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  response.redirect(302, target.toString());
}

function chosenPortal(context: SandboxContext, raw: unknown): number | undefined {
  const requested = stringParameter(raw);
  if (requested !== undefined)
    return context.portals.has(Number(requested)) ? Number(requested) : undefined;
  return context.portals.keys().next().value;
}

function consentPage(
  context: SandboxContext,
  request: AuthorizeRequest,
  query: URLSearchParams,
): string {
  const portals = [...context.portals.keys()]
    .map((id) => `<option value="${id}">Portal ${id}</option>`)
    .join('');
  const hidden = [...query]
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('');
  const scopes = request.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return `<!doctype html><html><head><title>Connect app</title></head><body>
<h1>Connect app ${request.app.appId} to HubSpot (sandbox)</h1>
<p>The app asks for:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">${hidden}
<label>Account <select name="portal_id">${portals}</select></label>
<button type="submit">Connect app</button></form></body></html>`;
}

/** An injected token-endpoint failure (`tokenErrors`), answered as HubSpot would; false when none is due. */
function answerTokenFault(context: SandboxContext, response: Response): boolean {
  const status = context.faults.takeTokenError();
  if (status === null) return false;
  if (status === 0) {
    setTimeout(() => response.status(504).end(), context.faults.settings.hangMs).unref();
  } else if (status === 401) {
    response.status(401).json(invalidAuthentication().toBody());
  } else if (status === 429) {
    response.status(429).set('Retry-After', '1').json(rateLimitBody('TEN_SECONDLY_ROLLING'));
  } else {
    response
      .status(status)
      .json(new HubSpotError(status, 'INTERNAL_ERROR', 'internal error').toBody());
  }
  return true;
}

/** OAuth: the consent page and the 2026-03 token, introspect and revoke endpoints. */
export function oauthRoutes(context: SandboxContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false });

  router.get('/oauth/authorize', (request, response) => {
    const authorize = readAuthorizeRequest(context, request.query, response);
    if (authorize === undefined) return;
    if (context.autoApprove || stringParameter(request.query.auto) === '1') {
      const portalId = chosenPortal(context, request.query.portal_id);
      if (portalId === undefined) {
        response
          .status(400)
          .type('html')
          .send('<h1>Authorization failed</h1><p>No such portal.</p>');
        return;
      }
      approve(context, authorize, portalId, response);
      return;
    }
    const query = new URL(request.originalUrl, 'http://sandbox').searchParams;
    response.type('html').send(consentPage(context, authorize, query));
  });

  router.post('/oauth/authorize', form, (request, response) => {
    const parameters = formOf(request);
    const authorize = readAuthorizeRequest(context, parameters, response);
    if (authorize === undefined) return;
    const portalId = chosenPortal(context, parameters.portal_id);
    if (portalId === undefined) {
      response.status(400).type('html').send('<h1>Authorization failed</h1><p>No such portal.</p>');
      return;
    }
    approve(context, authorize, portalId, response);
  });

  router.post('/oauth/2026-03/token', form, (request, response) => {
    if (answerTokenFault(context, response)) return;
    response.json(context.oauth.exchange(formOf(request)));
  });

  router.post('/oauth/2026-03/token/introspect', form, (request, response) => {
    response.json(context.oauth.introspect(formOf(request)));
  });

  router.post('/oauth/2026-03/token/revoke', form, (request, response) => {
    context.oauth.revoke(formOf(request));
    response.status(204).end();
  });

  return router;
}

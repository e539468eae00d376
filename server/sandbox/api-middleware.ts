import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SandboxContext } from './context.ts';
import { HubSpotError, missingScopes, rateLimitBody } from './errors.ts';
import type { Principal } from './oauth.ts';
import type { Portal } from './portal.ts';

const principals = new WeakMap<Request, Principal>();

/** The token's owner; only valid behind `authenticate`. */
export function principalOf(request: Request): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('authenticate must run before this handler');
  return principal;
}

/** The portal the request's token belongs to. */
export function portalOf(context: SandboxContext, request: Request): Portal {
  const { portalId } = principalOf(request);
  const portal = context.portals.get(portalId);
  if (portal === undefined)
    throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Portal ${portalId} does not exist.`);
  return portal;
}

/** 403 MISSING_SCOPES unless the token holds one of `anyOf`. */
export function requireScopes(request: Request, anyOf: readonly string[]): void {
  const { scopes } = principalOf(request);
  if (!anyOf.some((scope) => scopes.includes(scope))) throw missingScopes(anyOf);
}

/**
 * The route a request is counted under: its path with record ids folded,
 * e.g. `GET /crm/v3/objects/deals/{id}`. Taken from the path rather than
 * the matched route so requests rejected early (401, 429) count too.
 */
export function routeLabel(method: string, originalUrl: string): string {
  const path = originalUrl.split('?')[0] ?? '';
  return `${method} ${path
    .split('/')
    .map((segment) => (/^\d+$/.test(segment) ? '{id}' : segment))
    .join('/')}`;
}

/** Counts every response per portal, route and status (registered first, so it sees all). */
export function recordStats(context: SandboxContext): RequestHandler {
  return (request, response, next) => {
    const route = routeLabel(request.method, request.originalUrl);
    response.on('finish', () => {
      const portal = principals.get(request)?.portalId;
      context.stats.recordRequest(
        portal === undefined ? 'none' : String(portal),
        route,
        response.statusCode,
      );
    });
    next();
  };
}

/** Resolves `Authorization: Bearer …`; HubSpot's 401 bodies for anything else. */
export function authenticate(context: SandboxContext): RequestHandler {
  return (request, _response, next) => {
    const header = request.get('authorization') ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    principals.set(request, context.oauth.authenticate(bearer));
    next();
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function rejectRateLimited(response: Response, policyName: string): void {
  response.status(429).json(rateLimitBody(policyName));
}

/**
 * The request is served at once, but its answer leaves only after `hangMs`:
 * a client with a shorter timeout gives up on a request HubSpot did carry out.
 */
function holdAnswer(response: Response, hangMs: number): void {
  type End = (...args: unknown[]) => Response;
  const end = response.end.bind(response) as End;
  const held: End = (...args) => {
    setTimeout(() => end(...args), hangMs).unref();
    return response;
  };
  (response as unknown as { end: End }).end = held;
}

/** Injected latency, hung requests and forced 429 bursts, before the real limiter. */
export function injectEarlyFaults(context: SandboxContext): RequestHandler {
  return async (_request: Request, response: Response, next: NextFunction) => {
    const { latencyMs, hangMs } = context.faults.settings;
    if (latencyMs > 0) await sleep(latencyMs);
    if (context.faults.shouldHangRequest()) holdAnswer(response, hangMs);
    if (context.faults.takeForced429()) {
      // HubSpot's 429 carries the window's length, which tells a client how long to back off.
      response.set({
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(context.limiter.intervalMs),
        'X-HubSpot-RateLimit-Max': String(context.limiter.max),
        'X-HubSpot-RateLimit-Remaining': '0',
      });
      rejectRateLimited(response, 'TEN_SECONDLY_ROLLING');
      return;
    }
    next();
  };
}

/** Injected 5xx answers, after the limiter counted the request (HubSpot counts failed calls too). */
export function injectServerErrors(context: SandboxContext): RequestHandler {
  return (_request, response, next) => {
    if (!context.faults.shouldFailRequest()) {
      next();
      return;
    }
    const status = context.faults.settings.errorStatus;
    response
      .status(status)
      .json(new HubSpotError(status, 'INTERNAL_ERROR', 'internal error').toBody());
  };
}

/**
 * HubSpot's per-portal, per-app burst limit with its headers on every
 * response (the daily headers, which HubSpot omits for OAuth apps, are not
 * sent at all: the sandbox has no daily limit).
 */
export function enforceRateLimit(context: SandboxContext): RequestHandler {
  return (request, response, next) => {
    const principal = principalOf(request);
    const key = `${principal.portalId}:${principal.appId ?? 'private'}`;
    const now = context.now();
    const decision = context.limiter.tryAcquire(key, now);
    const secondly = Math.ceil(decision.max / (decision.intervalMs / 1000));
    response.set({
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(decision.intervalMs),
      'X-HubSpot-RateLimit-Max': String(decision.max),
      'X-HubSpot-RateLimit-Remaining': String(decision.remaining),
      'X-HubSpot-RateLimit-Secondly': String(secondly),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(
        Math.max(0, secondly - context.limiter.countWithin(key, now, 1000)),
      ),
    });
    if (!decision.allowed) {
      rejectRateLimited(response, 'TEN_SECONDLY_ROLLING');
      return;
    }
    next();
  };
}

/** HubSpot's search limit: 5 requests per second per portal, answered with a SECONDLY 429. */
export function enforceSearchLimit(context: SandboxContext): RequestHandler {
  return (request, response, next) => {
    const decision = context.searchLimiter.tryAcquire(
      String(principalOf(request).portalId),
      context.now(),
    );
    if (!decision.allowed) {
      rejectRateLimited(response, 'SECONDLY');
      return;
    }
    next();
  };
}

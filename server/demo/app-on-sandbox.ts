import { randomBytes, randomUUID } from 'node:crypto';
import { parseSetCookie } from 'cookie';
import type { Logger } from 'pino';
import { loadConfig } from '../config.ts';
import type { RateLimit } from '../hubspot/rate-limiter.ts';
import type { Backend } from '../runtime.ts';
import { startBackend } from '../runtime.ts';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../sandbox/default-subscriptions.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { freePort } from './local-redis.ts';

export interface AppOnSandbox {
  readonly backend: Backend;
  readonly publicBaseUrl: string;
  readonly appId: number;
  readonly clientSecret: string;
  /** The configuration's environment, for another process (a worker) of the same app. */
  readonly env: Readonly<Record<string, string>>;
  /** Installs the app into a sandbox portal (the first unless named) through the real OAuth flow. */
  install(portalId?: number): Promise<void>;
}

export interface AppOnSandboxOptions {
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly limits?: { readonly default?: RateLimit };
  readonly debounceMs?: number;
  /** False: the API only, the workers run elsewhere (another process). Default true. */
  readonly worker?: boolean;
  /** More configuration, as environment variables (e.g. `HUBSPOT_TIMEOUT_MS`). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Follows one redirect by hand, so every hop of the install is a real HTTP
 * exchange; the cookies it sets come back as a `Cookie` header, as a
 * browser would send them on the next request to the app.
 */
async function hop(url: string): Promise<{ location: string; cookie: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || location === null) {
    throw new Error(
      `expected a redirect from ${new URL(url).pathname}, got ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
  }
  const cookie = response.headers
    .getSetCookie()
    .map((header) => parseSetCookie(header))
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  return { location: new URL(location, url).toString(), cookie };
}

/**
 * The app registered with the sandbox as a marketplace app (redirect URL,
 * webhook target, subscriptions) and the backend (API and worker) wired to
 * it: what the demo and the end-to-end tests run.
 */
export async function startAppOnSandbox(
  sandbox: Sandbox,
  options: AppOnSandboxOptions,
): Promise<AppOnSandbox> {
  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const clientId = randomUUID();
  const clientSecret = randomBytes(24).toString('hex');
  const { appId } = sandbox.admin.registerApp({
    clientId,
    clientSecret,
    redirectUrls: [`${publicBaseUrl}/oauth/callback`],
    targetUrl: `${publicBaseUrl}/webhooks/hubspot`,
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
  });
  const env: Record<string, string> = {
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    REDIS_URL: options.redisUrl,
    HUBSPOT_CLIENT_ID: clientId,
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Any free port: the demo, the benchmarks and parallel tests each run their own.
    METRICS_PORT: '0',
    ...(options.debounceMs === undefined
      ? {}
      : { RECOMPUTE_DEBOUNCE_MS: String(options.debounceMs) }),
    ...options.env,
  };
  const backend = await startBackend({
    config: loadConfig(env),
    api: true,
    worker: options.worker ?? true,
    logger: options.logger,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  return {
    backend,
    publicBaseUrl,
    appId,
    clientSecret,
    env,
    async install(portalId) {
      const install = await hop(`${publicBaseUrl}/oauth/install`);
      const authorize = new URL(install.location);
      // The admin picks the account on HubSpot's consent page.
      if (portalId !== undefined) authorize.searchParams.set('portal_id', String(portalId));
      const callback = await hop(authorize.toString());
      // Back at the app, the browser sends the cookie the install set.
      const page = await fetch(callback.location, { headers: { Cookie: install.cookie } });
      if (page.status !== 200)
        throw new Error(`install failed: ${page.status} ${await page.text()}`);
    },
  };
}

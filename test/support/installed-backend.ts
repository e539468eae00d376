import type { Logger } from 'pino';
import pino from 'pino';
import { startAppOnSandbox } from '../../server/demo/app-on-sandbox.ts';
import type { Backend } from '../../server/runtime.ts';
import { sendCardRequest } from '../../server/sandbox/card-request.ts';
import { SANDBOX_USER } from '../../server/sandbox/oauth.ts';
import type { Sandbox } from '../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../server/sandbox/sandbox.ts';
import type { TestRedis } from './redis-server.ts';
import { startTestRedis } from './redis-server.ts';
import { recomputeFinished } from '../../server/jobs/recompute-status.ts';

/**
 * The backend (API + worker) on a private Redis, wired to a seeded sandbox
 * portal and installed there through the real OAuth flow, with the first
 * full recompute finished: what a card sees after a fresh install.
 */
export interface InstalledBackend {
  readonly redis: TestRedis;
  readonly sandbox: Sandbox;
  readonly backend: Backend;
  readonly portalId: number;
  /** A private-app token for reading the sandbox portal apart from the app. */
  readonly privateToken: string;
  readonly now: number;
  /** The origin HubSpot calls (signatures cover it), the app's id and its client secret. */
  readonly publicBaseUrl: string;
  readonly appId: number;
  readonly clientSecret: string;
  /** A signed card request (`hubspot.fetch`) to `path` on the backend, from the portal's super admin. */
  card(method: string, path: string, body?: unknown): Promise<Response>;
  /** The same from another HubSpot user of the portal. */
  cardAs(userId: number, method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startInstalledBackend(
  portal: { companies: number; deals: number; seed: number } = {
    companies: 40,
    deals: 400,
    seed: 7,
  },
  options: {
    readonly logger?: Logger;
    /** More configuration, as environment variables (e.g. `HTTP_REQUEST_TIMEOUT_MS`). */
    readonly env?: Readonly<Record<string, string>>;
    /**
     * How far HubSpot's clock runs behind the backend's fixed instant, so what
     * a test changes in the sandbox (a ticket's close date) lies before the
     * instant the backend scores at, as it does in production. At most a
     * minute or two: webhook signatures are checked against that instant.
     */
    readonly sandboxLagMs?: number;
  } = {},
): Promise<InstalledBackend> {
  const now = Date.now();
  const redis = await startTestRedis();
  const sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ ...portal, asOf: new Date(now).toISOString() }],
    webhooks: { batchWindowMs: 50 },
    ...(options.sandboxLagMs === undefined
      ? {}
      : { now: () => Date.now() - (options.sandboxLagMs ?? 0) }),
  });
  const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  const privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
  const app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: options.logger ?? pino({ level: 'silent' }),
    now: () => now,
    debounceMs: 100,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const { backend, publicBaseUrl, appId, clientSecret } = app;
  const cardAs = (userId: number, method: string, path: string, body?: unknown) =>
    sendCardRequest({
      url: `${publicBaseUrl}${path}`,
      method,
      body,
      portalId,
      userId,
      userEmail: 'user@example.com',
      appId,
      clientSecret,
    });
  await app.install();
  await until(
    () => backend.stores.status.get(portalId),
    recomputeFinished,
    'the first full recompute',
  );

  return {
    redis,
    sandbox,
    backend,
    portalId,
    privateToken,
    now,
    publicBaseUrl,
    appId,
    clientSecret,
    card: (method, path, body) => cardAs(SANDBOX_USER.id, method, path, body),
    cardAs,
    async stop() {
      await backend.stop();
      await sandbox.close();
      await redis.stop();
    },
  };
}

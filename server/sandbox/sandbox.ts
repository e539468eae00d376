import type { AddressInfo } from 'node:net';
import express from 'express';
import { SandboxAdmin, type PortalInfo, type PortalSpec } from './admin.ts';
import {
  authenticate,
  enforceRateLimit,
  injectEarlyFaults,
  injectServerErrors,
  recordStats,
} from './api-middleware.ts';
import type { SandboxContext } from './context.ts';
import { handleErrors } from './error-handler.ts';
import { HubSpotError } from './errors.ts';
import { FaultInjector } from './faults.ts';
import { OAuthRegistry } from './oauth.ts';
import { loadState, saveState } from './persistence.ts';
import { Portal } from './portal.ts';
import { RollingWindowLimiter } from './rate-limit.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { associationsRoutes } from './routes/associations-routes.ts';
import { objectsRoutes } from './routes/objects-routes.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { pipelinesRoutes } from './routes/pipelines-routes.ts';
import { propertiesRoutes } from './routes/properties-routes.ts';
import { ownersRoutes } from './routes/owners-routes.ts';
import { usersRoutes } from './routes/users-routes.ts';
import { SandboxStats, type StatsSnapshot } from './stats.ts';
import { serveDateVersionedPaths } from './versioned-paths.ts';
import { WebhookDispatcher, type WebhookOptions } from './webhooks.ts';

export interface SandboxOptions {
  /** 0 picks a free port (tests). */
  readonly port?: number;
  readonly host?: string;
  /** Requests per rolling window per portal and app; HubSpot's is 110 per 10 s. */
  readonly rateLimit?: number;
  readonly rateLimitIntervalMs?: number;
  /** Search requests per second per portal; HubSpot's is 5. */
  readonly searchPerSecond?: number;
  /** `expires_in` of OAuth access tokens; HubSpot's is 1800. */
  readonly accessTokenTtlSeconds?: number;
  readonly authCodeTtlMs?: number;
  /** Approve `/oauth/authorize` at once instead of showing the consent page. */
  readonly autoApprove?: boolean;
  readonly webhooks?: Partial<WebhookOptions>;
  /** Restore from this JSON file when it exists; `save()` and `close()` write it. */
  readonly stateFile?: string;
  /** Portals to seed at start (skipped when the state file restored any). */
  readonly portals?: readonly PortalSpec[];
  /** The clock for tokens, history and events; tests may pass a controllable one. */
  readonly now?: () => number;
  /** The random source of fault injection. */
  readonly random?: () => number;
}

/** A running sandbox and the handles tests, the demo and benchmarks drive it with. */
export interface Sandbox {
  /** e.g. `http://127.0.0.1:4010`; the SDK's `basePath`. */
  readonly url: string;
  readonly port: number;
  /** Portals seeded or restored at start, in order. */
  readonly initialPortals: readonly PortalInfo[];
  /** Seeding, apps, user edits, history (see `SandboxAdmin`). */
  readonly admin: SandboxAdmin;
  /** Switch 5xx shares, 429 bursts, latency and dropped webhooks at runtime. */
  readonly faults: FaultInjector;
  /** Requests per portal by route and status, 429s, webhook counters. */
  stats(): StatsSnapshot;
  /** Resolves once every queued webhook was delivered, dropped or given up. */
  webhooksIdle(): Promise<void>;
  /** The machinery behind the routes, for tests that need to look inside. */
  readonly context: SandboxContext;
  save(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  batchWindowMs: 250,
  timeoutMs: 5_000,
  maxAttempts: 10,
  retryBaseMs: 1_000,
};

/**
 * Starts the local HubSpot sandbox: one HTTP server speaking the subset of
 * HubSpot's API the app uses, with its limits, errors, OAuth and webhooks.
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, portals: [{ companies: 50, deals: 400 }] });
 * const client = new Client({ accessToken: sandbox.initialPortals[0].accessToken, basePath: sandbox.url });
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const stats = new SandboxStats();
  const faults = new FaultInjector(options.random);
  const oauth = new OAuthRegistry({
    now,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1_800,
    authCodeTtlMs: options.authCodeTtlMs ?? 10 * 60_000,
  });
  const context: SandboxContext = {
    portals: new Map(),
    oauth,
    stats,
    faults,
    limiter: new RollingWindowLimiter(
      options.rateLimit ?? 110,
      options.rateLimitIntervalMs ?? 10_000,
    ),
    searchLimiter: new RollingWindowLimiter(options.searchPerSecond ?? 5, 1_000),
    webhooks: new WebhookDispatcher(
      oauth,
      stats,
      faults,
      { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks },
      now,
    ),
    now,
    autoApprove: options.autoApprove ?? false,
  };
  const admin = new SandboxAdmin(context);

  const initialPortals: PortalInfo[] = [];
  const restored = options.stateFile === undefined ? undefined : await loadState(options.stateFile);
  if (restored !== undefined) {
    oauth.restore(restored.oauth);
    for (const data of restored.portals) {
      admin.addPortal(Portal.fromJSON(data, now));
      const accessToken =
        oauth.privateTokensOf(data.portalId)[0] ?? oauth.addPrivateToken(data.portalId);
      initialPortals.push({ portalId: data.portalId, accessToken });
    }
  } else {
    for (const spec of options.portals ?? []) initialPortals.push(admin.createPortal(spec));
  }

  const save = async (): Promise<void> => {
    if (options.stateFile === undefined) return;
    await saveState(options.stateFile, {
      version: 1,
      savedAt: new Date(now()).toISOString(),
      portals: [...context.portals.values()].map((portal) => portal.toJSON()),
      oauth: oauth.toJSON(),
    });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(recordStats(context));
  app.use(express.json({ limit: '10mb' }));
  app.use(oauthRoutes(context));
  app.use(adminRoutes(context, admin, save));
  app.use(serveDateVersionedPaths);
  // Every HubSpot API call is authenticated, may meet injected faults, and counts against the limit.
  app.use(
    ['/crm', '/account-info', '/settings'],
    authenticate(context),
    injectEarlyFaults(context),
    enforceRateLimit(context),
    injectServerErrors(context),
  );
  app.use(
    objectsRoutes(context),
    associationsRoutes(context),
    propertiesRoutes(context),
    pipelinesRoutes(),
    accountRoutes(now),
    usersRoutes(context),
    ownersRoutes(context),
  );
  app.use((request, response) => {
    response
      .status(404)
      .json(
        new HubSpotError(
          404,
          'OBJECT_NOT_FOUND',
          `No route for ${request.method} ${request.path}`,
        ).toBody(),
      );
  });
  app.use(handleErrors);

  const server = app.listen(options.port ?? 4010, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    url: `http://${host}:${port}`,
    port,
    initialPortals,
    admin,
    faults,
    stats: () => stats.snapshot(),
    webhooksIdle: () => context.webhooks.idle(),
    context,
    save,
    async close() {
      context.webhooks.close();
      await save();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

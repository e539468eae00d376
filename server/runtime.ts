import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import { createApp } from './http/app.ts';
import type { ListeningServer } from './http/http-server.ts';
import { listen } from './http/http-server.ts';
import { createSuperAdminCheck } from './http/super-admin.ts';
import type { HubSpotPortalClient } from './hubspot/hubspot-portal-client.ts';
import { createHubSpotPortalClient } from './hubspot/hubspot-portal-client.ts';
import type { HubSpotTransportOptions } from './hubspot/hubspot-transport.ts';
import { createHubSpotTransport } from './hubspot/hubspot-transport.ts';
import { readUserAccess, readUserName } from './hubspot/users.ts';
import { createOwnerDirectory } from './http/owner-directory.ts';
import { createUserNames } from './http/user-names.ts';
import { portalIdOfToken, readTimeZone } from './hubspot/account-info.ts';
import type { OAuthClient } from './hubspot/oauth-client.ts';
import { createOAuthClient } from './hubspot/oauth-client.ts';
import type { RateLimit } from './hubspot/rate-limiter.ts';
import { RedisRateLimiter } from './hubspot/rate-limiter.ts';
import { createRecomputeQueue } from './jobs/recompute-queue.ts';
import { createRecomputeStatusStore } from './jobs/recompute-status.ts';
import type { RecomputeWorkers } from './jobs/recompute-worker.ts';
import { startRecomputeWorker } from './jobs/recompute-worker.ts';
import { createLogger } from './logger.ts';
import { createMetrics, serveMetrics } from './metrics.ts';
import { createPinStore } from './pins/pin-store.ts';
import { removePortal } from './portal-removal.ts';
import { createAssociationIndex } from './recompute/association-index.ts';
import { createDealRecords } from './recompute/deal-records.ts';
import { createPortalLock } from './recompute/portal-lock.ts';
import { createSnapshotCache } from './recompute/snapshot-cache.ts';
import { createSnapshotStore } from './recompute/snapshot-store.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTaskStore } from './tasks/task-store.ts';
import type { PortalTokens, TokenSet, TokenStore } from './tokens/token-store.ts';
import { refreshWithRetry, tokenSetOf } from './tokens/token-refresh.ts';
import { createStaticTokens, createTokenStore } from './tokens/token-store.ts';

export interface BackendOptions {
  readonly config: Config;
  readonly api: boolean;
  readonly worker: boolean;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** HubSpot's limits unless a test or the demo says otherwise. */
  readonly limits?: { readonly default?: RateLimit; readonly search?: RateLimit };
}

export interface Backend {
  /** Where the API listens (when it runs). */
  readonly url: string | null;
  /** Where Prometheus scrapes, beside the API (when it runs). */
  readonly metricsUrl: string | null;
  readonly logger: Logger;
  /** A client for one portal, as the worker makes them (demo and benchmarks read its stats). */
  clientFor(portalId: number): Promise<HubSpotPortalClient>;
  readonly stores: {
    readonly status: ReturnType<typeof createRecomputeStatusStore>;
    readonly snapshots: ReturnType<typeof createSnapshotStore>;
    readonly tokens: PortalTokens;
  };
  stop(): Promise<void>;
}

/** Redis did not answer at start: say where, and stop. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** A Redis URL fit for a message: its password (and user) masked. */
export const redactedRedisUrl = (url: string): string => url.replace(/\/\/[^@]*@/, '//***@');

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 2,
    // Commands issued in the same tick share one round trip (a scorecard reads eight keys).
    enableAutoPipelining: true,
    lazyConnect: true,
    connectTimeout: 3_000,
  });
  redis.on('error', (error: Error) =>
    logger.warn({ err: error.message }, 'redis connection problem'),
  );
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(
      `Redis does not answer at ${redactedRedisUrl(url)} (${reason}); start redis-server or set REDIS_URL`,
    );
  }
  return redis;
}

/**
 * Starts the API, the recompute worker, or both, from one frozen config.
 * Several workers on several machines share the queues and each portal's
 * rate limiter through Redis.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger(config.logLevel);
  const { clientId, clientSecret, accessToken } = config.hubspot;
  if (options.api && clientSecret === null) {
    throw new ConfigError(
      'HUBSPOT_CLIENT_SECRET: is required to verify the requests HubSpot signs (cards, webhooks)',
    );
  }

  const redis = await connectRedis(config.redisUrl, logger);
  const metrics = createMetrics();
  const oauth =
    clientId === null || clientSecret === null
      ? null
      : createOAuthClient({ baseUrl: config.hubspot.apiBaseUrl, clientId, clientSecret });
  const singlePortalId =
    accessToken === null ? null : await portalIdOfToken(config.hubspot.apiBaseUrl, accessToken);
  let tokens: PortalTokens;
  let tokenStore: TokenStore | null = null;
  if (singlePortalId !== null && accessToken !== null) {
    tokens = createStaticTokens(singlePortalId, accessToken);
  } else if (oauth !== null && config.tokenEncryptionKey !== null) {
    tokenStore = createTokenStore({
      redis,
      key: config.tokenEncryptionKey,
      now,
      refresh: refreshWithRetry(oauth, { now }),
    });
    tokens = tokenStore;
  } else {
    redis.disconnect();
    throw new ConfigError('set HUBSPOT_ACCESS_TOKEN, or the OAuth credentials, to reach HubSpot');
  }
  const limiter = new RedisRateLimiter({ redis, limits: { ...options.limits } });
  const hubspotFor = (portalId: number): HubSpotTransportOptions => ({
    portalId,
    baseUrl: config.hubspot.apiBaseUrl,
    getAccessToken: () => tokens.accessToken(portalId),
    onAuthFailure: () => tokens.refreshNow(portalId),
    limiter,
    metrics: metrics.hubspot,
    retry: { timeoutMs: config.hubspot.timeoutMs },
  });
  const clientFor = (portalId: number): Promise<HubSpotPortalClient> =>
    Promise.resolve(createHubSpotPortalClient(hubspotFor(portalId)));
  const admins = createSuperAdminCheck({
    redis,
    readAccess: (portalId, userId) =>
      readUserAccess(createHubSpotTransport(hubspotFor(portalId)).send, userId),
  });
  const userNames = createUserNames({
    redis,
    readName: (portalId, userId) =>
      readUserName(createHubSpotTransport(hubspotFor(portalId)).send, userId),
  });
  const owners = createOwnerDirectory({ redis, clientFor });
  const connection = { url: config.redisUrl };
  const queue = createRecomputeQueue(connection, redis);
  metrics.trackQueues([queue.queue, queue.changes]);
  // BullMQ prints a connection error it has no listener for straight to stderr; log it instead.
  const onQueueError = (error: Error): void => {
    logger.warn({ err: error.message }, 'recompute queue: redis connection problem');
  };
  queue.queue.on('error', onQueueError);
  queue.changes.on('error', onQueueError);
  const snapshots = createSnapshotStore(redis);
  const cache = createSnapshotCache(snapshots);
  const locks = createPortalLock(redis, 'kam', config.recomputeLockMs);
  const settings = createSettingsStore(redis);
  const status = createRecomputeStatusStore(redis);
  const associationIndex = createAssociationIndex(redis);
  const dealRecords = createDealRecords(redis, 'kam', config.dealRecordsAbove);
  const pins = createPinStore(redis);
  const tasks = createTaskStore(redis);

  let worker: RecomputeWorkers | null = null;
  if (options.worker) {
    worker = startRecomputeWorker(
      connection,
      {
        clientFor,
        snapshots,
        cache,
        associationIndex,
        dealRecords,
        locks,
        settings,
        status,
        queue,
        now,
        logger,
        debounceMs: config.recomputeDebounceMs,
        reRankAtOnceBelow: config.reRankAtOnceBelow,
        onWritten: (kind, count) => metrics.companiesWritten.inc({ kind }, count),
      },
      config.workerConcurrency,
      config.recomputeLockMs,
      config.workerConcurrency,
      config.workerFullCompanies,
    );
    for (const each of [worker.full, worker.changes]) {
      each.on('error', onQueueError);
      each.on('failed', (job, error) =>
        logger.warn({ jobId: job?.id, err: error.message }, 'job failed'),
      );
    }
  }

  /** The portal's time zone from its account details (one HubSpot call). */
  const timeZoneOf = (portalId: number): Promise<string | null> =>
    readTimeZone(createHubSpotTransport(hubspotFor(portalId)).send);
  const scheduleNightly = async (portalId: number): Promise<void> => {
    const timeZone = await timeZoneOf(portalId).catch((error: unknown) => {
      logger.warn(
        { portalId, err: error instanceof Error ? error.message : String(error) },
        'time zone unknown: the nightly recompute runs in the UTC night',
      );
      return null;
    });
    await queue.scheduleNightly(portalId, timeZone, config.nightlyWindow);
  };
  // Schedules made before per-portal nights (03:00 UTC), or for another
  // window, move at a worker's start; in the background, as it asks HubSpot
  // per portal (stop waits for it).
  const moving = !options.worker
    ? Promise.resolve()
    : queue.moveNightlySchedules(config.nightlyWindow, timeZoneOf).then(
        (move) => {
          if (move.moved + move.rewindowed + move.failed.length > 0)
            logger.info(move, 'nightly schedules moved into each portal’s night');
        },
        (error: unknown) =>
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'nightly schedules not moved; tried again at the next start',
          ),
      );

  /** A portal starts being served: properties, first recompute, the nightly one. */
  const onboard = async (portalId: number): Promise<void> => {
    await (await clientFor(portalId)).ensureKamProperties();
    await status.set(portalId, { ...(await status.get(portalId)), state: 'queued' });
    await queue.full({ portalId, reason: 'install' });
    await scheduleNightly(portalId);
  };
  const installFlow = (oauthClient: OAuthClient, id: string, store: TokenStore) => ({
    clientId: id,
    authorizeUrl: config.hubspot.authorizeUrl,
    installsPerMinute: config.installsPerMinute,
    exchangeCode: async (code: string, redirectUri: string) => {
      const issued = await oauthClient.exchangeCode(code, redirectUri);
      return { hubId: issued.hubId, tokens: tokenSetOf(issued, now()) };
    },
    onInstalled: async (portalId: number, issued: TokenSet) => {
      await store.save(portalId, issued);
      await onboard(portalId);
    },
  });
  if (singlePortalId !== null && (await snapshots.frame(singlePortalId)) === null) {
    await onboard(singlePortalId);
  }

  let servers: { readonly api: ListeningServer; readonly metrics: ListeningServer } | null = null;
  if (options.api && clientSecret !== null) {
    const app = createApp({
      redis,
      logger,
      clientSecret,
      publicBaseUrl: config.publicBaseUrl,
      now,
      trustProxyHops: config.trustProxyHops,
      oauth:
        oauth === null || clientId === null || tokenStore === null
          ? null
          : installFlow(oauth, clientId, tokenStore),
      cards: {
        tokens,
        snapshots,
        status,
        queue,
        clientFor,
        tasks,
        settings,
        pins,
        admins,
        userNames,
        owners,
      },
      tasks: { tokens, snapshots, settings, tasks, clientFor },
      settings: { tokens, settings, snapshots, status, queue, admins },
      companyInputs: { now, pinStore: pins },
      installation: {
        tokens,
        admins,
        remove: (portalId) => removePortal(portalId, { redis, logger, queue, tokenStore, oauth }),
      },
      webhooks: { associationIndex, queue, debounceMs: config.recomputeDebounceMs },
    });
    servers = {
      api: await listen(app, { port: config.port, limits: config.http }),
      metrics: await serveMetrics(metrics.registry, config.metrics),
    };
    logger.info(
      {
        url: servers.api.url,
        publicBaseUrl: config.publicBaseUrl,
        metricsUrl: `${servers.metrics.url}/metrics`,
      },
      'API listening',
    );
  }

  return {
    url: servers?.api.url ?? null,
    metricsUrl: servers === null ? null : `${servers.metrics.url}/metrics`,
    logger,
    clientFor,
    stores: { status, snapshots, tokens },
    async stop() {
      await Promise.all([servers?.api.close(), servers?.metrics.close(), worker?.close()]);
      await moving;
      await queue.close();
      await redis.quit();
    },
  };
}

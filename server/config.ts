import { z } from 'zod';
import type { NightWindow } from './jobs/night-schedule.ts';
import { minuteOfDay } from './jobs/night-schedule.ts';
import { DEFAULT_FULL_COMPANIES } from './jobs/full-admission.ts';

/** A 32-byte key for AES-256-GCM, given as base64 (44 chars) or hex (64 chars). */
const encryptionKey = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be 32 bytes, as base64 (openssl rand -base64 32) or 64 hex characters',
    });
    return z.NEVER;
  }
  return key;
});

/** A wall-clock time `HH:MM` (24-hour), as minutes after midnight. */
const clockTime = z.string().transform((text, ctx) => {
  const minute = minuteOfDay(text.trim());
  if (minute === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a time HH:MM (24-hour), like 01:00' });
    return z.NEVER;
  }
  return minute;
});

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export type LogLevel = z.infer<typeof logLevel>;

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default(DEFAULT_REDIS_URL),
    HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
    HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
    HUBSPOT_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.hubapi.com'),
    HUBSPOT_AUTHORIZE_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://app.hubspot.com/oauth/authorize'),
    HUBSPOT_ACCESS_TOKEN: z.string().min(1).optional(),
    TOKEN_ENCRYPTION_KEY: encryptionKey.optional(),
    RECOMPUTE_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    RERANK_AT_ONCE_BELOW: z.coerce.number().int().min(0).max(10_000_000).default(20_000),
    DEAL_RECORDS_ABOVE: z.coerce.number().int().min(0).max(1_000_000).default(100),
    HUBSPOT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    RECOMPUTE_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    LOG_LEVEL: logLevel.default('info'),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(15_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
    METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    OAUTH_INSTALLS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WORKER_FULL_COMPANIES: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(10_000_000)
      .default(DEFAULT_FULL_COMPANIES),
    NIGHTLY_WINDOW_START: clockTime.default(60),
    NIGHTLY_WINDOW_END: clockTime.default(5 * 60),
  })
  .superRefine((env, ctx) => {
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      });
    }
    if (env.NIGHTLY_WINDOW_START === env.NIGHTLY_WINDOW_END) {
      ctx.addIssue({
        code: 'custom',
        path: ['NIGHTLY_WINDOW_END'],
        message: 'must differ from NIGHTLY_WINDOW_START (the window would be empty)',
      });
    }
    if (env.HUBSPOT_ACCESS_TOKEN !== undefined) return;
    // OAuth mode: the app installs into many portals and stores their tokens.
    for (const name of [
      'HUBSPOT_CLIENT_ID',
      'HUBSPOT_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
    ] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message:
            'is required in OAuth mode (set it, or HUBSPOT_ACCESS_TOKEN for single-portal mode)',
        });
      }
    }
  });

export interface Config {
  readonly port: number;
  /** The origin HubSpot calls; signatures are computed over it. */
  readonly publicBaseUrl: string;
  readonly redisUrl: string;
  readonly hubspot: {
    readonly apiBaseUrl: string;
    readonly authorizeUrl: string;
    readonly clientId: string | null;
    /** Verifies request signatures; also the OAuth client secret. */
    readonly clientSecret: string | null;
    /** Single-portal mode (private app / service key) instead of OAuth. */
    readonly accessToken: string | null;
    /** A HubSpot call without an answer after this long is abandoned and retried. */
    readonly timeoutMs: number;
  };
  readonly tokenEncryptionKey: Buffer | null;
  readonly recomputeDebounceMs: number;
  /**
   * Portfolios of fewer companies re-rank in the pass that wrote their
   * changed companies (when no other change waits); larger ones leave the
   * re-rank until the portal is quiet.
   */
  readonly reRankAtOnceBelow: number;
  /**
   * Companies with more deals than this have them recorded in Redis, so a
   * change of one deal re-reads that deal, not all of them.
   */
  readonly dealRecordsAbove: number;
  /**
   * How long a portal's recompute lock outlives a worker that died holding
   * it (kept alive by a heartbeat while the worker lives).
   */
  readonly recomputeLockMs: number;
  readonly logLevel: LogLevel;
  /** The API's HTTP server: how long a client may take, and how many may be connected. */
  readonly http: {
    readonly headersTimeoutMs: number;
    /** The whole request, headers and body: a client trickling bytes is cut off after it. */
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnections: number;
  };
  /** Prometheus' `/metrics`, on a port of its own (0: any free port), localhost unless told. */
  readonly metrics: { readonly port: number; readonly host: string };
  /**
   * Proxies (load balancers) in front of the API that append to
   * X-Forwarded-For: the client address is the one the outermost of them saw.
   */
  readonly trustProxyHops: number;
  /** `/oauth/install` (and `/oauth/callback`) requests per client address per minute. */
  readonly installsPerMinute: number;
  /**
   * When, in each portal's own time zone, its nightly full recompute may
   * start (a stable minute per portal, spread over the window).
   */
  readonly nightlyWindow: NightWindow;
  /**
   * Jobs a worker process works at once, of each queue: this many full
   * recomputes, and as many changed-company passes beside them.
   */
  readonly workerConcurrency: number;
  /** Companies of large portals a worker process reads at once (see full-admission.ts). */
  readonly workerFullCompanies: number;
}

/** A missing or bad environment variable: the message names each one. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Reads the configuration once, at start, from the environment. Tests pass
 * their own object instead of mutating `process.env`.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const value = parseEnv(envSchema, env);
  return Object.freeze({
    port: value.PORT,
    publicBaseUrl: (value.PUBLIC_BASE_URL ?? `http://localhost:${value.PORT}`).replace(/\/$/, ''),
    redisUrl: value.REDIS_URL,
    hubspot: Object.freeze({
      apiBaseUrl: value.HUBSPOT_API_BASE_URL.replace(/\/$/, ''),
      authorizeUrl: value.HUBSPOT_AUTHORIZE_URL,
      clientId: value.HUBSPOT_CLIENT_ID ?? null,
      clientSecret: value.HUBSPOT_CLIENT_SECRET ?? null,
      accessToken: value.HUBSPOT_ACCESS_TOKEN ?? null,
      timeoutMs: value.HUBSPOT_TIMEOUT_MS,
    }),
    tokenEncryptionKey: value.TOKEN_ENCRYPTION_KEY ?? null,
    recomputeDebounceMs: value.RECOMPUTE_DEBOUNCE_MS,
    reRankAtOnceBelow: value.RERANK_AT_ONCE_BELOW,
    dealRecordsAbove: value.DEAL_RECORDS_ABOVE,
    recomputeLockMs: value.RECOMPUTE_LOCK_MS,
    trustProxyHops: value.TRUST_PROXY_HOPS,
    installsPerMinute: value.OAUTH_INSTALLS_PER_MINUTE,
    workerConcurrency: value.WORKER_CONCURRENCY,
    workerFullCompanies: value.WORKER_FULL_COMPANIES,
    nightlyWindow: Object.freeze({
      startMinute: value.NIGHTLY_WINDOW_START,
      endMinute: value.NIGHTLY_WINDOW_END,
    }),
    logLevel: value.LOG_LEVEL,
    http: Object.freeze({
      headersTimeoutMs: value.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: value.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: value.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: value.HTTP_MAX_CONNECTIONS,
    }),
    metrics: Object.freeze({ port: value.METRICS_PORT, host: value.METRICS_HOST }),
  });
}

/**
 * `LOG_LEVEL` alone, for a command that builds the rest of its configuration
 * itself (the demo, quieter by default than a server).
 */
export function loadLogLevel(
  env: Readonly<Record<string, string | undefined>>,
  fallback: LogLevel,
): LogLevel {
  return parseEnv(z.object({ LOG_LEVEL: logLevel.default(fallback) }), env).LOG_LEVEL;
}

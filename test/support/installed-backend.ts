import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { freePort } from '../../server/demo/local-redis.ts';
import type { Backend } from '../../server/runtime.ts';
import { startBackend } from '../../server/runtime.ts';
import { sendCardRequest } from '../../server/sandbox/card-request.ts';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../../server/sandbox/default-subscriptions.ts';
import type { Sandbox } from '../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../server/sandbox/sandbox.ts';
import type { TestRedis } from './redis-server.ts';
import { startTestRedis } from './redis-server.ts';

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
  /** A signed card request (`hubspot.fetch`) to `path` on the backend. */
  card(method: string, path: string, body?: unknown): Promise<Response>;
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

async function hop(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`${url} answered ${response.status}, not 302`);
  return new URL(response.headers.get('location') ?? '', url).toString();
}

export async function startInstalledBackend(
  portal: { companies: number; deals: number; seed: number } = {
    companies: 40,
    deals: 400,
    seed: 7,
  },
): Promise<InstalledBackend> {
  const now = Date.now();
  const clientSecret = randomBytes(16).toString('hex');
  const redis = await startTestRedis();
  const sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ ...portal, asOf: new Date(now).toISOString() }],
    webhooks: { batchWindowMs: 50 },
  });
  const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  const privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
  const port = await freePort();
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const clientId = randomUUID();
  const { appId } = sandbox.admin.registerApp({
    clientId,
    clientSecret,
    redirectUrls: [`${publicBaseUrl}/oauth/callback`],
    targetUrl: `${publicBaseUrl}/webhooks/hubspot`,
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
  });
  const backend = await startBackend({
    config: loadConfig({
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      REDIS_URL: redis.url,
      HUBSPOT_CLIENT_ID: clientId,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RECOMPUTE_DEBOUNCE_MS: '100',
    }),
    api: true,
    worker: true,
    now: () => now,
    logger: pino({ level: 'silent' }),
  });

  const callback = await hop(await hop(`${publicBaseUrl}/oauth/install`));
  const page = await fetch(callback);
  if (page.status !== 200) throw new Error(`the OAuth callback answered ${page.status}`);
  await until(
    () => backend.stores.status.get(portalId),
    (status) => status.state === 'idle' && status.progress.phase === 'done',
    'the first full recompute',
  );

  return {
    redis,
    sandbox,
    backend,
    portalId,
    privateToken,
    now,
    card: (method, path, body) =>
      sendCardRequest({
        url: `${publicBaseUrl}${path}`,
        method,
        body,
        portalId,
        userId: 1,
        userEmail: 'rep@example.com',
        appId,
        clientSecret,
      }),
    async stop() {
      await backend.stop();
      await sandbox.close();
      await redis.stop();
    },
  };
}

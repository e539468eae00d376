import pino from 'pino';
import type { AppOnSandbox } from '../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../server/demo/app-on-sandbox.ts';
import { recomputeFinished } from '../../server/jobs/recompute-status.ts';
import type { Sandbox } from '../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../server/sandbox/sandbox.ts';
import { until } from './installed-backend.ts';
import type { TestRedis } from './redis-server.ts';
import { startTestRedis } from './redis-server.ts';

/** The app (API and worker) on a private Redis, installed into several seeded sandbox portals. */
export interface PortalsOnSandbox {
  readonly redis: TestRedis;
  readonly sandbox: Sandbox;
  readonly app: AppOnSandbox;
  readonly portalIds: readonly number[];
  stop(): Promise<void>;
}

/** Installs the app into each portal through OAuth, one after another, each first run finished. */
export async function startPortalsOnSandbox(
  portals: readonly { readonly companies: number; readonly deals: number; readonly seed: number }[],
  env: Readonly<Record<string, string>>,
): Promise<PortalsOnSandbox> {
  const now = Date.now();
  const redis = await startTestRedis();
  const sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: portals.map((portal) => ({ ...portal, asOf: new Date(now).toISOString() })),
    webhooks: { batchWindowMs: 50 },
  });
  const app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: pino({ level: 'silent' }),
    now: () => now,
    debounceMs: 100,
    env,
  });
  const portalIds = sandbox.initialPortals.map((portal) => portal.portalId);
  for (const portalId of portalIds) {
    await app.install(portalId);
    await until(
      () => app.backend.stores.status.get(portalId),
      recomputeFinished,
      `portal ${portalId}'s first full recompute`,
    );
  }
  return {
    redis,
    sandbox,
    app,
    portalIds,
    async stop() {
      await app.backend.stop();
      await sandbox.close();
      await redis.stop();
    },
  };
}

import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { freePort } from '../../../server/demo/local-redis.ts';
import { AccountInfoError } from '../../../server/hubspot/account-info.ts';
import type { Backend } from '../../../server/runtime.ts';
import { startBackend } from '../../../server/runtime.ts';
import { sendCardRequest } from '../../../server/sandbox/card-request.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import { until } from '../../support/installed-backend.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

let redis: TestRedis;
let sandbox: Sandbox;
let backend: Backend;
let portalId: number;
const clientSecret = randomBytes(16).toString('hex');

let port: number;
const config = (token: string) =>
  loadConfig({
    PORT: String(port),
    METRICS_PORT: '0',
    REDIS_URL: redis.url,
    HUBSPOT_ACCESS_TOKEN: token,
    HUBSPOT_CLIENT_SECRET: clientSecret,
    HUBSPOT_API_BASE_URL: sandbox.url,
  });

beforeAll(async () => {
  redis = await startTestRedis();
  port = await freePort();
  sandbox = await startSandbox({ port: 0, portals: [{ companies: 30, deals: 300, seed: 5 }] });
  portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  backend = await startBackend({
    config: config(sandbox.initialPortals[0]?.accessToken ?? ''),
    api: true,
    worker: true,
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await backend.stop();
  await sandbox.close();
  await redis.stop();
});

describe('single-portal mode (HUBSPOT_ACCESS_TOKEN)', () => {
  it('learns its portal from the token, provisions it and scores it without OAuth', async () => {
    const status = await until(
      () => backend.stores.status.get(portalId),
      recomputeFinished,
      'the first full recompute',
    );
    expect(status.lastReport?.companies).toBe(30);
    expect(await backend.stores.tokens.status(portalId)).toBe('active');
    expect(await backend.stores.tokens.status(portalId + 1)).toBe('not_installed');
    const install = await fetch(`${backend.url ?? ''}/oauth/install`, { redirect: 'manual' });
    expect(install.status).toBe(404); // no install flow in this mode
  });

  it('serves signed card requests for its portal', async () => {
    const response = await sendCardRequest({
      url: `http://localhost:${port}/api/v1/recompute/status`,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId: 1,
      clientSecret,
    });
    expect(response.status).toBe(200);
  });

  it('stops at start when HubSpot refuses the token', async () => {
    await expect(
      startBackend({
        config: config('pat-not-a-real-token'),
        api: false,
        worker: true,
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toBeInstanceOf(AccountInfoError);
  });
});

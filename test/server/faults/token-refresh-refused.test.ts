import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import type { SpawnedRedis } from '../../../server/demo/local-redis.ts';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import { sendCardRequest } from '../../../server/sandbox/card-request.ts';
import { SANDBOX_USER } from '../../../server/sandbox/oauth.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import { pendingJobs } from '../../support/fault-scenario.ts';
import { listAll } from '../../support/sandbox-reads.ts';
import { until } from '../../support/installed-backend.ts';
import { startRestartableRedis } from '../../support/redis-server.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

/**
 * Issue 6, fault tolerance (4): HubSpot refuses the portal's refresh token
 * (the app's access was revoked). The portal is marked `needs_reauth` after
 * one refused refresh, nothing retries it, and the cards say so. The token
 * store's own rules are unit-tested in test/server/tokens/token-store.test.ts;
 * this runs the whole path: worker → HubSpot 401 → refresh refused → status.
 */
const TOKEN_ROUTE = 'POST /oauth/2026-03/token';

let redis: SpawnedRedis | undefined;
let sandbox: Sandbox | undefined;
let app: AppOnSandbox | undefined;

afterAll(async () => {
  await app?.backend.stop();
  await sandbox?.close();
  await redis?.stop();
});

describe('a token refresh HubSpot refuses', () => {
  it('marks the portal needs_reauth once, retries nothing, and the cards show it', async () => {
    redis = await startRestartableRedis();
    sandbox = await startSandbox({
      port: 0,
      autoApprove: true,
      portals: [
        {
          portalId: 9_400_001,
          companies: 40,
          deals: 300,
          seed: 64,
          asOf: new Date().toISOString(),
        },
      ],
      webhooks: { batchWindowMs: 30 },
    });
    const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
    const privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
    app = await startAppOnSandbox(sandbox, {
      redisUrl: redis.url,
      logger: pino({ level: 'silent' }),
      debounceMs: 50,
    });
    const { backend, appId, clientSecret, publicBaseUrl } = app;
    const card = (method: string, path: string) =>
      sendCardRequest({
        url: `${publicBaseUrl}${path}`,
        method,
        portalId,
        userId: SANDBOX_USER.id,
        userEmail: SANDBOX_USER.email,
        appId,
        clientSecret,
      });
    const tokenCalls = () => sandbox?.stats().portals.none?.byRoute[TOKEN_ROUTE] ?? 0;
    // A refused token names no portal, so 401s are counted over all of them.
    const unauthorized = () =>
      Object.values(sandbox?.stats().portals ?? {}).reduce(
        (sum, portal) => sum + (portal.byStatus['401'] ?? 0),
        0,
      );

    await app.install();
    await until(
      () => backend.stores.status.get(portalId),
      recomputeFinished,
      'the first full recompute',
    );
    const tokenCallsBefore = tokenCalls(); // the install's code exchange

    // The super admin opens the settings page (the app learns, from HubSpot, that they are one)…
    expect(
      ((await (await card('GET', '/api/v1/settings')).json()) as { canEdit: boolean }).canEdit,
    ).toBe(true);
    // …then revokes the app's access in HubSpot.
    expect(sandbox.admin.revokeAppTokens(appId, portalId)).toBe(1);
    const accepted = await card('POST', '/api/v1/recompute');
    expect(accepted.status).toBe(202);

    await until(
      () => backend.stores.tokens.status(portalId),
      (value) => value === 'needs_reauth',
      'the portal to be marked needs_reauth',
    );
    const failed = await until(
      () => backend.stores.status.get(portalId),
      (value) => value.state === 'failed',
      'the recompute to fail',
    );
    expect(failed.error).toMatch(/reinstall/);
    // The job failed for good on its first attempt: not put back for a retry.
    const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: redis.url } });
    const jobState = await until(
      () => queue.getJobState(`full-${portalId}`),
      (state) => state !== 'active',
      'the failed job to leave the active list',
    );
    await queue.close();
    expect(jobState).toBe('unknown'); // failed and removed; a retry would be 'delayed'

    // More work for the portal: a deal change (webhook) and another click on "recompute".
    const [deal] = await listAll(sandbox.url, privateToken, 'deals', ['amount']);
    sandbox.admin.updateObject(portalId, 'deals', deal?.id ?? '', { amount: '123456' });
    await sandbox.webhooksIdle();
    const refused = await card('POST', '/api/v1/recompute');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'needs_reauth' } });
    await until(
      () => pendingJobs(redis?.url ?? ''),
      (jobs) => jobs.length === 0,
      'no job left',
    );

    // What the cards show.
    const shown = await card('GET', '/api/v1/recompute/status');
    expect(shown.status).toBe(409);
    expect(await shown.json()).toMatchObject({ error: { code: 'needs_reauth' } });
    const scorecard = await card('GET', '/api/v1/portfolio');
    expect(scorecard.status).toBe(409);

    // One refused refresh and one 401 in all: no loop, no retries of the failed job.
    expect(tokenCalls() - tokenCallsBefore).toBe(1);
    expect(unauthorized()).toBe(1);
    expect(await backend.stores.tokens.status(portalId)).toBe('needs_reauth');

    console.info(
      `[fault 4] refresh refused: ${tokenCalls() - tokenCallsBefore} refresh call, ${unauthorized()} ` +
        `HubSpot 401; recompute status "${failed.state}": ${failed.error ?? ''}`,
    );
  }, 60_000);
});

import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/index.ts';
import type { AppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import type { SpawnedRedis } from '../../../server/demo/local-redis.ts';
import { signatureV3 } from '../../../server/hubspot/request-signature.ts';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import {
  cleanRunValues,
  pendingJobs,
  readPortal,
  staleCompanies,
} from '../../support/fault-scenario.ts';
import { listAll } from '../../support/sandbox-reads.ts';
import { until } from '../../support/installed-backend.ts';
import { startRestartableRedis } from '../../support/redis-server.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

/**
 * Issue 6, fault tolerance (2): Redis restarted in the middle of a full
 * recompute. The job is not lost (Redis runs with the append-only file, as
 * the deployment notes require), webhooks arriving meanwhile get 503 and are
 * worked when HubSpot delivers them again.
 */
const COMPANIES = 400;
const BATCH_UPDATE = 'POST /crm/v3/objects/companies/batch/update';

let redis: SpawnedRedis | undefined;
let sandbox: Sandbox | undefined;
let app: AppOnSandbox | undefined;

afterAll(async () => {
  await app?.backend.stop();
  await sandbox?.close();
  await redis?.stop();
});

/** A delivery signed as HubSpot signs it, straight to the app's webhook endpoint. */
async function deliver(target: AppOnSandbox, events: readonly object[]): Promise<number> {
  const url = `${target.publicBaseUrl}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const timestamp = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature-Version': 'v3',
      'X-HubSpot-Signature-v3': signatureV3({
        method: 'POST',
        url,
        body,
        timestamp,
        clientSecret: target.clientSecret,
      }),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('Redis restarted in the middle of a full recompute', () => {
  it('loses no job, answers webhooks 503 meanwhile and works them after HubSpot retries', async () => {
    const NOW = Date.now();
    redis = await startRestartableRedis();
    sandbox = await startSandbox({
      port: 0,
      autoApprove: true,
      portals: [
        {
          portalId: 9_200_001,
          companies: COMPANIES,
          deals: 2_500,
          seed: 62,
          asOf: new Date(NOW).toISOString(),
        },
      ],
      // HubSpot retries a refused delivery with growing pauses; shortened here.
      webhooks: { batchWindowMs: 50, retryBaseMs: 300, maxAttempts: 10 },
    });
    const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
    const privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
    app = await startAppOnSandbox(sandbox, {
      redisUrl: redis.url,
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      debounceMs: 100,
    });
    const { backend } = app;
    const batches = () => sandbox?.stats().portals[String(portalId)]?.byRoute[BATCH_UPDATE] ?? 0;

    sandbox.faults.update({ latencyMs: 80 });
    await app.install();
    await until(
      () => Promise.resolve(batches()),
      (count) => count >= 1,
      'the first write batch',
    );
    const cut = await backend.stores.status.get(portalId);
    expect(cut.state).toBe('running');

    await redis.halt();
    const downAt = Date.now();
    await until(
      async () => (await fetch(`${backend.url ?? ''}/readyz`)).status,
      (code) => code === 503,
      'readiness to report Redis unreachable',
    );
    // The app answers HubSpot 503 while Redis is away, so HubSpot keeps the delivery.
    const direct = await deliver(app, [
      {
        eventId: 1,
        portalId,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-2',
        objectId: 1,
        propertyName: 'kam_tier_override',
        propertyValue: '',
      },
    ]);
    expect(direct).toBe(503);
    // A user pins a company's tier: HubSpot's webhook is refused, then retried.
    const company = (await listAll(sandbox.url, privateToken, 'companies', ['kam_tier'])).find(
      (candidate) => candidate.properties.kam_tier === 'transactional',
    );
    expect(company).toBeDefined();
    const companyId = company?.id ?? '';
    sandbox.admin.updateObject(portalId, 'companies', companyId, {
      kam_tier_override: 'strategic',
    });
    await until(
      () => Promise.resolve(sandbox?.stats().webhooks.failedAttempts ?? 0),
      (failed) => failed >= 1,
      'HubSpot’s delivery to be refused while Redis is down',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // Redis stays away a while
    await redis.start();
    const downMs = Date.now() - downAt;
    sandbox.faults.update({ latencyMs: 0 });

    // Either BullMQ retries the failed attempt at once, or (when the attempt's end could not be
    // recorded) the job's lock expires and stalled-job recovery hands it out again: up to ~60 s.
    const upAt = Date.now();
    await until(
      () => backend.stores.status.get(portalId),
      recomputeFinished,
      'the interrupted full recompute to finish',
      110_000,
    );
    const finishedMs = Date.now() - upAt;
    await sandbox.webhooksIdle();
    await until(
      () => pendingJobs(redis?.url ?? ''),
      (jobs) => jobs.length === 0,
      'the queue to drain',
      60_000,
    );

    const status = await backend.stores.status.get(portalId);
    expect(status.lastReport?.companies).toBe(COMPANIES);
    expect(status.lastReport?.failed).toEqual([]);
    // Persisted across the restart: the portal's tokens and its nightly schedule.
    expect(await backend.stores.tokens.status(portalId)).toBe('active');
    const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: redis.url } });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    expect(schedulers.map((scheduler) => scheduler.key)).toContain(`night-${portalId}`);

    const webhooks = sandbox.stats().webhooks;
    expect(webhooks.retries).toBeGreaterThanOrEqual(1);
    expect(webhooks.abandoned).toBe(0);
    expect(webhooks.dropped).toBe(0);

    // Nothing lost: the pinned company shows its pin, and the whole portal is what a clean run writes.
    const state = await readPortal(sandbox.url, privateToken, DEFAULT_SETTINGS);
    expect(state.written.get(companyId)?.kam_tier).toBe('strategic');
    expect(staleCompanies(state, cleanRunValues(state, DEFAULT_SETTINGS, NOW))).toEqual([]);

    console.info(
      `[fault 2] ${COMPANIES} companies; Redis down ${downMs} ms during the write-back; ` +
        `job finished ${finishedMs} ms after Redis was back; ` +
        `webhook deliveries refused ${webhooks.failedAttempts}×, retried ${webhooks.retries}×, ` +
        `${webhooks.eventsDelivered} events delivered, none abandoned`,
    );
  }, 170_000);
});

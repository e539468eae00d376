import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import { until } from '../../support/installed-backend.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

/**
 * A portal's full recompute under way in a process covers a second full
 * job of the portal handed to the same process (the job given out again
 * after its lock lapsed, a nightly run queued during an on-demand one): the
 * second ends at once, and the portal is read once, not twice.
 */
let redis: TestRedis;
let sandbox: Sandbox;
let app: AppOnSandbox;
let portalId = 0;

beforeAll(async () => {
  const now = Date.now();
  redis = await startTestRedis();
  sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ companies: 20, deals: 200, seed: 5, asOf: new Date(now).toISOString() }],
  });
  portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: pino({ level: 'silent' }),
    now: () => now,
    env: { WORKER_CONCURRENCY: '2' },
  });
  await app.install(portalId);
  await until(() => app.backend.stores.status.get(portalId), recomputeFinished, 'the install run');
}, 60_000);

afterAll(async () => {
  await app.backend.stop();
  await sandbox.close();
  await redis.stop();
});

const companyPagesRead = (): number =>
  sandbox.stats().portals[String(portalId)]?.byRoute['GET /crm/v3/objects/companies'] ?? 0;

describe('one full recompute of a portal at a time in a process', () => {
  it('ends a second full job of a portal whose run is under way, and reads the portal once', async () => {
    const before = companyPagesRead();
    const held = await createPortalLock(redis.connect()).acquire(portalId);
    const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: redis.url } });
    try {
      await queue.add('full', { portalId, reason: 'on_demand' }, { jobId: `full-${portalId}` });
      await until(
        () => app.backend.stores.status.get(portalId),
        (status) => status.state === 'running',
        'the first run to start',
      );
      await queue.add('full', { portalId, reason: 'nightly' }, { jobId: 'second' });
      // Worked and done while the first still waits for the lock.
      await until(
        () => queue.getJobState('second'),
        (state) => state === 'completed',
        'the second job to end',
      );
      expect(await queue.getJobState(`full-${portalId}`)).toBe('active');
    } finally {
      await held.release();
    }
    await until(() => app.backend.stores.status.get(portalId), recomputeFinished, 'the run');
    await until(
      () => queue.getJobCounts('active', 'waiting'),
      (counts) => (counts.active ?? 0) + (counts.waiting ?? 0) === 0,
      'the queue to drain',
    );
    expect(companyPagesRead() - before).toBe(1); // 20 companies: one page, one run
    await queue.close();
  }, 60_000);
});

import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import { until } from '../../support/installed-backend.ts';
import type { PortalsOnSandbox } from '../../support/portals-on-sandbox.ts';
import { startPortalsOnSandbox } from '../../support/portals-on-sandbox.ts';

/**
 * A portal's full recompute under way in a process covers a second full
 * job of the portal handed to the same process (the job given out again
 * after its lock lapsed, a nightly run queued during an on-demand one): the
 * second ends at once, and the portal is read once, not twice.
 */
let world: PortalsOnSandbox;
let portalId = 0;

beforeAll(async () => {
  world = await startPortalsOnSandbox([{ companies: 20, deals: 200, seed: 5 }], {
    WORKER_CONCURRENCY: '2',
  });
  portalId = world.portalIds[0] ?? 0;
}, 60_000);

afterAll(async () => {
  await world.stop();
});

const companyPagesRead = (): number =>
  world.sandbox.stats().portals[String(portalId)]?.byRoute['GET /crm/v3/objects/companies'] ?? 0;

describe('one full recompute of a portal at a time in a process', () => {
  it('ends a second full job of a portal whose run is under way, and reads the portal once', async () => {
    const before = companyPagesRead();
    const held = await createPortalLock(world.redis.connect()).acquire(portalId);
    const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: world.redis.url } });
    try {
      await queue.add('full', { portalId, reason: 'on_demand' }, { jobId: `full-${portalId}` });
      await until(
        () => world.app.backend.stores.status.get(portalId),
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
    await until(() => world.app.backend.stores.status.get(portalId), recomputeFinished, 'the run');
    await until(
      () => queue.getJobCounts('active', 'waiting'),
      (counts) => (counts.active ?? 0) + (counts.waiting ?? 0) === 0,
      'the queue to drain',
    );
    expect(companyPagesRead() - before).toBe(1); // 20 companies: one page, one run
    await queue.close();
  }, 60_000);
});

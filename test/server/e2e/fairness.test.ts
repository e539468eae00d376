import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeableDeals, raiseDeal, revenueWrittenAt } from '../../../server/bench/bench-env.ts';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import { until } from '../../support/installed-backend.ts';
import type { PortalsOnSandbox } from '../../support/portals-on-sandbox.ts';
import { startPortalsOnSandbox } from '../../support/portals-on-sandbox.ts';

/**
 * A long full recompute must not hold every worker slot: with one slot for
 * full recomputes, a large portal's run in it and a small portal's full
 * recompute waiting behind it, the small portal's deal change still reaches
 * its properties — while the large run is still under way. Ordering, not
 * timing: the large run is held (its snapshot lock is taken by the test)
 * until the small change is written.
 */
let world: PortalsOnSandbox;
let large = 0;
let small = 0;

beforeAll(async () => {
  world = await startPortalsOnSandbox(
    [
      { companies: 60, deals: 600, seed: 3 },
      { companies: 10, deals: 100, seed: 4 },
    ],
    { WORKER_CONCURRENCY: '1' },
  );
  [large, small] = world.portalIds as [number, number];
}, 120_000);

afterAll(async () => {
  await world.stop();
});

describe('fairness between portals', () => {
  it("works a small portal's deal change while a large portal's full recompute holds the only full slot", async () => {
    const locks = createPortalLock(world.redis.connect());
    const held = await locks.acquire(large);
    const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: world.redis.url } });
    try {
      await queue.add('full', { portalId: large, reason: 'nightly' }, { jobId: `full-${large}` });
      await until(
        () => world.app.backend.stores.status.get(large),
        (status) => status.state === 'running',
        'the large portal’s full recompute to start',
      );
      // Every full-recompute slot is taken: the small portal's own full run waits.
      await queue.add('full', { portalId: small, reason: 'nightly' }, { jobId: `full-${small}` });
      expect(await queue.getJobState(`full-${small}`)).toBe('waiting');

      const [deal] = changeableDeals(world.sandbox, small, 1);
      if (deal === undefined) throw new Error('the small portal has no changeable deal');
      const changedAt = raiseDeal(world.sandbox, small, deal);
      const written = await until(
        () => Promise.resolve(revenueWrittenAt(world.sandbox, small, deal.companyId, changedAt)),
        (at) => at !== null,
        'the small portal’s changed revenue',
      );
      expect(written).not.toBeNull();
      // Written while the large run was still under way and the small full run still waited.
      expect((await world.app.backend.stores.status.get(large)).state).toBe('running');
      expect(await queue.getJobState(`full-${large}`)).toBe('active');
      expect(await queue.getJobState(`full-${small}`)).toBe('waiting');
    } finally {
      await held.release();
    }
    for (const portalId of [large, small]) {
      await until(
        () => world.app.backend.stores.status.get(portalId),
        recomputeFinished,
        `portal ${portalId}'s nightly run`,
      );
    }
    await queue.close();
  }, 60_000);
});

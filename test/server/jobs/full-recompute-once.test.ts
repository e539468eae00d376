import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import { processFullRecompute } from '../../../server/jobs/recompute-worker.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import { createDealRecords } from '../../../server/recompute/deal-records.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import { createSnapshotCache } from '../../../server/recompute/snapshot-cache.ts';
import { createSettingsStore } from '../../../server/settings-store.ts';
import { until } from '../../support/installed-backend.ts';
import type { PortalsOnSandbox } from '../../support/portals-on-sandbox.ts';
import { startPortalsOnSandbox } from '../../support/portals-on-sandbox.ts';

/**
 * A portal's full recompute under way in a process covers a second full
 * job of the portal handed to the same process (the job given out again
 * after its lock lapsed, a nightly run queued during an on-demand one): the
 * second ends at once, and the portal is read once, not twice. Across
 * processes, a job that finds a run started after it was queued has finished
 * ends too.
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

describe('one full recompute of a portal at a time', () => {
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

  it('ends the same job handed to another process once a run started after it was queued has finished', async () => {
    const connection = world.redis.connect();
    const { backend } = world.app;
    // What a worker process brings to a job, on the real clock (the world's app runs on a fixed one).
    const deps = {
      clientFor: (id: number) => backend.clientFor(id),
      snapshots: backend.stores.snapshots,
      cache: createSnapshotCache(backend.stores.snapshots),
      associationIndex: createAssociationIndex(connection),
      dealRecords: createDealRecords(connection),
      locks: createPortalLock(connection),
      settings: createSettingsStore(connection),
      status: backend.stores.status,
      queue: {
        full: () => Promise.resolve(),
        companies: () => Promise.resolve(),
        pendingCompanies: () =>
          Promise.resolve({
            ids: [],
            sequences: [],
            activityChanged: new Set<string>(),
            dealsChanged: new Map(),
          }),
        settleCompanies: () => Promise.resolve(0),
        prioritizeNightly: () => Promise.resolve(false),
        waitingCompanies: () => Promise.resolve(0),
        deferReRank: () => Promise.resolve(),
        reRankDeferredSince: () => Promise.resolve(null),
        reRanked: () => Promise.resolve(),
      },
      now: () => Date.now(),
      logger: pino({ level: 'silent' }),
      debounceMs: 0,
      reRankAtOnceBelow: 20_000,
    };
    const job = { portalId, reason: 'nightly' } as const;
    const noProgress = () => Promise.resolve();

    // The job's lock lapsed while its first copy waited for the portal: two
    // processes hold the same job, queued once.
    const before = companyPagesRead();
    const queuedAt = Date.now();
    const held = await createPortalLock(connection).acquire(portalId);
    const copies = [
      processFullRecompute(job, deps, noProgress, queuedAt),
      processFullRecompute(job, deps, noProgress, queuedAt),
    ];
    await new Promise((resolve) => setTimeout(resolve, 200));
    await held.release();
    await Promise.all(copies);
    expect(recomputeFinished(await backend.stores.status.get(portalId))).toBe(true);
    expect(companyPagesRead() - before).toBe(1); // one read, whichever copy took the portal

    // A job queued after the last run started (a settings change) is not covered: it reads.
    await processFullRecompute(job, deps, noProgress, Date.now());
    expect(companyPagesRead() - before).toBe(2);
  }, 60_000);
});

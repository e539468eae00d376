import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANGES_QUEUE,
  createRecomputeQueue,
  RECOMPUTE_QUEUE,
} from '../../../server/jobs/recompute-queue.ts';
import { createRecomputeStatusStore, IDLE_STATUS } from '../../../server/jobs/recompute-status.ts';
import { startRecomputeWorker } from '../../../server/jobs/recompute-worker.ts';
import { NO_FOLLOW_UP_CALLS } from '../../../server/recompute/follow-up-calls.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import { createDealRecords } from '../../../server/recompute/deal-records.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import { createSnapshotCache } from '../../../server/recompute/snapshot-cache.ts';
import { createSnapshotStore } from '../../../server/recompute/snapshot-store.ts';
import { createSettingsStore } from '../../../server/settings-store.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** A private Redis per file, so the fixed queue name is this file's alone; each test drains it. */
async function freshQueue() {
  const connection = { url: redis.url };
  const recompute = createRecomputeQueue(connection, redis.connect(), `kam-${randomUUID()}`);
  await recompute.queue.obliterate({ force: true });
  return recompute;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('recompute queue', () => {
  it('keeps at most one waiting full recompute per portal', async () => {
    const recompute = await freshQueue();
    await recompute.full({ portalId: 11, reason: 'install' });
    await recompute.full({ portalId: 11, reason: 'on_demand' });
    await recompute.full({ portalId: 12, reason: 'install' });
    const waiting = await recompute.queue.getJobs(['waiting']);
    expect(waiting.map((job) => job.id).sort()).toEqual(['full-11', 'full-12']);
    await recompute.close();
  });

  it('runs full recomputes a user waits for first, then nightly ones largest portal first', async () => {
    const recompute = await freshQueue();
    // Nights that overlap, queued smallest first (records: companies and deals last read).
    await recompute.full({ portalId: 41, reason: 'nightly' }, 2_200);
    await recompute.full({ portalId: 42, reason: 'nightly' }, 110_000);
    await recompute.full({ portalId: 43, reason: 'install' });
    await recompute.full({ portalId: 44, reason: 'nightly' }, 22_000);
    await recompute.full({ portalId: 45, reason: 'nightly' }, 24_000); // as big as 44: after it
    const order: number[] = [];
    const worker = new Worker(
      RECOMPUTE_QUEUE,
      (job) => {
        order.push((job.data as { portalId: number }).portalId);
        return Promise.resolve();
      },
      { connection: { url: redis.url }, concurrency: 1 },
    );
    while (order.length < 5) await sleep(20);
    expect(order).toEqual([43, 42, 44, 45, 41]);
    await worker.close();
    await recompute.close();
  });

  it('gathers a burst of changes in one window into one job per portal', async () => {
    const recompute = await freshQueue();
    for (let change = 0; change < 5; change += 1) {
      await recompute.company({ portalId: 21, companyId: '1001' }, 400);
      await sleep(20);
    }
    await recompute.company({ portalId: 21, companyId: '1002' }, 400);
    await recompute.company({ portalId: 22, companyId: '1003' }, 400);
    const delayed = await recompute.changes.getJobs(['delayed', 'waiting']);
    expect(delayed.map((job) => (job.data as { portalId: number }).portalId).sort()).toEqual([
      21, 22,
    ]);
    expect((await recompute.pendingCompanies(21, 10)).ids).toEqual(['1001', '1002']);
    await recompute.close();
  });

  it('keeps a company pending when it changed again while its pass ran', async () => {
    const recompute = await freshQueue();
    await recompute.company({ portalId: 23, companyId: '2001' }, 0);
    await recompute.company({ portalId: 23, companyId: '2002' }, 0);
    const taken = await recompute.pendingCompanies(23, 10);
    await recompute.company({ portalId: 23, companyId: '2002' }, 0); // changed mid-pass
    expect(await recompute.settleCompanies(23, taken)).toBe(1);
    expect((await recompute.pendingCompanies(23, 10)).ids).toEqual(['2002']);
    await recompute.close();
  });

  it('names the deals whose properties changed until a change of unknown kind, and forgets them once settled', async () => {
    const recompute = await freshQueue();
    const mark = (companyId: string, deals: 'all' | readonly string[]) =>
      recompute.company({ portalId: 25, companyId }, 0, { activity: false, deals });
    await mark('4001', ['71']);
    await mark('4001', ['72', '71']);
    await mark('4002', []); // its own property: no deal moved
    await mark('4003', ['73']);
    await mark('4003', 'all'); // a deal came or went: every deal is read
    await mark('4003', ['74']);
    await mark('4004', 'all');
    const taken = await recompute.pendingCompanies(25, 10);
    expect(taken.ids).toEqual(['4001', '4002', '4003', '4004']);
    expect(Object.fromEntries(taken.dealsChanged)).toEqual({ '4001': ['71', '72'], '4002': [] });

    // A deal changed mid-pass: still named next time, with what the pass already read.
    await mark('4001', ['75']);
    expect(await recompute.settleCompanies(25, taken)).toBe(1);
    const next = await recompute.pendingCompanies(25, 10);
    expect(Object.fromEntries(next.dealsChanged)).toEqual({ '4001': ['71', '72', '75'] });
    expect(await recompute.settleCompanies(25, next)).toBe(0);

    // Settled: a later change starts afresh, named or not.
    await mark('4003', ['76']);
    await mark('4001', 'all');
    const third = await recompute.pendingCompanies(25, 10);
    expect(Object.fromEntries(third.dealsChanged)).toEqual({ '4003': ['76'] });
    await recompute.close();
  });

  it("re-reads a company's tickets once after a ticket change, and again after a later one", async () => {
    const recompute = await freshQueue();
    await recompute.company({ portalId: 24, companyId: '3001' }, 0, {
      activity: true,
      deals: 'all',
    });
    await recompute.company({ portalId: 24, companyId: '3002' }, 0);
    const taken = await recompute.pendingCompanies(24, 10);
    expect([...taken.activityChanged]).toEqual(['3001']);
    // A deal change mid-pass keeps the company pending, not its ticket mark.
    await recompute.company({ portalId: 24, companyId: '3001' }, 0);
    expect(await recompute.settleCompanies(24, taken)).toBe(1);
    const next = await recompute.pendingCompanies(24, 10);
    expect(next.ids).toEqual(['3001']);
    expect([...next.activityChanged]).toEqual([]);
    // A ticket change mid-pass keeps both.
    await recompute.company({ portalId: 24, companyId: '3001' }, 0, {
      activity: true,
      deals: 'all',
    });
    const third = await recompute.pendingCompanies(24, 10);
    await recompute.company({ portalId: 24, companyId: '3001' }, 0, {
      activity: true,
      deals: 'all',
    });
    expect(await recompute.settleCompanies(24, third)).toBe(1);
    expect([...(await recompute.pendingCompanies(24, 10)).activityChanged]).toEqual(['3001']);
    await recompute.close();
  });

  it('refuses a payload with a token in it before it reaches Redis', async () => {
    const recompute = await freshQueue();
    await expect(
      recompute.full({
        portalId: 31,
        reason: 'install',
        accessToken: 'secret',
      } as unknown as Parameters<typeof recompute.full>[0]),
    ).rejects.toThrow(/Unrecognized key/);
    expect(await recompute.queue.count()).toBe(0);
    await recompute.close();
  });

  it('fails a poison payload at once, without retries', async () => {
    const recompute = await freshQueue();
    const raw = new Queue(CHANGES_QUEUE, { connection: { url: redis.url } });
    const connection = redis.connect();
    let clientAsked = false;
    const workers = startRecomputeWorker(
      { url: redis.url },
      {
        clientFor: () => {
          clientAsked = true;
          return Promise.reject(new Error('must not be reached'));
        },
        snapshots: createSnapshotStore(connection),
        cache: createSnapshotCache(createSnapshotStore(connection)),
        associationIndex: createAssociationIndex(connection),
        dealRecords: createDealRecords(connection),
        locks: createPortalLock(connection),
        settings: createSettingsStore(connection),
        status: createRecomputeStatusStore(connection),
        queue: recompute,
        now: () => Date.now(),
        logger: pino({ level: 'silent' }),
        debounceMs: 0,
        reRankAtOnceBelow: 20_000,
      },
    );
    const failed = new Promise<{ attemptsMade: number; reason: string }>((resolve) => {
      workers.changes.on('failed', (job, error) =>
        resolve({ attemptsMade: job?.attemptsMade ?? -1, reason: error.message }),
      );
    });
    await raw.add('companies', { portalId: 'x', companyId: randomUUID() }, { attempts: 5 });
    const outcome = await failed;
    expect(outcome.reason).toMatch(/bad companies-recompute payload/);
    expect(outcome.attemptsMade).toBe(1);
    expect(clientAsked).toBe(false);
    await workers.close();
    await raw.close();
    await recompute.close();
  });

  it('puts off a large portal’s full job while the process reads its budget, and runs a small one beside', async () => {
    const connection = redis.connect();
    const status = createRecomputeStatusStore(connection);
    // Sizes at their last run: 71 and 72 large for a budget of 1,000, 73 small.
    for (const [portalId, companies] of [
      [71, 800],
      [72, 800],
      [73, 50],
    ] as const) {
      await status.set(portalId, {
        ...IDLE_STATUS,
        lastReport: {
          companies,
          deals: companies * 10,
          written: 0,
          unchanged: companies,
          failed: [],
          followUpCalls: NO_FOLLOW_UP_CALLS,
        },
      });
    }
    const asked: number[] = [];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const recompute = await freshQueue();
    const workers = startRecomputeWorker(
      { url: redis.url },
      {
        // 71's run holds its share until released; every run then ends (failed: no portal here).
        clientFor: async (portalId) => {
          asked.push(portalId);
          if (portalId === 71) await held;
          throw new Error('no portal in this test');
        },
        snapshots: createSnapshotStore(connection),
        cache: createSnapshotCache(createSnapshotStore(connection)),
        associationIndex: createAssociationIndex(connection),
        dealRecords: createDealRecords(connection),
        locks: createPortalLock(connection),
        settings: createSettingsStore(connection),
        status,
        queue: recompute,
        now: () => Date.now(),
        logger: pino({ level: 'silent' }),
        debounceMs: 0,
        reRankAtOnceBelow: 20_000,
      },
      3,
      30_000,
      1,
      1_000,
    );
    const raw = new Queue(RECOMPUTE_QUEUE, { connection: { url: redis.url } });
    await raw.add('full', { portalId: 71, reason: 'nightly' }, { jobId: 'full-71' });
    while (!asked.includes(71)) await sleep(20);
    await raw.add('full', { portalId: 72, reason: 'nightly' }, { jobId: 'full-72' });
    await raw.add('full', { portalId: 73, reason: 'nightly' }, { jobId: 'full-73' });
    while (!asked.includes(73)) await sleep(20);
    while ((await raw.getJobState('full-72')) !== 'delayed') await sleep(20);
    expect(asked).toEqual([71, 73]);
    release();
    while (!asked.includes(72)) await sleep(50);
    expect(asked).toEqual([71, 73, 72]);
    await workers.close();
    await raw.close();
    await recompute.close();
  });
});

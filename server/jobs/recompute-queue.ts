import type { ConnectionOptions } from 'bullmq';
import { Queue } from 'bullmq';
import { z } from 'zod';

export const RECOMPUTE_QUEUE = 'kam-recompute';

/** Payloads carry ids, never tokens. */
export const fullRecomputeJobSchema = z.strictObject({
  portalId: z.number().int().positive(),
  reason: z.enum(['install', 'nightly', 'on_demand', 'settings_changed']),
});
export const companyRecomputeJobSchema = z.strictObject({
  portalId: z.number().int().positive(),
  companyId: z.string().regex(/^\d+$/),
});
export type FullRecomputeJob = z.infer<typeof fullRecomputeJobSchema>;
export type CompanyRecomputeJob = z.infer<typeof companyRecomputeJobSchema>;

/** Nightly at 03:00 UTC the whole portal is recomputed (repairs anything a lost webhook missed). */
export const NIGHTLY_PATTERN = '0 3 * * *';

export function createRecomputeQueue(connection: ConnectionOptions) {
  const queue = new Queue(RECOMPUTE_QUEUE, {
    connection,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      // Finished jobs are dropped so a later job with the same id is accepted;
      // the outcome lives in the portal's recompute status.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  return {
    queue,
    /**
     * Queues a full recompute; a portal has at most one waiting (the job id is
     * the portal's, and BullMQ ignores a second add of a waiting id).
     */
    async full(job: FullRecomputeJob): Promise<void> {
      await queue.add('full', fullRecomputeJobSchema.parse(job), { jobId: `full-${job.portalId}` });
    },
    /**
     * Queues one company's recompute, debounced: changes arriving within
     * `debounceMs` of each other are worked once, after the last.
     */
    async company(job: CompanyRecomputeJob, debounceMs: number): Promise<void> {
      const id = `company-${job.portalId}-${job.companyId}`;
      await queue.add('company', companyRecomputeJobSchema.parse(job), {
        delay: debounceMs,
        deduplication: { id, ttl: Math.max(debounceMs, 1), extend: true, replace: true },
      });
    },
    async scheduleNightly(portalId: number): Promise<void> {
      await queue.upsertJobScheduler(
        `nightly-${portalId}`,
        { pattern: NIGHTLY_PATTERN, tz: 'UTC' },
        { name: 'full', data: { portalId, reason: 'nightly' } satisfies FullRecomputeJob },
      );
    },
    async unscheduleNightly(portalId: number): Promise<void> {
      await queue.removeJobScheduler(`nightly-${portalId}`);
    },
    close: () => queue.close(),
  };
}

export type RecomputeQueue = ReturnType<typeof createRecomputeQueue>;

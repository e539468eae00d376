import { performance } from 'node:perf_hooks';
import type { GCProfilerResult } from 'node:v8';
import { GCProfiler } from 'node:v8';
import type { ConnectionOptions, Job } from 'bullmq';
import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { PortalClient } from '../hubspot/portal-client.ts';
import { recomputeCompanies } from '../recompute/company-recompute.ts';
import type { RecomputeProgress, RecomputeReport } from '../recompute/full-recompute.ts';
import { recomputePortfolio } from '../recompute/full-recompute.ts';
import type { AssociationIndex } from '../recompute/association-index.ts';
import type { DealRecords } from '../recompute/deal-records.ts';
import type { PortalLock } from '../recompute/portal-lock.ts';
import type { SnapshotCache } from '../recompute/snapshot-cache.ts';
import type { SnapshotStore } from '../recompute/snapshot-store.ts';
import type { SettingsStore } from '../settings-store.ts';
import { NeedsReauthError, NotInstalledError } from '../tokens/token-store.ts';
import { createFullAdmission, DEFAULT_FULL_COMPANIES } from './full-admission.ts';
import type { CompaniesRecomputeJob, FullRecomputeJob, RecomputeQueue } from './recompute-queue.ts';
import {
  CHANGES_QUEUE,
  companiesRecomputeJobSchema,
  fullRecomputeJobSchema,
  RECOMPUTE_QUEUE,
} from './recompute-queue.ts';
import type { RecomputeStatus, RecomputeStatusStore } from './recompute-status.ts';
import { recomputeFinished } from './recompute-status.ts';

export interface RecomputeDeps {
  readonly clientFor: (portalId: number) => Promise<PortalClient>;
  readonly snapshots: SnapshotStore;
  readonly cache: SnapshotCache;
  readonly associationIndex: AssociationIndex;
  readonly dealRecords: DealRecords;
  readonly locks: PortalLock;
  readonly settings: SettingsStore;
  readonly status: RecomputeStatusStore;
  readonly queue: Pick<
    RecomputeQueue,
    | 'full'
    | 'companies'
    | 'pendingCompanies'
    | 'settleCompanies'
    | 'prioritizeNightly'
    | 'waitingCompanies'
    | 'deferReRank'
    | 'reRankDeferredSince'
    | 'reRanked'
  >;
  readonly now: () => number;
  readonly logger: Logger;
  /** The window changes gather in before a pass (RECOMPUTE_DEBOUNCE_MS). */
  readonly debounceMs: number;
  /** Portfolios re-ranked at once below this many companies (RERANK_AT_ONCE_BELOW; `reRankNow`). */
  readonly reRankAtOnceBelow: number;
  /** Counts written companies (Prometheus). */
  readonly onWritten?: (kind: 'full' | 'company', count: number) => void;
}

/** Whether a full run started at or after `sinceMs` and finished. */
function ranSince(status: RecomputeStatus, sinceMs: number): boolean {
  return recomputeFinished(status) && Date.parse(status.startedAt ?? '') >= sinceMs;
}

/**
 * How soon changed companies are tried again when the portal's snapshot is
 * being written: changes that came during a pass wait for its end, and a
 * try costs one Redis command.
 */
const BUSY_RETRY_MS = 100;

/** Changed companies re-ranked in one pass at most (three HubSpot calls per 100 of them). */
const COMPANIES_PER_PASS = 500;

/**
 * How long passes may leave the portfolio's re-rank for later while changes
 * keep coming (a pass writes its changed companies first, and re-ranks the
 * rest only as `reRankNow` says): under a steady stream the other accounts
 * and the summary still follow within this. At 100,000
 * companies a re-rank that takes up a stream's moves lasts seconds, and
 * every change that comes meanwhile waits for it (`--huge` run 8, with 30
 * s: two re-ranks of 3-5 s in a minute's stream set the p95).
 */
const RERANK_DEFER_MS = 120_000;

/**
 * Debounce windows without a change after which a re-rank left for later
 * is taken up. A pass that finds no other change waiting may be followed by
 * one a moment later; a re-rank of 100,000 companies lasts 3-3.5 s (`--huge`
 * runs 9-10), and that change would wait for it.
 */
const RERANK_QUIET_WINDOWS = 2;

/** How soon a full job put off for memory is offered to the workers again. */
const ADMISSION_RETRY_MS = 2_000;

/** Enough for a settings change made during a run; a stream of changes waits for the next job. */
const MAX_RUNS_PER_JOB = 3;

/**
 * A whole portal: the job processor, apart from BullMQ so tests call it
 * directly. `queuedAtMs`, when the job was queued: a run that started after
 * it and finished while this one waited for the portal's lock (the same job
 * handed to another process after its lock lapsed, a nightly job queued
 * during an on-demand run) did what it asks, so it ends without reading the
 * portal again.
 */
export async function processFullRecompute(
  job: FullRecomputeJob,
  deps: RecomputeDeps,
  onProgress: (progress: RecomputeProgress) => Promise<void> = () => Promise.resolve(),
  queuedAtMs?: number,
): Promise<void> {
  const { portalId } = job;
  const covered = (run: RecomputeStatus): boolean => {
    if (queuedAtMs === undefined || !ranSince(run, queuedAtMs)) return false;
    deps.logger.info(
      { portalId, reason: job.reason, coveredBy: run.startedAt },
      'full recompute covered by a run that started after it was queued',
    );
    return true;
  };
  const startedAt = new Date(deps.now()).toISOString();
  const before = await deps.status.get(portalId);
  if (covered(before)) return;
  let status = { ...before, state: 'running' as const, startedAt, finishedAt: null };
  await deps.status.set(portalId, status);
  const lock = await deps.locks.acquire(portalId);
  if (covered(await deps.status.get(portalId))) {
    await lock.release();
    return;
  }
  try {
    // Settings saved while a run is under way must not wait for the night: a
    // second queued job for the portal would be dropped as a duplicate, so
    // the run itself starts again with the settings saved meanwhile.
    let settings = await deps.settings.get(portalId);
    let report: RecomputeReport;
    for (let run = 1; ; run += 1) {
      report = await recomputePortfolio({
        client: await deps.clientFor(portalId),
        snapshots: deps.snapshots,
        cache: deps.cache,
        associationIndex: deps.associationIndex,
        dealRecords: deps.dealRecords,
        settings,
        asOfMs: deps.now(),
        onProgress: async (progress) => {
          status = { ...status, progress };
          await deps.status.set(portalId, status);
          await onProgress(progress);
        },
      });
      const saved = await deps.settings.get(portalId);
      if (JSON.stringify(saved) === JSON.stringify(settings) || run === MAX_RUNS_PER_JOB) break;
      settings = saved;
    }
    deps.onWritten?.('full', report.written);
    await deps.status.set(portalId, {
      ...status,
      state: 'idle',
      finishedAt: new Date(deps.now()).toISOString(),
      lastReport: report,
    });
    deps.logger.info(
      { portalId, reason: job.reason, ...report, failed: report.failed.length },
      'full recompute done',
    );
    // Where nights overlap the larger portals go first: the schedule follows the portal's size.
    await deps.queue
      .prioritizeNightly(portalId, report.companies + report.deals)
      .catch((error: unknown) =>
        deps.logger.warn(
          { portalId, err: error instanceof Error ? error.message : String(error) },
          'nightly priority not moved; tried again after the next full recompute',
        ),
      );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.status.set(portalId, {
      ...status,
      state: 'failed',
      finishedAt: new Date(deps.now()).toISOString(),
      error: message,
    });
    throw error;
  } finally {
    await lock.release();
  }
  // Companies changed while the run held the snapshot: their pass was put off until now.
  const waiting = await deps.queue.pendingCompanies(portalId, 1);
  if (waiting.ids.length > 0) await deps.queue.companies(portalId, deps.debounceMs);
}

/**
 * The portal's changed companies, all at once; falls back to a full
 * recompute when there is no snapshot yet. A company changed again while
 * the pass runs stays pending and gets a pass of its own.
 */
export async function processCompaniesRecompute(
  job: CompaniesRecomputeJob,
  deps: RecomputeDeps,
): Promise<void> {
  const { portalId } = job;
  const lock = await deps.locks.tryAcquire(portalId);
  if (lock === null) {
    // A full recompute or another pass is writing the snapshot: come back after it.
    await deps.queue.companies(portalId, BUSY_RETRY_MS);
    return;
  }
  let after: PassEnd;
  try {
    after = await recomputePending(portalId, deps);
  } finally {
    await lock.release();
  }
  if (after.waiting > 0) {
    // Changed during the pass: gathered with any later change in the next window.
    await deps.queue.companies(portalId, deps.debounceMs);
  } else if (after.reRankOwed) {
    // The re-rank the pass left: a pass of no company takes it up once the
    // portal has been quiet this long, unless changes come first.
    await deps.queue.companies(portalId, deps.debounceMs * RERANK_QUIET_WINDOWS);
  }
}

/** What a pass leaves: changed companies still waiting, and whether it left the re-rank. */
interface PassEnd {
  readonly waiting: number;
  readonly reRankOwed: boolean;
}

/** One pass over the waiting companies. */
async function recomputePending(portalId: number, deps: RecomputeDeps): Promise<PassEnd> {
  const pending = await deps.queue.pendingCompanies(portalId, COMPANIES_PER_PASS);
  // A re-rank left for later with nothing else to do: a pass of no company does it.
  if (pending.ids.length === 0 && (await deps.queue.reRankDeferredSince(portalId)) === null) {
    return { waiting: 0, reRankOwed: false };
  }
  const started = performance.now();
  // Collector pauses inside the pass, logged with it: at 100k accounts a
  // major collection can cost more than the pass's own work.
  const collections = new GCProfiler();
  collections.start();
  let paused = { gcMs: 0, majorGcs: 0 };
  const outcome = await recomputeCompanies({
    client: await deps.clientFor(portalId),
    snapshots: deps.snapshots,
    cache: deps.cache,
    associationIndex: deps.associationIndex,
    dealRecords: deps.dealRecords,
    settings: await deps.settings.get(portalId),
    companyIds: pending.ids,
    activityChanged: pending.activityChanged,
    dealsChanged: pending.dealsChanged,
    asOfMs: deps.now(),
    reRankNow: (companies) => reRankNow(portalId, pending.ids.length, companies, deps),
  }).finally(() => (paused = collectorPauses(collections.stop())));
  if (outcome.kind === 'no_snapshot') {
    await deps.queue.full({ portalId, reason: 'on_demand' });
    return { waiting: 0, reRankOwed: false };
  }
  if (outcome.reRanked) await deps.queue.reRanked(portalId);
  else await deps.queue.deferReRank(portalId, Date.now());
  deps.onWritten?.('company', outcome.written.length);
  deps.logger.info(
    {
      portalId,
      companies: pending.ids.length,
      rescored: outcome.rescored,
      reRanked: outcome.reRanked,
      written: outcome.written.length,
      failed: outcome.failed.length,
      durationMs: Math.round(performance.now() - started),
      ...outcome.phases,
      ...paused,
    },
    'changed companies recomputed',
  );
  return {
    waiting: await deps.queue.settleCompanies(portalId, pending),
    reRankOwed: !outcome.reRanked,
  };
}

/** The collector's pauses a profile saw: their total in ms, and how many were major. */
function collectorPauses(profile: GCProfilerResult): { gcMs: number; majorGcs: number } {
  const { statistics } = profile;
  return {
    gcMs: Math.round(statistics.reduce((sum, collection) => sum + collection.cost, 0) / 1000),
    majorGcs: statistics.filter((collection) => collection.gcType === 'MarkSweepCompact').length,
  };
}

/**
 * Whether a pass that took `taken` changed companies, of a portfolio of
 * `companies`, re-ranks the portfolio once they are written:
 * - a pass of no company (the portal was quiet for `RERANK_QUIET_WINDOWS`) does;
 * - any pass does once a re-rank has been left for later for `RERANK_DEFER_MS`;
 * - a small portfolio's pass does when no other change waits: its re-rank
 *   takes a fraction of a debounce window;
 * - a larger one's leaves it: at 100,000 companies a re-rank lasts seconds,
 *   and changes that came meanwhile would wait for it.
 */
async function reRankNow(
  portalId: number,
  taken: number,
  companies: number,
  deps: RecomputeDeps,
): Promise<boolean> {
  if (taken === 0) return true;
  const since = await deps.queue.reRankDeferredSince(portalId);
  if (since !== null && Date.now() - since >= RERANK_DEFER_MS) return true;
  return (
    companies < deps.reRankAtOnceBelow && (await deps.queue.waitingCompanies(portalId)) <= taken
  );
}

/** The workers of both queues, started and stopped together. */
export interface RecomputeWorkers {
  /** Full recomputes: long jobs, `concurrency` at a time per process. */
  readonly full: Worker;
  /** Changed companies' re-ranks, in slots a full recompute never takes. */
  readonly changes: Worker;
  close(): Promise<void>;
}

/**
 * Wires the processors to BullMQ, one worker per queue, so a process busy
 * with long full recomputes still has slots for other portals' changes.
 * Payloads are validated first: a poison payload, or a portal that must
 * reinstall, fails without retries. Either worker works either kind of
 * job (re-ranks queued on the full queue before the queues were split
 * are still worked).
 */
export function startRecomputeWorker(
  connection: ConnectionOptions,
  deps: RecomputeDeps,
  concurrency = 4,
  lockMs = 30_000,
  changesConcurrency = concurrency,
  fullCompanies = DEFAULT_FULL_COMPANIES,
): RecomputeWorkers {
  const admission = createFullAdmission(fullCompanies);
  // Portals whose full recompute this process is running. A second full job
  // of one of them (the same job handed out again after its lock lapsed
  // while a long synchronous step held the event loop, or a nightly run
  // queued during an on-demand one) is covered by the run under way, which
  // also picks up settings saved meanwhile: it ends at once instead of
  // waiting for the portal's lock and reading the whole portal again.
  const runningFull = new Set<number>();
  const work = async (job: Job, token?: string): Promise<void> => {
    try {
      if (job.name === 'full') {
        const payload = fullRecomputeJobSchema.safeParse(job.data);
        if (!payload.success)
          throw new UnrecoverableError(`bad full-recompute payload: ${payload.error.message}`);
        const { portalId } = payload.data;
        if (runningFull.has(portalId)) {
          deps.logger.warn(
            { portalId, jobId: job.id },
            'full recompute already running in this process; this job is covered by it',
          );
          return;
        }
        // Its size at its last run; unknown (first install) counts as small.
        const companies = (await deps.status.get(portalId)).lastReport?.companies ?? 0;
        if (!admission.tryEnter(companies)) {
          // Over this process's budget: back to the queue (in its place by
          // priority) for a process with room, or this one when a run ends.
          deps.logger.info(
            { portalId, jobId: job.id, companies },
            'full recompute put off: this process is reading its budget of large portals',
          );
          await job.moveToDelayed(Date.now() + ADMISSION_RETRY_MS, token);
          throw new DelayedError();
        }
        runningFull.add(portalId);
        try {
          await processFullRecompute(
            payload.data,
            deps,
            (progress) => job.updateProgress(progress),
            job.timestamp,
          );
        } finally {
          runningFull.delete(portalId);
          admission.leave(companies);
        }
        return;
      }
      if (job.name === 'companies') {
        const payload = companiesRecomputeJobSchema.safeParse(job.data);
        if (!payload.success)
          throw new UnrecoverableError(`bad companies-recompute payload: ${payload.error.message}`);
        await processCompaniesRecompute(payload.data, deps);
        return;
      }
      throw new UnrecoverableError(`unknown job ${job.name}`);
    } catch (error) {
      if (error instanceof NeedsReauthError || error instanceof NotInstalledError) {
        deps.logger.warn({ jobId: job.id, err: error.message }, 'portal cannot be recomputed');
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  };
  // A job whose worker died is taken over once its lock lapses (lockMs).
  const options = { connection, lockDuration: lockMs, stalledInterval: lockMs };
  const full = new Worker(RECOMPUTE_QUEUE, work, { ...options, concurrency });
  const changes = new Worker(CHANGES_QUEUE, work, {
    ...options,
    concurrency: changesConcurrency,
  });
  return {
    full,
    changes,
    close: async () => {
      await Promise.all([full.close(), changes.close()]);
    },
  };
}

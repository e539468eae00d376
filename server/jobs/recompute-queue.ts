import type { ConnectionOptions } from 'bullmq';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { NightWindow } from './night-schedule.ts';
import { knownTimeZone, nightlyPriority, nightPattern } from './night-schedule.ts';

/** Full recomputes (install, nightly, on demand, settings): long jobs. */
export const RECOMPUTE_QUEUE = 'kam-recompute';
/**
 * Changed companies' re-ranks: short jobs with worker slots of their own,
 * so a portal's webhook changes never wait behind other portals' long full
 * recomputes.
 */
export const CHANGES_QUEUE = 'kam-recompute-changes';
/** Both queues, for whoever lists or pauses every recompute job. */
export const RECOMPUTE_QUEUES = [RECOMPUTE_QUEUE, CHANGES_QUEUE] as const;

/** Payloads carry ids, never tokens. */
export const fullRecomputeJobSchema = z.strictObject({
  portalId: z.number().int().positive(),
  reason: z.enum(['install', 'nightly', 'on_demand', 'settings_changed']),
});
/** A HubSpot object id as events and marks carry it (commas separate them in Redis). */
const objectIdSchema = z.string().regex(/^\d+$/);
export const companyRecomputeJobSchema = z.strictObject({
  portalId: z.number().int().positive(),
  companyId: objectIdSchema,
});
/** A portal's changed companies, worked together: the ids wait in a Redis set, not in the job. */
export const companiesRecomputeJobSchema = z.strictObject({
  portalId: z.number().int().positive(),
});
export type FullRecomputeJob = z.infer<typeof fullRecomputeJobSchema>;
export type CompanyRecomputeJob = z.infer<typeof companyRecomputeJobSchema>;
export type CompaniesRecomputeJob = z.infer<typeof companiesRecomputeJobSchema>;

/** What a change may have moved of its companies, so a pass re-reads no more than that. */
export interface CompanyChange {
  /** Their tickets, contacts or meetings: those are re-read. */
  readonly activity: boolean;
  /**
   * Their deals: `'all'` when deals may have come or gone (every deal is
   * re-read); otherwise the deals whose properties changed (none: a
   * company's own property, its activity, its parent).
   */
  readonly deals: 'all' | readonly string[];
}

/** Every deal of the companies may have changed: what a change of unknown kind says. */
export const ANY_CHANGE: CompanyChange = { activity: false, deals: 'all' };

/** Changed companies waiting for a re-rank, each scored with the sequence number of its last change. */
export interface PendingCompanies {
  readonly ids: readonly string[];
  readonly sequences: readonly number[];
  /** Those among them whose tickets, contacts or meetings changed: those are re-read too. */
  readonly activityChanged: ReadonlySet<string>;
  /**
   * Those among them whose every change since their last pass named the
   * deals it changed (none for a company's own change), with those deals;
   * the others' deals may have come or gone.
   */
  readonly dealsChanged: ReadonlyMap<string, readonly string[]>;
}

/**
 * Marks companies changed (and, with ARGV[1] = '1', their activity: tickets,
 * contacts, meetings), each under a new sequence number. ARGV[3] says what
 * of their deals changed: 'all', or 'named' with the deals in ARGV[4]
 * (comma-separated, maybe none). A company keeps a field in the hash
 * KEYS[4] (its named deals, maybe none) only while every change since its
 * last pass named its deals; one 'all' takes it out until a pass settles it.
 * With an event key (KEYS[5]) it does nothing for an event already worked,
 * and remembers the event for ARGV[2] seconds only after its marks are
 * made: one script, so no failure can leave the event remembered without
 * its change (Redis does not undo a script that fails halfway, hence the
 * key is written last).
 */
const MARK_CHANGED = `
if KEYS[5] and redis.call('exists', KEYS[5]) == 1 then return 0 end
for index = 5, #ARGV do
  local id = ARGV[index]
  local waiting = redis.call('zscore', KEYS[1], id)
  local sequence = redis.call('incr', KEYS[2])
  redis.call('zadd', KEYS[1], sequence, id)
  if ARGV[1] == '1' then redis.call('zadd', KEYS[3], sequence, id) end
  local named = redis.call('hget', KEYS[4], id)
  if ARGV[3] == 'all' then
    redis.call('hdel', KEYS[4], id)
  elseif not waiting or named then
    if ARGV[4] ~= '' then
      if named and named ~= '' then named = named .. ',' .. ARGV[4] else named = ARGV[4] end
    end
    redis.call('hset', KEYS[4], id, named or '')
  end
end
if KEYS[5] then redis.call('set', KEYS[5], '1', 'EX', ARGV[2]) end
return 1`;

/**
 * Forgets the ids taken, unless they changed again since (their sequence
 * moved on), with the deals their changes named; a ticket mark goes once a
 * pass has seen it.
 */
const SETTLE = `
for index, id in ipairs(ARGV) do
  if index % 2 == 1 then
    local taken = tonumber(ARGV[index + 1])
    if redis.call('zscore', KEYS[1], id) == ARGV[index + 1] then
      redis.call('zrem', KEYS[1], id)
      redis.call('hdel', KEYS[3], id)
    end
    local tickets = redis.call('zscore', KEYS[2], id)
    if tickets and tonumber(tickets) <= taken then redis.call('zrem', KEYS[2], id) end
  end
end
return redis.call('zcard', KEYS[1])`;

/** How often a caller waiting for a company's pass looks again. */
const SETTLED_POLL_MS = 50;

/**
 * Nightly the whole portal is recomputed (repairs anything a lost webhook
 * missed), at its own minute of the night window in its own time zone.
 */
const nightlyId = (portalId: number): string => `night-${portalId}`;
/** Before per-portal nights every portal ran at 03:00 UTC, under this id; moved on upgrade. */
const legacyNightlyId = (portalId: number): string => `nightly-${portalId}`;
const LEGACY_NIGHTLY = /^nightly-(\d+)$/;
const NIGHTLY = /^night-(\d+)$/;

/** What moving the nightly schedules did at start. */
export interface NightlyMove {
  /** Schedules of the old 03:00 UTC kind moved into their portal's night. */
  readonly moved: number;
  /** Schedules moved to a new minute because the night window changed. */
  readonly rewindowed: number;
  /** Portals whose time zone could not be read: left as they were, tried at the next start. */
  readonly failed: readonly number[];
}

export function createRecomputeQueue(connection: ConnectionOptions, redis: Redis, prefix = 'kam') {
  const pendingKey = (portalId: number): string => `${prefix}:portal:${portalId}:changed-companies`;
  const sequenceKey = (portalId: number): string => `${prefix}:portal:${portalId}:change-sequence`;
  const activityKey = (portalId: number): string =>
    `${prefix}:portal:${portalId}:changed-company-tickets`;
  const reRankKey = (portalId: number): string => `${prefix}:portal:${portalId}:rerank-deferred`;
  const dealIdsKey = (portalId: number): string =>
    `${prefix}:portal:${portalId}:changed-company-deal-ids`;

  const defaultJobOptions = {
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    // Finished jobs are dropped so a later job with the same id is accepted;
    // the outcome lives in the portal's recompute status.
    removeOnComplete: true,
    removeOnFail: true,
  };
  const queue = new Queue(RECOMPUTE_QUEUE, { connection, defaultJobOptions });
  const changes = new Queue(CHANGES_QUEUE, { connection, defaultJobOptions });

  const nightlyTemplate = (portalId: number, priority: number) => ({
    name: 'full',
    data: { portalId, reason: 'nightly' } satisfies FullRecomputeJob,
    opts: { priority },
  });
  /** The priority the portal's nightly schedule gives its jobs, if it has one. */
  const scheduledPriority = async (portalId: number): Promise<number | undefined> =>
    (await queue.getJobScheduler(nightlyId(portalId)))?.template?.opts?.priority;

  const scheduleNightly = async (
    portalId: number,
    timeZone: string | null,
    window: NightWindow,
  ): Promise<void> => {
    // A schedule moved or made again (a reinstall) keeps the priority its portal's size gave it.
    const priority = (await scheduledPriority(portalId)) ?? nightlyPriority(0);
    await queue.upsertJobScheduler(
      nightlyId(portalId),
      { pattern: nightPattern(portalId, window), tz: knownTimeZone(timeZone) },
      nightlyTemplate(portalId, priority),
    );
    // Upserted first: a crash in between leaves the old one, removed at the next start.
    await queue.removeJobScheduler(legacyNightlyId(portalId));
  };

  return {
    queue,
    changes,
    /**
     * Queues a full recompute; a portal has at most one waiting (the job id is
     * the portal's, and BullMQ ignores a second add of a waiting id). A
     * nightly one queues behind those a user waits for, larger portals
     * (`records` their last run read) first: `nightlyPriority`.
     */
    async full(job: FullRecomputeJob, records = 0): Promise<void> {
      await queue.add('full', fullRecomputeJobSchema.parse(job), {
        jobId: `full-${job.portalId}`,
        ...(job.reason === 'nightly' ? { priority: nightlyPriority(records) } : {}),
      });
    },
    /**
     * Gives the portal's nightly schedule the priority of its size, after a
     * full recompute read `records` companies and deals; true when it moved
     * (a portal that doubled or halved). No schedule (the portal was
     * removed meanwhile): nothing.
     */
    async prioritizeNightly(portalId: number, records: number): Promise<boolean> {
      const scheduler = await queue.getJobScheduler(nightlyId(portalId));
      const priority = nightlyPriority(records);
      if (scheduler?.pattern === undefined || scheduler.template?.opts?.priority === priority)
        return false;
      await queue.upsertJobScheduler(
        nightlyId(portalId),
        { pattern: scheduler.pattern, tz: knownTimeZone(scheduler.tz) },
        nightlyTemplate(portalId, priority),
      );
      return true;
    },
    /**
     * Notes that a company changed and queues its portal's re-rank: the
     * first change starts a `debounceMs` window, later ones join it, and the
     * re-rank works every company changed by then at once — one pass over
     * the portfolio however many deals moved. `change` says what the pass
     * re-reads: by default every deal, not the activity; with `activity`
     * its tickets, contacts and meetings as well (two HubSpot calls each
     * per 100 companies).
     */
    async company(
      job: CompanyRecomputeJob,
      debounceMs: number,
      change: CompanyChange = ANY_CHANGE,
    ): Promise<void> {
      const { portalId, companyId } = companyRecomputeJobSchema.parse(job);
      await this.markChanged(portalId, [companyId], change);
      await this.companies(portalId, debounceMs);
    },
    /**
     * Notes that companies changed, without queueing their pass. With
     * `event`, once per event: false (nothing noted) when it was worked
     * already; the event is remembered in the same step as its changes.
     */
    async markChanged(
      portalId: number,
      companyIds: readonly string[],
      change: CompanyChange,
      event?: { readonly key: string; readonly rememberSeconds: number },
    ): Promise<boolean> {
      const ids = companyIds.map(
        (companyId) => companyRecomputeJobSchema.parse({ portalId, companyId }).companyId,
      );
      const deals =
        change.deals === 'all' ? [] : change.deals.map((id) => objectIdSchema.parse(id));
      const keys = [
        pendingKey(portalId),
        sequenceKey(portalId),
        activityKey(portalId),
        dealIdsKey(portalId),
      ];
      if (event !== undefined) keys.push(event.key);
      const marked = await redis.eval(
        MARK_CHANGED,
        keys.length,
        ...keys,
        change.activity ? '1' : '0',
        String(event?.rememberSeconds ?? 0),
        change.deals === 'all' ? 'all' : 'named',
        deals.join(','),
        ...ids,
      );
      return marked === 1;
    },
    /** Queues the portal's re-rank of its changed companies (one per window). */
    async companies(portalId: number, delayMs: number): Promise<void> {
      const window = Math.max(delayMs, 1);
      await changes.add('companies', companiesRecomputeJobSchema.parse({ portalId }), {
        delay: delayMs,
        deduplication: { id: `companies-${portalId}-${delayMs}`, ttl: window },
      });
    },
    /** The changed companies waiting, oldest change first, at most `limit`. */
    async pendingCompanies(portalId: number, limit: number): Promise<PendingCompanies> {
      const flat = await redis.zrange(pendingKey(portalId), 0, limit - 1, 'WITHSCORES');
      const ids: string[] = [];
      const sequences: number[] = [];
      for (let index = 0; index < flat.length; index += 2) {
        ids.push(flat[index] ?? '');
        sequences.push(Number(flat[index + 1]));
      }
      if (ids.length === 0)
        return { ids, sequences, activityChanged: new Set(), dealsChanged: new Map() };
      const [activityMarks, dealIds] = await Promise.all([
        redis.zmscore(activityKey(portalId), ...ids),
        redis.hmget(dealIdsKey(portalId), ...ids),
      ]);
      const activityChanged = new Set(ids.filter((_, index) => activityMarks[index] !== null));
      const dealsChanged = new Map<string, readonly string[]>();
      ids.forEach((id, index) => {
        const named = dealIds[index] ?? null;
        if (named === null) return;
        dealsChanged.set(id, named === '' ? [] : [...new Set(named.split(','))]);
      });
      return { ids, sequences, activityChanged, dealsChanged };
    },
    /**
     * Waits until no change of the company is waiting any more (a worker's
     * pass has taken and settled it), polling; false if `timeoutMs` passed first.
     */
    async settled(portalId: number, companyId: string, timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while ((await redis.zscore(pendingKey(portalId), companyId)) !== null) {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, SETTLED_POLL_MS));
      }
      return true;
    },
    /** How many changed companies wait for a pass (those a pass has taken included). */
    async waitingCompanies(portalId: number): Promise<number> {
      return redis.zcard(pendingKey(portalId));
    },
    /**
     * Notes that a pass left the portal's re-rank to a later one at `atMs`
     * (wall clock); a re-rank left earlier keeps its first time.
     */
    async deferReRank(portalId: number, atMs: number): Promise<void> {
      await redis.set(reRankKey(portalId), String(atMs), 'NX');
    },
    /** When the portal's re-rank was first left for later; null when none is owed. */
    async reRankDeferredSince(portalId: number): Promise<number | null> {
      const since = await redis.get(reRankKey(portalId));
      return since === null ? null : Number(since);
    },
    /** A pass re-ranked the portal: nothing is owed. */
    async reRanked(portalId: number): Promise<void> {
      await redis.del(reRankKey(portalId));
    },
    /** Marks the taken companies done (not those changed again meanwhile); returns how many wait. */
    async settleCompanies(portalId: number, taken: PendingCompanies): Promise<number> {
      const args = taken.ids.flatMap((id, index) => [id, String(taken.sequences[index])]);
      return Number(
        await redis.eval(
          SETTLE,
          3,
          pendingKey(portalId),
          activityKey(portalId),
          dealIdsKey(portalId),
          ...args,
        ),
      );
    },
    /**
     * Schedules (or moves) the portal's nightly full recompute: its minute
     * of `window` in `timeZone` (an IANA name; UTC when null or unknown).
     * One schedule per portal whatever was there before.
     */
    scheduleNightly,
    /**
     * Moves every nightly schedule where it belongs: those of the old kind
     * (03:00 UTC) into their portal's night, in the time zone
     * `timeZoneOf` reads, and those made for another window into this one.
     * Run at start; a second run finds nothing to move.
     */
    async moveNightlySchedules(
      window: NightWindow,
      timeZoneOf: (portalId: number) => Promise<string | null>,
    ): Promise<NightlyMove> {
      let moved = 0;
      let rewindowed = 0;
      const failed: number[] = [];
      for (const scheduler of await queue.getJobSchedulers(0, -1)) {
        const legacy = LEGACY_NIGHTLY.exec(scheduler.key);
        if (legacy !== null) {
          const portalId = Number(legacy[1]);
          const timeZone = await timeZoneOf(portalId).catch(() => undefined);
          if (timeZone === undefined) failed.push(portalId);
          else {
            await scheduleNightly(portalId, timeZone, window);
            moved += 1;
          }
          continue;
        }
        const current = NIGHTLY.exec(scheduler.key);
        if (current === null) continue;
        const portalId = Number(current[1]);
        if (scheduler.pattern === nightPattern(portalId, window)) continue;
        await scheduleNightly(portalId, scheduler.tz ?? null, window);
        rewindowed += 1;
      }
      return { moved, rewindowed, failed };
    },
    async unscheduleNightly(portalId: number): Promise<void> {
      await queue.removeJobScheduler(nightlyId(portalId));
      await queue.removeJobScheduler(legacyNightlyId(portalId));
    },
    close: async () => {
      await Promise.all([queue.close(), changes.close()]);
    },
  };
}

export type RecomputeQueue = ReturnType<typeof createRecomputeQueue>;

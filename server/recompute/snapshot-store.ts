import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ChainableCommander, Redis } from 'ioredis';
import type {
  AccountFacts,
  AccountStanding,
  ParetoPoint,
  PortfolioContext,
  PortfolioSummary,
  Settings,
  SummaryEntry,
  Tier,
} from '../../src/index.ts';
import type { CompanyWithHistory } from '../hubspot/portal-client.ts';
import { setRecent } from '../recent-map.ts';
import { appliedResults } from './applied-results.ts';
import { swapStagedLua } from './staged-swap.ts';
import { timeSlicer } from './time-slice.ts';

/** One account as the last recompute left it: enough to rescore it alone. */
export interface AccountSnapshot {
  readonly fact: AccountFacts;
  readonly standing: AccountStanding;
  /** What the portfolio summary counts of it, so a re-rank need not rescore it. */
  readonly entry: SummaryEntry;
}

/** Where an account stands: changes with every re-rank, unlike its facts. */
type Placement = Pick<AccountSnapshot, 'standing' | 'entry'>;

/** Every account of a snapshot, by company id, and the version it was read at. */
export interface SnapshotAccounts {
  readonly version: number;
  /**
   * A pass that kept it in its process cache moves it to what it stored, in
   * place, once the store succeeded (a 100k-entry copy each pass feeds the
   * collector); nothing else changes it.
   */
  readonly accounts: Map<string, AccountSnapshot>;
}

/** What every account of the snapshot shares. */
export interface SnapshotFrame {
  /** What every account was scored against (tier peers' lines, median sales cycle, labels). */
  readonly context: PortfolioContext;
  readonly settings: Settings;
  readonly asOfMs: number;
  readonly summary: PortfolioSummary;
  readonly paretoCurve: readonly ParetoPoint[];
  /** Tier changes of the last full recompute against the one before, largest first. */
  readonly movements: readonly TierMovement[];
  readonly movementsTotal: number;
}

export interface TierMovement {
  readonly companyId: string;
  readonly name: string | null;
  readonly from: Tier;
  readonly to: Tier;
}

export interface WriteFailure {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

const PIPELINE_SIZE = 1_000;
const STAGING_WRITE = 'the staged snapshot write';
/** Accounts kept parsed per process for the cards (about 3 KB each). */
const DEFAULT_MAX_CACHED_ACCOUNTS = 10_000;
/** The hashes a full recompute builds beside the live ones and swaps in. */
const STAGED_PARTS = ['facts', 'placements', 'tiers'] as const;
/**
 * The swap of a full recompute's snapshot, in one script so it is all or
 * nothing: the staged parts (`swapStagedLua`; a part gone refuses it, the
 * live snapshot kept), then the frame, the write failures and the version.
 * KEYS after the parts: the frame, the write failures, the version. ARGV
 * after the parts' flags: the frame, then each write failure's company id
 * and JSON.
 */
const SWAP_SCRIPT = `${swapStagedLua(STAGED_PARTS.length, 'the live snapshot is kept')}
local frame, failures, version = KEYS[staged * 2 + 1], KEYS[staged * 2 + 2], KEYS[staged * 2 + 3]
redis.call('set', frame, ARGV[staged + 1])
redis.call('unlink', failures)
for i = staged + 2, #ARGV, 2 do redis.call('hset', failures, ARGV[i], ARGV[i + 1]) end
return redis.call('incr', version)`;
const HISTORY_TTL_SECONDS = 600;
/**
 * The model a snapshot was scored with: 3 is kam-model.md v2 with the
 * buying centre, visits and profile (§9, §10, §14) and groups, complaints
 * and plans (§11–§13), whose facts and standings a version 2 snapshot lacks. A snapshot of another version reads as none, and the
 * worker answers "no snapshot" with a full recompute.
 */
const MODEL_VERSION = 3;

/**
 * What an account's JSON mostly repeats — its field names, in the order
 * `JSON.stringify` writes them — primed into the compressor, so each
 * account (a kilobyte or two of JSON) compresses on its own to a few
 * hundred bytes. Never edit it: stored accounts are read back with it. A
 * model that adds fields compresses a little less until a new dictionary
 * comes with a new format byte (and this one stays to read the old).
 */
const ACCOUNT_DICTIONARY = Buffer.from(
  '{"companyId":"","inputs":{"name":"","industry":"","ownerId":"","annualRevenue":,"employees":,' +
    '"contacts":,"lastActivityMs":,"tierOverride":null,"surveyDateMs":null,"ratings":{"tangibles":' +
    '{"expected":null,"perceived":null},"reliability":{"expected":null,"perceived":null},' +
    '"responsiveness":{"expected":null,"perceived":null},"assurance":{"expected":null,' +
    '"perceived":null},"empathy":{"expected":null,"perceived":null}},"manualSwot":{"strength":[],' +
    '"weakness":[],"opportunity":[],"threat":[]},"competitors":[],"accountPlan":null},"metrics":' +
    '{"revenueTtm":,"revenuePrev":,"growth":,"profitTtm":null,"lifetimeRevenue":,"wonCount":,' +
    '"lostCount":,"openCount":,"closedInWindow":,"wonInWindow":,"winRate":,"pipelineWeighted":,' +
    '"tenureDays":,"recencyDays":,"repeatRate":,"quartersWithWin":,"productLines":["default",' +
    '"hardware","services","software"],"lostRecent":,"lostLast180Days":,"lostToCompetitors":[],' +
    '"salesCycleDays":,"daysSinceActivity":,"contacts":},"openComplaints":0,"openMajorComplaints":0,' +
    '"flags":[]}{"standing":{"tier":{"tier":"standard","explanation":{"rule":"tier.pareto","text":' +
    '"Rank  of  by revenue (); accounts ranked above hold % of revenue (< %) → standard","inputs":' +
    '{"rank":,"ratedCount":,"revenueTtm":,"shareBefore":0.,"cutoff":0.}},"rank":,"shareBefore":0.,' +
    '"computedTier":"standard","pinned":false},"share":0.,"percentiles":{"size":,"potential":,' +
    '"scale":,"scaleBasis":"annualrevenue"}},"entry":{"id":"","tier":"key","revenueTtm":,' +
    '"strategy":"invest","attractivenessLevel":"high","strengthLevel":"medium","segment":' +
    '"rising_star","stage":"partner","flagCodes":[]}}',
);
/** The first byte of an account compressed with `ACCOUNT_DICTIONARY` (JSON starts with `{`). */
const DEFLATED_V1 = 0x01;

/** An account's part (facts, placement) as stored: its JSON, deflated with the dictionary. */
function packJson(value: unknown): Buffer {
  const deflated = deflateRawSync(JSON.stringify(value), { dictionary: ACCOUNT_DICTIONARY });
  return Buffer.concat([Buffer.of(DEFLATED_V1), deflated]);
}

/** Reads what `packJson` stored, or the plain JSON an older release stored. */
function unpackJson<T>(stored: Buffer): T {
  if (stored[0] !== DEFLATED_V1) return JSON.parse(stored.toString('utf8')) as T;
  const json = inflateRawSync(stored.subarray(1), { dictionary: ACCOUNT_DICTIONARY });
  return JSON.parse(json.toString('utf8')) as T;
}

/** The frame as stored: with the model version that wrote it. */
function frameJson(frame: SnapshotFrame): string {
  return JSON.stringify({ ...frame, modelVersion: MODEL_VERSION });
}

export type PropertyHistory = NonNullable<CompanyWithHistory['propertiesWithHistory']>;

/**
 * The per-portal snapshot in Redis. A full recompute writes a new snapshot
 * beside the old one and swaps it in with one script (`SWAP_SCRIPT`), so a
 * reader (or a worker killed mid-write) never sees half of one; the old one
 * is freed in Redis's background thread (UNLINK).
 */
export function createSnapshotStore(
  redis: Redis,
  prefix = 'kam',
  maxCachedAccounts = DEFAULT_MAX_CACHED_ACCOUNTS,
) {
  const key = (portalId: number, part: string): string => `${prefix}:portal:${portalId}:${part}`;
  // Outside the portal's keys, which an uninstall deletes: a reinstall then
  // counts on from the old version, and no process mistakes the new
  // snapshot for the one it cached before.
  const versionKey = (portalId: number): string => `${prefix}:snapshot-version:${portalId}`;
  const frames = new Map<number, { version: string | null; frame: SnapshotFrame | null }>();
  // The accounts cards asked for, as read at a version; least recently used go first.
  const accounts = new Map<string, { version: string | null; account: AccountSnapshot | null }>();
  const rememberAccount = (
    cacheKey: string,
    entry: { version: string | null; account: AccountSnapshot | null },
  ): void => {
    setRecent(accounts, cacheKey, entry, maxCachedAccounts);
  };

  return {
    async replace(
      portalId: number,
      accounts: Iterable<AccountSnapshot>,
      frame: SnapshotFrame,
      failures: ReadonlyMap<string, WriteFailure>,
    ): Promise<number> {
      const staged = STAGED_PARTS.map((part) => key(portalId, `${part}-staging`));
      await redis.unlink(...staged);
      let batch = redis.pipeline();
      let queued = 0;
      const pause = timeSlicer();
      for (const account of accounts) {
        // Packing 100,000 accounts takes seconds: other portals' work runs between slices.
        await pause();
        const id = account.fact.companyId;
        batch.hset(key(portalId, 'facts-staging'), id, packJson(account.fact));
        batch.hset(key(portalId, 'placements-staging'), id, packedPlacement(account));
        batch.hset(key(portalId, 'tiers-staging'), id, account.standing.tier.tier);
        queued += 1;
        if (queued % PIPELINE_SIZE === 0) {
          appliedResults(await batch.exec(), STAGING_WRITE);
          batch = redis.pipeline();
        }
      }
      appliedResults(await batch.exec(), STAGING_WRITE);
      // One array, never spread into the call: a portal whose every write
      // failed has 100,000 failures, more than a call takes as arguments.
      const keysAndArgs = [
        ...STAGED_PARTS.map((part) => key(portalId, part)),
        ...staged,
        key(portalId, 'frame'),
        key(portalId, 'write-failures'),
        versionKey(portalId),
        ...STAGED_PARTS.map(() => (queued > 0 ? '1' : '0')),
        frameJson(frame),
      ];
      for (const [companyId, failure] of failures) {
        keysAndArgs.push(companyId, JSON.stringify(failure));
      }
      const version: unknown = await redis.eval(
        SWAP_SCRIPT,
        STAGED_PARTS.length * 2 + 3,
        keysAndArgs,
      );
      if (typeof version !== 'number') throw new Error('the snapshot swap was not applied');
      return version;
    },

    /**
     * Applies a re-rank in one transaction: the accounts whose facts or
     * placement changed, the ones gone from the portal, the new frame, and
     * the write failures of the companies just written. Returns the new
     * version, as `replace` does.
     */
    async update(
      portalId: number,
      change: {
        readonly facts: readonly AccountFacts[];
        readonly placements: readonly AccountSnapshot[];
        readonly removed: readonly string[];
        readonly frame: SnapshotFrame;
        readonly written: readonly string[];
        readonly failures: ReadonlyMap<string, WriteFailure>;
      },
    ): Promise<number> {
      const transaction = redis.multi();
      for (const fact of change.facts) {
        transaction.hset(key(portalId, 'facts'), fact.companyId, packJson(fact));
      }
      for (const account of change.placements) {
        const id = account.fact.companyId;
        transaction.hset(key(portalId, 'placements'), id, packedPlacement(account));
        transaction.hset(key(portalId, 'tiers'), id, account.standing.tier.tier);
      }
      if (change.removed.length > 0) {
        for (const part of ['facts', 'placements', 'tiers', 'write-failures'] as const) {
          transaction.hdel(key(portalId, part), ...change.removed);
        }
      }
      if (change.written.length > 0) {
        transaction.hdel(key(portalId, 'write-failures'), ...change.written);
      }
      for (const [companyId, failure] of change.failures) {
        transaction.hset(key(portalId, 'write-failures'), companyId, JSON.stringify(failure));
      }
      transaction.set(key(portalId, 'frame'), frameJson(change.frame));
      transaction.incr(versionKey(portalId));
      return appliedVersion(await transaction.exec());
    },

    /** The snapshot's version: it changes with every replace and update. */
    async version(portalId: number): Promise<number> {
      return Number((await redis.get(versionKey(portalId))) ?? 0);
    },

    /**
     * One account, parsed once per snapshot version in this process: a warm
     * card costs one read of the version, and the same object comes back
     * until any writer bumps it.
     */
    async account(portalId: number, companyId: string): Promise<AccountSnapshot | null> {
      const cacheKey = `${portalId}:${companyId}`;
      const version = await redis.get(versionKey(portalId));
      const hit = accounts.get(cacheKey);
      if (hit !== undefined && hit.version === version) {
        rememberAccount(cacheKey, hit);
        return hit.account;
      }
      const [current, fact, placement] = await redis
        .multi()
        .get(versionKey(portalId))
        .hgetBuffer(key(portalId, 'facts'), companyId)
        .hgetBuffer(key(portalId, 'placements'), companyId)
        .exec()
        .then((results) => (results ?? []).map(([, value]) => value));
      const account =
        Buffer.isBuffer(fact) && Buffer.isBuffer(placement) ? joinAccount(fact, placement) : null;
      rememberAccount(cacheKey, { version: typeof current === 'string' ? current : null, account });
      return account;
    },

    /** Every account of the snapshot (a re-rank reads them all), read in one transaction. */
    async accounts(portalId: number): Promise<SnapshotAccounts> {
      const results = await redis
        .multi()
        .hgetallBuffer(key(portalId, 'facts'))
        .hgetallBuffer(key(portalId, 'placements'))
        .get(versionKey(portalId))
        .exec();
      const [facts, placements, version] = (results ?? []).map(([, value]) => value);
      const accounts = new Map<string, AccountSnapshot>();
      const placed = (placements ?? {}) as Record<string, Buffer>;
      const pause = timeSlicer();
      for (const [companyId, fact] of Object.entries((facts ?? {}) as Record<string, Buffer>)) {
        const placement = placed[companyId];
        if (placement !== undefined) accounts.set(companyId, joinAccount(fact, placement));
        // Unpacking 20,000 accounts takes seconds: other portals' passes run between slices.
        await pause();
      }
      return { version: Number(version ?? 0), accounts };
    },

    /** Each account's tier in force at the last snapshot (small: for movements). */
    async tiers(portalId: number): Promise<Map<string, Tier>> {
      return new Map(
        Object.entries(await redis.hgetall(key(portalId, 'tiers'))) as [string, Tier][],
      );
    },

    /** The frame, parsed once per snapshot version in this process (every card reads it). */
    async frame(portalId: number): Promise<SnapshotFrame | null> {
      const version = await redis.get(versionKey(portalId));
      const hit = frames.get(portalId);
      if (hit !== undefined && hit.version === version) return hit.frame;
      const [current, json] = (
        (await redis.multi().get(versionKey(portalId)).get(key(portalId, 'frame')).exec()) ?? []
      ).map(([, value]) => value) as (string | null)[];
      const stored =
        typeof json === 'string'
          ? (JSON.parse(json) as SnapshotFrame & { modelVersion?: number })
          : null;
      const frame = stored?.modelVersion === MODEL_VERSION ? stored : null;
      frames.set(portalId, { version: current ?? null, frame });
      return frame;
    },

    async writeFailure(portalId: number, companyId: string): Promise<WriteFailure | null> {
      const json = await redis.hget(key(portalId, 'write-failures'), companyId);
      return json === null ? null : (JSON.parse(json) as WriteFailure);
    },

    /**
     * A company's property history as HubSpot last gave it (score trend, who
     * pinned), so a warm scorecard needs no HubSpot call; dropped whenever the
     * app writes the company, and after ten minutes in any case.
     */
    async cachedHistory(portalId: number, companyId: string): Promise<PropertyHistory | null> {
      const json = await redis.get(key(portalId, `history:${companyId}`));
      return json === null ? null : (JSON.parse(json) as PropertyHistory);
    },

    async cacheHistory(
      portalId: number,
      companyId: string,
      history: PropertyHistory,
    ): Promise<void> {
      await redis.set(
        key(portalId, `history:${companyId}`),
        JSON.stringify(history),
        'EX',
        HISTORY_TTL_SECONDS,
      );
    },

    async forgetHistory(portalId: number, companyIds: readonly string[]): Promise<void> {
      for (let start = 0; start < companyIds.length; start += PIPELINE_SIZE) {
        const keys = companyIds
          .slice(start, start + PIPELINE_SIZE)
          .map((id) => key(portalId, `history:${id}`));
        if (keys.length > 0) await redis.del(...keys);
      }
    },
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;

/** A run's refused writes, as the snapshot keeps them for the cards. */
export function writeFailures(
  failed: readonly { readonly id: string; readonly code: string; readonly message: string }[],
  at: string,
): Map<string, WriteFailure> {
  return new Map(
    failed.map((failure) => [failure.id, { code: failure.code, message: failure.message, at }]),
  );
}

/**
 * The version a snapshot transaction ended on (its last command, the
 * INCR). Any refused command fails the write: a transaction is not rolled
 * back, so one with a refused command must not pass for a new version.
 */
function appliedVersion(results: Awaited<ReturnType<ChainableCommander['exec']>>): number {
  const version = appliedResults(results, 'the snapshot write').at(-1);
  if (typeof version !== 'number') throw new Error('the snapshot write was not applied');
  return version;
}

function packedPlacement(account: AccountSnapshot): Buffer {
  const placement: Placement = { standing: account.standing, entry: account.entry };
  return packJson(placement);
}

function joinAccount(fact: Buffer, placement: Buffer): AccountSnapshot {
  return { fact: unpackJson<AccountFacts>(fact), ...unpackJson<Placement>(placement) };
}

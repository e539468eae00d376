import type { Redis } from 'ioredis';
import type {
  AccountFacts,
  AccountStanding,
  ParetoPoint,
  PortfolioSummary,
  Settings,
  Tier,
} from '../../src/index.ts';
import type { CompanyWithHistory } from '../hubspot/portal-client.ts';

/** One account as the last recompute left it: enough to rescore it alone. */
export interface AccountSnapshot {
  readonly fact: AccountFacts;
  readonly standing: AccountStanding;
}

/** What every account of the snapshot shares. */
export interface SnapshotFrame {
  readonly productLines: readonly string[];
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
const HISTORY_TTL_SECONDS = 600;

export type PropertyHistory = NonNullable<CompanyWithHistory['propertiesWithHistory']>;

/**
 * The per-portal snapshot in Redis. A full recompute writes a new snapshot
 * beside the old one and swaps it in with one atomic RENAME, so a reader
 * (or a worker killed mid-write) never sees half of one.
 */
export function createSnapshotStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number, part: string): string => `${prefix}:portal:${portalId}:${part}`;

  return {
    async replace(
      portalId: number,
      accounts: Iterable<AccountSnapshot>,
      frame: SnapshotFrame,
      failures: ReadonlyMap<string, WriteFailure>,
    ): Promise<void> {
      const staging = key(portalId, 'accounts-staging');
      const tiersStaging = key(portalId, 'tiers-staging');
      await redis.del(staging, tiersStaging);
      let batch = redis.pipeline();
      let queued = 0;
      for (const account of accounts) {
        batch.hset(staging, account.fact.companyId, JSON.stringify(account));
        batch.hset(tiersStaging, account.fact.companyId, account.standing.tier.tier);
        queued += 1;
        if (queued % PIPELINE_SIZE === 0) {
          await batch.exec();
          batch = redis.pipeline();
        }
      }
      await batch.exec();
      const swap = redis.multi();
      if (queued > 0) {
        swap.rename(staging, key(portalId, 'accounts'));
        swap.rename(tiersStaging, key(portalId, 'tiers'));
      } else {
        swap.del(key(portalId, 'accounts'), key(portalId, 'tiers'));
      }
      swap.set(key(portalId, 'frame'), JSON.stringify(frame));
      swap.del(key(portalId, 'write-failures'));
      for (const [companyId, failure] of failures) {
        swap.hset(key(portalId, 'write-failures'), companyId, JSON.stringify(failure));
      }
      await swap.exec();
    },

    async account(portalId: number, companyId: string): Promise<AccountSnapshot | null> {
      const json = await redis.hget(key(portalId, 'accounts'), companyId);
      return json === null ? null : (JSON.parse(json) as AccountSnapshot);
    },

    /** Every account of the snapshot (the incremental recompute re-ranks them all). */
    async accounts(portalId: number): Promise<AccountSnapshot[]> {
      const all = await redis.hvals(key(portalId, 'accounts'));
      return all.map((json) => JSON.parse(json) as AccountSnapshot);
    },

    /** Each account's tier in force at the last snapshot (small: for movements). */
    async tiers(portalId: number): Promise<Map<string, Tier>> {
      return new Map(
        Object.entries(await redis.hgetall(key(portalId, 'tiers'))) as [string, Tier][],
      );
    },

    async frame(portalId: number): Promise<SnapshotFrame | null> {
      const json = await redis.get(key(portalId, 'frame'));
      return json === null ? null : (JSON.parse(json) as SnapshotFrame);
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

    /** Forgets everything about a portal (uninstall). */
    async remove(portalId: number): Promise<void> {
      await redis.del(
        key(portalId, 'accounts'),
        key(portalId, 'accounts-staging'),
        key(portalId, 'tiers'),
        key(portalId, 'tiers-staging'),
        key(portalId, 'frame'),
        key(portalId, 'write-failures'),
      );
    },
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;

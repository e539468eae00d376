import type { Explanation } from './explanation.ts';
import { formatMoney, formatPercent } from './format.ts';
import type { RatedTier, Settings, Tier } from './settings.ts';
import type { SortedColumn } from './sorted-column.ts';

export interface TierInput {
  readonly companyId: string;
  readonly revenueTtm: number;
  readonly tierOverride: RatedTier | null;
}

export interface TierResult {
  /** The tier in force: the pin when there is one. */
  readonly tier: Tier;
  /** What the model computed, whatever the pin says. */
  readonly computedTier: Tier;
  readonly pinned: boolean;
  /** 1-based Pareto rank among rated accounts; null when unrated. */
  readonly rank: number | null;
  /** Revenue share held by the accounts ranked above (Pareto), null when unrated. */
  readonly shareBefore: number | null;
  readonly explanation: Explanation;
}

export interface Tiering {
  /** The tier in force of the account at `index`, without its result. */
  readonly tierAt: (index: number) => Tier;
  /**
   * The account's tier result, built when read: a re-rank compares every
   * account's tier but builds the results of the few it rescores.
   */
  readonly resultAt: (index: number) => TierResult;
  /** Each account's, in the order of the accounts given (built on first use). */
  readonly tiers: readonly TierResult[];
  readonly byCompany: ReadonlyMap<string, TierResult>;
  /** Company ids of rated accounts, largest revenueTtm first (ties: lower HubSpot id first). */
  readonly ranking: readonly string[];
}

/**
 * Orders HubSpot ids numerically (they are decimal strings), falling back to
 * text order for anything else.
 */
export function compareHubSpotIds(a: string, b: string): number {
  if (a.length !== b.length && isDigits(a) && isDigits(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `text` is one or more decimal digits (a sort of 100k ids asks it a million times). */
function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The value tier of kam-model.md §3 for every company. A company with no
 * revenue in the window is `unrated`. A pin (`kam_tier_override`) wins.
 */
export function assignTiers(accounts: readonly TierInput[], settings: Settings): Tiering {
  // Positions into `accounts` rather than a map by company id: a portfolio
  // has 100k accounts, and scoring reads their tiers in order.
  const revenues = new Float64Array(accounts.length);
  accounts.forEach((account, index) => {
    revenues[index] = account.revenueTtm;
  });
  const idOf = (index: number): string => (accounts[index] as TierInput).companyId;
  return tieringOf(
    accounts.length,
    (index) => accounts[index],
    paretoRanks(revenues, idOf),
    settings,
  );
}

/**
 * The tiers of `count` accounts from their Pareto ranks (the whole
 * portfolio's, or some accounts' alone: `paretoRanksIn`). `accountAt` may
 * give undefined for an account that was not ranked, which cannot be read.
 */
export function tieringOf(
  count: number,
  accountAt: (index: number) => TierInput | undefined,
  pareto: ParetoRanks,
  settings: Settings,
): Tiering {
  const method =
    settings.tierMethod === 'pareto' ? paretoTiers(settings) : thresholdTiers(settings);
  const ranked = (index: number): TierInput => {
    const account = accountAt(index);
    if (account === undefined) throw new Error(`internal: the account at ${index} was not ranked`);
    return account;
  };
  const tierAt = (index: number): Tier => {
    const account = ranked(index);
    if (account.tierOverride !== null) return account.tierOverride;
    return pareto.rankAt(index) === 0
      ? 'unrated'
      : method.tierOf(account, pareto.shareBeforeAt(index));
  };
  const resultAt = (index: number): TierResult => {
    const account = ranked(index);
    const rank = pareto.rankAt(index);
    if (rank === 0) {
      const explanation: Explanation = {
        rule: 'tier.unrated',
        text: 'Unrated: no won revenue in the window',
        inputs: { revenueTtm: account.revenueTtm },
      };
      return withPin(account, { tier: 'unrated', explanation }, null, null);
    }
    const shareBefore = pareto.shareBeforeAt(index);
    const computed = method.explain(account, rank, pareto.ratedCount, shareBefore);
    return withPin(account, computed, rank, shareBefore);
  };

  let tiers: TierResult[] | undefined;
  let byCompany: Map<string, TierResult> | undefined;
  return {
    tierAt,
    resultAt,
    get ranking() {
      return pareto.ranking();
    },
    get tiers() {
      tiers ??= Array.from({ length: count }, (_, index) => resultAt(index));
      return tiers;
    },
    get byCompany() {
      byCompany ??= new Map(this.tiers.map((tier, index) => [ranked(index).companyId, tier]));
      return byCompany;
    },
  };
}

/** 1-based Pareto ranks among rated accounts (0: unrated) and the revenue share ranked above. */
export interface ParetoRanks {
  readonly rankAt: (index: number) => number;
  readonly shareBeforeAt: (index: number) => number;
  readonly ratedCount: number;
  /** Company ids of rated accounts, largest revenue first. */
  readonly ranking: () => readonly string[];
}

/** Every account's rank: rated positions sorted by revenue (ties: lower id first). */
function paretoRanks(revenues: Float64Array, idOf: (index: number) => string): ParetoRanks {
  let ratedCount = 0;
  for (const revenue of revenues) if (revenue > 0) ratedCount += 1;
  // Typed: sorting 100k positions by a typed column takes half the time.
  const rated = new Int32Array(ratedCount);
  ratedCount = 0;
  revenues.forEach((revenue, index) => {
    if (revenue > 0) rated[ratedCount++] = index;
  });
  const revenueOf = (index: number): number => revenues[index] as number;
  rated.sort((a, b) => revenueOf(b) - revenueOf(a) || compareHubSpotIds(idOf(a), idOf(b)));
  const ratedRevenue = rated.reduce((sum, index) => sum + revenueOf(index), 0);
  const ranks = new Int32Array(revenues.length);
  const sharesBefore = new Float64Array(revenues.length);
  let revenueAbove = 0;
  rated.forEach((index, position) => {
    ranks[index] = position + 1;
    // Dividing summed revenue (not summing shares) keeps exact cut-offs exact.
    sharesBefore[index] = revenueAbove / ratedRevenue;
    revenueAbove += revenueOf(index);
  });
  let ranking: string[] | undefined;
  return {
    rankAt: (index) => ranks[index] as number,
    shareBeforeAt: (index) => sharesBefore[index] as number,
    ratedCount,
    ranking: () => (ranking ??= Array.from(rated, idOf)),
  };
}

/**
 * The ranks of the accounts at `only` alone, the same numbers the whole
 * ranking gives them, counted in `rated` (the rated revenues, kept sorted):
 * the accounts above one are those with more revenue, and of equal revenue
 * those with a lower id; the revenue above it is added largest first, as
 * the whole ranking adds it (equal revenues are the same number, so their
 * order does not change the sum).
 */
export function paretoRanksIn(
  rated: SortedColumn,
  revenueAt: (index: number) => number,
  count: number,
  idOf: (index: number) => string,
  only: Iterable<number>,
): ParetoRanks {
  const ratedRevenue = rated.sumOfLargest(rated.length);
  const ranks = new Map<number, { rank: number; shareBefore: number }>();
  for (const index of only) {
    const revenue = revenueAt(index);
    if (!(revenue > 0)) {
      ranks.set(index, { rank: 0, shareBefore: 0 });
      continue;
    }
    const { lower, equal } = rated.countsOf(revenue);
    let above = rated.length - lower - equal;
    if (equal > 1) {
      const id = idOf(index);
      for (let other = 0; other < count; other += 1) {
        if (revenueAt(other) === revenue && compareHubSpotIds(idOf(other), id) < 0) above += 1;
      }
    }
    ranks.set(index, { rank: above + 1, shareBefore: rated.sumOfLargest(above) / ratedRevenue });
  }
  const rankOf = (index: number) => {
    const rank = ranks.get(index);
    if (rank === undefined) throw new Error(`internal: the account at ${index} was not ranked`);
    return rank;
  };
  return {
    rankAt: (index) => rankOf(index).rank,
    shareBeforeAt: (index) => rankOf(index).shareBefore,
    ratedCount: rated.length,
    ranking: () => {
      throw new Error('internal: the ranking of some accounts is not known');
    },
  };
}

interface Computed {
  readonly tier: Tier;
  readonly explanation: Explanation;
}

/** A tier method: the tier alone, and the tier with its sentence. */
interface TierMethod {
  tierOf(account: TierInput, shareBefore: number): RatedTier;
  explain(account: TierInput, rank: number, ratedCount: number, shareBefore: number): Computed;
}

/** Pareto tiers; the cut-off each tier is compared against is formatted once per run. */
function paretoTiers(settings: Settings): TierMethod {
  const { strategic, key, standard } = settings.paretoCutoffs;
  const below = (cutoff: number): string => `< ${formatPercent(cutoff)}`;
  const comparisons: Readonly<Record<RatedTier, string>> = {
    strategic: below(strategic),
    key: below(key),
    standard: below(standard),
    transactional: `≥ ${formatPercent(standard)}`,
  };
  const cutoffs: Readonly<Record<RatedTier, number | null>> = {
    strategic,
    key,
    standard,
    transactional: null,
  };
  const tierOf = (_account: TierInput, shareBefore: number): RatedTier =>
    shareBefore < strategic
      ? 'strategic'
      : shareBefore < key
        ? 'key'
        : shareBefore < standard
          ? 'standard'
          : 'transactional';
  return {
    tierOf,
    explain(account, rank, ratedCount, shareBefore) {
      const tier = tierOf(account, shareBefore);
      const revenueTtm = account.revenueTtm;
      return {
        tier,
        explanation: {
          rule: 'tier.pareto',
          text: `Rank ${rank} of ${ratedCount} by revenue (${formatMoney(revenueTtm)}); accounts ranked above hold ${formatPercent(shareBefore)} of revenue (${comparisons[tier]}) → ${tier}`,
          inputs: { rank, ratedCount, revenueTtm, shareBefore, cutoff: cutoffs[tier] },
        },
      };
    },
  };
}

/** Revenue thresholds; each threshold is formatted once per run. */
function thresholdTiers(settings: Settings): TierMethod {
  const { strategic, key, standard } = settings.thresholds;
  const atLeast = (threshold: number): string => `≥ ${formatMoney(threshold)}`;
  const comparisons: Readonly<Record<RatedTier, string>> = {
    strategic: atLeast(strategic),
    key: atLeast(key),
    standard: atLeast(standard),
    transactional: `< ${formatMoney(standard)}`,
  };
  const thresholds: Readonly<Record<RatedTier, number | null>> = {
    strategic,
    key,
    standard,
    transactional: null,
  };
  const tierOf = (account: TierInput): RatedTier =>
    account.revenueTtm >= strategic
      ? 'strategic'
      : account.revenueTtm >= key
        ? 'key'
        : account.revenueTtm >= standard
          ? 'standard'
          : 'transactional';
  return {
    tierOf,
    explain(account) {
      const tier = tierOf(account);
      const revenue = account.revenueTtm;
      return {
        tier,
        explanation: {
          rule: 'tier.thresholds',
          text: `Revenue ${formatMoney(revenue)} in the window (${comparisons[tier]}) → ${tier}`,
          inputs: { revenueTtm: revenue, threshold: thresholds[tier] },
        },
      };
    },
  };
}

function withPin(
  account: TierInput,
  computed: Computed,
  rank: number | null,
  shareBefore: number | null,
): TierResult {
  if (account.tierOverride === null) {
    const { tier, explanation } = computed;
    return { tier, explanation, rank, shareBefore, computedTier: tier, pinned: false };
  }
  return {
    tier: account.tierOverride,
    computedTier: computed.tier,
    pinned: true,
    rank,
    shareBefore,
    explanation: {
      rule: 'tier.override',
      text: `Pinned to ${account.tierOverride} by an admin (the model says ${computed.tier}: ${computed.explanation.text})`,
      inputs: {
        ...computed.explanation.inputs,
        computedTier: computed.tier,
        pinnedTier: account.tierOverride,
      },
    },
  };
}

export interface ParetoPoint {
  /** Share of rated accounts, largest first (0–1). */
  readonly accountShare: number;
  /** Share of revenue those accounts hold (0–1). */
  readonly revenueShare: number;
}

/**
 * The Pareto (Lorenz) curve of a portfolio: for the largest x% of rated
 * accounts, the share of revenue they hold; at most `points` + 1 points,
 * from (0, 0) to (1, 1). The 80/20 rule reads off it at x = 0.2.
 *
 * @example
 * paretoCurve([60, 30, 10], 3) // (0,0) (⅓,0.6) (⅔,0.9) (1,1)
 */
export function paretoCurve(revenues: readonly number[], points = 100): ParetoPoint[] {
  // A typed sort: a pass draws the curve of 100k accounts.
  const rated = Float64Array.from(revenues)
    .filter((revenue) => revenue > 0)
    .sort()
    .reverse();
  const total = rated.reduce((sum, revenue) => sum + revenue, 0);
  if (rated.length === 0 || total <= 0) return [];
  const steps = Math.min(points, rated.length);
  const curve: ParetoPoint[] = [{ accountShare: 0, revenueShare: 0 }];
  let held = 0;
  let taken = 0;
  for (let step = 1; step <= steps; step += 1) {
    const upTo = Math.round((step / steps) * rated.length);
    while (taken < upTo) held += rated[taken++] as number;
    curve.push({ accountShare: upTo / rated.length, revenueShare: held / total });
  }
  return curve;
}

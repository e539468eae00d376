import type { AccountInputs } from './account-inputs.ts';
import type { AccountPercentiles } from './matrix.ts';
import type { GroupMemberInput, GroupRow, GroupStanding } from './groups.ts';
import { groupAccounts } from './groups.ts';
import type { AccountMetrics } from './metrics.ts';
import { percentileColumn } from './percentile.ts';
import type { Settings, Tier } from './settings.ts';
import type { TierInput, TierResult } from './tiering.ts';
import { assignTiers } from './tiering.ts';

/**
 * Where one account stands in its portfolio: everything about it that
 * depends on the other accounts. Plain data, so the backend can keep it with
 * the account's facts and rescore that one account on demand.
 */
export interface AccountStanding {
  readonly tier: TierResult;
  readonly share: number;
  readonly percentiles: AccountPercentiles;
  /** §11: the account's group (a standalone company is a group of one). */
  readonly group: GroupStanding;
}

/** What ranking needs of an account: a few numbers, not its facts. */
export interface RankingInput {
  readonly companyId: string;
  readonly metrics: Pick<
    AccountMetrics,
    'revenueTtm' | 'pipelineWeighted' | 'revenuePrev' | 'productLines'
  >;
  readonly inputs: Pick<
    AccountInputs,
    'annualRevenue' | 'employees' | 'tierOverride' | 'name' | 'parentCompanyId'
  >;
  readonly openComplaints: number;
}

export interface PortfolioStandings {
  /** The tier in force of the account at `index`, without its standing. */
  readonly tierAt: (index: number) => Tier;
  /**
   * The standing of the account at `index`, built when read: a pass
   * compares every account but rescores and keeps few.
   */
  readonly standingAt: (index: number) => AccountStanding;
  /**
   * Whether the account's standing reads as `before` in every part its
   * written properties can depend on: tier, pin, percentiles, which side of
   * T4's share cut-off it is, and its group. When it does, a re-rank cannot
   * have changed its properties, whatever happened to its exact share or its
   * tier sentence. Compared without building the standing: a pass compares
   * a whole portfolio's.
   */
  readonly showsAlike: (index: number, before: AccountStanding) => boolean;
  /**
   * `showsAlike` but for the percentiles, which `percentilesAt` gives: a
   * re-rank moves the exact percentiles of many accounts, and whether that
   * shows is a question for scoring (`percentilesShowAlike`).
   */
  readonly alikeButPercentiles: (index: number, before: AccountStanding) => boolean;
  readonly percentilesAt: (index: number) => AccountPercentiles;
  /** In the order of the accounts given (built on first use). */
  readonly standings: readonly AccountStanding[];
  /** Company ids of rated accounts, largest revenue first. */
  readonly ranking: readonly string[];
  readonly totalRevenue: number;
  /** §11: every group, largest revenueTtm first. */
  readonly groups: readonly GroupRow[];
}

/**
 * Tier, revenue share and percentiles of every account (§3, §4): the part
 * of scoring that is relative to the portfolio, in O(n log n).
 */
export function portfolioStandings(
  accounts: readonly RankingInput[],
  settings: Settings,
): PortfolioStandings {
  return rankAccounts(accounts, settings);
}

/** The ranking of every account. */
function rankAccounts(accounts: readonly RankingInput[], settings: Settings): PortfolioStandings {
  const totalRevenue = accounts.reduce((sum, account) => sum + account.metrics.revenueTtm, 0);
  const tiering = assignTiers(accounts.map(tierInput), settings);
  const column = (valueAt: (account: RankingInput) => number | null): Float64Array =>
    percentileColumn(accounts.length, (index) => valueAt(accounts[index] as RankingInput));
  const size = column(RANKED_COLUMNS.size);
  const potential = column(RANKED_COLUMNS.potential);
  const byRevenue = column(RANKED_COLUMNS.byRevenue);
  const byEmployees = column(RANKED_COLUMNS.byEmployees);
  const rankOf = (ranks: Float64Array, index: number): number | null => {
    const rank = ranks[index] as number;
    return Number.isNaN(rank) ? null : rank;
  };
  const grouping = groupAccounts(accounts.map(groupMemberInput), settings);

  const accountAt = (index: number): RankingInput => {
    const account = accounts[index];
    if (account === undefined) throw new Error(`internal: no account at ${index}`);
    return account;
  };
  const shareAt = (index: number): number =>
    totalRevenue > 0 ? accountAt(index).metrics.revenueTtm / totalRevenue : 0;
  const percentilesAt = (index: number): AccountPercentiles =>
    percentilesOf(
      rankOf(size, index),
      rankOf(potential, index),
      rankOf(byRevenue, index),
      rankOf(byEmployees, index),
    );
  const standingAt = (index: number): AccountStanding => ({
    tier: tiering.resultAt(index),
    share: shareAt(index),
    percentiles: percentilesAt(index),
    group: grouping.standingAt(index),
  });
  const alikeButPercentiles = (index: number, before: AccountStanding): boolean =>
    before.tier.tier === tiering.tierAt(index) &&
    before.tier.pinned === (accountAt(index).inputs.tierOverride !== null) &&
    before.share >= DEPENDENCE_SHARE === shareAt(index) >= DEPENDENCE_SHARE &&
    grouping.showsAlike(index, before.group);
  const showsAlike = (index: number, before: AccountStanding): boolean => {
    const now = percentilesAt(index);
    const was = before.percentiles;
    return (
      was.size === now.size &&
      was.potential === now.potential &&
      was.scale === now.scale &&
      was.scaleBasis === now.scaleBasis &&
      alikeButPercentiles(index, before)
    );
  };
  let standings: AccountStanding[] | undefined;
  return {
    tierAt: tiering.tierAt,
    standingAt,
    showsAlike,
    alikeButPercentiles,
    percentilesAt,
    get standings() {
      standings ??= accounts.map((_, index) => standingAt(index));
      return standings;
    },
    get ranking() {
      return tiering.ranking;
    },
    totalRevenue,
    get groups() {
      return grouping.groups;
    },
  };
}

/** The share above which T4 (dependence on one account) fires. */
export const DEPENDENCE_SHARE = 0.2;

/** The four measures an account is ranked on in percentiles (§4); null: not known. */
export const RANKED_COLUMNS = {
  size: (account: RankingInput): number => account.metrics.revenueTtm,
  potential: (account: RankingInput): number => account.metrics.pipelineWeighted,
  byRevenue: (account: RankingInput): number | null => account.inputs.annualRevenue,
  byEmployees: (account: RankingInput): number | null => account.inputs.employees,
} as const;

/** An account's percentiles from its ranks in the four columns (null: no value there). */
export function percentilesOf(
  size: number | null,
  potential: number | null,
  byRevenue: number | null,
  byEmployees: number | null,
): AccountPercentiles {
  return {
    size: size ?? 50,
    potential: potential ?? 50,
    scale: byRevenue ?? byEmployees,
    scaleBasis:
      byRevenue !== null ? 'annualrevenue' : byEmployees !== null ? 'numberofemployees' : null,
  };
}

/** What §3's tiering reads of an account. */
export function tierInput(account: RankingInput): TierInput {
  return {
    companyId: account.companyId,
    revenueTtm: account.metrics.revenueTtm,
    tierOverride: account.inputs.tierOverride,
  };
}

/** What §11's grouping reads of an account. */
export function groupMemberInput(account: RankingInput): GroupMemberInput {
  return {
    companyId: account.companyId,
    name: account.inputs.name,
    parentCompanyId: account.inputs.parentCompanyId,
    revenueTtm: account.metrics.revenueTtm,
    revenuePrev: account.metrics.revenuePrev,
    pipelineWeighted: account.metrics.pipelineWeighted,
    openComplaints: account.openComplaints,
    productLines: account.metrics.productLines,
  };
}

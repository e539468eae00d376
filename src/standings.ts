import type { AccountInputs } from './account-inputs.ts';
import type { AccountPercentiles } from './matrix.ts';
import type { Group, GroupStanding } from './groups.ts';
import { groupAccounts } from './groups.ts';
import type { AccountMetrics } from './metrics.ts';
import { percentileRanks } from './percentile.ts';
import type { Settings } from './settings.ts';
import type { TierResult } from './tiering.ts';
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
  /** In the order of the accounts given. */
  readonly standings: readonly AccountStanding[];
  /** Company ids of rated accounts, largest revenue first. */
  readonly ranking: readonly string[];
  readonly totalRevenue: number;
  /** §11: every group, largest revenueTtm first. */
  readonly groups: readonly Group[];
}

/**
 * Tier, revenue share and percentiles of every account (§3, §4): the part
 * of scoring that is relative to the portfolio, in O(n log n).
 */
export function portfolioStandings(
  accounts: readonly RankingInput[],
  settings: Settings,
): PortfolioStandings {
  const totalRevenue = accounts.reduce((sum, account) => sum + account.metrics.revenueTtm, 0);
  const tiering = assignTiers(
    accounts.map((account) => ({
      companyId: account.companyId,
      revenueTtm: account.metrics.revenueTtm,
      tierOverride: account.inputs.tierOverride,
    })),
    settings,
  );
  const size = percentileRanks(accounts.map((account) => account.metrics.revenueTtm));
  const potential = percentileRanks(accounts.map((account) => account.metrics.pipelineWeighted));
  const byRevenue = percentileRanks(accounts.map((account) => account.inputs.annualRevenue));
  const byEmployees = percentileRanks(accounts.map((account) => account.inputs.employees));
  const grouping = groupAccounts(
    accounts.map((account) => ({
      companyId: account.companyId,
      name: account.inputs.name,
      parentCompanyId: account.inputs.parentCompanyId,
      revenueTtm: account.metrics.revenueTtm,
      revenuePrev: account.metrics.revenuePrev,
      pipelineWeighted: account.metrics.pipelineWeighted,
      openComplaints: account.openComplaints,
      productLines: account.metrics.productLines,
    })),
    settings,
  );

  const standings = accounts.map((account, index): AccountStanding => {
    const revenueScale = byRevenue[index] ?? null;
    const employeeScale = byEmployees[index] ?? null;
    const tier = tiering.tiers[index];
    if (tier === undefined) throw new Error(`internal: company ${account.companyId} has no tier`);
    return {
      tier,
      share: totalRevenue > 0 ? account.metrics.revenueTtm / totalRevenue : 0,
      percentiles: {
        size: size[index] ?? 50,
        potential: potential[index] ?? 50,
        scale: revenueScale ?? employeeScale,
        scaleBasis:
          revenueScale !== null
            ? 'annualrevenue'
            : employeeScale !== null
              ? 'numberofemployees'
              : null,
      },
      group: grouping.standings[index] as GroupStanding,
    };
  });
  return { standings, ranking: tiering.ranking, totalRevenue, groups: grouping.groups };
}

/** The share above which T4 (dependence on one account) fires. */
export const DEPENDENCE_SHARE = 0.2;

/**
 * The part of a standing that the written properties can depend on: tier,
 * pin, percentiles, which side of T4's share cut-off the account is, and
 * its group.
 * When it is unchanged, a re-rank cannot have changed the account's
 * properties, whatever happened to its exact share or its tier sentence.
 */
export function standingKey(standing: AccountStanding): string {
  const { tier, percentiles } = standing;
  return [
    tier.tier,
    tier.pinned,
    percentiles.size,
    percentiles.potential,
    percentiles.scale,
    percentiles.scaleBasis,
    standing.share >= DEPENDENCE_SHARE,
    groupKey(standing.group),
  ].join('|');
}

/** What the written group properties (§11) and O3's sibling lines read of a group. */
function groupKey(group: GroupStanding): string {
  return [
    group.id,
    group.name,
    group.tier,
    group.size,
    group.revenueTtm,
    group.biggestMember?.id,
    group.siblingLines.join(','),
  ].join('|');
}

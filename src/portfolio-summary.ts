/**
 * The portfolio summary of kam-model.md §3: tier counts and revenue shares,
 * the concentration in the top 20% and in the absolute bands, matrix,
 * segment and stage counts, and the run's data quality.
 */
import type { DataQualityReport, FlagCode } from './data-quality.ts';
import type { CreditCounts } from './deals.ts';
import type { Explanation } from './explanation.ts';
import type { GroupsSummary } from './groups.ts';
import { formatCount, formatMoney, formatPercent, round } from './format.ts';
import type { RelationshipStage, Segment } from './loyalty.ts';
import { SEGMENTS, STAGES } from './loyalty.ts';
import type { MatrixLevel, Strategy } from './matrix.ts';
import { MATRIX_LEVELS, STRATEGIES } from './matrix.ts';
import type { Settings, Tier } from './settings.ts';
import { TIERS } from './settings.ts';

export interface PortfolioSummary {
  readonly companies: number;
  readonly ratedCompanies: number;
  readonly revenueTtm: number;
  readonly tierCounts: Readonly<Record<Tier, number>>;
  readonly revenueShareByTier: Readonly<Record<Tier, number>>;
  /** Share of revenue held by the top 20% of rated accounts; null when none is rated. */
  readonly top20Share: number | null;
  /** The seed's absolute bands: rated accounts at or above the key threshold (t2), and their revenue. */
  readonly topBands: TopBands;
  readonly strategyCounts: Readonly<Record<Strategy, number>>;
  /** Companies per matrix cell, keyed `attractiveness/strength`, e.g. `high/medium`. */
  readonly matrixCounts: Readonly<Record<string, number>>;
  /** Accounts per segment; accounts without one (loyalty not yet measurable) are not counted. */
  readonly segmentCounts: Readonly<Record<Segment, number>>;
  readonly stageCounts: Readonly<Record<RelationshipStage, number>>;
  readonly productLines: readonly string[];
  readonly dataQuality: DataQualityReport;
  /** §11: the Pareto over groups (a standalone company is a group of one). */
  readonly groups: GroupsSummary;
  readonly explanations: Readonly<Record<string, Explanation>>;
}

/** How concentrated revenue is in the seed's absolute bands (kam-model.md §3, v2). */
export interface TopBands {
  /** revenueTtm at or above which an account is in the top bands (the `key` threshold). */
  readonly threshold: number;
  readonly accounts: number;
  /** accounts / rated accounts; null when none is rated. */
  readonly accountShare: number | null;
  /** Their share of rated revenue; null when none is rated. */
  readonly revenueShare: number | null;
}

function countBy<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** What the portfolio summary needs of one scored account. */
export interface SummaryEntry {
  readonly id: string;
  readonly tier: Tier;
  readonly revenueTtm: number;
  readonly strategy: Strategy | null;
  readonly attractivenessLevel: MatrixLevel | null;
  readonly strengthLevel: MatrixLevel | null;
  readonly segment: Segment | null;
  readonly stage: RelationshipStage;
  readonly flagCodes: readonly FlagCode[];
}

/**
 * The portfolio summary from every account's entry, without rescoring them:
 * what a re-rank after one company's change uses.
 */
export function summarizePortfolio(
  entries: Iterable<SummaryEntry>,
  ranking: readonly string[],
  productLines: readonly string[],
  dealCounts: Readonly<CreditCounts>,
  settings: Settings,
  groups: GroupsSummary,
): PortfolioSummary {
  const totals = newSummary();
  for (const entry of entries) addToSummary(totals, entry);
  return finishSummary(totals, ranking, productLines, dealCounts, settings, groups);
}

export interface SummaryTotals {
  companies: number;
  revenueTtm: number;
  companiesFlagged: number;
  readonly revenueOf: Map<string, number>;
  readonly flagCounts: Partial<Record<FlagCode, number>>;
  readonly tierCounts: Record<Tier, number>;
  readonly revenueByTier: Record<Tier, number>;
  readonly strategyCounts: Record<Strategy, number>;
  readonly matrixCounts: Record<string, number>;
  readonly segmentCounts: Record<Segment, number>;
  readonly stageCounts: Record<RelationshipStage, number>;
}

export function newSummary(): SummaryTotals {
  return {
    companies: 0,
    revenueTtm: 0,
    companiesFlagged: 0,
    revenueOf: new Map(),
    flagCounts: {},
    tierCounts: countBy(TIERS),
    revenueByTier: countBy(TIERS),
    strategyCounts: countBy(STRATEGIES),
    matrixCounts: {},
    segmentCounts: countBy(SEGMENTS),
    stageCounts: countBy(STAGES),
  };
}

/** Each cell's key (`high/medium`), written once rather than for every account. */
const MATRIX_CELLS = Object.fromEntries(
  MATRIX_LEVELS.map((attractivenessLevel) => [
    attractivenessLevel,
    Object.fromEntries(
      MATRIX_LEVELS.map((strengthLevel) => [
        strengthLevel,
        `${attractivenessLevel}/${strengthLevel}`,
      ]),
    ),
  ]),
) as Readonly<Record<MatrixLevel, Readonly<Record<MatrixLevel, string>>>>;

export function addToSummary(totals: SummaryTotals, entry: SummaryEntry): void {
  totals.companies += 1;
  totals.revenueTtm += entry.revenueTtm;
  // Only the ranked (revenue > 0) are looked up, and a missing one counts 0:
  // the unrated third of a portfolio need not be in the map.
  if (entry.revenueTtm !== 0) totals.revenueOf.set(entry.id, entry.revenueTtm);
  totals.tierCounts[entry.tier] += 1;
  totals.revenueByTier[entry.tier] += entry.revenueTtm;
  if (entry.strategy !== null) totals.strategyCounts[entry.strategy] += 1;
  if (entry.attractivenessLevel !== null && entry.strengthLevel !== null) {
    const cell = MATRIX_CELLS[entry.attractivenessLevel][entry.strengthLevel];
    totals.matrixCounts[cell] = (totals.matrixCounts[cell] ?? 0) + 1;
  }
  if (entry.segment !== null) totals.segmentCounts[entry.segment] += 1;
  totals.stageCounts[entry.stage] += 1;
  if (entry.flagCodes.length > 0) totals.companiesFlagged += 1;
  for (const code of entry.flagCodes) totals.flagCounts[code] = (totals.flagCounts[code] ?? 0) + 1;
}

export function finishSummary(
  totals: SummaryTotals,
  ranking: readonly string[],
  productLines: readonly string[],
  dealCounts: Readonly<CreditCounts>,
  settings: Settings,
  groups: GroupsSummary,
): PortfolioSummary {
  const { revenueTtm: totalRevenue, revenueOf } = totals;
  const revenueShareByTier = Object.fromEntries(
    TIERS.map((tier) => [tier, totalRevenue > 0 ? totals.revenueByTier[tier] / totalRevenue : 0]),
  ) as Record<Tier, number>;

  const topCount = Math.ceil(ranking.length * 0.2);
  const ratedRevenue = ranking.reduce((sum, id) => sum + (revenueOf.get(id) ?? 0), 0);
  const topRevenue = ranking
    .slice(0, topCount)
    .reduce((sum, id) => sum + (revenueOf.get(id) ?? 0), 0);
  const top20Share = ranking.length > 0 && ratedRevenue > 0 ? topRevenue / ratedRevenue : null;
  const topBands = topBandsOf(ranking, revenueOf, ratedRevenue, settings.thresholds.key);

  return {
    companies: totals.companies,
    ratedCompanies: ranking.length,
    revenueTtm: totalRevenue,
    tierCounts: totals.tierCounts,
    revenueShareByTier,
    top20Share,
    topBands,
    strategyCounts: totals.strategyCounts,
    matrixCounts: totals.matrixCounts,
    segmentCounts: totals.segmentCounts,
    stageCounts: totals.stageCounts,
    productLines,
    dataQuality: {
      ...dealCounts,
      companiesFlagged: totals.companiesFlagged,
      flags: totals.flagCounts,
    },
    groups,
    explanations: {
      top20Share: {
        rule: 'portfolio.top20',
        text:
          top20Share === null
            ? 'No rated account yet'
            : `The top ${topCount} of ${ranking.length} rated accounts (20%) hold ${formatPercent(top20Share)} of revenue` +
              (top20Share < 0.6 ? ': far from 80/20 — many customers of low value' : ''),
        inputs: {
          topCount,
          ratedCount: ranking.length,
          top20Share: top20Share === null ? null : round(top20Share, 4),
        },
      },
      topBands: topBandsExplanation(topBands),
      groups: groups.explanation,
    },
  };
}

/** Below this share of revenue the top bands are far from 80/20 (the seed's diagnosis). */
export const SOUND_STRUCTURE_SHARE = 0.6;

function topBandsOf(
  ranking: readonly string[],
  revenueOf: ReadonlyMap<string, number>,
  ratedRevenue: number,
  threshold: number,
): TopBands {
  // The ranking is largest first: the top bands are its head.
  let accounts = 0;
  let revenue = 0;
  for (const id of ranking) {
    const value = revenueOf.get(id) ?? 0;
    if (value < threshold) break;
    accounts += 1;
    revenue += value;
  }
  const rated = ranking.length > 0 && ratedRevenue > 0;
  return {
    threshold,
    accounts,
    accountShare: rated ? accounts / ranking.length : null,
    revenueShare: rated ? revenue / ratedRevenue : null,
  };
}

function topBandsExplanation(bands: TopBands): Explanation {
  const inputs = {
    threshold: bands.threshold,
    accounts: bands.accounts,
    accountShare: bands.accountShare === null ? null : round(bands.accountShare, 4),
    revenueShare: bands.revenueShare === null ? null : round(bands.revenueShare, 4),
  };
  if (bands.accountShare === null || bands.revenueShare === null) {
    return { rule: 'portfolio.top_bands', text: 'No rated account yet', inputs };
  }
  return {
    rule: 'portfolio.top_bands',
    text:
      `${formatCount(bands.accounts, 'account', 'accounts')} (${formatPercent(bands.accountShare)} of rated accounts) buy ${formatMoney(bands.threshold)} or more a year and hold ${formatPercent(bands.revenueShare)} of revenue` +
      (bands.revenueShare < SOUND_STRUCTURE_SHARE
        ? ': far from 80/20 — the customer structure is unsound'
        : ''),
    inputs,
  };
}

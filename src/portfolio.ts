import type { AccountInputs } from './account-inputs.ts';
import { readAccountInputs } from './account-inputs.ts';
import type { AccountView } from './account-view.ts';
import { createCompanyRows } from './company-rows.ts';
import type { DataQualityFlag, DataQualityReport, FlagCode } from './data-quality.ts';
import type { CreditCounts } from './deals.ts';
import { forEachCredit, newCreditCounts } from './deals.ts';
import type { Explanation } from './explanation.ts';
import { formatCount, formatDays, formatMoney, formatPercent, isoDate, round } from './format.ts';
import type { PortfolioContext } from './portfolio-context.ts';
import { portfolioContext, productLineLabel } from './portfolio-context.ts';
import { DAY_MS } from './time.ts';
import type { CrmObject, PortalInput } from './hubspot-objects.ts';
import { linkedCompanies, parseBooleanProperty, isBlank } from './hubspot-objects.ts';
import type { Breadth, RelationshipStage, Segment } from './loyalty.ts';
import {
  loyalty,
  productBreadth,
  relationshipStage,
  segment,
  SEGMENTS,
  STAGES,
} from './loyalty.ts';
import type { Grade, MatrixLevel, Strategy } from './matrix.ts';
import {
  attractiveness,
  gradeAccount,
  MATRIX_LEVELS,
  matrixPosition,
  strength,
  STRATEGIES,
} from './matrix.ts';
import type { AccountMetrics } from './metrics.ts';
import {
  accumulateDeal,
  finishMetrics,
  LOST_RECENT_DAYS,
  metricWindows,
  newMetricsTotals,
} from './metrics.ts';
import type { NextAction } from './next-actions.ts';
import { nextActions } from './next-actions.ts';
import type { Satisfaction, SatisfactionLevel } from './satisfaction.ts';
import { measureSatisfaction } from './satisfaction.ts';
import type { Settings, Tier } from './settings.ts';
import { TIERS } from './settings.ts';
import type { SwotItem } from './swot.ts';
import { deriveSwot } from './swot.ts';
import type { AccountStanding } from './standings.ts';
import { portfolioStandings } from './standings.ts';

/**
 * Everything about one company that does not depend on any other company:
 * its parsed inputs, its §2 metrics, open complaints and data-quality flags.
 * The backend keeps these per company so one deal change re-ranks the
 * portfolio without re-reading it.
 */
export interface AccountFacts {
  readonly companyId: string;
  readonly inputs: AccountInputs;
  readonly metrics: AccountMetrics;
  readonly openComplaints: number;
  readonly flags: readonly DataQualityFlag[];
}

export type DealCounts = Readonly<CreditCounts>;

export interface CompanyScore {
  readonly id: string;
  readonly name: string | null;
  readonly ownerId: string | null;
  readonly tier: Tier;
  readonly tierPinned: boolean;
  readonly computedTier: Tier;
  readonly paretoRank: number | null;
  /** kam_score to one decimal; the grade and matrix read the unrounded value. */
  readonly score: number | null;
  readonly grade: Grade | null;
  readonly attractiveness: number | null;
  readonly strength: number | null;
  readonly attractivenessLevel: MatrixLevel | null;
  readonly strengthLevel: MatrixLevel | null;
  readonly strategy: Strategy | null;
  readonly stage: RelationshipStage;
  readonly loyalty: number | null;
  /** Null while loyalty is not measurable (a prospect, a first-year customer). */
  readonly segment: Segment | null;
  readonly breadth: Breadth | null;
  readonly satisfactionGap: number | null;
  readonly satisfactionLevel: SatisfactionLevel | null;
  readonly satisfaction: Satisfaction;
  readonly metrics: AccountMetrics & { readonly share: number };
  readonly swot: readonly SwotItem[];
  readonly actions: readonly NextAction[];
  readonly flags: readonly DataQualityFlag[];
  readonly explanations: Readonly<Record<string, Explanation>>;
}

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

export interface PortfolioScore {
  readonly asOf: string;
  readonly portfolio: PortfolioSummary;
  readonly companies: readonly CompanyScore[];
}

/** A complaint still open: a ticket is closed when `hs_is_closed` is true or it has a close date. */
export function isOpenTicket(ticket: CrmObject): boolean {
  return !(
    parseBooleanProperty(ticket.properties.hs_is_closed) || !isBlank(ticket.properties.closed_date)
  );
}

/** Open tickets per company (see `isOpenTicket`). */
export function countOpenTickets(tickets: readonly CrmObject[]): Map<string, number> {
  const open = new Map<string, number>();
  for (const ticket of tickets) {
    if (!isOpenTicket(ticket)) continue;
    for (const { companyId } of linkedCompanies(ticket.associations?.companies?.results ?? [])) {
      open.set(companyId, (open.get(companyId) ?? 0) + 1);
    }
  }
  return open;
}

/**
 * Collects per-company facts while a portal streams past: companies first
 * (crediting needs to know them), then deals and tickets page by page in any
 * order. Only per-company running totals are kept, never the deals.
 */
export interface FactsCollector {
  addDeals(deals: readonly CrmObject[]): void;
  addTickets(tickets: readonly CrmObject[]): void;
  finish(): { facts: AccountFacts[]; dealCounts: DealCounts };
}

export function createFactsCollector(
  companies: readonly CrmObject[],
  settings: Settings,
  asOfMs: number,
): FactsCollector {
  const windows = metricWindows(settings, asOfMs);
  // One row per distinct company, in the order first seen; a company listed
  // twice keeps its first row and its last inputs.
  const rows = createCompanyRows();
  const inputs: AccountInputs[] = [];
  const flags: DataQualityFlag[][] = [];
  for (const company of companies) {
    const read = readAccountInputs(company);
    const row = rows.add(company.id);
    inputs[row] = read.inputs;
    flags[row] = read.flags;
  }
  const totals = newMetricsTotals(inputs.length);
  const openComplaints = new Array<number>(inputs.length).fill(0);
  const counts = newCreditCounts();
  return {
    addDeals(deals) {
      forEachCredit(deals, rows.rowOf, settings, counts, (row, deal, fraction) => {
        accumulateDeal(totals, row, deal, fraction, windows);
        if (deal.flags.length > 0) (flags[row] as DataQualityFlag[]).push(...deal.flags);
      });
    },
    addTickets(tickets) {
      for (const [companyId, open] of countOpenTickets(tickets)) {
        const row = rows.rowOf(companyId);
        if (row !== undefined) openComplaints[row] = (openComplaints[row] as number) + open;
      }
    },
    finish() {
      const facts = rows.ids.map((companyId, row): AccountFacts => {
        const accountInputs = inputs[row] as AccountInputs;
        return {
          companyId,
          inputs: accountInputs,
          metrics: finishMetrics(totals, row, accountInputs, windows),
          openComplaints: openComplaints[row] as number,
          flags: flags[row] as DataQualityFlag[],
        };
      });
      return { facts, dealCounts: { ...counts } };
    },
  };
}

/** Reads a whole HubSpot portal export into per-company facts. */
export function collectAccountFacts(
  input: PortalInput,
  settings: Settings,
  asOfMs: number,
): { facts: AccountFacts[]; dealCounts: DealCounts } {
  const collector = createFactsCollector(input.companies, settings, asOfMs);
  collector.addDeals(input.deals);
  collector.addTickets(input.tickets ?? []);
  return collector.finish();
}

/**
 * Scores a whole HubSpot portal as of an instant: the entry point of the model.
 *
 * @example
 * scorePortal({companies, deals}, DEFAULT_SETTINGS, Date.parse('2026-11-01T00:00:00Z'))
 */
export function scorePortal(
  input: PortalInput,
  settings: Settings,
  asOfMs: number,
): PortfolioScore {
  const { facts, dealCounts } = collectAccountFacts(input, settings, asOfMs);
  return scorePortfolio(facts, settings, asOfMs, dealCounts, input.productLineLabels);
}

/**
 * Ranks and scores every account from its facts: share, tier and percentiles
 * are relative to the portfolio, everything else follows per account.
 */
export function scorePortfolio(
  facts: readonly AccountFacts[],
  settings: Settings,
  asOfMs: number,
  dealCounts: DealCounts = newCreditCounts(),
  productLineLabels: Readonly<Record<string, string>> = {},
): PortfolioScore {
  const companies: CompanyScore[] = [];
  const { summary: portfolio } = scorePortfolioStream(
    facts,
    settings,
    asOfMs,
    dealCounts,
    (company) => {
      companies.push(company);
    },
    productLineLabels,
  );
  return { asOf: new Date(asOfMs).toISOString(), portfolio, companies };
}

/**
 * Scores every account and hands each result to `onCompany` as it is made,
 * keeping none: a portfolio of any size is scored in the memory of its facts.
 * Returns the portfolio summary and the context every account was scored in.
 */
export function scorePortfolioStream(
  facts: readonly AccountFacts[],
  settings: Settings,
  asOfMs: number,
  dealCounts: DealCounts,
  onCompany: (company: CompanyScore, standing: AccountStanding) => void,
  productLineLabels: Readonly<Record<string, string>> = {},
): { summary: PortfolioSummary; context: PortfolioContext } {
  const { standings, ranking } = portfolioStandings(facts, settings);
  const context = portfolioContext(
    facts,
    standings.map((standing) => standing.tier.tier),
    productLineLabels,
  );
  const frame: PortfolioFrame = { context, settings, asOfMs, dueDate: dueDateCache(asOfMs) };
  const summary = newSummary();

  facts.forEach((fact, index) => {
    const standing = standings[index] ?? unreachable(fact.companyId);
    const company = scoreAccount(fact, standing, frame);
    addToSummary(summary, summaryEntry(company));
    onCompany(company, standing);
  });
  return {
    summary: finishSummary(summary, ranking, context.productLines, dealCounts, settings),
    context,
  };
}

function unreachable(companyId: string): never {
  throw new Error(`internal: company ${companyId} has no standing`);
}

/** What every account of one run shares. */
export interface PortfolioFrame {
  /** What the other accounts say: O3's tier peers, the median sales cycle, line labels. */
  readonly context: PortfolioContext;
  readonly settings: Settings;
  readonly asOfMs: number;
  /** asOf + N days as a date; a run formats each N once. */
  readonly dueDate: (days: number) => string;
}

/** Due dates repeat (7, 14, 30 days…): format each once per run. */
export function dueDateCache(asOfMs: number): (days: number) => string {
  const cache = new Map<number, string>();
  return (days) => {
    let date = cache.get(days);
    if (date === undefined) {
      date = isoDate(asOfMs + days * DAY_MS);
      cache.set(days, date);
    }
    return date;
  };
}

/** Scores are shown to one decimal; rules have already read the true value. */
function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

/**
 * Scores one account from its facts and its standing in the portfolio: the
 * metrics, grade, matrix, stage, loyalty, segment, SWOT and next actions,
 * each with its explanation.
 */
export function scoreAccount(
  fact: AccountFacts,
  standing: AccountStanding,
  frame: PortfolioFrame,
): CompanyScore {
  const { settings, asOfMs } = frame;
  const { metrics, inputs } = fact;
  const { context } = frame;
  const satisfaction = measureSatisfaction(inputs, fact.openComplaints, settings, asOfMs);
  const attractivenessResult = attractiveness(metrics, standing.percentiles, settings);
  const strengthResult = strength(metrics, satisfaction.overallGap, settings);
  const grade = gradeAccount(attractivenessResult.value, strengthResult.value, settings);
  const matrix = matrixPosition(attractivenessResult.value, strengthResult.value);
  const stage = relationshipStage(metrics, standing.percentiles, settings);
  const loyaltyResult = loyalty(
    metrics,
    { overallGap: satisfaction.overallGap, medianSalesCycleDays: context.medianSalesCycleDays },
    settings,
  );
  const tier = standing.tier.tier;
  const segmentResult = segment(tier, loyaltyResult.value, metrics, settings);
  const breadth = productBreadth(metrics.productLines, (line) => productLineLabel(context, line));

  const view: AccountView = {
    companyId: fact.companyId,
    inputs,
    metrics,
    share: standing.share,
    tier,
    stage: stage.value,
    segment: segmentResult.value,
    loyalty: loyaltyResult.value,
    loyaltyExplanation: loyaltyResult.explanation,
    breadth: breadth.value,
    satisfaction,
  };
  const swot = deriveSwot(view, context, settings);
  const metric = metricExplanations(metrics, standing.share);

  return {
    id: fact.companyId,
    name: inputs.name,
    ownerId: inputs.ownerId,
    tier,
    tierPinned: standing.tier.pinned,
    computedTier: standing.tier.computedTier,
    paretoRank: standing.tier.rank,
    score: roundOrNull(grade.score, 1),
    grade: grade.grade,
    attractiveness: roundOrNull(attractivenessResult.value, 1),
    strength: roundOrNull(strengthResult.value, 1),
    attractivenessLevel: matrix.attractivenessLevel,
    strengthLevel: matrix.strengthLevel,
    strategy: matrix.strategy,
    stage: stage.value,
    loyalty: roundOrNull(loyaltyResult.value, 1),
    segment: segmentResult.value,
    breadth: breadth.value,
    satisfactionGap: roundOrNull(satisfaction.overallGap, 2),
    satisfactionLevel: satisfaction.level,
    satisfaction,
    metrics: { ...metrics, share: standing.share },
    swot,
    actions: nextActions(view, swot, frame.dueDate),
    flags: fact.flags,
    explanations: {
      tier: standing.tier.explanation,
      score: grade.explanation,
      attractiveness: attractivenessResult.explanation,
      strength: strengthResult.explanation,
      matrix: matrix.explanation,
      stage: stage.explanation,
      loyalty: loyaltyResult.explanation,
      segment: segmentResult.explanation,
      breadth: breadth.explanation,
      satisfaction: satisfaction.explanation,
      // Listed rather than spread: one literal is one allocation of a known shape.
      revenueTtm: metric.revenueTtm,
      growth: metric.growth,
      winRate: metric.winRate,
      pipelineWeighted: metric.pipelineWeighted,
      share: metric.share,
      tenure: metric.tenure,
      recency: metric.recency,
      repeatRate: metric.repeatRate,
      lostRecent: metric.lostRecent,
      salesCycle: metric.salesCycle,
    },
  };
}

/** The explanations of the §2 metrics a card shows. */
interface MetricExplanations {
  readonly revenueTtm: Explanation;
  readonly growth: Explanation;
  readonly winRate: Explanation;
  readonly pipelineWeighted: Explanation;
  readonly share: Explanation;
  readonly tenure: Explanation;
  readonly recency: Explanation;
  readonly repeatRate: Explanation;
  readonly lostRecent: Explanation;
  readonly salesCycle: Explanation;
}

/** One metric's explanation (a module function: no closure per account). */
function metricExplanation(rule: string, text: string, inputs: Explanation['inputs']): Explanation {
  return { rule, text, inputs };
}

/** The §2 metrics a card shows, each as a sentence with its inputs. */
function metricExplanations(metrics: AccountMetrics, share: number): MetricExplanations {
  return {
    revenueTtm: metricExplanation(
      'metric.revenueTtm',
      `Won revenue in the window: ${formatMoney(metrics.revenueTtm)}`,
      {
        revenueTtm: metrics.revenueTtm,
      },
    ),
    growth: metricExplanation(
      'metric.growth',
      metrics.growth === null
        ? `Growth n/a: no revenue in the previous window (now ${formatMoney(metrics.revenueTtm)})`
        : `Growth ${formatPercent(metrics.growth, true)} (${formatMoney(metrics.revenueTtm)} vs ${formatMoney(metrics.revenuePrev)})`,
      { revenueTtm: metrics.revenueTtm, revenuePrev: metrics.revenuePrev, growth: metrics.growth },
    ),
    winRate: metricExplanation(
      'metric.winRate',
      metrics.winRate === null
        ? 'Win rate n/a: no deal closed in the last two windows'
        : `Win rate ${formatPercent(metrics.winRate)} (${metrics.wonInWindow} won of ${metrics.closedInWindow} closed)`,
      { won: metrics.wonInWindow, closed: metrics.closedInWindow, winRate: metrics.winRate },
    ),
    pipelineWeighted: metricExplanation(
      'metric.pipelineWeighted',
      `Weighted pipeline ${formatMoney(metrics.pipelineWeighted)} over ${formatCount(metrics.openCount, 'open deal', 'open deals')}`,
      { pipelineWeighted: metrics.pipelineWeighted, openDeals: metrics.openCount },
    ),
    share: metricExplanation('metric.share', `Holds ${formatPercent(share)} of portfolio revenue`, {
      share,
    }),
    tenure: metricExplanation(
      'metric.tenureDays',
      metrics.tenureDays === null ? 'Never won' : `Customer for ${formatDays(metrics.tenureDays)}`,
      { tenureDays: metrics.tenureDays },
    ),
    recency: metricExplanation(
      'metric.recencyDays',
      metrics.recencyDays === null
        ? 'Never won'
        : `Last won ${formatDays(metrics.recencyDays)} ago`,
      { recencyDays: metrics.recencyDays },
    ),
    repeatRate: metricExplanation(
      'metric.repeatRate',
      `Bought in ${metrics.quartersWithWin} of the last 8 quarters`,
      { quartersWithWin: metrics.quartersWithWin, repeatRate: metrics.repeatRate },
    ),
    lostRecent: metricExplanation(
      'metric.lostRecent',
      `${formatCount(metrics.lostRecent, 'deal', 'deals')} lost in the last ${LOST_RECENT_DAYS} days`,
      { lostRecent: metrics.lostRecent },
    ),
    salesCycle: metricExplanation(
      'metric.salesCycleDays',
      metrics.salesCycleDays === null
        ? 'Sales cycle n/a: no deal won in the last two windows with a creation date'
        : `Median sales cycle ${formatDays(round(metrics.salesCycleDays))} over the deals won in the last two windows`,
      { salesCycleDays: metrics.salesCycleDays },
    ),
  };
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

export function summaryEntry(company: CompanyScore): SummaryEntry {
  return {
    id: company.id,
    tier: company.tier,
    revenueTtm: company.metrics.revenueTtm,
    strategy: company.strategy,
    attractivenessLevel: company.attractivenessLevel,
    strengthLevel: company.strengthLevel,
    segment: company.segment,
    stage: company.stage,
    flagCodes: company.flags.map((flag) => flag.code),
  };
}

/**
 * The portfolio summary from every account's entry, without rescoring them:
 * what a re-rank after one company's change uses.
 */
export function summarizePortfolio(
  entries: Iterable<SummaryEntry>,
  ranking: readonly string[],
  productLines: readonly string[],
  dealCounts: DealCounts,
  settings: Settings,
): PortfolioSummary {
  const totals = newSummary();
  for (const entry of entries) addToSummary(totals, entry);
  return finishSummary(totals, ranking, productLines, dealCounts, settings);
}

interface SummaryTotals {
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

function newSummary(): SummaryTotals {
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

function addToSummary(totals: SummaryTotals, entry: SummaryEntry): void {
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

function finishSummary(
  totals: SummaryTotals,
  ranking: readonly string[],
  productLines: readonly string[],
  dealCounts: DealCounts,
  settings: Settings,
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

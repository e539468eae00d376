import type { Explanation, ScoreExplanation } from './explanation.ts';
import {
  formatCount,
  formatDays,
  formatGap,
  formatMoney,
  formatOneDecimal,
  formatPercent,
  round,
} from './format.ts';
import type { AccountPercentiles } from './matrix.ts';
import { growthFigures } from './metric-explanations.ts';
import type { AccountMetrics } from './metrics.ts';
import { isLosingDeals, isShrinking, REPEAT_QUARTERS, SHRINKING_GROWTH } from './metrics.ts';
import type { FactorInput } from './scoring-factors.ts';
import { clamp, factorScores, satisfactionScore, weightedScore } from './scoring-factors.ts';
import type { Settings, Tier } from './settings.ts';
import { TIER_LABEL } from './settings.ts';

/** The relationship stages of kam-model.md §5 (v2), in the order their rules are tried. */
export const STAGES = ['lapsed', 'new', 'declining', 'partner', 'growing', 'steady'] as const;
export type RelationshipStage = (typeof STAGES)[number];
export const SEGMENTS = ['core', 'at_risk', 'rising_star', 'low_value'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const BREADTHS = ['comprehensive', 'specialised'] as const;
export type Breadth = (typeof BREADTHS)[number];

/** A partner has been a customer for at least two years (kam-model.md §5). */
export const PARTNER_TENURE_DAYS = 730;
/** …and won in at least 6 of the last 8 quarters. */
export const PARTNER_QUARTERS = 6;
/** Under a year as a customer an account is `new`, and its loyalty is not yet measurable. */
export const FIRST_YEAR_DAYS = 365;
/** `declining` once the last win is older than this share of churnDays (also T5). */
export const CHURN_WARNING_SHARE = 0.75;
/** `growing`: revenue up at least 10%… */
export const GROWING_GROWTH = 0.1;
/** …or a weighted pipeline of at least half the trailing revenue… */
export const GROWING_PIPELINE_SHARE = 0.5;
/** …or a company this many percentile points larger than what it buys from us. */
export const UNDERBOUGHT_PERCENTILE_GAP = 25;

export interface Classified<T> {
  readonly value: T;
  readonly explanation: Explanation;
}

type StageMetrics = Pick<
  AccountMetrics,
  | 'wonCount'
  | 'lostCount'
  | 'openCount'
  | 'recencyDays'
  | 'tenureDays'
  | 'growth'
  | 'revenueTtm'
  | 'revenuePrev'
  | 'pipelineWeighted'
  | 'quartersWithWin'
>;

function stageResult(
  value: RelationshipStage,
  condition: string,
  text: string,
  inputs: Explanation['inputs'],
): Classified<RelationshipStage> {
  return { value, explanation: { rule: `stage.${value}.${condition}`, text, inputs } };
}

/**
 * The relationship stage (kam-model.md §5, v2): the first of lapsed, new,
 * declining, partner, growing that applies, else steady. The explanation's
 * rule names the condition that decided it (`stage.declining.revenue`).
 *
 * @example
 * // won 3 years running, revenue −37% → declining (stage.declining.revenue)
 */
export function relationshipStage(
  metrics: StageMetrics,
  percentiles: Pick<AccountPercentiles, 'size' | 'scale'>,
  settings: Settings,
): Classified<RelationshipStage> {
  const { churnDays } = settings;
  const inputs = {
    wonCount: metrics.wonCount,
    lostCount: metrics.lostCount,
    openCount: metrics.openCount,
    tenureDays: metrics.tenureDays,
    recencyDays: metrics.recencyDays,
    growth: metrics.growth,
    quartersWithWin: metrics.quartersWithWin,
    pipelineWeighted: metrics.pipelineWeighted,
    revenueTtm: metrics.revenueTtm,
    churnDays,
  };
  const everWon = metrics.tenureDays !== null && metrics.recencyDays !== null;
  if (metrics.openCount === 0) {
    if (metrics.recencyDays !== null && metrics.recencyDays > churnDays) {
      return stageResult(
        'lapsed',
        'churned',
        `Lapsed: last won ${formatDays(metrics.recencyDays)} ago (more than ${formatDays(churnDays)}) and no open deal`,
        inputs,
      );
    }
    if (!everWon && metrics.lostCount > 0) {
      return stageResult(
        'lapsed',
        'lost_only',
        `Lapsed: never won, ${formatCount(metrics.lostCount, 'deal', 'deals')} lost and no open deal`,
        inputs,
      );
    }
  }
  if (metrics.tenureDays === null) {
    return stageResult('new', 'prospect', 'New: no deal won yet', inputs);
  }
  if (metrics.tenureDays < FIRST_YEAR_DAYS) {
    return stageResult(
      'new',
      'first_year',
      `New: first won ${formatDays(metrics.tenureDays)} ago (under a year)`,
      inputs,
    );
  }
  if (isShrinking(metrics)) {
    return stageResult(
      'declining',
      'revenue',
      `Declining: revenue ${growthFigures(metrics, metrics.growth as number)}, down ${formatPercent(-SHRINKING_GROWTH)} or more`,
      inputs,
    );
  }
  const warningDays = CHURN_WARNING_SHARE * churnDays;
  if (metrics.recencyDays !== null && metrics.recencyDays > warningDays) {
    return stageResult(
      'declining',
      'inactive',
      `Declining: no won deal for ${formatDays(metrics.recencyDays)} (lapses after ${formatDays(churnDays)})`,
      inputs,
    );
  }
  const partnerTenure = metrics.tenureDays >= PARTNER_TENURE_DAYS;
  const partnerRepeat = metrics.quartersWithWin >= PARTNER_QUARTERS;
  const quarters = `bought in ${metrics.quartersWithWin} of the last ${REPEAT_QUARTERS} quarters`;
  if (partnerTenure && partnerRepeat) {
    return stageResult(
      'partner',
      'long_term',
      `Partner: customer for ${formatDays(metrics.tenureDays)}, ${quarters}`,
      inputs,
    );
  }
  if (metrics.growth !== null && metrics.growth >= GROWING_GROWTH) {
    return stageResult(
      'growing',
      'revenue',
      `Growing: revenue ${growthFigures(metrics, metrics.growth)}`,
      inputs,
    );
  }
  // A pipeline counts only when there is one: 0 ≥ half of 0 is no growth.
  const pipelineShare =
    metrics.revenueTtm > 0 ? metrics.pipelineWeighted / metrics.revenueTtm : null;
  if (
    metrics.pipelineWeighted > 0 &&
    metrics.pipelineWeighted >= GROWING_PIPELINE_SHARE * metrics.revenueTtm
  ) {
    return stageResult(
      'growing',
      'pipeline',
      `Growing: weighted pipeline ${formatMoney(metrics.pipelineWeighted)}` +
        (pipelineShare === null
          ? ''
          : `, ${formatPercent(pipelineShare)} of trailing revenue ${formatMoney(metrics.revenueTtm)}`),
      inputs,
    );
  }
  const underbought = percentiles.scale === null ? null : percentiles.scale - percentiles.size;
  if (underbought !== null && underbought >= UNDERBOUGHT_PERCENTILE_GAP) {
    return stageResult(
      'growing',
      'underbought',
      `Growing: a large company that buys little from us (company size percentile ${round(percentiles.scale as number)}, revenue percentile ${round(percentiles.size)})`,
      { ...inputs, scalePercentile: percentiles.scale, sizePercentile: percentiles.size },
    );
  }
  const notPartner = !partnerTenure
    ? `customer for ${formatDays(metrics.tenureDays)}, under ${formatDays(PARTNER_TENURE_DAYS)}`
    : `${quarters}, under ${PARTNER_QUARTERS}`;
  const notGrowing =
    (metrics.growth === null
      ? 'no revenue to compare with last year'
      : `revenue ${formatPercent(metrics.growth, true)}, under ${formatPercent(GROWING_GROWTH, true)}`) +
    (pipelineShare === null ? '' : `; pipeline ${formatPercent(pipelineShare)} of revenue`);
  return stageResult(
    'steady',
    'otherwise',
    `Steady: not a partner (${notPartner}) and not growing (${notGrowing})`,
    inputs,
  );
}

/** What loyalty reads besides the account's metrics. */
export interface LoyaltyContext {
  /** The overall SERVQUAL gap (§6), for the attitude factor. */
  readonly overallGap: number | null;
  /** Median salesCycleDays of the portfolio's accounts that have one. */
  readonly medianSalesCycleDays: number | null;
}

export interface LoyaltyResult {
  /** 0–100, unrounded; null for a prospect or a first-year customer. */
  readonly value: number | null;
  readonly explanation: ScoreExplanation;
}

/** A loyalty factor's score below this is named as low (A2's reason). */
export const LOW_LOYALTY_FACTOR = 50;
/** Each deal lost in the last year takes this off the rivals factor. */
export const RIVALS_PENALTY = 35;

/** The selection factor: a short sales cycle against the portfolio's median is loyal. */
export function selectionScore(
  salesCycleDays: number | null,
  medianSalesCycleDays: number | null,
): number | null {
  if (salesCycleDays === null || medianSalesCycleDays === null || medianSalesCycleDays === 0) {
    return null;
  }
  const ratio = salesCycleDays / medianSalesCycleDays;
  if (ratio <= 0.5) return 100;
  if (ratio >= 2) return 0;
  return ((2 - ratio) / 1.5) * 100;
}

type LoyaltyMetrics = Pick<
  AccountMetrics,
  'tenureDays' | 'repeatRate' | 'quartersWithWin' | 'growth' | 'lostRecent' | 'salesCycleDays'
>;

/**
 * Loyalty (kam-model.md §5, v2): the seed's measures — repeat buying, the
 * trend of what they buy, losses to rivals, time spent choosing, attitude —
 * weighted over those present. Tenure and recency are not loyalty. Null
 * for a company never won or won first less than a year ago.
 */
export function loyalty(
  metrics: LoyaltyMetrics,
  context: LoyaltyContext,
  settings: Settings,
): LoyaltyResult {
  if (metrics.tenureDays === null || metrics.tenureDays < FIRST_YEAR_DAYS) {
    return {
      value: null,
      explanation: {
        rule: 'loyalty.not_measurable',
        text:
          metrics.tenureDays === null
            ? 'Loyalty not yet measurable: no deal won yet'
            : `Loyalty not yet measurable: first won ${formatDays(metrics.tenureDays)} ago (under a year)`,
        inputs: { tenureDays: metrics.tenureDays },
        factors: [],
        absent: [],
      },
    };
  }
  const weights = settings.loyaltyWeights;
  const growth = metrics.growth;
  const { medianSalesCycleDays } = context;
  const factors: FactorInput[] = [
    {
      factor: 'repeat',
      score: metrics.repeatRate === null ? null : metrics.repeatRate * 100,
      weight: weights.repeat,
      text: `bought in ${metrics.quartersWithWin} of ${REPEAT_QUARTERS} quarters`,
    },
    {
      factor: 'trend',
      score: growth === null ? null : (clamp(growth, -0.5, 0.5) + 0.5) * 100,
      weight: weights.trend,
      text: growth === null ? 'trend n/a' : `revenue ${formatPercent(growth, true)}`,
    },
    {
      factor: 'rivals',
      score: Math.max(0, 100 - RIVALS_PENALTY * metrics.lostRecent),
      weight: weights.rivals,
      text:
        metrics.lostRecent === 0
          ? 'no deal lost in the last year'
          : `${formatCount(metrics.lostRecent, 'deal', 'deals')} lost in the last year`,
    },
    {
      factor: 'selection',
      score: selectionScore(metrics.salesCycleDays, medianSalesCycleDays),
      weight: weights.selection,
      text:
        metrics.salesCycleDays === null || medianSalesCycleDays === null
          ? 'sales cycle n/a'
          : `sales cycle ${formatDays(round(metrics.salesCycleDays))} against a portfolio median of ${round(medianSalesCycleDays)}`,
    },
    {
      factor: 'attitude',
      score: satisfactionScore(context.overallGap),
      weight: weights.attitude,
      text:
        context.overallGap === null
          ? 'no survey'
          : `satisfaction gap ${formatGap(context.overallGap)}`,
    },
  ];
  const weighted = weightedScore(factors);
  const shown = weighted.factors
    .map((factor) => `${factor.factor} ${formatOneDecimal(factor.score)} (${factor.text})`)
    .join(', ');
  return {
    value: weighted.value,
    explanation: {
      rule: 'loyalty.measures',
      text:
        weighted.value === null
          ? 'Loyalty: no measure available'
          : `Loyalty ${formatOneDecimal(weighted.value)}: ${shown}`,
      inputs: factorScores(weighted.factors),
      factors: weighted.factors,
      absent: weighted.absent,
    },
  };
}

/** The loyalty factors scoring under 50, as 'trend 13 (revenue −37%)', lowest first, to one decimal as compared. */
export function lowLoyaltyFactors(explanation: ScoreExplanation): string[] {
  return explanation.factors
    .filter((factor) => factor.score < LOW_LOYALTY_FACTOR)
    .sort((a, b) => a.score - b.score)
    .map((factor) => `${factor.factor} ${formatOneDecimal(factor.score)} (${factor.text})`);
}

const SEGMENT_TEXT: Readonly<Record<Segment, string>> = {
  core: 'core: high volume and loyal — protect and deepen',
  at_risk: 'at risk: high volume, not loyal — the most dangerous; retention plan',
  rising_star: "rising star: low volume, loyal — tomorrow's star; develop",
  low_value: 'low value: low volume, not loyal — reduce cost-to-serve',
};

type SegmentMetrics = Pick<AccountMetrics, 'growth' | 'lostLast180Days'>;

/**
 * Volume × loyalty (kam-model.md §5, v2): high volume = strategic or key;
 * loyal = loyalty ≥ threshold and neither T1 (revenue down 20%) nor T2
 * (2 deals lost in 180 days). Null while loyalty is not measurable.
 */
export function segment(
  tier: Tier,
  loyaltyValue: number | null,
  metrics: SegmentMetrics,
  settings: Settings,
): Classified<Segment | null> {
  const threshold = settings.loyaltyThreshold;
  if (loyaltyValue === null) {
    return {
      value: null,
      explanation: {
        rule: 'segment.none',
        text: 'No segment: loyalty is not yet measurable (a prospect or a first-year customer)',
        inputs: { tier, loyalty: null },
      },
    };
  }
  const highVolume = tier === 'strategic' || tier === 'key';
  const shrinking = isShrinking(metrics);
  const losing = isLosingDeals(metrics);
  const loyal = loyaltyValue >= threshold && !shrinking && !losing;
  const value: Segment = highVolume
    ? loyal
      ? 'core'
      : 'at_risk'
    : loyal
      ? 'rising_star'
      : 'low_value';
  let why = `loyalty ${formatOneDecimal(loyaltyValue)} (${loyaltyValue >= threshold ? '≥' : '<'} ${threshold})`;
  if (loyaltyValue >= threshold && shrinking) {
    why += ` but revenue ${formatPercent(metrics.growth as number, true)}`;
  } else if (loyaltyValue >= threshold && losing) {
    why += ` but ${formatCount(metrics.lostLast180Days, 'deal', 'deals')} lost in 180 days`;
  }
  return {
    value,
    explanation: {
      rule: `segment.${value}`,
      text: `${TIER_LABEL[tier]} account, ${why} → ${SEGMENT_TEXT[value]}`,
      inputs: {
        tier,
        loyalty: round(loyaltyValue, 1),
        threshold,
        highVolume,
        shrinking,
        losingDeals: losing,
        loyal,
      },
    },
  };
}

/** Product breadth: comprehensive with ≥ 2 product lines, specialised with 1, none without. */
export function productBreadth(
  productLines: readonly string[],
  label: (line: string) => string,
): Classified<Breadth | null> {
  const count = productLines.length;
  const value: Breadth | null = count >= 2 ? 'comprehensive' : count === 1 ? 'specialised' : null;
  return {
    value,
    explanation: {
      rule: value === null ? 'breadth.none' : `breadth.${value}`,
      text:
        value === null
          ? 'No product line bought in the last two windows'
          : `${value === 'comprehensive' ? 'Comprehensive' : 'Specialised'}: ${formatCount(count, 'product line', 'product lines')} (${productLines.map(label).join(', ')})`,
      inputs: { productLines: count },
    },
  };
}

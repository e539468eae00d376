import type { Explanation } from './explanation.ts';
import { formatDays, formatMoney, formatOneDecimal, round } from './format.ts';
import type { AccountMetrics } from './metrics.ts';
import type { FactorInput } from './scoring-factors.ts';
import {
  factorScores,
  ratioScore,
  recencyScore,
  satisfactionScore,
  tenureScore,
  weightedScore,
} from './scoring-factors.ts';
import type { Settings, Tier } from './settings.ts';

export const STAGES = ['new', 'lapsed', 'partner', 'developing'] as const;
export type RelationshipStage = (typeof STAGES)[number];
export const SEGMENTS = ['core', 'at_risk', 'rising_star', 'low_value'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const BREADTHS = ['comprehensive', 'specialised'] as const;
export type Breadth = (typeof BREADTHS)[number];

/** A partner has been a customer for at least two years (kam-model.md §5). */
export const PARTNER_TENURE_DAYS = 730;

export interface Classified<T> {
  readonly value: T;
  readonly explanation: Explanation;
}

/** The relationship stage: the first of new, lapsed, partner that applies, else developing. */
export function relationshipStage(
  metrics: AccountMetrics,
  settings: Settings,
): Classified<RelationshipStage> {
  const inputs = {
    wonCount: metrics.wonCount,
    recencyDays: metrics.recencyDays,
    openCount: metrics.openCount,
    tenureDays: metrics.tenureDays,
    revenueTtm: metrics.revenueTtm,
    revenuePrev: metrics.revenuePrev,
    churnDays: settings.churnDays,
  };
  if (metrics.wonCount === 0) {
    return {
      value: 'new',
      explanation: { rule: 'stage.new', text: 'New: never won a deal', inputs },
    };
  }
  if (
    metrics.recencyDays !== null &&
    metrics.recencyDays > settings.churnDays &&
    metrics.openCount === 0
  ) {
    return {
      value: 'lapsed',
      explanation: {
        rule: 'stage.lapsed',
        text: `Lapsed: last won ${formatDays(metrics.recencyDays)} ago (> ${settings.churnDays}) and no open deal`,
        inputs,
      },
    };
  }
  if (
    metrics.tenureDays !== null &&
    metrics.tenureDays >= PARTNER_TENURE_DAYS &&
    metrics.revenueTtm > 0 &&
    metrics.revenuePrev > 0
  ) {
    return {
      value: 'partner',
      explanation: {
        rule: 'stage.partner',
        text: `Partner: customer for ${formatDays(metrics.tenureDays)} with revenue in both years (${formatMoney(metrics.revenueTtm)} and ${formatMoney(metrics.revenuePrev)})`,
        inputs,
      },
    };
  }
  return {
    value: 'developing',
    explanation: {
      rule: 'stage.developing',
      text: 'Developing: buying, not yet a two-year partner',
      inputs,
    },
  };
}

/** One equally weighted part of loyalty (a module function: no closure per account). */
function loyaltyPart(factor: string, score: number | null): FactorInput {
  return { factor, score, weight: 1, text: factor };
}

/**
 * Loyalty (0–100): the mean of the present values among repeat buying,
 * tenure, recency, win rate and satisfaction scores.
 */
export function loyalty(
  metrics: AccountMetrics,
  overallGap: number | null,
): { value: number | null; explanation: Explanation } {
  const { value, factors } = weightedScore([
    loyaltyPart('repeat', ratioScore(metrics.repeatRate)),
    loyaltyPart('tenure', tenureScore(metrics.tenureDays)),
    loyaltyPart('recency', recencyScore(metrics.recencyDays)),
    loyaltyPart('win', ratioScore(metrics.winRate)),
    loyaltyPart('satisfaction', satisfactionScore(overallGap)),
  ]);
  const shown = factors.map((factor) => `${factor.factor} ${round(factor.score)}`).join(', ');
  return {
    value,
    explanation: {
      rule: 'loyalty.mean',
      text:
        value === null
          ? 'Loyalty: no data yet'
          : `Loyalty ${formatOneDecimal(value)} = mean of ${shown}`,
      inputs: factorScores(factors),
    },
  };
}

const SEGMENT_TEXT: Readonly<Record<Segment, string>> = {
  core: 'core: high volume and loyal — protect and deepen',
  at_risk: 'at risk: high volume, not loyal — the most dangerous; retention plan',
  rising_star: "rising star: low volume, loyal — tomorrow's star; develop",
  low_value: 'low value: low volume, not loyal — reduce cost-to-serve',
};

/** Volume × loyalty: high volume = strategic or key tier; loyal = loyalty ≥ threshold. */
export function segment(
  tier: Tier,
  loyaltyValue: number | null,
  settings: Settings,
): Classified<Segment> {
  const highVolume = tier === 'strategic' || tier === 'key';
  const loyal = loyaltyValue !== null && loyaltyValue >= settings.loyaltyThreshold;
  const value: Segment = highVolume
    ? loyal
      ? 'core'
      : 'at_risk'
    : loyal
      ? 'rising_star'
      : 'low_value';
  const loyaltyText = loyaltyValue === null ? 'n/a' : formatOneDecimal(loyaltyValue);
  return {
    value,
    explanation: {
      rule: `segment.${value}`,
      text: `Tier ${tier}, loyalty ${loyaltyText} (${loyal ? '≥' : '<'} ${settings.loyaltyThreshold}) → ${SEGMENT_TEXT[value]}`,
      inputs: {
        tier,
        loyalty: loyaltyValue,
        threshold: settings.loyaltyThreshold,
        highVolume,
        loyal,
      },
    },
  };
}

/** Product breadth: comprehensive with ≥ 2 product lines, specialised with 1, none without. */
export function productBreadth(productLines: readonly string[]): Classified<Breadth | null> {
  const count = productLines.length;
  const value: Breadth | null = count >= 2 ? 'comprehensive' : count === 1 ? 'specialised' : null;
  return {
    value,
    explanation: {
      rule: 'breadth',
      text:
        value === null
          ? 'No product line bought in the last two windows'
          : `${value === 'comprehensive' ? 'Comprehensive' : 'Specialised'}: ${count} product line${count === 1 ? '' : 's'} (${productLines.join(', ')})`,
      inputs: { productLines: count },
    },
  };
}

import type { Explanation, FactorContribution, ScoreExplanation } from './explanation.ts';
import {
  formatCount,
  formatDays,
  formatGap,
  formatMoney,
  formatOneDecimal,
  formatPercent,
  round,
} from './format.ts';
import type { AccountMetrics } from './metrics.ts';
import type { FactorInput, WeightedScore } from './scoring-factors.ts';
import {
  breadthScore,
  factorScores,
  growthScore,
  profitabilityScore,
  ratioScore,
  recencyScore,
  satisfactionScore,
  tenureScore,
  weightedScore,
} from './scoring-factors.ts';
import type { Settings } from './settings.ts';

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];
export const MATRIX_LEVELS = ['high', 'medium', 'low'] as const;
export type MatrixLevel = (typeof MATRIX_LEVELS)[number];
export const STRATEGIES = ['invest', 'selective', 'harvest'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Where an account stands among the portfolio's companies (0–100 each). */
export interface AccountPercentiles {
  readonly size: number;
  readonly potential: number;
  /** Of annualrevenue, else of numberofemployees; null when the company has neither. */
  readonly scale: number | null;
  readonly scaleBasis: 'annualrevenue' | 'numberofemployees' | null;
}

export interface ScoreResult {
  readonly value: number | null;
  readonly explanation: ScoreExplanation;
}

function scoreResult(rule: string, label: string, weighted: WeightedScore): ScoreResult {
  let text = `${label}: no input available`;
  if (weighted.value !== null) {
    const drivers = byContribution(weighted.factors).map((factor) => factor.text);
    text =
      `${label} ${formatOneDecimal(weighted.value)}: ${drivers.join(', ')}` +
      (weighted.absent.length > 0 ? ` (no data: ${weighted.absent.join(', ')})` : '');
  }
  return {
    value: weighted.value,
    explanation: {
      rule,
      text,
      inputs: factorScores(weighted.factors),
      factors: weighted.factors,
      absent: weighted.absent,
    },
  };
}

/**
 * The factors, largest contribution first; equal ones keep their order.
 * An insertion sort: five or six factors, twice for every account of a
 * portfolio, where setting up Array.prototype.sort costs more than sorting.
 */
function byContribution(factors: readonly FactorContribution[]): FactorContribution[] {
  const contribution = (factor: FactorContribution): number =>
    factor.effectiveWeight * factor.score;
  const sorted: FactorContribution[] = [];
  for (const factor of factors) {
    let index = sorted.length;
    while (
      index > 0 &&
      contribution(sorted[index - 1] as FactorContribution) < contribution(factor)
    ) {
      sorted[index] = sorted[index - 1] as FactorContribution;
      index -= 1;
    }
    sorted[index] = factor;
  }
  return sorted;
}

/**
 * How much the account is worth to us (kam-model.md §4): size, growth,
 * potential, profitability and scale, weighted.
 */
export function attractiveness(
  metrics: AccountMetrics,
  percentiles: AccountPercentiles,
  settings: Settings,
): ScoreResult {
  const weights = settings.attractivenessWeights;
  const factors: FactorInput[] = [
    {
      factor: 'size',
      score: percentiles.size,
      weight: weights.size,
      text: `revenue ${formatMoney(metrics.revenueTtm)} (percentile ${round(percentiles.size)})`,
    },
    {
      factor: 'growth',
      score: growthScore(metrics.growth),
      weight: weights.growth,
      text:
        metrics.growth === null ? 'growth n/a' : `growth ${formatPercent(metrics.growth, true)}`,
    },
    {
      factor: 'potential',
      score: percentiles.potential,
      weight: weights.potential,
      text: `weighted pipeline ${formatMoney(metrics.pipelineWeighted)} (percentile ${round(percentiles.potential)})`,
    },
    {
      factor: 'profitability',
      score: profitabilityScore(metrics.profitTtm, metrics.revenueTtm),
      weight: weights.profitability,
      text:
        metrics.profitTtm === null || metrics.revenueTtm <= 0
          ? 'margin n/a'
          : `margin ${formatPercent(metrics.profitTtm / metrics.revenueTtm)}`,
    },
    {
      factor: 'scale',
      score: percentiles.scale,
      weight: weights.scale,
      text:
        percentiles.scale === null
          ? 'company size n/a'
          : `company size (${percentiles.scaleBasis}) percentile ${round(percentiles.scale)}`,
    },
  ];
  return scoreResult('score.attractiveness', 'Attractiveness', weightedScore(factors));
}

/**
 * How strong our position is (kam-model.md §4): win rate, tenure, repeat
 * buying, contact breadth, satisfaction and recency, weighted.
 */
export function strength(
  metrics: AccountMetrics,
  overallGap: number | null,
  settings: Settings,
): ScoreResult {
  const weights = settings.strengthWeights;
  const factors: FactorInput[] = [
    {
      factor: 'win',
      score: ratioScore(metrics.winRate),
      weight: weights.win,
      text:
        metrics.winRate === null
          ? 'win rate n/a'
          : `win rate ${formatPercent(metrics.winRate)} over ${formatCount(metrics.closedInWindow, 'closed deal', 'closed deals')}`,
    },
    {
      factor: 'tenure',
      score: tenureScore(metrics.tenureDays),
      weight: weights.tenure,
      text:
        metrics.tenureDays === null
          ? 'tenure n/a'
          : `customer for ${formatDays(metrics.tenureDays)}`,
    },
    {
      factor: 'repeat',
      score: ratioScore(metrics.repeatRate),
      weight: weights.repeat,
      text: `bought in ${metrics.quartersWithWin} of the last 8 quarters`,
    },
    {
      factor: 'breadth',
      score: breadthScore(metrics.contacts),
      weight: weights.breadth,
      text:
        metrics.contacts === null
          ? 'contacts n/a'
          : formatCount(metrics.contacts, 'contact', 'contacts'),
    },
    {
      factor: 'satisfaction',
      score: satisfactionScore(overallGap),
      weight: weights.satisfaction,
      text: overallGap === null ? 'no survey' : `satisfaction gap ${formatGap(overallGap)}`,
    },
    {
      factor: 'recency',
      score: recencyScore(metrics.recencyDays),
      weight: weights.recency,
      text:
        metrics.recencyDays === null
          ? 'never won'
          : `last won ${formatDays(metrics.recencyDays)} ago`,
    },
  ];
  return scoreResult('score.strength', 'Strength', weightedScore(factors));
}

export interface AccountGrade {
  readonly score: number | null;
  readonly grade: Grade | null;
  readonly explanation: Explanation;
}

/** ≥80 A, ≥60 B, ≥40 C, else D. */
export function gradeOf(score: number): Grade {
  if (score >= 80) return 'A';
  if (score >= 60) return 'B';
  if (score >= 40) return 'C';
  return 'D';
}

/** A score as the grade sentence shows it (a module function: no closure per account). */
function scoreOrNa(value: number | null): string {
  return value === null ? 'n/a' : formatOneDecimal(value);
}

/** kam_score = weighted attractiveness and strength, over those present; and its letter. */
export function gradeAccount(
  attractivenessValue: number | null,
  strengthValue: number | null,
  settings: Settings,
): AccountGrade {
  const { value: score } = weightedScore([
    {
      factor: 'attractiveness',
      score: attractivenessValue,
      weight: settings.scoreWeights.attractiveness,
      text: '',
    },
    { factor: 'strength', score: strengthValue, weight: settings.scoreWeights.strength, text: '' },
  ]);
  const grade = score === null ? null : gradeOf(score);
  return {
    score,
    grade,
    explanation: {
      rule: 'score.kam',
      text:
        score === null
          ? 'No score: neither attractiveness nor strength has data'
          : `Score ${scoreOrNa(score)} = ${settings.scoreWeights.attractiveness}% attractiveness ${scoreOrNa(attractivenessValue)} + ${settings.scoreWeights.strength}% strength ${scoreOrNa(strengthValue)} → grade ${grade}`,
      inputs: {
        attractiveness: attractivenessValue,
        strength: strengthValue,
        attractivenessWeight: settings.scoreWeights.attractiveness,
        strengthWeight: settings.scoreWeights.strength,
      },
    },
  };
}

/** Each axis: high ≥ 67, medium ≥ 33, else low. */
export function matrixLevel(value: number): MatrixLevel {
  if (value >= 67) return 'high';
  if (value >= 33) return 'medium';
  return 'low';
}

const STRATEGY_BY_CELL: Readonly<Record<MatrixLevel, Readonly<Record<MatrixLevel, Strategy>>>> = {
  high: { high: 'invest', medium: 'invest', low: 'selective' },
  medium: { high: 'invest', medium: 'selective', low: 'harvest' },
  low: { high: 'selective', medium: 'harvest', low: 'harvest' },
};

export interface MatrixPosition {
  readonly attractivenessLevel: MatrixLevel | null;
  readonly strengthLevel: MatrixLevel | null;
  readonly strategy: Strategy | null;
  readonly explanation: Explanation;
}

/** The GE-style cell (attractiveness first) and its strategy. */
export function matrixPosition(
  attractivenessValue: number | null,
  strengthValue: number | null,
): MatrixPosition {
  if (attractivenessValue === null || strengthValue === null) {
    return {
      attractivenessLevel: attractivenessValue === null ? null : matrixLevel(attractivenessValue),
      strengthLevel: strengthValue === null ? null : matrixLevel(strengthValue),
      strategy: null,
      explanation: {
        rule: 'matrix.ge',
        text: 'Not placed on the matrix: attractiveness or strength has no data',
        inputs: { attractiveness: attractivenessValue, strength: strengthValue },
      },
    };
  }
  const attractivenessLevel = matrixLevel(attractivenessValue);
  const strengthLevel = matrixLevel(strengthValue);
  const strategy = STRATEGY_BY_CELL[attractivenessLevel][strengthLevel];
  return {
    attractivenessLevel,
    strengthLevel,
    strategy,
    explanation: {
      rule: 'matrix.ge',
      text: `Attractiveness ${formatOneDecimal(attractivenessValue)} (${attractivenessLevel}) × strength ${formatOneDecimal(strengthValue)} (${strengthLevel}) → ${strategy}`,
      inputs: { attractiveness: attractivenessValue, strength: strengthValue },
    },
  };
}

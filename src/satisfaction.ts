import type { AccountInputs } from './account-inputs.ts';
import type { Explanation, Scalar } from './explanation.ts';
import { formatDays, formatGap, isoDate, stripFloatNoise } from './format.ts';
import type { ServqualDimension, Settings } from './settings.ts';
import { SERVQUAL_DIMENSIONS } from './settings.ts';
import { daysBetween } from './time.ts';

/** A survey older than this is stale (kam-model.md §6). */
export const SURVEY_STALE_DAYS = 365;

export const SATISFACTION_LEVELS = [
  'dissatisfied',
  'below_expectations',
  'satisfied',
  'delighted',
] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

export interface DimensionGap {
  readonly dimension: ServqualDimension;
  readonly expected: number | null;
  readonly perceived: number | null;
  /** perceived − expected; null unless both are present. */
  readonly gap: number | null;
  readonly weight: number;
}

export interface Satisfaction {
  readonly dimensions: readonly DimensionGap[];
  /** Importance-weighted mean gap over the dimensions present (unrounded); null when none. */
  readonly overallGap: number | null;
  readonly level: SatisfactionLevel | null;
  readonly surveyDate: string | null;
  readonly surveyAgeDays: number | null;
  /** The survey is older than 365 days. */
  readonly stale: boolean;
  /** A dated survey within the last 365 days exists (A13 asks for one otherwise). */
  readonly surveyCurrent: boolean;
  /** Open complaint tickets, shown beside the gap: few unhappy customers complain. */
  readonly openComplaints: number;
  /** Of them, major ones (priority HIGH or URGENT). */
  readonly openMajorComplaints: number;
  readonly explanation: Explanation;
}

/**
 * The SERVQUAL gap of kam-model.md §6: perceived − expected per dimension,
 * weighted by importance, and the level it falls in.
 *
 * @example
 * // responsiveness expected 6, perceived 4 (only dimension entered)
 * // → overallGap -2, level 'dissatisfied'
 */
export function measureSatisfaction(
  inputs: Pick<AccountInputs, 'ratings' | 'surveyDateMs'>,
  openComplaints: number,
  settings: Settings,
  asOfMs: number,
  openMajorComplaints = 0,
): Satisfaction {
  let weighted = 0;
  let totalWeight = 0;
  const dimensions = SERVQUAL_DIMENSIONS.map((dimension): DimensionGap => {
    const { expected, perceived } = inputs.ratings[dimension];
    const weight = settings.servqualWeights[dimension];
    const gap =
      expected !== null && perceived !== null ? stripFloatNoise(perceived - expected) : null;
    if (gap !== null) {
      weighted += weight * gap;
      totalWeight += weight;
    }
    return { dimension, expected, perceived, gap, weight };
  });
  const overallGap = totalWeight > 0 ? stripFloatNoise(weighted / totalWeight) : null;
  const level = overallGap === null ? null : satisfactionLevel(overallGap);
  const surveyAgeDays =
    inputs.surveyDateMs === null ? null : daysBetween(inputs.surveyDateMs, asOfMs);
  const stale = surveyAgeDays !== null && surveyAgeDays > SURVEY_STALE_DAYS;
  const measured = dimensions.filter((dimension) => dimension.gap !== null);

  const explained: Record<string, Scalar> = {
    overallGap,
    dimensionsMeasured: measured.length,
    surveyAgeDays,
    openComplaints,
  };
  for (const dimension of measured) explained[dimension.dimension] = dimension.gap;
  const text =
    overallGap === null || level === null
      ? 'No satisfaction survey entered'
      : `Overall gap ${formatGap(overallGap)} over ${measured.length} of 5 dimensions → ${level.replace('_', ' ')}` +
        (stale ? ` (survey ${formatDays(surveyAgeDays)} old: stale)` : '');
  return {
    dimensions,
    overallGap,
    level,
    surveyDate: inputs.surveyDateMs === null ? null : isoDate(inputs.surveyDateMs),
    surveyAgeDays,
    stale,
    surveyCurrent: surveyAgeDays !== null && !stale,
    openComplaints,
    openMajorComplaints,
    explanation: {
      rule: 'satisfaction.servqual',
      text,
      inputs: explained,
    },
  };
}

/** < −1 dissatisfied; < 0 below expectations; < 1 satisfied; otherwise delighted. */
export function satisfactionLevel(overallGap: number): SatisfactionLevel {
  if (overallGap < -1) return 'dissatisfied';
  if (overallGap < 0) return 'below_expectations';
  if (overallGap < 1) return 'satisfied';
  return 'delighted';
}

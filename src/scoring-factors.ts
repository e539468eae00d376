import type { FactorContribution } from './explanation.ts';
import { round, stripFloatNoise } from './format.ts';

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Growth clamped to [−0.5, +1.0], mapped linearly to 0–100 (kam-model.md §4). */
export function growthScore(growth: number | null): number | null {
  return growth === null ? null : ((clamp(growth, -0.5, 1) + 0.5) / 1.5) * 100;
}

/** Margin clamped to [0, 0.5], mapped to 0–100; absent without revenue or profit mapping. */
export function profitabilityScore(profitTtm: number | null, revenueTtm: number): number | null {
  if (profitTtm === null || revenueTtm <= 0) return null;
  return (clamp(profitTtm / revenueTtm, 0, 0.5) / 0.5) * 100;
}

/** Two years as a customer earns the full score. */
export function tenureScore(tenureDays: number | null): number | null {
  return tenureDays === null ? null : Math.min(tenureDays / 730, 1) * 100;
}

/** 100 within 90 days of the last win, falling linearly to 0 at 365 days. */
export function recencyScore(recencyDays: number | null): number | null {
  if (recencyDays === null) return null;
  return recencyDays <= 90 ? 100 : Math.max(0, ((365 - recencyDays) / 275) * 100);
}

/** Five contacts or more: the buying centre is covered. */
export function breadthScore(contacts: number | null): number | null {
  return contacts === null ? null : Math.min(contacts / 5, 1) * 100;
}

/** The overall SERVQUAL gap (−6…+6) mapped so −3 → 0 and +1 → 100, clamped. */
export function satisfactionScore(overallGap: number | null): number | null {
  return overallGap === null ? null : clamp(((overallGap + 3) / 4) * 100, 0, 100);
}

/** A ratio (0–1) as a 0–100 score. */
export function ratioScore(ratio: number | null): number | null {
  return ratio === null ? null : ratio * 100;
}

export interface FactorInput {
  readonly factor: string;
  readonly score: number | null;
  readonly weight: number;
  /** How the factor's score came about, e.g. 'win rate 44%'. */
  readonly text: string;
}

export interface WeightedScore {
  /** 0–100, unrounded (rules compare the true value); null when no factor with weight is present. */
  readonly value: number | null;
  readonly factors: readonly FactorContribution[];
  readonly absent: readonly string[];
}

/**
 * The weighted mean of the factors that have a value, weights renormalised
 * over those present (kam-model.md §4): a missing input is absent, not zero.
 */
export function weightedScore(inputs: readonly FactorInput[]): WeightedScore {
  // Plain loops: this runs four times for every account of a portfolio. The
  // sums add up in the factors' order, as the rule reads.
  let totalWeight = 0;
  let weightedSum = 0;
  const absent: string[] = [];
  for (const input of inputs) {
    if (input.score === null) {
      absent.push(input.factor);
    } else {
      totalWeight += input.weight;
      weightedSum += input.score * input.weight;
    }
  }
  if (totalWeight <= 0) return { value: null, factors: [], absent };
  const factors: FactorContribution[] = [];
  for (const input of inputs) {
    if (input.score === null) continue;
    factors.push({
      factor: input.factor,
      score: round(input.score, 1),
      weight: input.weight,
      effectiveWeight: input.weight / totalWeight,
      text: input.text,
    });
  }
  return { value: stripFloatNoise(weightedSum / totalWeight), factors, absent };
}

/** `{factor: score}` in the factors' order (an explanation's inputs). */
export function factorScores(factors: readonly FactorContribution[]): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const factor of factors) scores[factor.factor] = factor.score;
  return scores;
}

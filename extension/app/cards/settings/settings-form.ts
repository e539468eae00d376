import type { Messages } from '../lib/i18n.ts';
import type { Settings } from '../lib/types.ts';

/** The weight groups that must each sum to 100 (kam-model.md §4, §6). */
export const WEIGHT_GROUPS = [
  'attractivenessWeights',
  'strengthWeights',
  'scoreWeights',
  'servqualWeights',
  'loyaltyWeights',
] as const;
export type WeightGroup = (typeof WEIGHT_GROUPS)[number];

/** Field errors keyed by the setting's path: "strengthWeights" (the sum), "paretoCutoffs.key", "windowDays". */
export type SettingsErrors = Record<string, string>;

export function weightSum(settings: Settings, group: WeightGroup): number {
  const values: number[] = Object.values(settings[group]);
  // Round away float noise from decimal inputs so 33.3 + 33.3 + 33.4 reads as 100.
  return Math.round(values.reduce((sum, value) => sum + value, 0) * 1000) / 1000;
}

function isWholeAtLeast(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min;
}

/** The same rules the backend enforces, checked before a preview or save so the admin sees them on the fields. */
export function validateSettings(settings: Settings, m: Messages): SettingsErrors {
  const errors: SettingsErrors = {};
  for (const group of WEIGHT_GROUPS) {
    for (const [key, value] of Object.entries(settings[group])) {
      if (!Number.isFinite(value) || value < 0 || value > 100) {
        errors[`${group}.${key}`] = m.settings.mustBeRange(0, 100);
      }
    }
    const sum = weightSum(settings, group);
    if (sum !== 100) errors[group] = m.settings.weightsMustSum(sum);
  }
  for (const key of ['windowDays', 'churnDays'] as const) {
    if (!isWholeAtLeast(settings[key], 1)) errors[key] = m.settings.mustBePositive;
  }
  // §12: a major complaint's time limit per tier (absent from an older backend).
  for (const [key, value] of Object.entries(settings.complaintSlaDays ?? {})) {
    if (!isWholeAtLeast(value, 1)) errors[`complaintSlaDays.${key}`] = m.settings.mustBePositive;
  }
  for (const [key, value] of Object.entries(settings.visitCadenceDays)) {
    if (!isWholeAtLeast(value, 1)) errors[`visitCadenceDays.${key}`] = m.settings.mustBePositive;
  }
  if (!(settings.loyaltyThreshold >= 0 && settings.loyaltyThreshold <= 100)) {
    errors.loyaltyThreshold = m.settings.mustBeRange(0, 100);
  }
  if (settings.tierMethod === 'pareto') {
    const { strategic, key, standard } = settings.paretoCutoffs;
    for (const [name, value] of Object.entries(settings.paretoCutoffs)) {
      if (!(value > 0 && value < 1)) errors[`paretoCutoffs.${name}`] = m.settings.mustBeRange(0, 1);
    }
    if (!(strategic < key && key < standard)) errors.paretoCutoffs = m.settings.mustIncrease;
  } else {
    const { strategic, key, standard } = settings.thresholds;
    for (const [name, value] of Object.entries(settings.thresholds)) {
      if (!(value >= 0)) errors[`thresholds.${name}`] = m.settings.mustBeNonNegative;
    }
    if (!(strategic > key && key > standard)) errors.thresholds = m.settings.mustDecrease;
  }
  if (settings.productLineProperty.trim() === '') errors.productLineProperty = m.settings.required;
  // The backend also refuses a pattern that could backtrack catastrophically; its message shows on the field.
  if (settings.reviewTitlePattern?.trim() === '') errors.reviewTitlePattern = m.settings.required;
  return errors;
}

/** NumberInput reports a cleared field as NaN; keep it so validation names the field. */
export function numberFromInput(value: number | undefined): number {
  return value === undefined ? Number.NaN : value;
}

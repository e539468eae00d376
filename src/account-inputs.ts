import type { DataQualityFlag, FlagCode } from './data-quality.ts';
import type { CrmObject, PropertyMap } from './hubspot-objects.ts';
import { isBlank, parseInstantProperty, parseNumberProperty } from './hubspot-objects.ts';
import type { RatedTier, ServqualDimension } from './settings.ts';
import { RATED_TIERS, SERVQUAL_DIMENSIONS } from './settings.ts';

export const SWOT_QUADRANTS = ['strength', 'weakness', 'opportunity', 'threat'] as const;
export type SwotQuadrant = (typeof SWOT_QUADRANTS)[number];

/** The app-owned company properties people fill in through the cards (kam-model.md §8). */
export const SWOT_PROPERTY: Readonly<Record<SwotQuadrant, string>> = {
  strength: 'kam_swot_strengths',
  weakness: 'kam_swot_weaknesses',
  opportunity: 'kam_swot_opportunities',
  threat: 'kam_swot_threats',
};

/** The app-owned account-plan (OGSM) properties of kam-model.md §13. */
export const PLAN_PROPERTY = Object.freeze({
  objective: 'kam_plan_objective',
  goalRevenue: 'kam_plan_goal_revenue',
  goalDate: 'kam_plan_goal_date',
  strategies: 'kam_plan_strategies',
  measures: 'kam_plan_measures',
  reviewedAt: 'kam_plan_reviewed_at',
});
export const PLAN_PROPERTIES: readonly string[] = Object.freeze(Object.values(PLAN_PROPERTY));

/**
 * An account plan as entered (§13). It exists when it has an objective:
 * `kam_plan_objective`, or v1's `kam_account_plan` text while that is empty.
 */
export interface PlanInputs {
  readonly objective: string;
  /** Home currency; null when blank (no goal, so no attainment). */
  readonly goalRevenue: number | null;
  readonly goalDateMs: number | null;
  readonly strategies: string | null;
  readonly measures: string | null;
  readonly reviewedAtMs: number | null;
}

export function servqualProperty(
  dimension: ServqualDimension,
  side: 'expected' | 'perceived',
): string {
  return `kam_servqual_${dimension}_${side}`;
}

const SERVQUAL_FIELDS = SERVQUAL_DIMENSIONS.map((dimension) => ({
  dimension,
  expected: servqualProperty(dimension, 'expected'),
  perceived: servqualProperty(dimension, 'perceived'),
}));

const NO_RATING: DimensionRating = Object.freeze({ expected: null, perceived: null });
/** Most companies have no survey: they share one empty set of ratings. */
const NO_RATINGS: Readonly<Record<ServqualDimension, DimensionRating>> = Object.freeze(
  Object.fromEntries(SERVQUAL_DIMENSIONS.map((dimension) => [dimension, NO_RATING])) as Record<
    ServqualDimension,
    DimensionRating
  >,
);

/** One SERVQUAL dimension as entered: 1–7 each, either may be missing. */
export interface DimensionRating {
  readonly expected: number | null;
  readonly perceived: number | null;
}

/** A company's own inputs, parsed; independent of every other company. */
export interface AccountInputs {
  readonly name: string | null;
  readonly industry: string | null;
  readonly ownerId: string | null;
  readonly annualRevenue: number | null;
  readonly employees: number | null;
  readonly contacts: number | null;
  readonly lastActivityMs: number | null;
  readonly tierOverride: RatedTier | null;
  readonly surveyDateMs: number | null;
  readonly ratings: Readonly<Record<ServqualDimension, DimensionRating>>;
  readonly manualSwot: Readonly<Record<SwotQuadrant, readonly string[]>>;
  readonly competitors: readonly string[];
  /** v1's `kam_account_plan` text, as typed. */
  readonly accountPlan: string | null;
  /** §11: `hs_parent_company_id`; null for a company with no parent. */
  readonly parentCompanyId: string | null;
  /** §13: the account plan; null when it has no objective (no plan). */
  readonly plan: PlanInputs | null;
}

/** Most companies leave the list properties blank: they share one empty list. */
const NO_LINES: readonly string[] = Object.freeze([]);
const NO_MANUAL_SWOT: Readonly<Record<SwotQuadrant, readonly string[]>> = Object.freeze({
  strength: NO_LINES,
  weakness: NO_LINES,
  opportunity: NO_LINES,
  threat: NO_LINES,
});

/** `lines`, sharing NO_LINES for a blank property. */
function listProperty(value: string | null | undefined): readonly string[] {
  return isBlank(value) ? NO_LINES : lines(value);
}

/** The SWOT items typed in on the company, quadrant by quadrant. */
function manualSwot(properties: PropertyMap): Readonly<Record<SwotQuadrant, readonly string[]>> {
  const strength = listProperty(properties[SWOT_PROPERTY.strength]);
  const weakness = listProperty(properties[SWOT_PROPERTY.weakness]);
  const opportunity = listProperty(properties[SWOT_PROPERTY.opportunity]);
  const threat = listProperty(properties[SWOT_PROPERTY.threat]);
  const none = [strength, weakness, opportunity, threat].every((list) => list === NO_LINES);
  return none ? NO_MANUAL_SWOT : { strength, weakness, opportunity, threat };
}

/** Splits a one-item-per-line text property into trimmed, non-empty items. */
export function lines(value: string | null | undefined): string[] {
  if (isBlank(value)) return [];
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** One company's properties being read, and the flags raised so far. */
interface PropertyReader {
  readonly companyId: string;
  readonly properties: PropertyMap;
  readonly flags: DataQualityFlag[];
}

function flagProperty(
  reader: PropertyReader,
  code: FlagCode,
  field: string,
  message: string,
): void {
  reader.flags.push({ code, recordType: 'company', recordId: reader.companyId, field, message });
}

function nonNegativeNumber(reader: PropertyReader, field: string): number | null {
  const parsed = parseNumberProperty(reader.properties[field]);
  if (parsed === null) return null;
  if (Number.isNaN(parsed) || parsed < 0) {
    flagProperty(
      reader,
      'invalid_property',
      field,
      `${field} "${reader.properties[field]}" is not a valid number; ignored`,
    );
    return null;
  }
  return parsed;
}

function instantProperty(reader: PropertyReader, field: string): number | null {
  const parsed = parseInstantProperty(reader.properties[field]);
  if (parsed !== null && Number.isNaN(parsed)) {
    flagProperty(
      reader,
      'invalid_property',
      field,
      `${field} "${reader.properties[field]}" is not a date; ignored`,
    );
    return null;
  }
  return parsed;
}

function textProperty(properties: PropertyMap, field: string): string | null {
  const value = properties[field];
  return isBlank(value) ? null : value.trim();
}

function ratingProperty(reader: PropertyReader, field: string): number | null {
  const parsed = parseNumberProperty(reader.properties[field]);
  if (parsed === null) return null;
  if (Number.isNaN(parsed) || parsed < 1 || parsed > 7) {
    flagProperty(
      reader,
      'invalid_survey_value',
      field,
      `${field} "${reader.properties[field]}" is not on the 1–7 scale; ignored`,
    );
    return null;
  }
  return parsed;
}

/** §13's plan; v1's `kam_account_plan` is the objective while `kam_plan_objective` is empty. */
function readPlan(reader: PropertyReader): PlanInputs | null {
  const { properties } = reader;
  const objective =
    textProperty(properties, PLAN_PROPERTY.objective) ??
    textProperty(properties, 'kam_account_plan');
  if (objective === null) return null;
  return {
    objective,
    goalRevenue: nonNegativeNumber(reader, PLAN_PROPERTY.goalRevenue),
    goalDateMs: instantProperty(reader, PLAN_PROPERTY.goalDate),
    strategies: textProperty(properties, PLAN_PROPERTY.strategies),
    measures: textProperty(properties, PLAN_PROPERTY.measures),
    reviewedAtMs: instantProperty(reader, PLAN_PROPERTY.reviewedAt),
  };
}

/**
 * Reads a company's properties. Unparsable values are flagged and treated as
 * missing, so one bad field never hides the rest of the account.
 */
export function readAccountInputs(company: CrmObject): {
  inputs: AccountInputs;
  flags: DataQualityFlag[];
} {
  // The field readers are plain functions over one reader rather than
  // closures made anew for each of a portfolio's 100k companies.
  const properties: PropertyMap = company.properties;
  const reader: PropertyReader = { companyId: company.id, properties, flags: [] };

  let ratings = NO_RATINGS;
  for (const fields of SERVQUAL_FIELDS) {
    const expected = ratingProperty(reader, fields.expected);
    const perceived = ratingProperty(reader, fields.perceived);
    if (expected === null && perceived === null) continue;
    if (ratings === NO_RATINGS) ratings = { ...NO_RATINGS };
    (ratings as Record<ServqualDimension, DimensionRating>)[fields.dimension] = {
      expected,
      perceived,
    };
  }

  const overrideText = textProperty(properties, 'kam_tier_override');
  let tierOverride: RatedTier | null = null;
  if (overrideText !== null) {
    const match = RATED_TIERS.find((tier) => tier === overrideText);
    if (match) tierOverride = match;
    else
      flagProperty(
        reader,
        'invalid_tier_override',
        'kam_tier_override',
        `kam_tier_override "${overrideText}" is not one of ${RATED_TIERS.join(', ')}; ignored`,
      );
  }

  const inputs: AccountInputs = {
    name: textProperty(properties, 'name'),
    industry: textProperty(properties, 'industry'),
    ownerId: textProperty(properties, 'hubspot_owner_id'),
    annualRevenue: nonNegativeNumber(reader, 'annualrevenue'),
    employees: nonNegativeNumber(reader, 'numberofemployees'),
    contacts: nonNegativeNumber(reader, 'num_associated_contacts'),
    lastActivityMs: instantProperty(reader, 'notes_last_updated'),
    tierOverride,
    surveyDateMs: instantProperty(reader, 'kam_survey_date'),
    ratings,
    manualSwot: manualSwot(properties),
    competitors: listProperty(properties.kam_competitors),
    accountPlan: textProperty(properties, 'kam_account_plan'),
    parentCompanyId: textProperty(properties, 'hs_parent_company_id'),
    plan: readPlan(reader),
  };
  return { inputs, flags: reader.flags };
}

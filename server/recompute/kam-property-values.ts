import type { CompanyScore, PropertyMap } from '../../src/index.ts';
import { isBlank, parseInstantProperty, round } from '../../src/index.ts';

/** When the values were computed; written only alongside a real change. */
export const SCORED_AT_PROPERTY = 'kam_scored_at';

/** The company properties the app writes for every account (kam-model.md §8). */
export const KAM_OUTPUT_PROPERTIES = [
  'kam_tier',
  'kam_score',
  'kam_grade',
  'kam_attractiveness',
  'kam_strength',
  'kam_matrix_strategy',
  'kam_relationship_stage',
  'kam_loyalty',
  'kam_segment',
  'kam_satisfaction_gap',
  'kam_satisfaction_level',
  'kam_revenue_ttm',
  'kam_revenue_growth',
  'kam_pipeline_weighted',
  'kam_next_action',
  'kam_next_action_due',
  'kam_buying_centre_coverage',
  'kam_days_since_visit',
  'kam_profile_completeness',
  'kam_group_id',
  'kam_group_name',
  'kam_group_tier',
  'kam_group_revenue_ttm',
  'kam_group_size',
  'kam_open_complaints',
  'kam_complaints_12m',
  'kam_plan_attainment',
] as const;
export type KamOutputProperty = (typeof KAM_OUTPUT_PROPERTIES)[number];

const text = (value: string | null): string => value ?? '';
const number = (value: number | null, digits: number): string =>
  value === null ? '' : String(round(value, digits));

/**
 * The company properties the app writes (kam-model.md §8) for one scored
 * account, as HubSpot strings; '' clears a value that no longer applies.
 * `kam_revenue_growth` is a percentage (25 = +25%) so views read naturally;
 * so is `kam_plan_attainment` (empty without a plan goal).
 */
export function kamPropertyValues(company: CompanyScore): Record<KamOutputProperty, string> {
  const next = company.actions[0];
  return {
    kam_tier: company.tier,
    kam_score: number(company.score, 1),
    kam_grade: text(company.grade),
    kam_attractiveness: number(company.attractiveness, 1),
    kam_strength: number(company.strength, 1),
    kam_matrix_strategy: text(company.strategy),
    kam_relationship_stage: company.stage,
    kam_loyalty: number(company.loyalty, 1),
    kam_segment: text(company.segment),
    kam_satisfaction_gap: number(company.satisfactionGap, 2),
    kam_satisfaction_level: text(company.satisfactionLevel),
    kam_revenue_ttm: number(company.metrics.revenueTtm, 2),
    kam_revenue_growth: number(
      company.metrics.growth === null ? null : company.metrics.growth * 100,
      1,
    ),
    kam_pipeline_weighted: number(company.metrics.pipelineWeighted, 2),
    kam_next_action: next?.title ?? '',
    kam_next_action_due: next?.due ?? '',
    kam_buying_centre_coverage: number(company.buyingCentre.coverage, 0),
    kam_days_since_visit: number(company.visits.daysSinceVisit, 0),
    kam_profile_completeness: number(company.profile.completeness, 0),
    kam_group_id: company.group.id,
    kam_group_name: text(company.group.name),
    kam_group_tier: company.group.tier,
    kam_group_revenue_ttm: number(company.group.revenueTtm, 2),
    kam_group_size: String(company.group.size),
    kam_open_complaints: String(company.complaints.open),
    kam_complaints_12m: String(company.complaints.last12Months),
    kam_plan_attainment: number(company.plan?.attainment ?? null, 1),
  };
}

/** The same value in HubSpot's eyes: blanks alike, numbers by value, dates by day. */
function sameValue(current: string | null | undefined, next: string): boolean {
  if (isBlank(current)) return next === '';
  if (next === '') return false;
  if (current === next) return true;
  const currentNumber = Number(current);
  const nextNumber = Number(next);
  if (Number.isFinite(currentNumber) && Number.isFinite(nextNumber) && !/^\d{4}-/.test(next)) {
    return currentNumber === nextNumber;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(next)) {
    const day = parseInstantProperty(current);
    return day !== null && !Number.isNaN(day) && new Date(day).toISOString().slice(0, 10) === next;
  }
  return false;
}

/**
 * Only the properties whose value changed, plus `kam_scored_at` when any
 * did; null when nothing changed. Writing only changes keeps HubSpot's
 * property history a true record of how each account moved.
 */
export function changedKamProperties(
  current: PropertyMap,
  next: Readonly<Record<string, string>>,
  scoredAt: string,
): Record<string, string> | null {
  const changed: Record<string, string> = {};
  let any = false;
  for (const [name, value] of Object.entries(next)) {
    if (sameValue(current[name], value)) continue;
    changed[name] = value;
    any = true;
  }
  if (!any) return null;
  changed[SCORED_AT_PROPERTY] = scoredAt;
  return changed;
}

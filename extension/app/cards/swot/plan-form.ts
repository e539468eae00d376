import type { Messages } from '../lib/i18n.ts';
import type { PlanInputs, PlanUpdate } from '../lib/types.ts';

/** The backend's bound on one plan field (kam-model.md §8: 5,000 characters). */
export const PLAN_FIELD_CHARS = 5_000;

/** The plan editor's fields as typed; the goal date as YYYY-MM-DD. */
export interface PlanDraft {
  objective: string;
  goalRevenue: number | null;
  goalDate: string | null;
  strategies: string;
  measures: string;
}

export type PlanErrors = Partial<Record<keyof PlanDraft, string>>;

/** The editor opens with the stored plan; its objective is v1's account plan while it has none of its own. */
export function planDraftFrom(plan: PlanInputs | null): PlanDraft {
  return {
    objective: plan?.objective ?? '',
    goalRevenue: plan?.goalRevenue ?? null,
    goalDate: plan?.goalDate ?? null,
    strategies: plan?.strategies ?? '',
    measures: plan?.measures ?? '',
  };
}

/** The rules `PUT plan` enforces, checked on the fields before the rep saves. */
export function validatePlan(draft: PlanDraft, m: Messages): PlanErrors {
  const errors: PlanErrors = {};
  if (draft.objective.trim() === '') errors.objective = m.plan.objectiveRequired;
  for (const field of ['objective', 'strategies', 'measures'] as const) {
    if (draft[field].trim().length > PLAN_FIELD_CHARS)
      errors[field] = m.plan.tooLong(PLAN_FIELD_CHARS);
  }
  if (draft.goalRevenue !== null && !(draft.goalRevenue >= 0))
    errors.goalRevenue = m.plan.notNegative;
  return errors;
}

/** The body of `PUT plan`: texts trimmed, an empty one cleared. */
export function planUpdate(draft: PlanDraft): PlanUpdate {
  const text = (value: string) => (value.trim() === '' ? null : value.trim());
  return {
    objective: draft.objective.trim(),
    goalRevenue: draft.goalRevenue,
    goalDate: draft.goalDate,
    strategies: text(draft.strategies),
    measures: text(draft.measures),
  };
}

/** HubSpot's DateInput value ({ year, month from 0, date }) for a YYYY-MM-DD day, and back. */
export function dateInputValue(
  day: string | null,
): { year: number; month: number; date: number } | null {
  const match = day === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return null;
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}

export function dayOf(value: { year: number; month: number; date: number } | null): string | null {
  if (value === null) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.year}-${pad(value.month + 1)}-${pad(value.date)}`;
}

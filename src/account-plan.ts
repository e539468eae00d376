/**
 * The account plan (OGSM) of kam-model.md §13: attainment of its revenue
 * goal, the forecast with the open pipeline, days left, and whether it is
 * due a review (A18).
 */
import type { PlanInputs } from './account-inputs.ts';
import type { NormalizedDeal } from './deals.ts';
import type { Explanation } from './explanation.ts';
import { formatDays, formatMoney, formatOneDecimal, isoDate, round } from './format.ts';
import { DAY_MS, daysBetween } from './time.ts';

/** Attainment counts won revenue closed in the 365 days up to the goal date. */
export const PLAN_GOAL_WINDOW_DAYS = 365;
/** A18: a plan not reviewed for longer than this is due a review. */
export const PLAN_REVIEW_DAYS = 90;

/** The goal a plan's deals are measured against: revenue by a date. */
export interface PlanGoal {
  readonly revenue: number;
  readonly dateMs: number;
}

/** A plan's goal, when it has one: a positive revenue and a date (else no attainment). */
export function planGoal(plan: PlanInputs | null): PlanGoal | null {
  if (plan === null || plan.goalRevenue === null || plan.goalDateMs === null) return null;
  return plan.goalRevenue > 0 ? { revenue: plan.goalRevenue, dateMs: plan.goalDateMs } : null;
}

/** Won and weighted open revenue towards a plan's goal, summed while deals stream past. */
export interface PlanProgress {
  /** Won, closedate in (goal date − 365 d, min(asOf, goal date)]. */
  readonly wonRevenue: number;
  /** Open deals' amount × probability, closedate on or before the goal date. */
  readonly weightedOpen: number;
}

/**
 * What one credited deal (or its share) adds towards a goal, as
 * [won, weighted open]; [0, 0] when it counts for nothing.
 */
export function planDealContribution(
  deal: NormalizedDeal,
  fraction: number,
  goalDateMs: number,
  asOfMs: number,
): readonly [number, number] {
  const close = deal.closeMs;
  if (close === null || close > goalDateMs) return NO_CONTRIBUTION;
  if (deal.state === 'open') return [0, deal.amount * fraction * deal.probability];
  if (deal.state !== 'won') return NO_CONTRIBUTION;
  const inWindow = close > goalDateMs - PLAN_GOAL_WINDOW_DAYS * DAY_MS && close <= asOfMs;
  return inWindow ? [deal.amount * fraction, 0] : NO_CONTRIBUTION;
}
const NO_CONTRIBUTION: readonly [number, number] = Object.freeze<[number, number]>([0, 0]);

/** One account's plan as the card shows it (CompanyScore.plan). */
export interface PlanStatus {
  readonly objective: string;
  readonly goalRevenue: number | null;
  /** YYYY-MM-DD. */
  readonly goalDate: string | null;
  readonly strategies: string | null;
  readonly measures: string | null;
  /** YYYY-MM-DD. */
  readonly reviewedAt: string | null;
  /** Days since the last review; null when never reviewed. */
  readonly reviewAgeDays: number | null;
  /** Won revenue towards the goal, % of it, one decimal; null without a goal. */
  readonly attainment: number | null;
  /** Attainment plus the weighted open pipeline closing by the goal date, % of the goal; null without one. */
  readonly forecast: number | null;
  /** Days from asOf to the goal date, 0 once it has passed; null without a goal date. */
  readonly daysLeft: number | null;
  /** A18: the plan has never been reviewed, or not for more than 90 days. */
  readonly reviewDue: boolean;
}

/** One account's plan as of an instant; status null when it has none (no objective). */
export function planStatus(
  plan: PlanInputs | null,
  progress: PlanProgress | null,
  asOfMs: number,
): { status: PlanStatus | null; explanation: Explanation } {
  if (plan === null) {
    return {
      status: null,
      explanation: {
        rule: 'plan.none',
        text: 'No account plan: no objective on record',
        inputs: { plan: false },
      },
    };
  }
  const goal = planGoal(plan);
  const reviewAgeDays =
    plan.reviewedAtMs === null ? null : Math.max(0, daysBetween(plan.reviewedAtMs, asOfMs));
  const reviewDue = reviewAgeDays === null || reviewAgeDays > PLAN_REVIEW_DAYS;
  const daysLeft =
    plan.goalDateMs === null ? null : Math.max(0, Math.ceil((plan.goalDateMs - asOfMs) / DAY_MS));
  const won = goal === null ? null : (progress?.wonRevenue ?? 0);
  const open = goal === null ? null : (progress?.weightedOpen ?? 0);
  const attainment = goal === null ? null : round(((won as number) / goal.revenue) * 100, 1);
  const forecast =
    goal === null ? null : round((((won as number) + (open as number)) / goal.revenue) * 100, 1);
  const reviewedAt = plan.reviewedAtMs === null ? null : isoDate(plan.reviewedAtMs);
  const goalDate = plan.goalDateMs === null ? null : isoDate(plan.goalDateMs);
  const review =
    reviewAgeDays === null
      ? 'never reviewed'
      : `reviewed ${formatDays(reviewAgeDays)} ago (due after ${formatDays(PLAN_REVIEW_DAYS)})`;
  const progressText =
    goal === null
      ? 'no revenue goal with a date, so no attainment'
      : `${formatOneDecimal(attainment as number)}% of the ${formatMoney(goal.revenue)} goal by ${goalDate as string} won (${formatMoney(won as number)}), ${formatOneDecimal(forecast as number)}% with the weighted pipeline closing by then; ${formatDays(daysLeft as number)} left`;
  return {
    status: {
      objective: plan.objective,
      goalRevenue: plan.goalRevenue,
      goalDate,
      strategies: plan.strategies,
      measures: plan.measures,
      reviewedAt,
      reviewAgeDays,
      attainment,
      forecast,
      daysLeft,
      reviewDue,
    },
    explanation: {
      rule: goal === null ? 'plan.no_goal' : 'plan.attainment',
      text: `Account plan: ${progressText}; ${review}`,
      inputs: {
        goalRevenue: plan.goalRevenue,
        goalDate,
        wonRevenue: won,
        weightedOpen: open,
        attainment,
        forecast,
        daysLeft,
        reviewAgeDays,
      },
    },
  };
}

/** A18's reason: when the plan was last reviewed, against the 90 days. */
export function planReviewReason(plan: PlanStatus): string {
  return plan.reviewAgeDays === null
    ? 'The account plan has never been reviewed'
    : `The account plan was last reviewed ${formatDays(plan.reviewAgeDays)} ago (${plan.reviewedAt as string}); review it every ${formatDays(PLAN_REVIEW_DAYS)}`;
}

/**
 * kam-model.md §13 the account plan (OGSM): when a plan exists (and v1's
 * text as its objective), attainment over (goal date − 365 d, min(asOf, goal
 * date)] on both sides of each edge, the forecast with the open pipeline
 * closing by the goal date, days left, no goal → no attainment, A9 and A18
 * from it, and a portal with no plans.
 */
import { describe, expect, it } from 'vitest';
import { boundAccountText } from '../../src/text-bounds.ts';
import {
  AS_OF,
  DAY,
  company,
  companyOf,
  iso,
  inputsOf,
  open,
  portal,
  score,
  won,
} from './builders.ts';
import type { DealSpec, Props } from './builders.ts';

const GOAL = { kam_plan_objective: 'Be the sole supplier', kam_plan_goal_revenue: '10000' };

/** The company's plan, scored with the given plan properties and deals. */
function planOf(props: Props, deals: readonly DealSpec[] = [], tier = 'key') {
  const result = score(
    portal(
      [company('1', { kam_tier_override: tier, ...props })],
      deals.map((deal) => (deal.probability === undefined ? won : open)({ company: '1', ...deal })),
    ),
  );
  return companyOf(result, '1');
}

describe('§13 when a plan exists', () => {
  it('with an objective; v1’s kam_account_plan is the objective while that is empty', () => {
    expect(inputsOf({ kam_plan_objective: 'Grow 20%' }).plan?.objective).toBe('Grow 20%');
    expect(inputsOf({ kam_account_plan: 'O: win the plant' }).plan?.objective).toBe(
      'O: win the plant',
    );
    expect(
      inputsOf({ kam_plan_objective: 'Grow 20%', kam_account_plan: 'old text' }).plan?.objective,
    ).toBe('Grow 20%');
    expect(
      inputsOf({ kam_plan_objective: '  ', kam_account_plan: 'old text' }).plan?.objective,
    ).toBe('old text');
    // v1's text is kept as it was typed.
    expect(inputsOf({ kam_account_plan: 'old text' }).accountPlan).toBe('old text');
  });

  it('not without an objective, whatever else is set', () => {
    const inputs = inputsOf({ kam_plan_goal_revenue: '1000', kam_plan_strategies: 'S' });
    expect(inputs.plan).toBeNull();
    const scored = planOf({ kam_plan_goal_revenue: '1000' });
    expect(scored.plan).toBeNull();
    expect(scored.actions.some((action) => action.ruleId === 'A9')).toBe(true);
    expect(scored.explanations.plan?.text).toBe('No account plan: no objective on record');
  });

  it('keeps every field, dates as YYYY-MM-DD', () => {
    const { plan } = planOf({
      ...GOAL,
      kam_plan_goal_date: '2026-12-31',
      kam_plan_strategies: 'Bundle service',
      kam_plan_measures: 'Two plants by Q4',
      kam_plan_reviewed_at: '2026-08-01T09:00:00Z',
    });
    expect(plan).toMatchObject({
      objective: 'Be the sole supplier',
      goalRevenue: 10000,
      goalDate: '2026-12-31',
      strategies: 'Bundle service',
      measures: 'Two plants by Q4',
      reviewedAt: '2026-08-01',
      reviewAgeDays: 13,
      reviewDue: false,
    });
  });

  it('flags an unreadable goal and keeps the plan', () => {
    const scored = planOf({ ...GOAL, kam_plan_goal_revenue: 'lots', kam_plan_goal_date: 'soon' });
    expect(scored.plan).toMatchObject({ goalRevenue: null, goalDate: null, attainment: null });
    expect(scored.flags.map((flag) => flag.field)).toEqual(
      expect.arrayContaining(['kam_plan_goal_revenue', 'kam_plan_goal_date']),
    );
  });

  it('cuts a plan field to 5,000 characters before it is scored', () => {
    const { company: bounded, flags } = boundAccountText(
      company('1', { kam_plan_objective: 'x'.repeat(6000) }),
    );
    expect(bounded.properties.kam_plan_objective).toHaveLength(5000);
    expect(flags.map((flag) => flag.field)).toEqual(['kam_plan_objective']);
  });
});

describe('§13 attainment and forecast', () => {
  // Goal date after asOf (2026-08-15): won deals count in (goal − 365 d, asOf].
  const FUTURE_GOAL = Date.parse('2026-12-31T00:00:00Z');
  const future = { ...GOAL, kam_plan_goal_date: iso(FUTURE_GOAL) };

  it('counts won revenue in (goal date − 365 d, min(asOf, goal date)]', () => {
    const start = FUTURE_GOAL - 365 * DAY;
    const { plan } = planOf(future, [
      { amount: 1000, closeMs: start }, // on the open edge: out
      { amount: 2000, closeMs: start + 1 }, // in
      { amount: 500, closeMs: AS_OF }, // asOf: in
      { amount: 4000, closeMs: AS_OF + 1 }, // not happened yet: out
    ]);
    expect(plan).toMatchObject({ attainment: 25, forecast: 25, daysLeft: 138 });
  });

  it('stops at the goal date when it has passed', () => {
    const goal = AS_OF - 10 * DAY;
    const { plan } = planOf({ ...GOAL, kam_plan_goal_date: iso(goal) }, [
      { amount: 3000, closeMs: goal },
      { amount: 4000, closeMs: goal + 1 },
    ]);
    expect(plan).toMatchObject({ attainment: 30, forecast: 30, daysLeft: 0 });
  });

  it('the forecast adds open deals weighted, closing by the goal date', () => {
    const { plan, explanations } = planOf(future, [
      { amount: 1250, closeMs: AS_OF - DAY },
      { amount: 4000, probability: 0.5, closeMs: FUTURE_GOAL }, // 2,000: in
      { amount: 9000, probability: 0.5, closeMs: FUTURE_GOAL + 1 }, // after the goal date: out
      { amount: 9000, probability: 0.5 }, // no close date: out
    ]);
    expect(plan).toMatchObject({ attainment: 12.5, forecast: 32.5 });
    expect(explanations.plan?.text).toBe(
      'Account plan: 12.5% of the 10k goal by 2026-12-31 won (1.3k), 32.5% with the weighted pipeline closing by then; 138 days left; never reviewed',
    );
  });

  it('days left round up to whole days', () => {
    const { plan } = planOf({ ...GOAL, kam_plan_goal_date: iso(AS_OF + 10.5 * DAY) });
    expect(plan?.daysLeft).toBe(11);
  });

  it.each([
    ['no goal revenue', { kam_plan_objective: 'O', kam_plan_goal_date: '2026-12-31' }],
    ['a goal of 0', { ...GOAL, kam_plan_goal_revenue: '0', kam_plan_goal_date: '2026-12-31' }],
    ['no goal date', GOAL],
  ])('no attainment with %s', (_, props) => {
    const { plan, explanations } = planOf(props, [{ amount: 5000, closeMs: AS_OF - DAY }]);
    expect(plan).toMatchObject({ attainment: null, forecast: null });
    expect(explanations.plan?.rule).toBe('plan.no_goal');
    expect(explanations.plan?.text).toBe(
      'Account plan: no revenue goal with a date, so no attainment; never reviewed',
    );
  });
});

describe('§13 A9 and A18 in a scored portfolio', () => {
  it('a plan from v1 text alone stops A9 and asks for a review (A18)', () => {
    const scored = planOf({ kam_account_plan: 'O: grow' }, [], 'strategic');
    const rules = scored.actions.map((action) => action.ruleId);
    expect(rules).not.toContain('A9');
    expect(rules).toContain('A18');
    expect(scored.actions.find((action) => action.ruleId === 'A18')?.reason).toBe(
      'The account plan has never been reviewed',
    );
  });

  it('A18 on both sides of 90 days since the review', () => {
    const reviewed = (daysAgo: number) =>
      planOf({ ...GOAL, kam_plan_reviewed_at: iso(AS_OF - daysAgo * DAY) }).actions.filter(
        (action) => action.ruleId === 'A18',
      );
    expect(reviewed(90)).toEqual([]);
    expect(reviewed(91)).toHaveLength(1);
    expect(reviewed(91)[0]?.reason).toBe(
      'The account plan was last reviewed 91 days ago (2026-05-16); review it every 90 days',
    );
  });

  it('a portal with no plans: plan null, A9 for the top tiers as before, no A18', () => {
    const scored = planOf({}, [], 'strategic');
    expect(scored.plan).toBeNull();
    const rules = scored.actions.map((action) => action.ruleId);
    expect(rules).toContain('A9');
    expect(rules).not.toContain('A18');
  });
});

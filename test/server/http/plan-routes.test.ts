/**
 * kam-model.md §13: the plan editor's API. PUT plan writes only the plan
 * properties that change and stamps today's review; POST plan/reviewed only
 * the review; v1's `kam_account_plan` becomes the objective without losing a
 * character, and the company is rescored as after a SWOT edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../../src/index.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';

let kam: InstalledBackend;
let ids: readonly string[];

beforeAll(async () => {
  kam = await startInstalledBackend();
  ids = kam.sandbox.admin.portal(kam.portalId).sortedIds('companies');
}, 60_000);

afterAll(async () => {
  await kam.stop();
});

const stored = (id: string, name: string): string | null | undefined =>
  kam.sandbox.admin.portal(kam.portalId).get('companies', id)?.properties[name];
/** How many times a property was set on a company (its history's length). */
const writes = (id: string, name: string): number =>
  kam.sandbox.admin.propertyHistory(kam.portalId, 'companies', id, name).length;

interface PlanScorecard {
  manual: {
    accountPlan: string | null;
    plan: {
      objective: string;
      goalRevenue: number | null;
      goalDate: string | null;
      strategies: string | null;
      measures: string | null;
      reviewedAt: string | null;
    } | null;
  };
}

function company(index: number): string {
  const id = ids[index];
  if (id === undefined) throw new Error('not enough companies');
  return id;
}

describe('PUT /api/v1/companies/:id/plan', () => {
  it('writes the plan, stamps today as reviewed, and answers with the rescored scorecard', async () => {
    const id = company(3);
    const response = await kam.card('PUT', `/api/v1/companies/${id}/plan`, {
      objective: '  Become the sole supplier of valves  ',
      goalRevenue: 1_200_000,
      goalDate: '2027-06-30',
      strategies: 'Bundle service contracts',
      measures: 'Monthly review with procurement',
    });
    expect(response.status).toBe(200);
    const today = isoDate(kam.now);
    expect(stored(id, 'kam_plan_objective')).toBe('Become the sole supplier of valves');
    expect(Number(stored(id, 'kam_plan_goal_revenue'))).toBe(1_200_000);
    expect(stored(id, 'kam_plan_goal_date')).toContain('2027-06-30');
    expect(stored(id, 'kam_plan_strategies')).toBe('Bundle service contracts');
    expect(stored(id, 'kam_plan_measures')).toBe('Monthly review with procurement');
    expect(stored(id, 'kam_plan_reviewed_at')).toContain(today);
    const scorecard = (await response.json()) as PlanScorecard;
    expect(scorecard.manual.plan).toEqual({
      objective: 'Become the sole supplier of valves',
      goalRevenue: 1_200_000,
      goalDate: '2027-06-30',
      strategies: 'Bundle service contracts',
      measures: 'Monthly review with procurement',
      reviewedAt: today,
    });
  });

  it('writes only the properties that change', async () => {
    const id = company(4);
    const plan = {
      objective: 'Grow the service line',
      goalRevenue: 50_000,
      goalDate: '2027-01-31',
    };
    expect((await kam.card('PUT', `/api/v1/companies/${id}/plan`, plan)).status).toBe(200);
    const before = {
      objective: writes(id, 'kam_plan_objective'),
      goal: writes(id, 'kam_plan_goal_revenue'),
      date: writes(id, 'kam_plan_goal_date'),
      reviewed: writes(id, 'kam_plan_reviewed_at'),
      measures: writes(id, 'kam_plan_measures'),
    };
    const again = await kam.card('PUT', `/api/v1/companies/${id}/plan`, {
      ...plan,
      goalRevenue: 60_000,
    });
    expect(again.status).toBe(200);
    expect({
      objective: writes(id, 'kam_plan_objective'),
      goal: writes(id, 'kam_plan_goal_revenue'),
      date: writes(id, 'kam_plan_goal_date'),
      reviewed: writes(id, 'kam_plan_reviewed_at'),
      measures: writes(id, 'kam_plan_measures'),
    }).toEqual({ ...before, goal: before.goal + 1 });
  });

  it('clears a field given as null', async () => {
    const id = company(5);
    await kam.card('PUT', `/api/v1/companies/${id}/plan`, {
      objective: 'Keep the account',
      measures: 'Quarterly QBR',
    });
    expect(stored(id, 'kam_plan_measures')).toBe('Quarterly QBR');
    const response = await kam.card('PUT', `/api/v1/companies/${id}/plan`, { measures: null });
    expect(response.status).toBe(200);
    expect(stored(id, 'kam_plan_measures') ?? '').toBe('');
    expect(stored(id, 'kam_plan_objective')).toBe('Keep the account');
  });
});

describe('v1 migration: kam_account_plan becomes the objective, no text lost', () => {
  // Every kind of character v1's free text may hold, at the 5,000-character bound.
  const v1Text = `OGSM 2026 — 目标：成为唯一供应商 🚀\nG: +20%\n\tS: 双周拜访\n`.padEnd(5_000, '·');

  it('the scorecard opens the editor with v1’s text as the objective, and saving keeps every character', async () => {
    const id = company(6);
    kam.sandbox.admin.updateObject(kam.portalId, 'companies', id, { kam_account_plan: v1Text });
    const opened = (await (
      await kam.card('POST', `/api/v1/companies/${id}/recompute`)
    ).json()) as PlanScorecard;
    expect(opened.manual.plan?.objective).toBe(v1Text.trim());

    const saved = await kam.card('PUT', `/api/v1/companies/${id}/plan`, {
      objective: opened.manual.plan?.objective,
    });
    expect(saved.status).toBe(200);
    expect(stored(id, 'kam_plan_objective')).toBe(v1Text.trim());
    // v1's property is left as it was: nothing of it is lost, and an older reader still finds it.
    expect(stored(id, 'kam_account_plan')).toBe(v1Text);
    const scorecard = (await saved.json()) as PlanScorecard;
    expect(scorecard.manual.plan?.objective).toBe(v1Text.trim());
  });

  it('marking a v1 plan reviewed keeps it in kam_account_plan and stamps the review only', async () => {
    const id = company(7);
    kam.sandbox.admin.updateObject(kam.portalId, 'companies', id, {
      kam_account_plan: 'Win the tender',
    });
    const response = await kam.card('POST', `/api/v1/companies/${id}/plan/reviewed`);
    expect(response.status).toBe(200);
    expect(stored(id, 'kam_plan_reviewed_at')).toContain(isoDate(kam.now));
    expect(stored(id, 'kam_plan_objective') ?? '').toBe('');
    expect(stored(id, 'kam_account_plan')).toBe('Win the tender');
  });
});

describe('POST /api/v1/companies/:id/plan/reviewed', () => {
  it('sets only kam_plan_reviewed_at', async () => {
    const id = company(8);
    await kam.card('PUT', `/api/v1/companies/${id}/plan`, { objective: 'Expand to Asia' });
    kam.sandbox.admin.updateObject(kam.portalId, 'companies', id, {
      kam_plan_reviewed_at: '2026-01-15',
    });
    const objectiveWrites = writes(id, 'kam_plan_objective');
    const response = await kam.card('POST', `/api/v1/companies/${id}/plan/reviewed`);
    expect(response.status).toBe(200);
    expect(stored(id, 'kam_plan_reviewed_at')).toContain(isoDate(kam.now));
    expect(writes(id, 'kam_plan_objective')).toBe(objectiveWrites);
    const scorecard = (await response.json()) as PlanScorecard;
    expect(scorecard.manual.plan?.reviewedAt).toBe(isoDate(kam.now));
  });

  it('refuses a company without a plan, naming objective, and writes nothing', async () => {
    const id = company(9);
    kam.sandbox.admin.updateObject(kam.portalId, 'companies', id, {
      kam_account_plan: '',
      kam_plan_objective: '',
    });
    const before = writes(id, 'kam_plan_reviewed_at');
    const response = await kam.card('POST', `/api/v1/companies/${id}/plan/reviewed`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'validation_failed', field: 'objective' },
    });
    expect(writes(id, 'kam_plan_reviewed_at')).toBe(before);
  });
});

import { useCallback, useEffect, useRef } from 'react';
import { paths, type ApiResult, type HttpMethod } from './api-client.ts';
import type { CardEnvironment } from './environment.ts';
import { useApiData, type DataState } from './use-api-data.ts';
import { useRecomputeProgress } from './use-recompute-progress.ts';
import type { ManualInputs, PlanUpdate, Scorecard, SurveyRatings, TaskResult } from './types.ts';

const NO_MANUAL_INPUTS: ManualInputs = {
  strengths: [],
  weaknesses: [],
  opportunities: [],
  threats: [],
  competitors: [],
  accountPlan: null,
  tierOverride: null,
  plan: null,
};

/**
 * Fills what an older backend may leave out (no tasks yet, no pin, no
 * history) with its empty value, so a card never reads a missing field.
 */
export function normalizeScorecard(raw: Scorecard): Scorecard {
  const partial: Partial<Scorecard> = raw;
  return {
    ...raw,
    history: partial.history ?? [],
    pinnedBy: partial.pinnedBy ?? null,
    manual: { ...NO_MANUAL_INPUTS, ...partial.manual },
    tasks: partial.tasks ?? {},
    tasksEnabled: partial.tasksEnabled ?? true,
    writeFailure: partial.writeFailure ?? null,
    ownerNames: partial.ownerNames ?? {},
  };
}

export type ScorecardState = DataState<Scorecard>;

/**
 * What the backend writes after a rescore (score, tier, stage, gap, next
 * action) and what the cards save (pin, survey date, SWOT lists): when one
 * changes, whichever card changed it, every card of the record reloads.
 */
export const SCORECARD_PROPERTIES = [
  'kam_score',
  'kam_tier',
  'kam_relationship_stage',
  'kam_satisfaction_gap',
  'kam_next_action',
  'kam_tier_override',
  'kam_survey_date',
  'kam_swot_strengths',
  'kam_swot_weaknesses',
  'kam_swot_opportunities',
  'kam_swot_threats',
  'kam_competitors',
  'kam_account_plan',
  'kam_plan_objective',
  'kam_plan_goal_revenue',
  'kam_plan_goal_date',
  'kam_plan_strategies',
  'kam_plan_measures',
  'kam_plan_reviewed_at',
];

/**
 * The data hook of the company cards: loads the company's scorecard and
 * performs the card's writes. Every write that changes company properties
 * (survey, SWOT, recompute) puts the backend's rescored scorecard in and is
 * followed by `refreshObjectProperties()` so the record's own property panel
 * shows the new values.
 */
export function useScorecard(env: CardEnvironment) {
  const { api, companyId, refreshObjectProperties } = env;
  const fetchScorecard = useCallback(async (): Promise<ApiResult<Scorecard>> => {
    const result = await api.request<Scorecard>('GET', paths.scorecard(companyId));
    return result.ok ? { ...result, data: normalizeScorecard(result.data) } : result;
  }, [api, companyId]);
  const { state, setState, load, reload } = useApiData(fetchScorecard);

  // Each card of the record has its own scorecard: a save in one refreshes
  // the record's properties, and HubSpot tells the others here.
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const { onPropertiesUpdate } = env;
  useEffect(() => {
    onPropertiesUpdate(SCORECARD_PROPERTIES, () => void latestLoad.current());
    // Registered once: HubSpot keeps the callback for the card's lifetime.
  }, []);

  const { progress, start, follow, finish, fail } = useRecomputeProgress(api, () => {
    void load();
    refreshObjectProperties();
  });

  /** Writes company inputs; on success the answer is the recomputed scorecard. */
  const saveInputs = useCallback(
    async (
      path: string,
      body?: Record<string, unknown>,
      method: HttpMethod = 'PUT',
    ): Promise<ApiResult<Scorecard>> => {
      const result = await api.request<Scorecard>(method, path, body);
      if (!result.ok) return result;
      const scorecard = normalizeScorecard(result.data);
      setState({ status: 'ready', data: scorecard });
      refreshObjectProperties();
      return { ...result, data: scorecard };
    },
    [api, refreshObjectProperties, setState],
  );

  const saveSurvey = useCallback(
    (survey: SurveyRatings) => saveInputs(paths.survey(companyId), { ...survey }),
    [saveInputs, companyId],
  );

  /** `PUT swot` carries every manual input: SWOT lists, competitors, account plan and the tier pin. */
  const saveManualInputs = useCallback(
    (inputs: Partial<ManualInputs>) => saveInputs(paths.swot(companyId), { ...inputs }),
    [saveInputs, companyId],
  );

  /** §13: saves the plan, which the backend also marks reviewed today. */
  const savePlan = useCallback(
    (plan: PlanUpdate) => saveInputs(paths.plan(companyId), { ...plan }),
    [saveInputs, companyId],
  );

  /** §13: marks the plan reviewed today (A18), nothing else. */
  const markPlanReviewed = useCallback(
    () => saveInputs(paths.planReviewed(companyId), undefined, 'POST'),
    [saveInputs, companyId],
  );

  /**
   * Rescores this company: the backend answers once the worker's pass is done,
   * with the new scorecard (as a save does). Only when a full recompute is
   * running does the company wait for it, and then the card follows that run.
   */
  const recompute = useCallback(async () => {
    start();
    const result = await api.request<Scorecard>('POST', paths.recomputeCompany(companyId));
    if (!result.ok) {
      fail(result.error);
      return;
    }
    const scorecard = normalizeScorecard(result.data);
    setState({ status: 'ready', data: scorecard });
    refreshObjectProperties();
    if (scorecard.recompute.state === 'running' || scorecard.recompute.state === 'queued') {
      follow(scorecard.recompute);
    } else {
      finish();
    }
  }, [api, companyId, setState, refreshObjectProperties, start, follow, finish, fail]);

  /**
   * Idempotent on the backend: asking twice returns the open task instead of
   * a second one. The subject and reason go in the rep's language.
   */
  const createTask = useCallback(
    async (
      actionKey: string,
      text: { subject: string; reason: string },
    ): Promise<ApiResult<TaskResult>> => {
      const result = await api.request<TaskResult>('POST', paths.task(companyId, actionKey), {
        ...text,
      });
      if (result.ok) {
        setState((current) =>
          current.status === 'ready'
            ? {
                status: 'ready',
                data: {
                  ...current.data,
                  tasks: { ...current.data.tasks, [actionKey]: result.data.task },
                },
              }
            : current,
        );
      }
      return result;
    },
    [api, companyId, setState],
  );

  return {
    state,
    reload,
    saveSurvey,
    saveManualInputs,
    savePlan,
    markPlanReviewed,
    recompute,
    recomputeProgress: progress,
    createTask,
  };
}

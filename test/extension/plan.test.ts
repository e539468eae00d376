/**
 * kam-model.md §13 on the SWOT card: the account plan with attainment,
 * forecast, days left and review; its editor (validation, PUT plan) and
 * "mark reviewed" (POST plan/reviewed); A9/A18 beside it; en and zh.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SwotCard } from '../../extension/app/cards/swot/SwotCard.tsx';
import type {
  AccountPlan,
  CompanyScore,
  NextAction,
  PlanInputs,
} from '../../extension/app/cards/lib/types.ts';
import {
  Alert,
  Button,
  DateInput,
  Form,
  NumberInput,
  Panel,
  ProgressBar,
  TextArea,
} from '../../extension/app/cards/testing.ts';
import type { RenderedElementNode } from '../../extension/app/cards/testing.ts';
import {
  apiError,
  fire,
  fixtures,
  mockBackend,
  on,
  renderCard,
  scorecardFor,
} from './support/card-harness.ts';

const SCORECARD = '/api/v1/companies/1003/scorecard';
const PLAN = '/api/v1/companies/1003/plan';
const REVIEWED = '/api/v1/companies/1003/plan/reviewed';
const strategic = fixtures.companies.strategic;

const stored: PlanInputs = {
  objective: 'Become the sole valve supplier',
  goalRevenue: 1_200_000,
  goalDate: '2027-06-30',
  strategies: 'Bundle service contracts',
  measures: 'Monthly review with procurement',
  reviewedAt: '2026-10-01',
};
const scored = (overrides: Partial<AccountPlan> = {}): AccountPlan => ({
  ...stored,
  attainment: 45.5,
  forecast: 112.3,
  daysLeft: 241,
  ...overrides,
});
const a9: NextAction = {
  ruleId: 'A9',
  key: 'A9-1003',
  title: 'Write the account plan (OGSM)',
  reason: 'Strategic account without an account plan',
  evidence: { tier: 'strategic', accountPlan: false },
  priority: 2,
  dueDays: 30,
  due: '2026-12-01',
};
const a18: NextAction = {
  ruleId: 'A18',
  key: 'A18-1003',
  title: 'Review the account plan',
  reason: 'The account plan was last reviewed 120 days ago (every 90 days)',
  evidence: { reviewAgeDays: 120, reviewDays: 90 },
  priority: 3,
  dueDays: 14,
  due: '2026-11-15',
};

function company(plan: AccountPlan | null, actions: NextAction[] = []): CompanyScore {
  return { ...strategic, plan, actions };
}
function scorecard(
  plan: PlanInputs | null,
  companyPlan: AccountPlan | null,
  actions: NextAction[] = [],
) {
  return scorecardFor(company(companyPlan, actions), {
    manual: { ...scorecardFor(null).manual, plan },
  });
}

/** Submits a form inside an overlay: HubSpot passes the event and the panel reactions. */
function submitInOverlay(node: RenderedElementNode<object>) {
  const reactions = {
    openPanel: vi.fn(),
    closePanel: vi.fn(),
    openModal: vi.fn(),
    closeModal: vi.fn(),
  };
  const onSubmit = (node.props as { onSubmit?: (event: unknown, r: typeof reactions) => void })
    .onSubmit;
  if (onSubmit === undefined) throw new Error('the node has no onSubmit');
  onSubmit({ targetValue: {} }, reactions);
  return reactions;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the account plan on the SWOT card', () => {
  it.each([
    [
      'en-us',
      'No account plan yet.',
      'Write the account plan (OGSM)',
      'Strategic account without an account plan',
      'Write the plan',
    ],
    [
      'zh-cn',
      '尚无客户计划。',
      '编写年度客户计划（OGSM）',
      '战略或重点客户尚无客户计划',
      '制定计划',
    ],
  ])('%s: no plan, with A9 beside it', async (locale, none, title, reason, write) => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecard(null, null, [a9]) }));
    const card = renderCard(SwotCard, { locale });
    await card.waitForText(none);
    const alert = card.find(Alert, { title });
    expect(alert.toString()).toContain(reason);
    expect(card.findByTestId(Button, 'plan-edit').text).toBe(write);
    expect(card.maybeFind(Button, { testId: 'plan-reviewed' })).toBeNull();
  });

  it.each([
    [
      'en-us',
      [
        'Goal: 1.2M by 2027-06-30',
        '241 days left',
        'Reviewed 2026-10-01',
        '45.5% of the goal',
        '112.3% of the goal',
      ],
    ],
    [
      'zh-cn',
      [
        '目标：2027-06-30 前达到 1.2M',
        '剩余 241 天',
        '评审于 2026-10-01',
        '目标的 45.5%',
        '目标的 112.3%',
      ],
    ],
  ])('%s: the plan with attainment, forecast, days left and its review', async (locale, texts) => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecard(stored, scored()) }));
    const card = renderCard(SwotCard, { locale });
    await card.waitForText('Become the sole valve supplier');
    for (const text of texts) expect(card.screen()).toContain(text);
    const attainment = card.findByTestId(ProgressBar, 'plan-attainment');
    expect(attainment.props).toMatchObject({ value: 45.5, maxValue: 100, variant: 'danger' });
    // Past the goal, the bar is full and the words say by how much.
    expect(card.findByTestId(ProgressBar, 'plan-forecast').props).toMatchObject({
      value: 100,
      variant: 'success',
    });
    expect(card.screen()).toContain('Bundle service contracts');
  });

  it('one day left is singular; a passed goal date says so', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecard(stored, scored({ daysLeft: 1 })) }),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('1 day left');
    vi.restoreAllMocks();
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecard(stored, scored({ daysLeft: 0 })) }),
    );
    const passed = renderCard(SwotCard);
    await passed.waitForText('The goal date has passed.');
  });

  it.each([
    [
      'en-us',
      'No revenue goal with a date: set one to track attainment.',
      'Never reviewed',
      'Review the account plan',
    ],
    ['zh-cn', '没有带日期的收入目标：设定后即可跟踪达成率。', '从未评审', '评审客户计划'],
  ])(
    '%s: a plan without a goal has no bars; A18 asks for a review',
    async (locale, noGoal, never, a18Title) => {
      const bare = { ...stored, goalRevenue: null, goalDate: null, reviewedAt: null };
      const plan = { ...bare, attainment: null, forecast: null, daysLeft: null };
      mockBackend(on('GET', SCORECARD, { status: 200, body: scorecard(bare, plan, [a18]) }));
      const card = renderCard(SwotCard, { locale });
      await card.waitForText(noGoal);
      expect(card.screen()).toContain(never);
      expect(card.findAll(ProgressBar)).toHaveLength(0);
      expect(card.find(Alert, { title: a18Title })).toBeDefined();
    },
  );

  it('v1’s account plan opens the editor as the objective, and saving sends it whole', async () => {
    const v1 = 'OGSM 2026\nO: sole supplier\n\tG: +20%';
    const fromV1: PlanInputs = {
      objective: v1,
      goalRevenue: null,
      goalDate: null,
      strategies: null,
      measures: null,
      reviewedAt: null,
    };
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecard(fromV1, null) }),
      on('PUT', PLAN, { status: 200, body: scorecard(fromV1, null) }),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('O: sole supplier');
    fire(card.findByTestId(Button, 'plan-edit'), 'onClick');
    expect(card.find(TextArea, { name: 'objective' }).props.value).toBe(v1);
    submitInOverlay(card.find(Form));
    await card.waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      objective: v1,
      goalRevenue: null,
      goalDate: null,
      strategies: null,
      measures: null,
    });
  });
});

describe('the plan editor', () => {
  it('saves the plan: PUT plan with the fields, closes the panel, refreshes the record', async () => {
    const saved = { ...stored, reviewedAt: '2026-11-01' };
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecard(null, null, [a9]) }),
      on('PUT', PLAN, {
        status: 200,
        body: scorecard(saved, scored({ reviewedAt: '2026-11-01' })),
      }),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('No account plan yet.');
    fire(card.findByTestId(Button, 'plan-edit'), 'onClick');
    const editor = () => card.find(Panel, { id: 'kam-plan-editor' });
    fire(
      editor().find(TextArea, { name: 'objective' }),
      'onChange',
      '  Become the sole valve supplier ',
    );
    fire(editor().find(NumberInput, { name: 'goalRevenue' }), 'onChange', 1_200_000);
    fire(editor().find(TextArea, { name: 'strategies' }), 'onChange', 'Bundle service contracts');
    // HubSpot's DateInput counts months from 0.
    fire(editor().find(DateInput, { name: 'goalDate' }), 'onChange', {
      year: 2027,
      month: 5,
      date: 30,
    });
    const reactions = submitInOverlay(editor().find(Form));
    await card.waitForText('Plan saved and marked reviewed today; the account was recomputed.');
    expect(reactions.closePanel).toHaveBeenCalledWith('kam-plan-editor');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      objective: 'Become the sole valve supplier',
      goalRevenue: 1_200_000,
      goalDate: '2027-06-30',
      strategies: 'Bundle service contracts',
      measures: null,
    });
    expect(card.screen()).toContain('Reviewed 2026-11-01');
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it.each([
    ['en-us', 'Enter the objective.', 'At most 5000 characters.', 'Enter an amount of 0 or more.'],
    ['zh-cn', '请填写目的。', '最多 5000 个字符。', '请输入 0 或以上的金额。'],
  ])(
    '%s: refuses an empty objective, a field over 5,000 characters and a negative goal, sending nothing',
    async (locale, required, tooLong, negative) => {
      const { calls } = mockBackend(
        on('GET', SCORECARD, { status: 200, body: scorecard(null, null) }),
      );
      const card = renderCard(SwotCard, { locale });
      await card.waitFor(() => expect(card.findByTestId(Button, 'plan-edit')).toBeDefined());
      fire(card.findByTestId(Button, 'plan-edit'), 'onClick');
      const editor = () => card.find(Panel, { id: 'kam-plan-editor' });
      const reactions = submitInOverlay(editor().find(Form));
      expect(editor().find(TextArea, { name: 'objective' }).props).toMatchObject({
        error: true,
        validationMessage: required,
      });
      fire(editor().find(TextArea, { name: 'objective' }), 'onChange', 'ok');
      fire(editor().find(TextArea, { name: 'measures' }), 'onChange', 'm'.repeat(5_001));
      fire(editor().find(NumberInput, { name: 'goalRevenue' }), 'onChange', -5);
      submitInOverlay(editor().find(Form));
      expect(editor().find(TextArea, { name: 'measures' }).props.validationMessage).toBe(tooLong);
      expect(editor().find(NumberInput, { name: 'goalRevenue' }).props.validationMessage).toBe(
        negative,
      );
      // 5,000 characters exactly is allowed.
      fire(editor().find(TextArea, { name: 'measures' }), 'onChange', 'm'.repeat(5_000));
      expect(editor().find(TextArea, { name: 'measures' }).props.error).toBeUndefined();
      expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
      expect(reactions.closePanel).not.toHaveBeenCalled();
    },
  );

  it('keeps the editor open with the backend’s error when saving fails', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecard(stored, scored()) }),
      on('PUT', PLAN, apiError(400, 'validation_failed', 'at most 5000 characters', 'objective')),
    );
    const card = renderCard(SwotCard);
    await card.waitForText('Become the sole valve supplier');
    fire(card.findByTestId(Button, 'plan-edit'), 'onClick');
    const reactions = submitInOverlay(card.find(Panel, { id: 'kam-plan-editor' }).find(Form));
    await card.waitForText('at most 5000 characters');
    expect(reactions.closePanel).not.toHaveBeenCalled();
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(0);
  });

  it.each([
    ['en-us', 'Mark reviewed', 'Plan marked reviewed today.', 'Reviewed 2026-11-01'],
    ['zh-cn', '标记为已评审', '已将计划标记为今天评审。', '评审于 2026-11-01'],
  ])(
    '%s: "mark reviewed" posts plan/reviewed and shows the new review date',
    async (locale, button, done, reviewed) => {
      const { calls } = mockBackend(
        on('GET', SCORECARD, { status: 200, body: scorecard(stored, scored(), [a18]) }),
        on('POST', REVIEWED, {
          status: 200,
          body: scorecard(
            { ...stored, reviewedAt: '2026-11-01' },
            scored({ reviewedAt: '2026-11-01' }),
          ),
        }),
      );
      const card = renderCard(SwotCard, { locale });
      await card.waitFor(() =>
        expect(card.findByTestId(Button, 'plan-reviewed').text).toBe(button),
      );
      fire(card.findByTestId(Button, 'plan-reviewed'), 'onClick');
      await card.waitForText(done);
      expect(card.screen()).toContain(reviewed);
      expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([REVIEWED]);
      expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
    },
  );
});

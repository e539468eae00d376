/**
 * kam-model.md §7 (v2) SWOT: every derived rule S1–T5 fires and does not fire
 * at its cut-off, carries its rule id and evidence; manual items are added.
 */
import { describe, expect, it } from 'vitest';
import type { PortfolioContext } from '../../src/portfolio-context.ts';
import type { Settings, ServqualDimension } from '../../src/settings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import type { SwotItem } from '../../src/swot.ts';
import { deriveSwot, SWOT_RULES } from '../../src/swot.ts';
import type { ViewSpec } from './builders.ts';
import {
  centreOf,
  company,
  companyOf,
  contact,
  isoDaysAgo,
  context,
  lost,
  portal,
  score,
  servqual,
  settingsWith,
  view,
  won,
} from './builders.ts';

interface Row {
  readonly name: string;
  readonly rule: string;
  /** How many items of the rule are expected (0 = does not fire). */
  readonly count: number;
  readonly spec: ViewSpec;
  /** The portfolio context (O3's tier peers); none of them buys anything else by default. */
  readonly ctx?: PortfolioContext;
  readonly settings?: Settings;
  readonly dimensions?: readonly ServqualDimension[];
}

const derive = (spec: ViewSpec, ctx: PortfolioContext = context(), settings = DEFAULT_SETTINGS) =>
  deriveSwot(view({ ...spec, settings }), ctx, settings);

const ofRule = (items: readonly SwotItem[], rule: string) =>
  items.filter((item) => item.ruleId === rule);

const churn100 = settingsWith({ churnDays: 100 });
/** asOf 2026-08-15 − 365 d: a survey this old is still current; a day older is stale. */
const SURVEY_365_DAYS_OLD = '2025-08-15';
const SURVEY_366_DAYS_OLD = '2025-08-14';
const cadenceKey45 = settingsWith({ visitCadenceDays: { key: 45 } });

/** A contact of company 42 with these buying roles, last contacted `days` ago (null: never). */
const person = (id: string, roles: string, days: number | null, title?: string) =>
  contact(id, '42', {
    hs_buying_role: roles,
    notes_last_contacted: days === null ? null : isoDaysAgo(days),
    jobtitle: title ?? null,
  });
/** Two engaged contacts besides the decision maker: W2 stays quiet unless the decision maker is missing. */
const twoEngaged = [person('e1', 'CHAMPION', 5), person('e2', 'END_USER', 5)];

const ROWS: Row[] = [
  // S1 tenureDays ≥ 730 and a win in ≥ 4 of the last 8 quarters
  {
    name: 'S1 fires at tenureDays 730 with wins in 4 of 8 quarters',
    rule: 'S1',
    count: 1,
    spec: { metrics: { tenureDays: 730, quartersWithWin: 4 } },
  },
  {
    name: 'S1 fires at tenureDays 2000 with wins in all 8 quarters',
    rule: 'S1',
    count: 1,
    spec: { metrics: { tenureDays: 2000, quartersWithWin: 8 } },
  },
  {
    name: 'S1 does not fire at tenureDays 729 with wins in 4 of 8 quarters',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: 729, quartersWithWin: 4 } },
  },
  {
    name: 'S1 does not fire at tenureDays 730 with wins in only 3 of 8 quarters',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: 730, quartersWithWin: 3 } },
  },
  {
    name: 'S1 does not fire at tenureDays 3000 with no win in the last 8 quarters',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: 3000, quartersWithWin: 0 } },
  },
  {
    name: 'S1 does not fire when never won',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: null, quartersWithWin: 0 } },
  },
  // S2 winRate ≥ 0.6 with ≥ 3 closed deals in the window
  {
    name: 'S2 fires at winRate 0.6 with 5 closed deals',
    rule: 'S2',
    count: 1,
    spec: { metrics: { winRate: 0.6, closedInWindow: 5, wonInWindow: 3 } },
  },
  {
    name: 'S2 fires at winRate 2/3 with 3 closed deals',
    rule: 'S2',
    count: 1,
    spec: { metrics: { winRate: 2 / 3, closedInWindow: 3, wonInWindow: 2 } },
  },
  {
    name: 'S2 does not fire at winRate 0.5 with 4 closed deals',
    rule: 'S2',
    count: 0,
    spec: { metrics: { winRate: 0.5, closedInWindow: 4, wonInWindow: 2 } },
  },
  {
    name: 'S2 does not fire at winRate 1 with only 2 closed deals',
    rule: 'S2',
    count: 0,
    spec: { metrics: { winRate: 1, closedInWindow: 2, wonInWindow: 2 } },
  },
  // S3 a dimension gap ≥ +0.5, one item per dimension
  {
    name: 'S3 fires at gap +0.5 on reliability',
    rule: 'S3',
    count: 1,
    spec: { props: servqual({ reliability: [5, 5.5] }) },
    dimensions: ['reliability'],
  },
  {
    name: 'S3 fires once per dimension (tangibles +2, empathy +1)',
    rule: 'S3',
    count: 2,
    spec: { props: servqual({ tangibles: [4, 6], empathy: [5, 6], reliability: [5, 5] }) },
    dimensions: ['tangibles', 'empathy'],
  },
  {
    name: 'S3 does not fire at gap +0.4',
    rule: 'S3',
    count: 0,
    spec: { props: servqual({ reliability: [5, 5.4] }) },
  },
  {
    name: 'S3 fires at gap +2 on a survey 365 days old (not stale)',
    rule: 'S3',
    count: 1,
    spec: {
      props: { ...servqual({ reliability: [4, 6] }), kam_survey_date: SURVEY_365_DAYS_OLD },
    },
    dimensions: ['reliability'],
  },
  {
    name: 'S3 does not fire at gap +2 on a survey 366 days old (stale)',
    rule: 'S3',
    count: 0,
    spec: {
      props: { ...servqual({ reliability: [4, 6] }), kam_survey_date: SURVEY_366_DAYS_OLD },
    },
  },
  // S4 comprehensive
  {
    name: 'S4 fires with 2 product lines',
    rule: 'S4',
    count: 1,
    spec: { metrics: { productLines: ['p1', 'p2'] } },
  },
  { name: 'S4 does not fire with 1 product line', rule: 'S4', count: 0, spec: {} },
  {
    name: 'S4 does not fire without any product line',
    rule: 'S4',
    count: 0,
    spec: { metrics: { productLines: [] } },
  },
  // S5 a decision maker or executive sponsor engaged in the last 90 days (§9)
  {
    name: 'S5 fires for a decision maker contacted 90 days ago',
    rule: 'S5',
    count: 1,
    spec: { buyingCentre: centreOf([person('c1', 'DECISION_MAKER', 90)]) },
  },
  {
    name: 'S5 does not fire for a decision maker contacted 91 days ago',
    rule: 'S5',
    count: 0,
    spec: { buyingCentre: centreOf([person('c1', 'DECISION_MAKER', 91)]) },
  },
  {
    name: 'S5 fires for an executive sponsor (counts as decision maker) contacted 10 days ago',
    rule: 'S5',
    count: 1,
    spec: { buyingCentre: centreOf([person('c1', 'EXECUTIVE_SPONSOR', 10)]) },
  },
  {
    name: 'S5 does not fire for an engaged champion only',
    rule: 'S5',
    count: 0,
    spec: { buyingCentre: centreOf([person('c1', 'CHAMPION', 1)]) },
  },
  {
    name: 'S5 does not fire for a decision maker never contacted',
    rule: 'S5',
    count: 0,
    spec: { buyingCentre: centreOf([person('c1', 'DECISION_MAKER', null)]) },
  },
  {
    name: 'S5 does not fire without contact records (fallback)',
    rule: 'S5',
    count: 0,
    spec: { metrics: { contacts: 5 } },
  },
  // W1 a dimension gap ≤ −1, one item per dimension
  {
    name: 'W1 fires at gap −1 on responsiveness',
    rule: 'W1',
    count: 1,
    spec: { props: servqual({ responsiveness: [6, 5] }) },
    dimensions: ['responsiveness'],
  },
  {
    name: 'W1 fires once per dimension (assurance −2, empathy −3)',
    rule: 'W1',
    count: 2,
    spec: { props: servqual({ assurance: [6, 4], empathy: [6, 3], tangibles: [5, 7] }) },
    dimensions: ['assurance', 'empathy'],
  },
  {
    name: 'W1 does not fire at gap −0.9',
    rule: 'W1',
    count: 0,
    spec: { props: servqual({ responsiveness: [6, 5.1] }) },
  },
  {
    name: 'W1 does not fire with only the expectation entered',
    rule: 'W1',
    count: 0,
    spec: { props: { kam_servqual_responsiveness_expected: '7' } },
  },
  {
    name: 'W1 fires at gap −3 on a survey 365 days old (not stale)',
    rule: 'W1',
    count: 1,
    spec: {
      props: { ...servqual({ empathy: [7, 4] }), kam_survey_date: SURVEY_365_DAYS_OLD },
    },
    dimensions: ['empathy'],
  },
  {
    name: 'W1 does not fire at gap −3 on a survey 366 days old (stale)',
    rule: 'W1',
    count: 0,
    spec: {
      props: { ...servqual({ empathy: [7, 4] }), kam_survey_date: SURVEY_366_DAYS_OLD },
    },
  },
  // W2 (§9): ≤ 1 contact engaged in 90 days, or no decision maker known
  {
    name: 'W2 does not fire with 2 contacts engaged and a decision maker',
    rule: 'W2',
    count: 0,
    spec: { buyingCentre: centreOf([person('c1', 'DECISION_MAKER', 90), person('c2', '', 3)]) },
  },
  {
    name: 'W2 fires with 1 contact engaged (the other 91 days ago) and a decision maker',
    rule: 'W2',
    count: 1,
    spec: { buyingCentre: centreOf([person('c1', 'DECISION_MAKER', 91), person('c2', '', 3)]) },
  },
  {
    name: 'W2 fires with 2 engaged contacts but no decision maker known',
    rule: 'W2',
    count: 1,
    spec: { buyingCentre: centreOf(twoEngaged) },
  },
  {
    name: 'W2 fires for a company without contacts in a portal with contact records',
    rule: 'W2',
    count: 1,
    spec: { buyingCentre: centreOf([]), metrics: { contacts: 5 } },
  },
  {
    name: 'W2 does not fire when a blocker is the only other engaged contact and a decision maker is engaged',
    rule: 'W2',
    count: 0,
    spec: {
      buyingCentre: centreOf([person('c1', 'EXECUTIVE_SPONSOR', 1), person('c2', 'BLOCKER', 1)]),
    },
  },
  // W2 fallback without contact records: contacts ≤ 1
  { name: 'W2 fires at contacts 1', rule: 'W2', count: 1, spec: { metrics: { contacts: 1 } } },
  { name: 'W2 fires at contacts 0', rule: 'W2', count: 1, spec: { metrics: { contacts: 0 } } },
  {
    name: 'W2 does not fire at contacts 2',
    rule: 'W2',
    count: 0,
    spec: { metrics: { contacts: 2 } },
  },
  {
    name: 'W2 does not fire when contacts is empty',
    rule: 'W2',
    count: 0,
    spec: { metrics: { contacts: null } },
  },
  // W3 winRate < 0.3 with ≥ 3 closed deals in the window
  {
    name: 'W3 fires at winRate 0.25 with 4 closed deals',
    rule: 'W3',
    count: 1,
    spec: { metrics: { winRate: 0.25, closedInWindow: 4, wonInWindow: 1 } },
  },
  {
    name: 'W3 fires at winRate 0 with 3 closed deals',
    rule: 'W3',
    count: 1,
    spec: { metrics: { winRate: 0, closedInWindow: 3, wonInWindow: 0 } },
  },
  {
    name: 'W3 does not fire at winRate 0.3 with 10 closed deals',
    rule: 'W3',
    count: 0,
    spec: { metrics: { winRate: 0.3, closedInWindow: 10, wonInWindow: 3 } },
  },
  {
    name: 'W3 does not fire at winRate 0 with 2 closed deals',
    rule: 'W3',
    count: 0,
    spec: { metrics: { winRate: 0, closedInWindow: 2, wonInWindow: 0 } },
  },
  // W4 daysSinceActivity > cadence of the tier: 30 / 60 / 90 / 180, unrated never
  ...(
    [
      ['strategic', 30],
      ['key', 60],
      ['standard', 90],
      ['transactional', 180],
    ] as const
  ).flatMap(([tier, cadence]): Row[] => [
    {
      name: `W4 fires for ${tier} at ${cadence + 1} days without activity`,
      rule: 'W4',
      count: 1,
      spec: { tier, metrics: { daysSinceActivity: cadence + 1 } },
    },
    {
      name: `W4 does not fire for ${tier} at ${cadence} days`,
      rule: 'W4',
      count: 0,
      spec: { tier, metrics: { daysSinceActivity: cadence } },
    },
    {
      name: `W4 fires for ${tier} with no recorded activity at all`,
      rule: 'W4',
      count: 1,
      spec: { tier, metrics: { daysSinceActivity: null } },
    },
  ]),
  // W4 from meetings (§10): days since the last visit > cadence of the tier
  ...(
    [
      ['strategic', 30],
      ['key', 60],
      ['standard', 90],
      ['transactional', 180],
    ] as const
  ).flatMap(([tier, cadence]): Row[] => [
    {
      name: `W4 fires for ${tier} at ${cadence + 1} days since the last visit`,
      rule: 'W4',
      count: 1,
      spec: { tier, visits: { source: 'meetings', daysSinceVisit: cadence + 1 } },
    },
    {
      name: `W4 does not fire for ${tier} visited ${cadence} days ago (activity 1000 days ago)`,
      rule: 'W4',
      count: 0,
      spec: {
        tier,
        metrics: { daysSinceActivity: 1000 },
        visits: { source: 'meetings', daysSinceVisit: cadence },
      },
    },
    {
      name: `W4 fires for ${tier} never visited though active yesterday`,
      rule: 'W4',
      count: 1,
      spec: {
        tier,
        metrics: { daysSinceActivity: 1 },
        visits: { source: 'meetings', daysSinceVisit: null },
      },
    },
  ]),
  {
    name: 'W4 never fires for unrated (1000 days)',
    rule: 'W4',
    count: 0,
    spec: { tier: 'unrated', metrics: { daysSinceActivity: 1000 } },
  },
  {
    name: 'W4 never fires for unrated (no activity at all)',
    rule: 'W4',
    count: 0,
    spec: { tier: 'unrated', metrics: { daysSinceActivity: null } },
  },
  {
    name: 'W4 fires for key at 46 days with a 45-day cadence setting',
    rule: 'W4',
    count: 1,
    spec: { tier: 'key', metrics: { daysSinceActivity: 46 } },
    settings: cadenceKey45,
  },
  {
    name: 'W4 does not fire for key at 45 days with a 45-day cadence setting',
    rule: 'W4',
    count: 0,
    spec: { tier: 'key', metrics: { daysSinceActivity: 45 } },
    settings: cadenceKey45,
  },
  // W5 tier strategic or key and no owner (hubspot_owner_id empty)
  {
    name: 'W5 fires for strategic without an owner',
    rule: 'W5',
    count: 1,
    spec: { tier: 'strategic' },
  },
  { name: 'W5 fires for key without an owner', rule: 'W5', count: 1, spec: { tier: 'key' } },
  {
    name: 'W5 fires for key with a blank hubspot_owner_id',
    rule: 'W5',
    count: 1,
    spec: { tier: 'key', props: { hubspot_owner_id: '  ' } },
  },
  {
    name: 'W5 does not fire for strategic with an owner',
    rule: 'W5',
    count: 0,
    spec: { tier: 'strategic', props: { hubspot_owner_id: '77' } },
  },
  {
    name: 'W5 does not fire for key with an owner',
    rule: 'W5',
    count: 0,
    spec: { tier: 'key', props: { hubspot_owner_id: '77' } },
  },
  ...(['standard', 'transactional', 'unrated'] as const).map((tier): Row => ({
    name: `W5 does not fire for ${tier} without an owner`,
    rule: 'W5',
    count: 0,
    spec: { tier },
  })),
  // O1 growth ≥ 0.2
  {
    name: 'O1 fires at growth 0.2',
    rule: 'O1',
    count: 1,
    spec: { metrics: { growth: 0.2, revenueTtm: 120, revenuePrev: 100 } },
  },
  {
    name: 'O1 does not fire at growth 0.19',
    rule: 'O1',
    count: 0,
    spec: { metrics: { growth: 0.19 } },
  },
  {
    name: 'O1 does not fire when growth is null',
    rule: 'O1',
    count: 0,
    spec: { metrics: { growth: null, revenuePrev: 0 } },
  },
  // O2 pipelineWeighted ≥ 0.25 × revenueTtm and > 0
  {
    name: 'O2 fires at pipelineWeighted 25 = 0.25 × revenueTtm 100',
    rule: 'O2',
    count: 1,
    spec: { metrics: { pipelineWeighted: 25, revenueTtm: 100, openCount: 1 } },
  },
  {
    name: 'O2 does not fire at pipelineWeighted 24.9 against revenueTtm 100',
    rule: 'O2',
    count: 0,
    spec: { metrics: { pipelineWeighted: 24.9, revenueTtm: 100, openCount: 1 } },
  },
  {
    name: 'O2 fires at pipelineWeighted 10 with no revenue',
    rule: 'O2',
    count: 1,
    spec: { metrics: { pipelineWeighted: 10, revenueTtm: 0, openCount: 1 } },
  },
  {
    name: 'O2 does not fire at pipelineWeighted 0 with no revenue',
    rule: 'O2',
    count: 0,
    spec: { metrics: { pipelineWeighted: 0, revenueTtm: 0 } },
  },
  // O3 a line bought by ≥ 30% (and ≥ 3) of the tier's accounts, not by this one; rated only
  ...(['strategic', 'key', 'standard', 'transactional'] as const).map((tier): Row => ({
    name: `O3 fires for ${tier} missing a line its tier peers buy`,
    rule: 'O3',
    count: 1,
    spec: { tier, metrics: { productLines: ['p1'] } },
    ctx: context({ [tier]: ['p2'] }),
  })),
  {
    name: 'O3 fires once naming every missing line (p2, p3)',
    rule: 'O3',
    count: 1,
    spec: { tier: 'standard', metrics: { productLines: ['p1'] } },
    ctx: context({ standard: ['p1', 'p2', 'p3'] }),
  },
  {
    name: 'O3 fires for an account without any product line',
    rule: 'O3',
    count: 1,
    spec: { tier: 'standard', metrics: { productLines: [] } },
    ctx: context({ standard: ['p1'] }),
  },
  {
    name: 'O3 does not fire when the account buys every line its peers buy',
    rule: 'O3',
    count: 0,
    spec: { tier: 'standard', metrics: { productLines: ['p1', 'p2'] } },
    ctx: context({ standard: ['p1', 'p2'] }),
  },
  {
    name: 'O3 does not fire when no line is popular in its tier',
    rule: 'O3',
    count: 0,
    spec: { tier: 'standard', metrics: { productLines: ['p1'] } },
    ctx: context({}),
  },
  {
    name: 'O3 does not fire from another tier’s whitespace (key peers buy p2; account is standard)',
    rule: 'O3',
    count: 0,
    spec: { tier: 'standard', metrics: { productLines: ['p1'] } },
    ctx: context({ key: ['p2'], strategic: ['p2'], transactional: ['p2'] }),
  },
  {
    name: 'O3 does not fire for unrated, whatever every tier buys',
    rule: 'O3',
    count: 0,
    spec: { tier: 'unrated', metrics: { productLines: [] } },
    ctx: context({ strategic: ['p2'], key: ['p2'], standard: ['p2'], transactional: ['p2'] }),
  },
  // T1 growth ≤ −0.2
  {
    name: 'T1 fires at growth −0.2',
    rule: 'T1',
    count: 1,
    spec: { metrics: { growth: -0.2, revenueTtm: 80, revenuePrev: 100 } },
  },
  {
    name: 'T1 does not fire at growth −0.19',
    rule: 'T1',
    count: 0,
    spec: { metrics: { growth: -0.19 } },
  },
  {
    name: 'T1 does not fire when growth is null',
    rule: 'T1',
    count: 0,
    spec: { metrics: { growth: null } },
  },
  // T2 lostLast180Days ≥ 2
  {
    name: 'T2 fires at 2 deals lost in the last 180 days',
    rule: 'T2',
    count: 1,
    spec: { metrics: { lostLast180Days: 2, lostRecent: 2, lostCount: 2 } },
  },
  {
    name: 'T2 fires at 5 deals lost in the last 180 days, naming a competitor',
    rule: 'T2',
    count: 1,
    spec: {
      metrics: { lostLast180Days: 5, lostRecent: 5, lostCount: 5, lostToCompetitors: ['Globex'] },
    },
  },
  {
    name: 'T2 does not fire at 1 deal lost in the last 180 days (5 in the year, 9 ever)',
    rule: 'T2',
    count: 0,
    spec: { metrics: { lostLast180Days: 1, lostRecent: 5, lostCount: 9 } },
  },
  {
    name: 'T2 does not fire at 0 deals lost in the last 180 days, even naming a competitor',
    rule: 'T2',
    count: 0,
    spec: { metrics: { lostLast180Days: 0, lostCount: 3, lostToCompetitors: ['Globex'] } },
  },
  // T3 open complaint tickets > 0
  { name: 'T3 fires at 1 open complaint', rule: 'T3', count: 1, spec: { complaints: 1 } },
  { name: 'T3 does not fire at 0 open complaints', rule: 'T3', count: 0, spec: { complaints: 0 } },
  // T4 share ≥ 0.2
  { name: 'T4 fires at share 0.2', rule: 'T4', count: 1, spec: { share: 0.2 } },
  { name: 'T4 does not fire at share 0.19', rule: 'T4', count: 0, spec: { share: 0.19 } },
  // T5 recencyDays > 0.75 × churnDays and stage not lapsed
  {
    name: 'T5 fires at recencyDays 274 > 273.75 (churn 365)',
    rule: 'T5',
    count: 1,
    spec: { metrics: { recencyDays: 274 } },
  },
  {
    name: 'T5 does not fire at recencyDays 273 (churn 365)',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: 273 } },
  },
  {
    name: 'T5 fires at recencyDays 300 when the stage is declining',
    rule: 'T5',
    count: 1,
    spec: { stage: 'declining', metrics: { recencyDays: 300 } },
  },
  {
    name: 'T5 does not fire when the stage is lapsed',
    rule: 'T5',
    count: 0,
    spec: { stage: 'lapsed', metrics: { recencyDays: 400 } },
  },
  {
    name: 'T5 fires at recencyDays 76 with churnDays 100',
    rule: 'T5',
    count: 1,
    spec: { metrics: { recencyDays: 76 } },
    settings: churn100,
  },
  {
    name: 'T5 does not fire at recencyDays 75 with churnDays 100',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: 75 } },
    settings: churn100,
  },
  {
    name: 'T5 does not fire when never won',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: null } },
  },
];

describe('§7 SWOT rules', () => {
  it('the quiet baseline account derives no item (so each row tests one rule)', () => {
    expect(derive({})).toEqual([]);
  });

  it.each(ROWS)('$name', ({ rule, count, spec, ctx, settings, dimensions }) => {
    const items = ofRule(derive(spec, ctx, settings), rule);
    expect(items).toHaveLength(count);
    if (dimensions !== undefined) {
      expect(items.map((item) => item.dimension)).toEqual(dimensions);
    }
  });

  it('every rule S1–T5 has a firing and a non-firing row', () => {
    expect(SWOT_RULES).toHaveLength(18);
    for (const id of SWOT_RULES) {
      expect(ROWS.some((row) => row.rule === id && row.count > 0)).toBe(true);
      expect(ROWS.some((row) => row.rule === id && row.count === 0)).toBe(true);
    }
  });
});

describe('§7 SWOT items carry rule id, quadrant, evidence and readable text', () => {
  const everything = () =>
    derive(
      {
        tier: 'key',
        share: 0.4,
        complaints: 2,
        props: servqual({ reliability: [4, 6], responsiveness: [6, 4] }),
        metrics: {
          tenureDays: 800,
          quartersWithWin: 4,
          winRate: 0.6,
          closedInWindow: 5,
          wonInWindow: 3,
          productLines: ['p1', 'p2'],
          contacts: 1,
          daysSinceActivity: 61,
          growth: 0.25,
          revenueTtm: 5_000_000,
          revenuePrev: 4_000_000,
          pipelineWeighted: 2_000_000,
          lostLast180Days: 3,
          lostRecent: 3,
          lostToCompetitors: ['Globex', 'Initech'],
          recencyDays: 300,
        },
        // An engaged decision maker (S5), the only engaged contact (W2).
        buyingCentre: centreOf([person('c1', 'DECISION_MAKER', 10), person('c2', 'CHAMPION', 200)]),
      },
      context({ key: ['p1', 'p3'] }, { productLineLabels: { p3: 'Field Service' } }),
    );

  it('every rule fires on it; quadrant follows the rule letter; text does not start with the id', () => {
    const quadrant = { S: 'strength', W: 'weakness', O: 'opportunity', T: 'threat' } as const;
    const items = everything();
    // Every rule but the two its opposites exclude: T1 (O1 fires) and W3 (S2 fires).
    const exclusive = new Set(['T1', 'W3']);
    expect(new Set(items.map((item) => item.ruleId))).toEqual(
      new Set(SWOT_RULES.filter((id) => !exclusive.has(id))),
    );
    for (const item of items) {
      const letter = item.ruleId?.[0] as keyof typeof quadrant;
      expect(item.quadrant).toBe(quadrant[letter]);
      expect(item.text).not.toMatch(/^[SWOT]\d/);
      expect(Object.keys(item.evidence).length).toBeGreaterThan(0);
    }
  });

  it('S1 names its tenure and the quarters with a win', () => {
    const [s1] = ofRule(everything(), 'S1');
    expect(s1?.text).toContain('customer for 800 days, bought in 4 of the last 8 quarters');
    expect(s1?.evidence).toEqual({ tenureDays: 800, quartersWithWin: 4 });
  });

  it('O3 names the missing lines by label, with how many tier peers buy them', () => {
    const [o3] = ofRule(everything(), 'O3');
    expect(o3?.text).toBe(
      'Whitespace: peers of its tier buy Field Service (3 of 5 key accounts); this account does not',
    );
    expect(o3?.text).not.toContain('p3');
    expect(o3?.evidence).toEqual({ missingLines: 1, lines: 'Field Service', tier: 'key' });
  });

  it('O3 lists several missing lines; a line without a label keeps its value', () => {
    const [o3] = ofRule(
      derive(
        { tier: 'standard', metrics: { productLines: [] } },
        context({ standard: ['p1', 'p2'] }, { productLineLabels: { p1: 'Sales Pipeline' } }),
      ),
      'O3',
    );
    expect(o3?.text).toBe(
      'Whitespace: peers of its tier buy Sales Pipeline (3 of 5 standard accounts) and p2 (3 of 5 standard accounts); this account does not',
    );
    expect(o3?.evidence).toMatchObject({ missingLines: 2, lines: 'Sales Pipeline; p2' });
  });

  it('S4 names the lines it buys by label', () => {
    const [s4] = ofRule(
      derive(
        { metrics: { productLines: ['p1', 'p2'] } },
        context({}, { productLineLabels: { p2: 'Field Service' } }),
      ),
      'S4',
    );
    expect(s4?.text).toBe('Buys across 2 product lines (p1, Field Service)');
  });

  it('T2 names the competitors its losses went to, and none when no reason names one', () => {
    const [named] = ofRule(everything(), 'T2');
    expect(named?.text).toBe('3 deals lost in the last 180 days, to Globex and Initech');
    expect(named?.evidence).toEqual({ lostDeals: 3, days: 180, competitors: 'Globex; Initech' });
    const [unnamed] = ofRule(derive({ metrics: { lostLast180Days: 2 } }), 'T2');
    expect(unnamed?.text).toBe('2 deals lost in the last 180 days');
    expect(unnamed?.evidence).toMatchObject({ competitors: '' });
  });

  it('W5 names the tier that needs an owner', () => {
    const [w5] = ofRule(everything(), 'W5');
    expect(w5?.text).toBe('No owner: a key account needs one named person');
    expect(w5?.evidence).toEqual({ tier: 'key' });
  });

  it('O1 reads "+25% (5.0M vs 4.0M)" and carries the growth evidence', () => {
    const [o1] = ofRule(everything(), 'O1');
    expect(o1?.text).toContain('+25% (5.0M vs 4.0M)');
    expect(o1?.evidence).toMatchObject({ growth: 0.25 });
  });

  it('S2, W4 and T5 carry the numbers that made them fire', () => {
    const items = everything();
    expect(ofRule(items, 'S2')[0]?.evidence).toMatchObject({ winRate: 0.6 });
    expect(ofRule(items, 'W4')[0]?.evidence).toMatchObject({
      daysSinceVisit: 61,
      cadenceDays: 60,
      source: 'last_activity',
    });
    expect(ofRule(items, 'W4')[0]?.text).toContain('61');
    expect(ofRule(items, 'T5')[0]?.evidence).toMatchObject({ recencyDays: 300 });
    expect(ofRule(items, 'T4')[0]?.evidence).toMatchObject({ share: 0.4 });
    expect(ofRule(items, 'W1')[0]?.evidence).toMatchObject({ gap: -2 });
  });

  it.each([
    { rule: 'W2', spec: { metrics: { contacts: 1 } }, text: 'relationship: 1 contact' },
    { rule: 'W2', spec: { metrics: { contacts: 0 } }, text: 'relationship: 0 contacts' },
    { rule: 'T3', spec: { complaints: 1 }, text: '1 open complaint (' },
    { rule: 'T3', spec: { complaints: 2 }, text: '2 open complaints (' },
    { rule: 'T2', spec: { metrics: { lostLast180Days: 2 } }, text: '2 deals lost' },
    {
      rule: 'S1',
      spec: { metrics: { tenureDays: 731, quartersWithWin: 4 } },
      text: 'customer for 731 days',
    },
    { rule: 'T5', spec: { metrics: { recencyDays: 274 } }, text: 'no won deal for 274 days' },
    {
      rule: 'W4',
      spec: { tier: 'key', metrics: { daysSinceActivity: 61 } },
      text: 'No activity for 61 days; key accounts are visited every 60 days',
    },
  ] satisfies { rule: string; spec: ViewSpec; text: string }[])(
    '$rule counts agree with their noun: "$text"',
    ({ rule, spec, text }) => {
      const [item] = ofRule(derive(spec), rule);
      expect(item?.text).toContain(text);
      expect(item?.text).not.toMatch(/\b1 (contacts|deals|days|open complaints)\b/);
      expect(item?.text).not.toMatch(/\b(0|[2-9]|[1-9]\d+) (contact|deal|day|open complaint)\b/);
    },
  );

  it('manual items: one per line from the four text properties, without rule id', () => {
    const items = derive({
      props: {
        kam_swot_strengths: 'Trusted brand\n\n  Fast delivery  ',
        kam_swot_weaknesses: 'Price',
        kam_swot_opportunities: '',
        kam_swot_threats: 'Competitor X\r\nNew regulation',
      },
    });
    const manual = items.filter((item) => item.ruleId === null);
    expect(manual.map((item) => [item.quadrant, item.text])).toEqual(
      expect.arrayContaining([
        ['strength', 'Trusted brand'],
        ['strength', 'Fast delivery'],
        ['weakness', 'Price'],
        ['threat', 'Competitor X'],
        ['threat', 'New regulation'],
      ]),
    );
    expect(manual).toHaveLength(5);
  });
});

describe('§7 SWOT end to end from HubSpot records', () => {
  it('T2 counts lost deals closed in (asOf − 180 d, asOf]', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          lost({ company: '1', closedDaysAgo: 10 }),
          lost({ company: '1', closedDaysAgo: 179.9 }),
          lost({ company: '2', closedDaysAgo: 10 }),
          lost({ company: '2', closedDaysAgo: 180 }),
        ],
      ),
    );
    expect(ofRule(companyOf(result, '1').swot, 'T2')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'T2')).toHaveLength(0);
  });

  it('S2 from 3 won + 2 lost in the window (0.6 over 5); W3 from 1 won + 3 lost (0.25 over 4)', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          won({ company: '1', closedDaysAgo: 10 }),
          won({ company: '1', closedDaysAgo: 400 }),
          won({ company: '1', closedDaysAgo: 700 }),
          lost({ company: '1', closedDaysAgo: 20 }),
          lost({ company: '1', closedDaysAgo: 500 }),
          lost({ company: '1', closedDaysAgo: 900 }),
          won({ company: '2', closedDaysAgo: 10 }),
          lost({ company: '2', closedDaysAgo: 20 }),
          lost({ company: '2', closedDaysAgo: 30 }),
          lost({ company: '2', closedDaysAgo: 600 }),
        ],
      ),
    );
    expect(ofRule(companyOf(result, '1').swot, 'S2')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'W3')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'S2')).toHaveLength(0);
  });

  it('T2 names the listed competitors that recent loss reasons name, case-insensitively', () => {
    const result = score(
      portal(
        [company('1', { kam_competitors: 'Globex: cheap | slow\nInitech\nUmbrella Corp' })],
        [
          won({ company: '1', closedDaysAgo: 30 }),
          lost({
            company: '1',
            closedDaysAgo: 10,
            props: { closed_lost_reason: 'went with INITECH' },
          }),
          lost({ company: '1', closedDaysAgo: 20, props: { closed_lost_reason: 'globex price' } }),
          // Older than 180 days: not one of T2's losses, so Umbrella is not named.
          lost({
            company: '1',
            closedDaysAgo: 200,
            props: { closed_lost_reason: 'Umbrella Corp' },
          }),
        ],
      ),
    );
    const [t2] = ofRule(companyOf(result, '1').swot, 'T2');
    expect(t2?.text).toBe('2 deals lost in the last 180 days, to Globex and Initech');
  });

  it('T4 from the real share; W4 uses the cadence of the tier in force (a pin)', () => {
    const result = score(
      portal(
        [
          company('1', { notes_last_updated: '2026-07-10T00:00:00Z' }),
          company('2', {
            notes_last_updated: '2026-07-10T00:00:00Z',
            kam_tier_override: 'strategic',
          }),
          company('3'),
        ],
        [
          won({ company: '1', amount: 810, closedDaysAgo: 10 }),
          won({ company: '2', amount: 190, closedDaysAgo: 10 }),
        ],
      ),
    );
    // shares 0.81 / 0.19; 36 days since activity: strategic (30) fires, pinned 2 too.
    expect(ofRule(companyOf(result, '1').swot, 'T4')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'T4')).toHaveLength(0);
    expect(ofRule(companyOf(result, '1').swot, 'W4')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'W4')).toHaveLength(1);
    // Company 3 is unrated and has no activity: W4 never fires for unrated.
    expect(ofRule(companyOf(result, '3').swot, 'W4')).toHaveLength(0);
  });
});

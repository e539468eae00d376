/**
 * kam-model.md §7 (v2) next actions A1–A14 and A17: when each fires (and
 * not), its priority and due date (asOf + days, YYYY-MM-DD), the stable key,
 * the dimension of A3, the SWOT rule in its evidence, the one posture action
 * (first of A7, A2, A12), and the order: priority, then due date, then rule id.
 */
import { describe, expect, it } from 'vitest';
import type { RelationshipStage, Segment } from '../../src/loyalty.ts';
import type { NextAction } from '../../src/next-actions.ts';
import { ACTION_RULES, nextActions } from '../../src/next-actions.ts';
import type { PortfolioContext } from '../../src/portfolio-context.ts';
import type { Tier } from '../../src/settings.ts';
import { TIERS } from '../../src/settings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import { deriveSwot } from '../../src/swot.ts';
import type { ViewSpec } from './builders.ts';
import {
  AS_OF,
  DAY,
  company,
  companyOf,
  context,
  open,
  portal,
  score,
  servqual,
  view,
  won,
} from './builders.ts';

/** asOf 2026-08-15 + days. */
const DUE: Readonly<Record<number, string>> = {
  0: '2026-08-15',
  1: '2026-08-16',
  2: '2026-08-17',
  3: '2026-08-18',
  7: '2026-08-22',
  14: '2026-08-29',
  21: '2026-09-05',
  30: '2026-09-14',
  60: '2026-10-14',
};

/** A transactional, loyal, quiet account on which no action fires. */
const BASE: ViewSpec = { tier: 'transactional', segment: 'rising_star', loyalty: 70 };

const actionsFor = (spec: ViewSpec, ctx: PortfolioContext = context()): NextAction[] => {
  const v = view({ ...BASE, ...spec });
  return nextActions(v, deriveSwot(v, ctx, DEFAULT_SETTINGS), AS_OF);
};

const ofRule = (actions: readonly NextAction[], rule: string): NextAction[] =>
  actions.filter((action) => action.ruleId === rule);

/** asOf 2026-08-15 − 365 d: a survey this old is still current; a day older is stale. */
const SURVEY_365_DAYS_OLD = '2025-08-15';
const SURVEY_366_DAYS_OLD = '2025-08-14';
/** Peers of every rated tier buy p2, which the baseline account (p1 only) does not: O3. */
const WHITESPACE_P2 = context({
  strategic: ['p2'],
  key: ['p2'],
  standard: ['p2'],
  transactional: ['p2'],
});

interface Row {
  readonly name: string;
  readonly rule: string;
  readonly count: number;
  readonly spec: ViewSpec;
  readonly priority?: number;
  readonly days?: number;
  readonly ctx?: PortfolioContext;
}

const ROWS: Row[] = [
  // A1 W4 fires: priority 1 for strategic/key else 3, 7 d
  {
    name: 'A1 fires for key past its 60-day cadence (61 d): priority 1',
    rule: 'A1',
    count: 1,
    priority: 1,
    days: 7,
    spec: { tier: 'key', metrics: { daysSinceActivity: 61 } },
  },
  {
    name: 'A1 fires for strategic with no recorded activity: priority 1',
    rule: 'A1',
    count: 1,
    priority: 1,
    days: 7,
    spec: { tier: 'strategic', metrics: { daysSinceActivity: null } },
  },
  {
    name: 'A1 fires for standard past 90 d: priority 3',
    rule: 'A1',
    count: 1,
    priority: 3,
    days: 7,
    spec: { tier: 'standard', metrics: { daysSinceActivity: 91 } },
  },
  {
    name: 'A1 fires for transactional past 180 d: priority 3',
    rule: 'A1',
    count: 1,
    priority: 3,
    days: 7,
    spec: { metrics: { daysSinceActivity: 181 } },
  },
  {
    name: 'A1 does not fire for key at 60 d',
    rule: 'A1',
    count: 0,
    spec: { tier: 'key', metrics: { daysSinceActivity: 60 } },
  },
  {
    name: 'A1 does not fire for unrated without activity',
    rule: 'A1',
    count: 0,
    spec: { tier: 'unrated', metrics: { daysSinceActivity: null } },
  },
  // A2 segment at_risk: 1, 14 d
  {
    name: 'A2 fires for segment at_risk',
    rule: 'A2',
    count: 1,
    priority: 1,
    days: 14,
    spec: { tier: 'key', segment: 'at_risk', loyalty: 40 },
  },
  ...(['core', 'rising_star', 'low_value', null] as const).map((segment): Row => ({
    name: `A2 does not fire for segment ${String(segment)}`,
    rule: 'A2',
    count: 0,
    spec: { tier: 'key', segment, loyalty: segment === null ? null : 40 },
  })),
  {
    name: 'A2 does not fire for an at_risk account that has lapsed (A7 is its posture)',
    rule: 'A2',
    count: 0,
    spec: { tier: 'key', segment: 'at_risk', loyalty: 40, stage: 'lapsed' },
  },
  // A3 W1 per dimension: 2, 14 d
  {
    name: 'A3 fires for W1 on responsiveness (gap −2)',
    rule: 'A3',
    count: 1,
    priority: 2,
    days: 14,
    spec: { props: servqual({ responsiveness: [6, 4] }) },
  },
  {
    name: 'A3 fires once per W1 dimension (reliability, empathy)',
    rule: 'A3',
    count: 2,
    priority: 2,
    days: 14,
    spec: { props: servqual({ reliability: [6, 5], empathy: [7, 3] }) },
  },
  {
    name: 'A3 does not fire at gap −0.9',
    rule: 'A3',
    count: 0,
    spec: { props: servqual({ responsiveness: [6, 5.1] }) },
  },
  {
    name: 'A3 fires for W1 (gap −2) on a survey 365 days old',
    rule: 'A3',
    count: 1,
    priority: 2,
    days: 14,
    spec: {
      props: { ...servqual({ responsiveness: [6, 4] }), kam_survey_date: SURVEY_365_DAYS_OLD },
    },
  },
  {
    name: 'A3 does not fire for a gap −2 on a survey 366 days old (stale)',
    rule: 'A3',
    count: 0,
    spec: {
      props: { ...servqual({ responsiveness: [6, 4] }), kam_survey_date: SURVEY_366_DAYS_OLD },
    },
  },
  // A4 T3: 1, 2 d
  {
    name: 'A4 fires for 1 open complaint',
    rule: 'A4',
    count: 1,
    priority: 1,
    days: 2,
    spec: { complaints: 1 },
  },
  { name: 'A4 does not fire without complaints', rule: 'A4', count: 0, spec: { complaints: 0 } },
  // A4 (§12): due by the first SLA to run out; escalated and due now once one is past it.
  {
    name: 'A4 is due by the SLA (1 day left)',
    rule: 'A4',
    count: 1,
    priority: 1,
    days: 1,
    spec: { complaints: 1, complaintStatus: { slaDueDays: 1 } },
  },
  {
    name: 'A4 escalates an overdue complaint, due now',
    rule: 'A4',
    count: 1,
    priority: 1,
    days: 0,
    spec: { complaints: 2, complaintStatus: { overdue: 1, slaDueDays: 0 } },
  },
  // A15 (§12): a complaint closed in the last 14 days without a completed call or meeting since: 1, 3 d
  {
    name: 'A15 fires while a closed complaint awaits its follow-up call',
    rule: 'A15',
    count: 1,
    priority: 1,
    days: 3,
    spec: {
      complaintStatus: {
        source: 'tickets',
        followUp: { ticketId: 't9', closedAt: '2026-08-10', dueBy: '2026-08-24' },
      },
    },
  },
  {
    name: 'A15 does not fire without a follow-up due',
    rule: 'A15',
    count: 0,
    spec: { complaintStatus: { source: 'tickets', last12Months: 1 } },
  },
  // A5 O1 or O2 and tier ≠ transactional: 2, 21 d
  {
    name: 'A5 fires for O1 (growth 0.3) on key',
    rule: 'A5',
    count: 1,
    priority: 2,
    days: 21,
    spec: { tier: 'key', metrics: { growth: 0.3 } },
  },
  {
    name: 'A5 fires for O2 (pipeline 50 ≥ 0.25 × 100) on standard',
    rule: 'A5',
    count: 1,
    priority: 2,
    days: 21,
    spec: { tier: 'standard', metrics: { pipelineWeighted: 50, revenueTtm: 100, openCount: 1 } },
  },
  {
    name: 'A5 fires once when both O1 and O2 fire',
    rule: 'A5',
    count: 1,
    priority: 2,
    days: 21,
    spec: {
      tier: 'strategic',
      metrics: { growth: 0.5, pipelineWeighted: 100_000, revenueTtm: 100_000, openCount: 1 },
    },
  },
  {
    name: 'A5 fires for O2 on unrated (tier ≠ transactional; revenueTtm 0)',
    rule: 'A5',
    count: 1,
    priority: 2,
    days: 21,
    spec: {
      tier: 'unrated',
      metrics: { pipelineWeighted: 10, revenueTtm: 0, growth: null, revenuePrev: 0, openCount: 1 },
    },
  },
  {
    name: 'A5 does not fire for O1 on transactional',
    rule: 'A5',
    count: 0,
    spec: { metrics: { growth: 0.3 } },
  },
  {
    name: 'A5 does not fire on key without O1 or O2',
    rule: 'A5',
    count: 0,
    spec: { tier: 'key', metrics: { growth: 0.19 } },
  },
  // A6 O3 (whitespace by tier peers): 3, 30 d
  ...(['strategic', 'key', 'standard', 'transactional'] as const).map((tier): Row => ({
    name: `A6 fires for O3 on ${tier}`,
    rule: 'A6',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier },
    ctx: WHITESPACE_P2,
  })),
  {
    name: 'A6 does not fire when the account buys the line its peers buy',
    rule: 'A6',
    count: 0,
    spec: { tier: 'key', metrics: { productLines: ['p1', 'p2'] } },
    ctx: WHITESPACE_P2,
  },
  {
    name: 'A6 does not fire for a specialised key account without whitespace',
    rule: 'A6',
    count: 0,
    spec: { tier: 'key' },
  },
  {
    name: 'A6 does not fire for unrated (no O3)',
    rule: 'A6',
    count: 0,
    spec: { tier: 'unrated' },
    ctx: WHITESPACE_P2,
  },
  // A7 stage lapsed: 2, 7 d
  {
    name: 'A7 fires for stage lapsed',
    rule: 'A7',
    count: 1,
    priority: 2,
    days: 7,
    spec: {
      stage: 'lapsed',
      metrics: { recencyDays: 400, revenueTtm: 0, growth: null, revenuePrev: 0 },
    },
  },
  {
    name: 'A7 fires for a lapsed prospect that never won',
    rule: 'A7',
    count: 1,
    priority: 2,
    days: 7,
    spec: {
      tier: 'unrated',
      stage: 'lapsed',
      segment: null,
      loyalty: null,
      metrics: { recencyDays: null, tenureDays: null, lostCount: 2, revenueTtm: 0, growth: null },
    },
  },
  ...(['new', 'declining', 'partner', 'growing', 'steady'] as const).map((stage): Row => ({
    name: `A7 does not fire for stage ${stage}`,
    rule: 'A7',
    count: 0,
    spec: { stage },
  })),
  // A8 T1 and tier ≠ unrated: 2, 14 d
  {
    name: 'A8 fires for T1 (growth −0.2) on transactional',
    rule: 'A8',
    count: 1,
    priority: 2,
    days: 14,
    spec: { metrics: { growth: -0.2 } },
  },
  {
    name: 'A8 fires for T1 (growth −0.3) on strategic',
    rule: 'A8',
    count: 1,
    priority: 2,
    days: 14,
    spec: { tier: 'strategic', metrics: { growth: -0.3 } },
  },
  {
    name: 'A8 does not fire at growth −0.19',
    rule: 'A8',
    count: 0,
    spec: { metrics: { growth: -0.19 } },
  },
  {
    name: 'A8 does not fire for T1 (growth −1) on unrated',
    rule: 'A8',
    count: 0,
    spec: { tier: 'unrated', metrics: { growth: -1, revenueTtm: 0 } },
  },
  // A9 strategic or key without an account plan: 2, 30 d
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A9 fires for ${tier} without kam_account_plan`,
    rule: 'A9',
    count: 1,
    priority: 2,
    days: 30,
    spec: { tier },
  })),
  {
    name: 'A9 fires for key with a blank kam_account_plan',
    rule: 'A9',
    count: 1,
    priority: 2,
    days: 30,
    spec: { tier: 'key', props: { kam_account_plan: '  ' } },
  },
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A9 does not fire for ${tier} with an account plan`,
    rule: 'A9',
    count: 0,
    spec: { tier, props: { kam_account_plan: 'O: grow 20%' } },
  })),
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A9 does not fire for ${tier} with a plan objective (§13)`,
    rule: 'A9',
    count: 0,
    spec: { tier, props: { kam_plan_objective: 'Grow the Shanghai plant' } },
  })),
  ...(['standard', 'transactional', 'unrated'] as const).map((tier): Row => ({
    name: `A9 does not fire for ${tier} without a plan`,
    rule: 'A9',
    count: 0,
    spec: { tier },
  })),
  // A10 W2 and tier ∈ {strategic, key}: 2, 21 d
  {
    name: 'A10 fires for W2 (1 contact) on key',
    rule: 'A10',
    count: 1,
    priority: 2,
    days: 21,
    spec: { tier: 'key', metrics: { contacts: 1 } },
  },
  {
    name: 'A10 fires for W2 (0 contacts) on strategic',
    rule: 'A10',
    count: 1,
    priority: 2,
    days: 21,
    spec: { tier: 'strategic', metrics: { contacts: 0 } },
  },
  {
    name: 'A10 does not fire for W2 on standard',
    rule: 'A10',
    count: 0,
    spec: { tier: 'standard', metrics: { contacts: 1 } },
  },
  {
    name: 'A10 does not fire on key with 2 contacts',
    rule: 'A10',
    count: 0,
    spec: { tier: 'key', metrics: { contacts: 2 } },
  },
  // A11 T4: 3, 30 d
  {
    name: 'A11 fires for T4 (share 0.25)',
    rule: 'A11',
    count: 1,
    priority: 3,
    days: 30,
    spec: { share: 0.25 },
  },
  {
    name: 'A11 fires for T4 at share 0.2',
    rule: 'A11',
    count: 1,
    priority: 3,
    days: 30,
    spec: { share: 0.2 },
  },
  { name: 'A11 does not fire at share 0.19', rule: 'A11', count: 0, spec: { share: 0.19 } },
  // A12 low_value, tier standard/transactional, stage steady/declining, no O1/O2/O3: 4, 60 d
  ...(
    [
      ['standard', 'steady'],
      ['standard', 'declining'],
      ['transactional', 'steady'],
      ['transactional', 'declining'],
    ] as const
  ).map(([tier, stage]): Row => ({
    name: `A12 fires for low_value ${tier} ${stage}`,
    rule: 'A12',
    count: 1,
    priority: 4,
    days: 60,
    spec: { tier, stage, segment: 'low_value', loyalty: 30 },
  })),
  ...(['strategic', 'key', 'unrated'] as const).map((tier): Row => ({
    name: `A12 does not fire for low_value ${tier}`,
    rule: 'A12',
    count: 0,
    spec: { tier, segment: 'low_value', loyalty: 30 },
  })),
  ...(['lapsed', 'new', 'partner', 'growing'] as const).map((stage): Row => ({
    name: `A12 does not fire for low_value standard at stage ${stage}`,
    rule: 'A12',
    count: 0,
    spec: { tier: 'standard', stage, segment: 'low_value', loyalty: 30 },
  })),
  ...(['core', 'at_risk', 'rising_star', null] as const).map((segment): Row => ({
    name: `A12 does not fire for segment ${String(segment)} (standard, steady)`,
    rule: 'A12',
    count: 0,
    spec: { tier: 'standard', segment, loyalty: segment === null ? null : 30 },
  })),
  {
    name: 'A12 fires for low_value standard at growth 0.19 (O1 just short)',
    rule: 'A12',
    count: 1,
    priority: 4,
    days: 60,
    spec: { tier: 'standard', segment: 'low_value', loyalty: 30, metrics: { growth: 0.19 } },
  },
  {
    name: 'A12 does not fire for low_value standard while O1 fires (growth 0.2)',
    rule: 'A12',
    count: 0,
    spec: { tier: 'standard', segment: 'low_value', loyalty: 30, metrics: { growth: 0.2 } },
  },
  {
    name: 'A12 fires for low_value transactional at pipeline 24.9 of 100 (O2 just short)',
    rule: 'A12',
    count: 1,
    priority: 4,
    days: 60,
    spec: {
      segment: 'low_value',
      loyalty: 30,
      metrics: { pipelineWeighted: 24.9, revenueTtm: 100, openCount: 1 },
    },
  },
  {
    name: 'A12 does not fire for low_value transactional while O2 fires (pipeline 25 of 100)',
    rule: 'A12',
    count: 0,
    spec: {
      segment: 'low_value',
      loyalty: 30,
      metrics: { pipelineWeighted: 25, revenueTtm: 100, openCount: 1 },
    },
  },
  {
    name: 'A12 does not fire for low_value standard while O3 fires',
    rule: 'A12',
    count: 0,
    spec: { tier: 'standard', segment: 'low_value', loyalty: 30 },
    ctx: WHITESPACE_P2,
  },
  {
    name: 'A12 fires for low_value standard whose peers buy only what it buys (no O3)',
    rule: 'A12',
    count: 1,
    priority: 4,
    days: 60,
    spec: { tier: 'standard', segment: 'low_value', loyalty: 30 },
    ctx: context({ standard: ['p1'] }),
  },
  // A13 strategic/key with no dated survey, or a stale one: 3, 30 d
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A13 fires for ${tier} without kam_survey_date`,
    rule: 'A13',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier },
  })),
  {
    name: 'A13 fires for key with a survey 366 days old (stale)',
    rule: 'A13',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'key', props: { kam_survey_date: SURVEY_366_DAYS_OLD } },
  },
  {
    name: 'A13 fires for strategic with ratings but no survey date',
    rule: 'A13',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'strategic', props: servqual({ reliability: [5, 6] }) },
  },
  {
    name: 'A13 does not fire for key with a survey 365 days old',
    rule: 'A13',
    count: 0,
    spec: { tier: 'key', props: { kam_survey_date: SURVEY_365_DAYS_OLD } },
  },
  {
    name: 'A13 does not fire for strategic surveyed yesterday',
    rule: 'A13',
    count: 0,
    spec: { tier: 'strategic', props: { kam_survey_date: '2026-08-14' } },
  },
  ...(['standard', 'transactional', 'unrated'] as const).map((tier): Row => ({
    name: `A13 does not fire for ${tier} without a survey`,
    rule: 'A13',
    count: 0,
    spec: { tier },
  })),
  // A14 strategic/key with fewer than 2 non-empty lines in kam_competitors: 3, 30 d
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A14 fires for ${tier} without kam_competitors`,
    rule: 'A14',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier },
  })),
  {
    name: 'A14 fires for key with 1 competitor',
    rule: 'A14',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'key', props: { kam_competitors: 'Globex: cheap | slow' } },
  },
  {
    name: 'A14 fires for key with 1 competitor and blank lines',
    rule: 'A14',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'key', props: { kam_competitors: 'Globex\n\n   \n' } },
  },
  {
    name: 'A14 does not fire for key with 2 competitors',
    rule: 'A14',
    count: 0,
    spec: { tier: 'key', props: { kam_competitors: 'Globex: cheap | slow\nInitech' } },
  },
  {
    name: 'A14 does not fire for strategic with 3 competitors',
    rule: 'A14',
    count: 0,
    spec: { tier: 'strategic', props: { kam_competitors: 'Globex\r\nInitech\r\nUmbrella' } },
  },
  ...(['standard', 'transactional', 'unrated'] as const).map((tier): Row => ({
    name: `A14 does not fire for ${tier} without competitors`,
    rule: 'A14',
    count: 0,
    spec: { tier },
  })),
  // A17 W5 (strategic/key without an owner): 1, 7 d
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A17 fires for ${tier} without hubspot_owner_id`,
    rule: 'A17',
    count: 1,
    priority: 1,
    days: 7,
    spec: { tier },
  })),
  ...(['strategic', 'key'] as const).map((tier): Row => ({
    name: `A17 does not fire for ${tier} with an owner`,
    rule: 'A17',
    count: 0,
    spec: { tier, props: { hubspot_owner_id: '77' } },
  })),
  ...(['standard', 'transactional', 'unrated'] as const).map((tier): Row => ({
    name: `A17 does not fire for ${tier} without an owner`,
    rule: 'A17',
    count: 0,
    spec: { tier },
  })),
];

// A18 (§13) a plan not reviewed in 90 days: 3, 14 d
ROWS.push(
  {
    name: 'A18 fires for a plan never reviewed',
    rule: 'A18',
    count: 1,
    priority: 3,
    days: 14,
    spec: { props: { kam_plan_objective: 'Grow' } },
  },
  {
    name: 'A18 fires for a plan reviewed 91 days ago',
    rule: 'A18',
    count: 1,
    priority: 3,
    days: 14,
    spec: { props: { kam_plan_objective: 'Grow', kam_plan_reviewed_at: '2026-05-16' } },
  },
  {
    name: 'A18 does not fire for a plan reviewed 90 days ago',
    rule: 'A18',
    count: 0,
    spec: { props: { kam_plan_objective: 'Grow', kam_plan_reviewed_at: '2026-05-17' } },
  },
  { name: 'A18 does not fire without a plan', rule: 'A18', count: 0, spec: {} },
);

describe('§7 next actions A1–A18', () => {
  it('the baseline account has no action (so each row tests one rule)', () => {
    expect(actionsFor({})).toEqual([]);
  });

  it.each(ROWS)('$name', ({ rule, count, spec, priority, days, ctx }) => {
    const actions = ofRule(actionsFor(spec, ctx), rule);
    expect(actions).toHaveLength(count);
    for (const action of actions) {
      expect(action.priority).toBe(priority);
      expect(action.due).toBe(DUE[days ?? -1]);
      expect(action.title.length).toBeGreaterThan(0);
      expect(action.reason.length).toBeGreaterThan(0);
      expect(action.key).toBe(
        action.dimension === undefined ? `${rule}-42` : `${rule}-${action.dimension}-42`,
      );
    }
  });

  it('every rule A1–A15, A17, A18 has a firing and a non-firing row', () => {
    expect(ACTION_RULES).toHaveLength(17);
    for (const id of ACTION_RULES) {
      expect(ROWS.some((row) => row.rule === id && row.count > 0)).toBe(true);
      expect(ROWS.some((row) => row.rule === id && row.count === 0)).toBe(true);
    }
  });

  it('A3 carries its dimension, a remedy for it and the key A3-<dimension>-<companyId>', () => {
    const [a3] = actionsFor({ props: servqual({ responsiveness: [6, 4] }) }).filter(
      (action) => action.ruleId === 'A3',
    );
    expect(a3?.dimension).toBe('responsiveness');
    expect(a3?.key).toBe('A3-responsiveness-42');
    expect(a3?.title).toMatch(/response-time commitment/i);
    expect(a3?.reason).toContain('responsiveness');
  });

  it('actions without a dimension carry none', () => {
    for (const action of actionsFor({ tier: 'strategic', complaints: 1, share: 0.5 })) {
      expect(action.dimension).toBeUndefined();
    }
  });

  it('reasons carry the evidence (A1 names the days without activity)', () => {
    const [a1] = actionsFor({ tier: 'key', metrics: { daysSinceActivity: 61 } });
    expect(a1?.ruleId).toBe('A1');
    expect(a1?.reason).toContain('61');
  });
});

describe('§7 action order: priority, then due date, then rule id (numeric)', () => {
  it('a key account at risk with everything going wrong', () => {
    const actions = actionsFor(
      {
        tier: 'key',
        segment: 'at_risk',
        loyalty: 40,
        share: 0.3,
        complaints: 1,
        props: servqual({ responsiveness: [6, 4] }),
        metrics: {
          daysSinceActivity: null,
          contacts: 1,
          growth: -0.3,
          revenueTtm: 700_000,
          revenuePrev: 1_000_000,
          pipelineWeighted: 200_000,
          openCount: 2,
        },
      },
      WHITESPACE_P2,
    );
    // p1: A4 (2 d), A1, A17 (7 d), A2 (14 d); p2: A3, A8 (14 d), A5, A10 (21 d), A9 (30 d);
    // p3: A6, A11, A13, A14 (30 d) — numeric rule order, not 'A11' < 'A13' < 'A6'.
    expect(actions.map((action) => action.ruleId)).toEqual([
      'A4',
      'A1',
      'A17',
      'A2',
      'A3',
      'A8',
      'A5',
      'A10',
      'A9',
      'A6',
      'A11',
      'A13',
      'A14',
    ]);
  });

  it('a lapsed strategic account: A7 (2, 7 d) before A9 (2, 30 d)', () => {
    const actions = actionsFor({
      tier: 'strategic',
      segment: 'core',
      stage: 'lapsed',
      props: {
        kam_survey_date: '2026-06-01',
        hubspot_owner_id: '77',
        kam_competitors: 'Globex\nInitech',
      },
      metrics: { recencyDays: 400, contacts: 5, revenueTtm: 0, growth: null, revenuePrev: 0 },
      breadth: 'comprehensive',
    });
    expect(actions.map((action) => action.ruleId)).toEqual(['A7', 'A9']);
  });
});

const POSTURE = new Set(['A7', 'A2', 'A12']);
const STAGES: readonly RelationshipStage[] = [
  'lapsed',
  'new',
  'declining',
  'partner',
  'growing',
  'steady',
];
const SEGMENTS: readonly (Segment | null)[] = ['core', 'at_risk', 'rising_star', 'low_value', null];

/** The spec's posture, written out independently: the first of A7, A2, A12 that applies. */
function expectedPosture(tier: Tier, stage: RelationshipStage, segment: Segment | null): string[] {
  if (stage === 'lapsed') return ['A7'];
  if (segment === 'at_risk') return ['A2'];
  const lowTouchTier = tier === 'standard' || tier === 'transactional';
  const lowTouchStage = stage === 'steady' || stage === 'declining';
  return segment === 'low_value' && lowTouchTier && lowTouchStage ? ['A12'] : [];
}

describe('§7 consistency: at most one posture action, the first of A7, A2, A12', () => {
  const cases = TIERS.flatMap((tier) =>
    STAGES.flatMap((stage) => SEGMENTS.map((segment) => ({ tier, stage, segment }))),
  );

  it.each(cases)('$tier, $stage, $segment', ({ tier, stage, segment }) => {
    const posture = actionsFor({ tier, stage, segment, loyalty: segment === null ? null : 30 })
      .map((action) => action.ruleId)
      .filter((ruleId) => POSTURE.has(ruleId));
    expect(posture).toEqual(expectedPosture(tier, stage, segment));
  });

  it('the table reaches every posture and none', () => {
    const seen = new Set(
      cases.map(({ tier, stage, segment }) => expectedPosture(tier, stage, segment).join()),
    );
    expect(seen).toEqual(new Set(['A7', 'A2', 'A12', '']));
  });

  it.each([
    { name: 'O1', spec: { metrics: { growth: 0.5 } }, ctx: context() },
    {
      name: 'O2',
      spec: { metrics: { pipelineWeighted: 50_000, openCount: 1 } },
      ctx: context(),
    },
    { name: 'O3', spec: {}, ctx: WHITESPACE_P2 },
  ] satisfies { name: string; spec: ViewSpec; ctx: PortfolioContext }[])(
    'never A12 on a rated account while $name fires, at any low-touch tier and stage',
    ({ name, spec, ctx }) => {
      for (const tier of ['standard', 'transactional'] as const) {
        for (const stage of ['steady', 'declining'] as const) {
          const account = { ...spec, tier, stage, segment: 'low_value', loyalty: 30 } as const;
          const v = view({ ...BASE, ...account });
          const swot = deriveSwot(v, ctx, DEFAULT_SETTINGS);
          expect(swot.map((item) => item.ruleId)).toContain(name);
          expect(ofRule(nextActions(v, swot, AS_OF), 'A12')).toEqual([]);
        }
      }
    },
  );
});

describe('§7 reasons: the SWOT sentence, the SWOT rule in the evidence, counts that agree', () => {
  it.each([
    { rule: 'A1', swotRule: 'W4', spec: { tier: 'key', metrics: { daysSinceActivity: 61 } } },
    { rule: 'A3', swotRule: 'W1', spec: { props: servqual({ empathy: [7, 4] }) } },
    { rule: 'A4', swotRule: 'T3', spec: { complaints: 1 } },
    { rule: 'A5', swotRule: 'O1', spec: { tier: 'key', metrics: { growth: 0.3 } } },
    {
      rule: 'A5',
      swotRule: 'O2',
      spec: { tier: 'key', metrics: { pipelineWeighted: 50_000, openCount: 1 } },
    },
    { rule: 'A6', swotRule: 'O3', spec: { tier: 'standard' } },
    { rule: 'A8', swotRule: 'T1', spec: { metrics: { growth: -0.3 } } },
    { rule: 'A10', swotRule: 'W2', spec: { tier: 'key', metrics: { contacts: 1 } } },
    { rule: 'A11', swotRule: 'T4', spec: { share: 0.3 } },
    { rule: 'A17', swotRule: 'W5', spec: { tier: 'strategic' } },
  ] satisfies { rule: string; swotRule: string; spec: ViewSpec }[])(
    '$rule carries swotRule $swotRule and its item’s sentence as the reason',
    ({ rule, swotRule, spec }) => {
      const v = view({ ...BASE, ...spec });
      const swot = deriveSwot(v, WHITESPACE_P2, DEFAULT_SETTINGS);
      const [action] = ofRule(nextActions(v, swot, AS_OF), rule);
      const item = swot.find((entry) => entry.ruleId === swotRule);
      expect(action?.evidence.swotRule).toBe(swotRule);
      // A4 adds its SLA (§12) after the complaint's sentence.
      if (rule === 'A4')
        expect(action?.reason.startsWith(`${item?.text}; resolve within`)).toBe(true);
      else expect(action?.reason).toBe(item?.text);
      expect(action?.reason).not.toMatch(/^[SWOTA]\d/);
    },
  );

  it('no reason starts with a rule id', () => {
    const actions = actionsFor(
      {
        tier: 'key',
        segment: 'at_risk',
        loyalty: 40,
        share: 0.3,
        complaints: 1,
        props: servqual({ responsiveness: [6, 4] }),
        metrics: { daysSinceActivity: null, contacts: 1, growth: -0.3, pipelineWeighted: 50_000 },
      },
      WHITESPACE_P2,
    );
    expect(actions.length).toBeGreaterThan(10);
    for (const action of actions) expect(action.reason).not.toMatch(/^[SWOTA]\d/);
  });

  it('A6 names the lines to cross-sell by label', () => {
    const [a6] = ofRule(
      actionsFor(
        { tier: 'standard' },
        context({ standard: ['p2', 'p3'] }, { productLineLabels: { p2: 'Field Service' } }),
      ),
      'A6',
    );
    expect(a6?.title).toBe('Cross-sell review: Field Service and p3');
    expect(a6?.reason).toContain('Field Service (3 of 5 standard accounts) and p3');
  });

  it('A2 lists the loyalty factors under 50, lowest first, and not the others', () => {
    const factor = (name: string, score: number, text: string) => ({
      factor: name,
      score,
      weight: 20,
      effectiveWeight: 0.2,
      text,
    });
    const [a2] = ofRule(
      actionsFor({
        tier: 'key',
        segment: 'at_risk',
        loyalty: 41.26,
        metrics: { growth: -0.37, lostLast180Days: 3 },
        loyaltyExplanation: {
          rule: 'loyalty.measures',
          text: 'Loyalty 41.3',
          inputs: {},
          factors: [
            factor('repeat', 25, 'won in 2 of 8 quarters'),
            factor('trend', 13, 'revenue −37%'),
            factor('rivals', 0, '3 deals lost in 365 days'),
            factor('selection', 50, 'cycle at the median'),
            factor('attitude', 80, 'gap +0.8'),
          ],
          absent: [],
        },
      }),
      'A2',
    );
    expect(a2?.reason).toBe(
      'At risk: key account, high volume but not loyal, loyalty 41.3; revenue -37%, 3 deals lost in 180 days; ' +
        'low: rivals 0 (3 deals lost in 365 days), trend 13 (revenue −37%), repeat 25 (won in 2 of 8 quarters)',
    );
    expect(a2?.evidence).toMatchObject({
      loyalty: 41.3,
      segment: 'at_risk',
      lowFactors:
        'rivals 0 (3 deals lost in 365 days); trend 13 (revenue −37%); repeat 25 (won in 2 of 8 quarters)',
    });
  });

  it('A2 with no low factor and no T1/T2 says only that it is at risk', () => {
    const [a2] = ofRule(actionsFor({ tier: 'strategic', segment: 'at_risk', loyalty: 55 }), 'A2');
    expect(a2?.reason).toBe('At risk: strategic account, high volume but not loyal, loyalty 55');
  });

  it.each([
    {
      rule: 'A7',
      spec: {
        stage: 'lapsed',
        metrics: { recencyDays: null, tenureDays: null, lostCount: 1 },
      },
      reason: 'Lapsed: never won, 1 deal lost and no open deal',
    },
    {
      rule: 'A7',
      spec: {
        stage: 'lapsed',
        metrics: { recencyDays: null, tenureDays: null, lostCount: 2 },
      },
      reason: 'Lapsed: never won, 2 deals lost and no open deal',
    },
    {
      rule: 'A7',
      spec: { stage: 'lapsed', metrics: { recencyDays: 400 } },
      reason: 'Lapsed: last won 400 days ago and no open deal',
    },
    {
      rule: 'A14',
      spec: { tier: 'key' },
      reason: '0 competitors on file for this key account; know at least 2',
    },
    {
      rule: 'A14',
      spec: { tier: 'strategic', props: { kam_competitors: 'Globex' } },
      reason: '1 competitor on file for this strategic account; know at least 2',
    },
    {
      rule: 'A13',
      spec: { tier: 'key', props: { kam_survey_date: SURVEY_366_DAYS_OLD } },
      reason: 'Last survey 366 days ago: stale after 365 days',
    },
    {
      rule: 'A13',
      spec: { tier: 'strategic' },
      reason: 'No dated satisfaction survey on record for this strategic account',
    },
    {
      rule: 'A9',
      spec: { tier: 'key' },
      reason: 'Key account without an account plan',
    },
    {
      rule: 'A12',
      spec: { tier: 'standard', stage: 'declining', segment: 'low_value', loyalty: 30.04 },
      reason:
        'Low value: standard account, declining, loyalty 30: low volume, not loyal, no growth signal',
    },
  ] satisfies { rule: string; spec: ViewSpec; reason: string }[])(
    '$rule reads "$reason"',
    ({ rule, spec, reason }) => {
      const [action] = ofRule(actionsFor(spec), rule);
      expect(action?.reason).toBe(reason);
    },
  );
});

describe('§7 next actions end to end', () => {
  const input = () =>
    portal(
      [
        company('1001', {
          ...servqual({ responsiveness: [6, 4] }),
          num_associated_contacts: '5',
          notes_last_updated: '2026-08-10',
          kam_survey_date: '2026-06-01',
          kam_account_plan: 'Objectives: …',
        }),
        company('1002', { notes_last_updated: '2026-08-10' }),
      ],
      [
        won({ company: '1001', amount: 900, closedDaysAgo: 10, line: 'a' }),
        won({ company: '1001', amount: 900, closedDaysAgo: 400, line: 'a' }),
        won({ company: '1002', amount: 100, closedDaysAgo: 10, line: 'a' }),
        open({ company: '1002', amount: 10, probability: 0.1 }),
      ],
    );

  it('A3 for company 1001: key, dimension, due date', () => {
    const one = companyOf(score(input()), '1001');
    const a3 = one.actions.find((action) => action.ruleId === 'A3');
    expect(a3).toMatchObject({
      key: 'A3-responsiveness-1001',
      dimension: 'responsiveness',
      priority: 2,
      due: '2026-08-29',
    });
  });

  it('keys are stable across runs; due dates follow asOf', () => {
    const first = companyOf(score(input()), '1001').actions;
    const later = companyOf(score(input(), DEFAULT_SETTINGS, AS_OF + 3 * DAY), '1001').actions;
    expect(later.map((action) => action.key)).toEqual(first.map((action) => action.key));
    const a3Later = later.find((action) => action.ruleId === 'A3');
    expect(a3Later?.due).toBe('2026-09-01');
  });

  it('actions are sorted in the company result', () => {
    for (const company of score(input()).companies) {
      const sorted = [...company.actions].sort(
        (a, b) =>
          a.priority - b.priority ||
          a.due.localeCompare(b.due) ||
          Number(a.ruleId.slice(1)) - Number(b.ruleId.slice(1)),
      );
      expect(company.actions).toEqual(sorted);
    }
  });
});

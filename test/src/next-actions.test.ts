/**
 * kam-model.md §7 next actions A1–A13: when each fires (and not), its
 * priority and due date (asOf + days, YYYY-MM-DD), the stable key, the
 * dimension of A3, and the order: priority, then due date, then rule id.
 */
import { describe, expect, it } from 'vitest';
import type { NextAction } from '../../src/next-actions.ts';
import { nextActions } from '../../src/next-actions.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import { deriveSwot } from '../../src/swot.ts';
import type { ViewSpec } from './builders.ts';
import {
  AS_OF,
  DAY,
  company,
  companyOf,
  open,
  portal,
  score,
  servqual,
  view,
  won,
} from './builders.ts';

/** asOf 2026-08-15 + days. */
const DUE: Readonly<Record<number, string>> = {
  2: '2026-08-17',
  7: '2026-08-22',
  14: '2026-08-29',
  21: '2026-09-05',
  30: '2026-09-14',
  60: '2026-10-14',
};

/** A transactional, loyal, quiet account on which no action fires. */
const BASE: ViewSpec = { tier: 'transactional', segment: 'rising_star', loyalty: 70 };

const actionsFor = (spec: ViewSpec, lines: readonly string[] = ['p1']): NextAction[] => {
  const v = view({ ...BASE, ...spec });
  return nextActions(v, deriveSwot(v, lines, DEFAULT_SETTINGS), AS_OF);
};

interface Row {
  readonly name: string;
  readonly rule: string;
  readonly count: number;
  readonly spec: ViewSpec;
  readonly priority?: number;
  readonly days?: number;
  readonly lines?: readonly string[];
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
  {
    name: 'A2 does not fire for segment core',
    rule: 'A2',
    count: 0,
    spec: { tier: 'key', segment: 'core', loyalty: 80 },
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
  // A6 specialised and tier ∈ {strategic, key, standard}: 3, 30 d
  {
    name: 'A6 fires for specialised strategic',
    rule: 'A6',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'strategic' },
  },
  {
    name: 'A6 fires for specialised key',
    rule: 'A6',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'key' },
  },
  {
    name: 'A6 fires for specialised standard',
    rule: 'A6',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'standard' },
  },
  { name: 'A6 does not fire for specialised transactional', rule: 'A6', count: 0, spec: {} },
  {
    name: 'A6 does not fire for comprehensive key',
    rule: 'A6',
    count: 0,
    spec: { tier: 'key', metrics: { productLines: ['p1', 'p2'] } },
    lines: ['p1', 'p2'],
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
    name: 'A7 does not fire for stage developing',
    rule: 'A7',
    count: 0,
    spec: { stage: 'developing' },
  },
  // A8 T1: 2, 14 d
  {
    name: 'A8 fires for T1 (growth −0.3)',
    rule: 'A8',
    count: 1,
    priority: 2,
    days: 14,
    spec: { metrics: { growth: -0.3 } },
  },
  {
    name: 'A8 does not fire at growth −0.1',
    rule: 'A8',
    count: 0,
    spec: { metrics: { growth: -0.1 } },
  },
  // A9 strategic without account plan: 2, 30 d
  {
    name: 'A9 fires for strategic without kam_account_plan',
    rule: 'A9',
    count: 1,
    priority: 2,
    days: 30,
    spec: { tier: 'strategic' },
  },
  {
    name: 'A9 fires for strategic with a blank kam_account_plan',
    rule: 'A9',
    count: 1,
    priority: 2,
    days: 30,
    spec: { tier: 'strategic', props: { kam_account_plan: '  ' } },
  },
  {
    name: 'A9 does not fire for strategic with an account plan',
    rule: 'A9',
    count: 0,
    spec: { tier: 'strategic', props: { kam_account_plan: 'O: grow 20%' } },
  },
  { name: 'A9 does not fire for key without a plan', rule: 'A9', count: 0, spec: { tier: 'key' } },
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
  { name: 'A11 does not fire at share 0.19', rule: 'A11', count: 0, spec: { share: 0.19 } },
  // A12 segment low_value: 4, 60 d
  {
    name: 'A12 fires for segment low_value',
    rule: 'A12',
    count: 1,
    priority: 4,
    days: 60,
    spec: { segment: 'low_value', loyalty: 30 },
  },
  {
    name: 'A12 does not fire for segment rising_star',
    rule: 'A12',
    count: 0,
    spec: { segment: 'rising_star' },
  },
  // A13 strategic/key and no survey in 365 days: 3, 30 d
  {
    name: 'A13 fires for strategic without kam_survey_date',
    rule: 'A13',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'strategic' },
  },
  {
    name: 'A13 fires for key with a survey 366 days old',
    rule: 'A13',
    count: 1,
    priority: 3,
    days: 30,
    spec: { tier: 'key', props: { kam_survey_date: '2025-08-14' } },
  },
  {
    name: 'A13 does not fire for key with a survey 365 days old',
    rule: 'A13',
    count: 0,
    spec: { tier: 'key', props: { kam_survey_date: '2025-08-15' } },
  },
  {
    name: 'A13 does not fire for standard without survey',
    rule: 'A13',
    count: 0,
    spec: { tier: 'standard' },
  },
];

describe('§7 next actions A1–A13', () => {
  it('the baseline account has no action (so each row tests one rule)', () => {
    expect(actionsFor({})).toEqual([]);
  });

  it.each(ROWS)('$name', ({ rule, count, spec, priority, days, lines }) => {
    const actions = actionsFor(spec, lines).filter((action) => action.ruleId === rule);
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

  it('every rule A1–A13 has a firing and a non-firing row', () => {
    for (let n = 1; n <= 13; n += 1) {
      expect(ROWS.some((row) => row.rule === `A${n}` && row.count > 0)).toBe(true);
      expect(ROWS.some((row) => row.rule === `A${n}` && row.count === 0)).toBe(true);
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
      ['p1'],
    );
    // p1: A4 (2 d), A1 (7 d), A2 (14 d); p2: A3, A8 (14 d), A5, A10 (21 d);
    // p3: A6, A11, A13 (30 d) — numeric rule order, not 'A11' < 'A13' < 'A6'.
    expect(actions.map((action) => action.ruleId)).toEqual([
      'A4',
      'A1',
      'A2',
      'A3',
      'A8',
      'A5',
      'A10',
      'A6',
      'A11',
      'A13',
    ]);
  });

  it('a lapsed strategic account: A7 (2, 7 d) before A9 (2, 30 d)', () => {
    const actions = actionsFor({
      tier: 'strategic',
      segment: 'core',
      stage: 'lapsed',
      props: { kam_survey_date: '2026-06-01' },
      metrics: { recencyDays: 400, contacts: 5, revenueTtm: 0, growth: null, revenuePrev: 0 },
      breadth: 'comprehensive',
    });
    expect(actions.map((action) => action.ruleId)).toEqual(['A7', 'A9']);
  });
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

/**
 * "Make every result explain itself (which inputs and which rule produced
 * it)": every explanation, SWOT item and action of a scored company carries a
 * rule id, its inputs and a sentence a card can show.
 */
import { describe, expect, it } from 'vitest';
import { formatGap, formatMoney, formatPercent } from '../../src/format.ts';
import {
  company,
  companyOf,
  lost,
  open,
  portal,
  score,
  settingsWith,
  servqual,
  ticket,
  won,
} from './builders.ts';

const result = () =>
  score(
    portal(
      [
        company('1', {
          ...servqual({ responsiveness: [6, 4], reliability: [4, 6] }),
          num_associated_contacts: '1',
          annualrevenue: '2000000',
        }),
        company('2', { numberofemployees: '40' }),
      ],
      [
        won({ company: '1', amount: 5_000_000, closedDaysAgo: 30, line: 'a' }),
        won({ company: '1', amount: 4_000_000, closedDaysAgo: 400, line: 'b' }),
        lost({ company: '1', closedDaysAgo: 20 }),
        open({ company: '1', amount: 1_000_000, probability: 0.5 }),
        won({ company: '2', amount: 1_000_000, closedDaysAgo: 300, line: 'a' }),
      ],
      [ticket('t1', '1')],
    ),
  );

describe('explanations', () => {
  it('every explanation has a rule id, inputs and a readable text', () => {
    for (const c of result().companies) {
      const explanations = Object.values(c.explanations);
      expect(explanations.length).toBeGreaterThan(5);
      for (const explanation of explanations) {
        expect(typeof explanation.rule).toBe('string');
        expect(explanation.rule.length).toBeGreaterThan(0);
        expect(typeof explanation.inputs).toBe('object');
        expect(explanation.text.length).toBeGreaterThan(5);
        expect(explanation.text).not.toMatch(/undefined|NaN|\[object Object\]/);
      }
    }
  });

  it('growth reads "+25% (5.0M vs 4.0M)" with its inputs', () => {
    const one = companyOf(result(), '1');
    const growth = one.explanations.growth;
    expect(growth?.text).toContain('+25% (5.0M vs 4.0M)');
    expect(growth?.inputs).toMatchObject({
      revenueTtm: 5_000_000,
      revenuePrev: 4_000_000,
      growth: 0.25,
    });
  });

  it('the tier, stage, segment and satisfaction explanations name their result', () => {
    const one = companyOf(result(), '1');
    const texts = Object.values(one.explanations).map((e) => e.text);
    expect(texts.some((text) => text.includes(one.tier))).toBe(true);
    expect(one.satisfactionGap).toBeCloseTo(0, 9);
    expect(texts.some((text) => text.includes(formatGap(0)))).toBe(true);
  });

  it('every derived SWOT item and action carries its rule id, evidence and text', () => {
    const one = companyOf(result(), '1');
    const derived = one.swot.filter((item) => item.ruleId !== null);
    expect(derived.map((item) => item.ruleId)).toEqual(
      expect.arrayContaining(['S2', 'S3', 'S4', 'W1', 'W2', 'O1', 'T3', 'T4']),
    );
    for (const item of derived) {
      expect(item.text.length).toBeGreaterThan(5);
      expect(Object.keys(item.evidence).length).toBeGreaterThan(0);
    }
    expect(one.actions.length).toBeGreaterThan(0);
    for (const action of one.actions) {
      expect(action.ruleId).toMatch(/^A\d+$/);
      expect(action.reason.length).toBeGreaterThan(5);
      expect(action.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('formatters used by the explanations', () => {
  it.each([
    [5_000_000, '5.0M'],
    [4_000_000, '4.0M'],
    [820_400, '820k'],
    [950, '950'],
  ])('formatMoney(%d) → %s', (amount, text) => {
    expect(formatMoney(amount)).toBe(text);
  });

  it.each([
    [0.25, true, '+25%'],
    [-0.25, true, '-25%'],
    [0.444, false, '44%'],
  ] as const)('formatPercent(%d, %s) → %s', (ratio, signed, text) => {
    expect(formatPercent(ratio, signed)).toBe(text);
  });
});

describe('§3 (v2) concentration in the absolute bands', () => {
  /** Revenue 300k, 200k, 199,999 and 100k: two accounts at or above t2 = 200k. */
  const bands = () =>
    score(
      portal(
        ['1', '2', '3', '4'].map((id) => company(id)),
        [
          won({ company: '1', amount: 300_000, closedDaysAgo: 10 }),
          won({ company: '2', amount: 200_000, closedDaysAgo: 10 }),
          won({ company: '3', amount: 199_999, closedDaysAgo: 10 }),
          won({ company: '4', amount: 100_000, closedDaysAgo: 10 }),
        ],
      ),
    ).portfolio;

  it('counts the accounts at or above the key threshold and their share of revenue', () => {
    const { topBands, explanations } = bands();
    expect(topBands).toEqual({
      threshold: 200_000,
      accounts: 2,
      accountShare: 0.5,
      revenueShare: 500_000 / 799_999,
    });
    expect(explanations.topBands?.text).toBe(
      '2 accounts (50% of rated accounts) buy 200k or more a year and hold 63% of revenue',
    );
  });

  it('below 60% of revenue it gives the seed’s diagnosis: the structure is unsound', () => {
    const portfolio = score(
      portal(
        ['1', '2', '3'].map((id) => company(id)),
        [
          won({ company: '1', amount: 200_000, closedDaysAgo: 10 }),
          won({ company: '2', amount: 150_000, closedDaysAgo: 10 }),
          won({ company: '3', amount: 150_000, closedDaysAgo: 10 }),
        ],
      ),
    ).portfolio;
    expect(portfolio.topBands.revenueShare).toBeCloseTo(0.4, 9);
    expect(portfolio.explanations.topBands?.text).toContain(
      'far from 80/20 — the customer structure is unsound',
    );
  });

  it('the threshold follows the setting', () => {
    const portfolio = score(
      portal([company('1')], [won({ company: '1', amount: 60_000, closedDaysAgo: 10 })]),
      settingsWith({ thresholds: { strategic: 100_000, key: 50_000, standard: 10_000 } }),
    ).portfolio;
    expect(portfolio.topBands).toMatchObject({ threshold: 50_000, accounts: 1, revenueShare: 1 });
  });
});

describe('§7 T3 (v2): a complaint of priority HIGH or URGENT is major', () => {
  const withPriority = (id: string, priority: string) => {
    const base = ticket(id, '1');
    return { ...base, properties: { ...base.properties, hs_ticket_priority: priority } };
  };

  it.each([
    { priorities: ['HIGH', 'URGENT', 'MEDIUM'], text: '3 open complaints, 2 major (' },
    { priorities: ['MEDIUM', 'LOW'], text: '2 open complaints (' },
    { priorities: ['URGENT'], text: '1 open complaint, 1 major (' },
  ])('$priorities → "$text"', ({ priorities, text }) => {
    const one = companyOf(
      score(
        portal(
          [company('1')],
          [won({ company: '1', closedDaysAgo: 10 })],
          priorities.map((priority, index) => withPriority(`t${index}`, priority)),
        ),
      ),
      '1',
    );
    const t3 = one.swot.find((item) => item.ruleId === 'T3');
    expect(t3?.text).toContain(text);
    expect(one.actions.find((action) => action.ruleId === 'A4')?.reason).toContain(text);
  });

  it('a closed major complaint is no threat', () => {
    const closed = ticket('t1', '1', true);
    const one = companyOf(
      score(
        portal(
          [company('1')],
          [won({ company: '1', closedDaysAgo: 10 })],
          [{ ...closed, properties: { ...closed.properties, hs_ticket_priority: 'URGENT' } }],
        ),
      ),
      '1',
    );
    expect(one.swot.some((item) => item.ruleId === 'T3')).toBe(false);
  });
});

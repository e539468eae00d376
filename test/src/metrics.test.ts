/**
 * kam-model.md §2: every account metric exactly as defined, with the window
 * boundaries (asOf − W, asOf], whole days by floor and UTC calendar quarters.
 */
import { describe, expect, it } from 'vitest';
import type { CrmObject } from '../../src/hubspot-objects.ts';
import {
  AS_OF,
  DAY,
  company,
  companyOf,
  daysAgo,
  iso,
  lost,
  open,
  portal,
  score,
  scoreOne,
  settingsWith,
  unlabeled,
  won,
} from './builders.ts';

const one = (deals: readonly CrmObject[], props = {}) =>
  scoreOne(portal([company('1', props)], deals), '1');

describe('§2 revenueTtm / revenuePrev windows', () => {
  // (asOf − W, asOf] for TTM and (asOf − 2W, asOf − W] for the previous window.
  it.each([
    { name: 'at asOf → TTM', closeMs: AS_OF, ttm: 100, prev: 0 },
    { name: '1 ms after asOf (future) → neither', closeMs: AS_OF + 1, ttm: 0, prev: 0 },
    { name: 'asOf − W + 1 ms → TTM', closeMs: AS_OF - 365 * DAY + 1, ttm: 100, prev: 0 },
    { name: 'exactly asOf − W → previous window', closeMs: AS_OF - 365 * DAY, ttm: 0, prev: 100 },
    {
      name: 'asOf − 2W + 1 ms → previous window',
      closeMs: AS_OF - 730 * DAY + 1,
      ttm: 0,
      prev: 100,
    },
    { name: 'exactly asOf − 2W → neither', closeMs: AS_OF - 730 * DAY, ttm: 0, prev: 0 },
  ])('won deal closed $name', ({ closeMs, ttm, prev }) => {
    const m = one([won({ company: '1', amount: 100, closeMs })]).metrics;
    expect(m.revenueTtm).toBe(ttm);
    expect(m.revenuePrev).toBe(prev);
    expect(m.lifetimeRevenue).toBe(100);
  });

  it('windowDays is a setting: W = 90 moves a 100-day-old deal into the previous window', () => {
    const result = score(
      portal([company('1')], [won({ company: '1', amount: 100, closedDaysAgo: 100 })]),
      settingsWith({ windowDays: 90 }),
    );
    expect(companyOf(result, '1').metrics.revenueTtm).toBe(0);
    expect(companyOf(result, '1').metrics.revenuePrev).toBe(100);
  });

  it('lost and open deals never count as revenue', () => {
    const m = one([
      won({ company: '1', amount: 100, closedDaysAgo: 5 }),
      lost({ company: '1', amount: 1000, closedDaysAgo: 5 }),
      open({ company: '1', amount: 1000, probability: 0.5 }),
    ]).metrics;
    expect(m.revenueTtm).toBe(100);
    expect(m.lifetimeRevenue).toBe(100);
    expect([m.wonCount, m.lostCount, m.openCount]).toEqual([1, 1, 1]);
  });

  it('lifetimeRevenue and counts are all time', () => {
    const m = one([
      won({ company: '1', amount: 100, closedDaysAgo: 5 }),
      won({ company: '1', amount: 200, closedDaysAgo: 2000 }),
      lost({ company: '1', closedDaysAgo: 3000 }),
      lost({ company: '1', closedDaysAgo: 10 }),
    ]).metrics;
    expect(m.lifetimeRevenue).toBe(300);
    expect(m.wonCount).toBe(2);
    expect(m.lostCount).toBe(2);
    expect(m.openCount).toBe(0);
  });
});

describe('§2 growth', () => {
  it.each([
    { ttm: 5_000_000, prev: 4_000_000, growth: 0.25 },
    { ttm: 3_000, prev: 4_000, growth: -0.25 },
    { ttm: 0, prev: 4_000, growth: -1 },
    { ttm: 4_000, prev: 0, growth: null },
    { ttm: 0, prev: 0, growth: null },
  ])('TTM $ttm vs previous $prev → $growth', ({ ttm, prev, growth }) => {
    const deals: CrmObject[] = [];
    if (ttm > 0) deals.push(won({ company: '1', amount: ttm, closedDaysAgo: 30 }));
    if (prev > 0) deals.push(won({ company: '1', amount: prev, closedDaysAgo: 400 }));
    const m = one(deals).metrics;
    if (growth === null) expect(m.growth).toBeNull();
    else expect(m.growth).toBeCloseTo(growth, 12);
  });

  it('the growth explanation reads like "+25% (5.0M vs 4.0M)"', () => {
    const c = one([
      won({ company: '1', amount: 5_000_000, closedDaysAgo: 30 }),
      won({ company: '1', amount: 4_000_000, closedDaysAgo: 400 }),
    ]);
    const texts = Object.values(c.explanations).map((explanation) => explanation.text);
    expect(texts.some((text) => text.includes('+25% (5.0M vs 4.0M)'))).toBe(true);
    const growth = c.explanations.growth;
    expect(growth?.rule).toBe('metric.growth');
    expect(growth?.inputs).toMatchObject({ revenueTtm: 5_000_000, revenuePrev: 4_000_000 });
  });
});

describe('§2 profitTtm', () => {
  it('is null while no profit property is mapped', () => {
    expect(one([won({ company: '1', closedDaysAgo: 5 })]).metrics.profitTtm).toBeNull();
  });

  it('sums the mapped property over TTM won deals only', () => {
    const deals = [
      won({ company: '1', amount: 1000, closedDaysAgo: 5, props: { margin_amount: '300' } }),
      won({ company: '1', amount: 1000, closedDaysAgo: 400, props: { margin_amount: '999' } }),
      lost({ company: '1', amount: 1000, closedDaysAgo: 5, props: { margin_amount: '999' } }),
    ];
    const result = score(
      portal([company('1')], deals),
      settingsWith({ profitProperty: 'margin_amount' }),
    );
    expect(companyOf(result, '1').metrics.profitTtm).toBe(300);
  });
});

describe('§2 winRate over (asOf − 2W, asOf]', () => {
  it.each([
    {
      name: '2 won + 1 lost inside 2W → 2/3',
      deals: () => [
        won({ company: '1', closedDaysAgo: 10 }),
        won({ company: '1', closedDaysAgo: 500 }),
        lost({ company: '1', closedDaysAgo: 700 }),
      ],
      winRate: 2 / 3,
    },
    {
      name: 'deals closed outside 2W do not count (lost exactly at asOf − 2W)',
      deals: () => [
        won({ company: '1', closedDaysAgo: 10 }),
        lost({ company: '1', closeMs: AS_OF - 730 * DAY }),
        lost({ company: '1', closedDaysAgo: 900 }),
      ],
      winRate: 1,
    },
    {
      name: 'only lost deals → 0',
      deals: () => [
        lost({ company: '1', closedDaysAgo: 10 }),
        lost({ company: '1', closedDaysAgo: 20 }),
      ],
      winRate: 0,
    },
    {
      name: 'no closed deal in 2W → null',
      deals: () => [
        won({ company: '1', closedDaysAgo: 800 }),
        open({ company: '1', probability: 0.5 }),
      ],
      winRate: null,
    },
    { name: 'no deals → null', deals: () => [], winRate: null },
  ])('$name', ({ deals, winRate }) => {
    const m = one(deals()).metrics;
    if (winRate === null) expect(m.winRate).toBeNull();
    else expect(m.winRate).toBeCloseTo(winRate, 12);
  });
});

describe('§2 pipelineWeighted', () => {
  it('sums amount × hs_deal_stage_probability over open deals only', () => {
    const m = one([
      open({ company: '1', amount: 10_000, probability: 0.4 }),
      open({ company: '1', amount: 20_000, probability: 0.25 }),
      won({
        company: '1',
        amount: 50_000,
        closedDaysAgo: 5,
        props: { hs_deal_stage_probability: '1' },
      }),
      lost({
        company: '1',
        amount: 50_000,
        closedDaysAgo: 5,
        props: { hs_deal_stage_probability: '0.5' },
      }),
    ]).metrics;
    expect(m.pipelineWeighted).toBeCloseTo(9_000, 9);
  });

  it('is 0 (not null) for a company without deals', () => {
    expect(one([]).metrics.pipelineWeighted).toBe(0);
    expect(one([]).metrics.revenueTtm).toBe(0);
  });

  it('a split open deal is weighted by the fraction', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          open({
            associations: [...unlabeled('1'), ...unlabeled('2')],
            amount: 1000,
            probability: 0.5,
          }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.pipelineWeighted).toBeCloseTo(250, 9);
  });
});

describe('§2 tenureDays / recencyDays: whole days, floor', () => {
  it.each([
    { first: 800.9, last: 10.5, tenure: 800, recency: 10 },
    { first: 730, last: 0, tenure: 730, recency: 0 },
    { first: 729.99, last: 0.99, tenure: 729, recency: 0 },
    { first: 1.0001, last: 1.0001, tenure: 1, recency: 1 },
  ])('first won $first d ago, last $last d ago → tenure $tenure, recency $recency', (row) => {
    const m = one([
      won({ company: '1', closeMs: AS_OF - row.first * DAY }),
      won({ company: '1', closeMs: AS_OF - row.last * DAY }),
      lost({ company: '1', closedDaysAgo: 2000 }),
    ]).metrics;
    expect(m.tenureDays).toBe(row.tenure);
    expect(m.recencyDays).toBe(row.recency);
  });

  it('never won → both null (lost deals do not count)', () => {
    const m = one([lost({ company: '1', closedDaysAgo: 100 })]).metrics;
    expect(m.tenureDays).toBeNull();
    expect(m.recencyDays).toBeNull();
  });
});

describe('§2 repeatRate: share of the last 8 UTC calendar quarters with a won deal', () => {
  // asOf 2026-08-15 is in Q3 2026; the 8 quarters are Q4 2024 … Q3 2026.
  const at = (text: string) => won({ company: '1', closeMs: Date.parse(text) });

  it.each([
    {
      name: 'one deal in asOf’s quarter → 1/8',
      deals: () => [at('2026-07-01T00:00:00Z')],
      rate: 1 / 8,
    },
    {
      name: 'quarter boundaries in UTC: 2026-06-30T23:59:59.999Z is Q2, 2026-07-01T00:00Z is Q3 → 2/8',
      deals: () => [at('2026-06-30T23:59:59.999Z'), at('2026-07-01T00:00:00Z')],
      rate: 2 / 8,
    },
    {
      name: 'oldest quarter starts 2024-10-01T00:00Z (in), 2024-09-30T23:59:59.999Z is out → 1/8',
      deals: () => [at('2024-10-01T00:00:00Z'), at('2024-09-30T23:59:59.999Z')],
      rate: 1 / 8,
    },
    {
      name: 'two deals in the same quarter count once → 1/8',
      deals: () => [at('2025-02-01T00:00:00Z'), at('2025-03-31T12:00:00Z')],
      rate: 1 / 8,
    },
    {
      name: 'every quarter → 1',
      deals: () =>
        [
          '2024-11-01',
          '2025-01-15',
          '2025-04-15',
          '2025-07-15',
          '2025-10-15',
          '2026-01-15',
          '2026-04-15',
          '2026-08-14',
        ].map((date) => at(`${date}T00:00:00Z`)),
      rate: 1,
    },
    {
      name: 'won only before the 8 quarters → 0',
      deals: () => [at('2023-01-01T00:00:00Z')],
      rate: 0,
    },
    {
      name: 'a won deal after asOf is not in asOf’s quarter',
      deals: () => [at('2026-08-20T00:00:00Z'), at('2026-01-15T00:00:00Z')],
      rate: 1 / 8,
    },
  ])('$name', ({ deals, rate }) => {
    expect(one(deals()).metrics.repeatRate).toBeCloseTo(rate, 12);
  });
});

describe('§2 productLines: distinct product-line values among won deals of the last 2W', () => {
  it('counts won deals of both windows, not older won, not lost or open', () => {
    const m = one([
      won({ company: '1', closedDaysAgo: 10, line: 'default' }),
      won({ company: '1', closedDaysAgo: 20, line: 'default' }),
      won({ company: '1', closedDaysAgo: 700, line: 'services' }),
      won({ company: '1', closedDaysAgo: 800, line: 'hardware' }),
      lost({ company: '1', closedDaysAgo: 10, line: 'software' }),
      open({ company: '1', probability: 0.5, line: 'training' }),
    ]).metrics;
    expect([...m.productLines].sort()).toEqual(['default', 'services']);
  });

  it('reads the admin-mapped product-line property', () => {
    const result = score(
      portal(
        [company('1')],
        [
          won({ company: '1', closedDaysAgo: 10, props: { product_family: 'A' } }),
          won({ company: '1', closedDaysAgo: 10, props: { product_family: 'B' } }),
          won({ company: '1', closedDaysAgo: 10, props: { product_family: 'B' } }),
        ],
      ),
      settingsWith({ productLineProperty: 'product_family' }),
    );
    expect([...companyOf(result, '1').metrics.productLines].sort()).toEqual(['A', 'B']);
  });

  it('a portal with 40 product lines: every company keeps each of its own, sorted', () => {
    const lines = Array.from(
      { length: 40 },
      (_, index) => `line ${String(index).padStart(2, '0')}`,
    );
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          ...lines.map((line) => won({ company: '1', closedDaysAgo: 10, line })),
          ...lines
            .filter((_, index) => index % 3 === 0)
            .reverse()
            .map((line) => won({ company: '2', closedDaysAgo: 10, line })),
          won({ company: '2', closedDaysAgo: 20, line: 'line 39' }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.productLines).toEqual(lines);
    expect(companyOf(result, '2').metrics.productLines).toEqual(
      lines.filter((_, index) => index % 3 === 0),
    );
  });
});

describe('§2 share = revenueTtm / portal revenueTtm (0 when the sum is 0)', () => {
  it('300 / 100 / 0 → 0.75 / 0.25 / 0', () => {
    const result = score(
      portal(
        [company('1'), company('2'), company('3')],
        [
          won({ company: '1', amount: 300, closedDaysAgo: 5 }),
          won({ company: '2', amount: 100, closedDaysAgo: 5 }),
          won({ company: '3', amount: 999, closedDaysAgo: 500 }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.share).toBeCloseTo(0.75, 12);
    expect(companyOf(result, '2').metrics.share).toBeCloseTo(0.25, 12);
    expect(companyOf(result, '3').metrics.share).toBe(0);
  });

  it('every share is 0 when the portal has no revenue in the window', () => {
    const result = score(portal([company('1'), company('2')], []));
    expect(result.companies.map((c) => c.metrics.share)).toEqual([0, 0]);
  });
});

describe('§2 daysSinceActivity and contacts', () => {
  it.each([
    { name: 'ISO 3.9 days ago → 3', value: iso(daysAgo(3.9)), expected: 3 },
    { name: 'epoch ms 100 days ago → 100', value: String(daysAgo(100)), expected: 100 },
    { name: 'date only, 2026-08-01 → 14', value: '2026-08-01', expected: 14 },
    { name: 'empty → null', value: '', expected: null },
  ])('notes_last_updated $name', ({ value, expected }) => {
    expect(one([], { notes_last_updated: value }).metrics.daysSinceActivity).toBe(expected);
  });

  it.each([
    { value: '', expected: null },
    { value: null, expected: null },
    { value: '0', expected: 0 },
    { value: '7', expected: 7 },
  ])('num_associated_contacts $value → $expected', ({ value, expected }) => {
    expect(one([], { num_associated_contacts: value }).metrics.contacts).toBe(expected);
  });
});

describe('§2 (v2) lostRecent: lost deals closed in the last 365 days', () => {
  it.each([
    { name: 'closed asOf − 365 d + 1 ms → counted', closeMs: AS_OF - 365 * DAY + 1, count: 1 },
    { name: 'closed exactly asOf − 365 d → not counted', closeMs: AS_OF - 365 * DAY, count: 0 },
    { name: 'closed after asOf → not counted', closeMs: AS_OF + DAY, count: 0 },
  ])('$name', ({ closeMs, count }) => {
    expect(one([lost({ company: '1', closeMs })]).metrics.lostRecent).toBe(count);
  });

  it('T2 counts the last 180 days of them: 181 days ago is in lostRecent only', () => {
    const m = one([
      lost({ company: '1', closedDaysAgo: 181 }),
      lost({ company: '1', closedDaysAgo: 179 }),
    ]).metrics;
    expect(m.lostRecent).toBe(2);
    expect(m.lostLast180Days).toBe(1);
  });
});

describe('§2 (v2) salesCycleDays: median of (closedate − createdate) of won deals of the last 2W', () => {
  const cycle = (closedDaysAgo: number, days: number): CrmObject =>
    won({ company: '1', closedDaysAgo, props: { createdate: iso(daysAgo(closedDaysAgo + days)) } });

  it.each([
    { name: 'one deal of 40 days', deals: [cycle(10, 40)], median: 40 },
    {
      name: 'odd count: the middle one',
      deals: [cycle(10, 40), cycle(20, 10), cycle(30, 90)],
      median: 40,
    },
    {
      name: 'even count: the mean of the middle two',
      deals: [cycle(10, 40), cycle(20, 10)],
      median: 25,
    },
    { name: 'whole days by floor: 40.9 days → 40', deals: [cycle(10.5, 40.9)], median: 40 },
    { name: 'a deal won 730 days ago is outside 2W', deals: [cycle(730, 40)], median: null },
    { name: 'a deal won 729 days ago is inside 2W', deals: [cycle(729, 40)], median: 40 },
    {
      name: 'lost and open deals have no sales cycle',
      deals: [
        lost({ company: '1', closedDaysAgo: 10, props: { createdate: iso(daysAgo(50)) } }),
        open({ company: '1', probability: 0.5 }),
      ],
      median: null,
    },
    {
      name: 'created after it closed: a data error, not a cycle',
      deals: [won({ company: '1', closedDaysAgo: 10, props: { createdate: iso(daysAgo(5)) } })],
      median: null,
    },
    {
      name: 'no createdate: no cycle',
      deals: [won({ company: '1', closedDaysAgo: 10, props: { createdate: null } })],
      median: null,
    },
  ])('$name → $median', ({ deals, median }) => {
    expect(one(deals).metrics.salesCycleDays).toBe(median);
  });
});

describe('§7 (v2) T2 competitors: kam_competitors names found in closed_lost_reason', () => {
  const lostTo = (reason: string, closedDaysAgo = 30): CrmObject =>
    lost({ company: '1', closedDaysAgo, props: { closed_lost_reason: reason } });
  const competitors = {
    kam_competitors: 'Globex: cheaper | slow support\nInitech\nUmbrella：本地化',
  };

  it.each([
    {
      name: 'case-insensitive, the name before the colon',
      reasons: ['lost to GLOBEX on price'],
      named: ['Globex'],
    },
    {
      name: 'several, in the order listed; each once',
      reasons: ['went with initech', 'Globex again', 'globex'],
      named: ['Globex', 'Initech'],
    },
    {
      name: 'a full-width colon ends the name too',
      reasons: ['选择了 Umbrella'],
      named: ['Umbrella'],
    },
    { name: 'no listed name in the reason', reasons: ['Budget cut'], named: [] },
  ])('$name', ({ reasons, named }) => {
    const m = one(
      reasons.map((reason) => lostTo(reason)),
      competitors,
    ).metrics;
    expect(m.lostToCompetitors).toEqual(named);
  });

  it('only the losses of the last 180 days name competitors', () => {
    expect(one([lostTo('Globex', 181)], competitors).metrics.lostToCompetitors).toEqual([]);
    expect(one([lostTo('Globex', 179)], competitors).metrics.lostToCompetitors).toEqual(['Globex']);
  });
});

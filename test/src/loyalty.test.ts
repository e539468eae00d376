/**
 * kam-model.md §5 (v2): relationship stage (first rule that applies),
 * loyalty from the seed's measures (null before it is measurable), the
 * volume × loyalty segment (null without loyalty; T1/T2 make an account
 * disloyal), and product breadth.
 */
import { describe, expect, it } from 'vitest';
import type { AccountMetrics } from '../../src/metrics.ts';
import { loyalty, productBreadth, relationshipStage, segment } from '../../src/loyalty.ts';
import type { Tier } from '../../src/settings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import {
  company,
  companyOf,
  lost,
  metrics,
  open,
  portal,
  score,
  settingsWith,
  won,
} from './builders.ts';

describe('§5 relationship stage: the first rule that applies', () => {
  it.each<{
    rule: string;
    m: Partial<AccountMetrics>;
    scale?: number | null;
    churnDays?: number;
    stage: string;
  }>([
    {
      rule: 'stage.lapsed.churned',
      m: { recencyDays: 366, tenureDays: 900, revenueTtm: 0, growth: -1, openCount: 0 },
      stage: 'lapsed',
    },
    {
      rule: 'stage.declining.inactive',
      m: { recencyDays: 365, tenureDays: 900, revenueTtm: 0, growth: null, openCount: 0 },
      stage: 'declining',
    },
    {
      rule: 'stage.declining.inactive',
      m: { recencyDays: 500, tenureDays: 900, revenueTtm: 0, growth: null, openCount: 1 },
      stage: 'declining',
    },
    {
      rule: 'stage.lapsed.churned',
      m: { recencyDays: 181, tenureDays: 400, openCount: 0 },
      churnDays: 180,
      stage: 'lapsed',
    },
    {
      rule: 'stage.lapsed.lost_only',
      m: { wonCount: 0, tenureDays: null, recencyDays: null, lostCount: 1, openCount: 0 },
      stage: 'lapsed',
    },
    {
      rule: 'stage.new.prospect',
      m: { wonCount: 0, tenureDays: null, recencyDays: null, lostCount: 0, openCount: 0 },
      stage: 'new',
    },
    {
      rule: 'stage.new.prospect',
      m: { wonCount: 0, tenureDays: null, recencyDays: null, lostCount: 3, openCount: 1 },
      stage: 'new',
    },
    { rule: 'stage.new.first_year', m: { tenureDays: 364 }, stage: 'new' },
    { rule: 'stage.steady.otherwise', m: { tenureDays: 365 }, stage: 'steady' },
    { rule: 'stage.declining.revenue', m: { growth: -0.2 }, stage: 'declining' },
    { rule: 'stage.steady.otherwise', m: { growth: -0.19 }, stage: 'steady' },
    { rule: 'stage.declining.inactive', m: { recencyDays: 274 }, stage: 'declining' },
    { rule: 'stage.steady.otherwise', m: { recencyDays: 273 }, stage: 'steady' },
    {
      rule: 'stage.partner.long_term',
      m: { tenureDays: 730, quartersWithWin: 6 },
      stage: 'partner',
    },
    { rule: 'stage.steady.otherwise', m: { tenureDays: 729, quartersWithWin: 6 }, stage: 'steady' },
    { rule: 'stage.steady.otherwise', m: { tenureDays: 730, quartersWithWin: 5 }, stage: 'steady' },
    {
      rule: 'stage.declining.revenue',
      m: { tenureDays: 1000, quartersWithWin: 8, growth: -0.3 },
      stage: 'declining',
    },
    { rule: 'stage.growing.revenue', m: { growth: 0.1 }, stage: 'growing' },
    { rule: 'stage.steady.otherwise', m: { growth: 0.09 }, stage: 'steady' },
    {
      rule: 'stage.partner.long_term',
      m: { tenureDays: 800, quartersWithWin: 7, growth: 0.5 },
      stage: 'partner',
    },
    { rule: 'stage.growing.pipeline', m: { pipelineWeighted: 50_000 }, stage: 'growing' },
    { rule: 'stage.steady.otherwise', m: { pipelineWeighted: 49_999 }, stage: 'steady' },
    {
      rule: 'stage.steady.otherwise',
      m: { pipelineWeighted: 0, revenueTtm: 0, growth: null },
      stage: 'steady',
    },
    { rule: 'stage.growing.underbought', m: {}, scale: 75, stage: 'growing' },
    { rule: 'stage.steady.otherwise', m: {}, scale: 74.9, stage: 'steady' },
    { rule: 'stage.steady.otherwise', m: {}, scale: null, stage: 'steady' },
  ])('$stage by $rule: $m, scale $scale', ({ rule, m, scale, churnDays, stage }) => {
    const settings = churnDays === undefined ? DEFAULT_SETTINGS : settingsWith({ churnDays });
    const result = relationshipStage(metrics(m), { size: 50, scale: scale ?? null }, settings);
    expect(result.value).toBe(stage);
    expect(result.explanation.rule).toBe(rule);
  });

  it('a steady account is told which conditions of partner and growing it did not meet', () => {
    const text = relationshipStage(
      metrics({ tenureDays: 500, growth: 0.03 }),
      { size: 50, scale: null },
      DEFAULT_SETTINGS,
    ).explanation.text;
    expect(text).toBe(
      'Steady: not a partner (customer for 500 days, under 730 days) and not growing (revenue +3%, under +10%; pipeline 0% of revenue)',
    );
  });

  it('end to end: won in 6 of 8 quarters over two years → partner; once 400 d ago → lapsed; lost only → lapsed; open only → new', () => {
    const quarters = [10, 100, 190, 280, 370, 460].map((days) =>
      won({ company: '1', closedDaysAgo: days }),
    );
    const result = score(
      portal(
        [company('1'), company('2'), company('3'), company('4')],
        [
          ...quarters,
          won({ company: '1', closedDaysAgo: 800 }),
          won({ company: '2', closedDaysAgo: 400 }),
          open({ company: '3', probability: 0.3 }),
          lost({ company: '4', closedDaysAgo: 30 }),
        ],
      ),
    );
    expect(companyOf(result, '1').stage).toBe('partner');
    expect(companyOf(result, '2').stage).toBe('lapsed');
    expect(companyOf(result, '3').stage).toBe('new');
    expect(companyOf(result, '4').stage).toBe('lapsed');
    expect(companyOf(result, '4').explanations.stage?.rule).toBe('stage.lapsed.lost_only');
  });
});

describe("§5 loyalty: the seed's measures, weighted", () => {
  const context = { overallGap: 0, medianSalesCycleDays: 30 };
  /** repeat 50 (30), trend 50 (20), rivals 100 (20), selection 66.7 (10), attitude 75 (20). */
  const base: Partial<AccountMetrics> = {
    tenureDays: 400,
    repeatRate: 0.5,
    quartersWithWin: 4,
    growth: 0,
    lostRecent: 0,
    salesCycleDays: 30,
  };
  const all = (30 * 50 + 20 * 50 + 20 * 100 + 10 * (200 / 3) + 20 * 75) / 100;

  it.each<{
    name: string;
    m: Partial<AccountMetrics>;
    gap?: number | null;
    median?: number | null;
    expected: number | null;
  }>([
    { name: 'all five present', m: {}, expected: all },
    { name: 'never won → not measurable', m: { tenureDays: null }, expected: null },
    { name: 'first year (364 d) → not measurable', m: { tenureDays: 364 }, expected: null },
    { name: 'a year exactly (365 d) → measurable', m: { tenureDays: 365 }, expected: all },
    { name: 'trend: growth +0.5 → 100', m: { growth: 0.5 }, expected: all + 0.2 * 50 },
    { name: 'trend: growth +0.9 is clamped to +0.5', m: { growth: 0.9 }, expected: all + 0.2 * 50 },
    { name: 'trend: growth −0.5 → 0', m: { growth: -0.5 }, expected: all - 0.2 * 50 },
    {
      name: 'trend absent without growth: weights renormalised',
      m: { growth: null },
      expected: (30 * 50 + 20 * 100 + 10 * (200 / 3) + 20 * 75) / 80,
    },
    { name: 'rivals: 1 deal lost in a year → 65', m: { lostRecent: 1 }, expected: all - 0.2 * 35 },
    { name: 'rivals: 2 lost → 30', m: { lostRecent: 2 }, expected: all - 0.2 * 70 },
    { name: 'rivals: 3 lost → 0, never below', m: { lostRecent: 3 }, expected: all - 0.2 * 100 },
    {
      name: 'selection: r = 0.5 → 100',
      m: { salesCycleDays: 15 },
      expected: all + 0.1 * (100 - 200 / 3),
    },
    { name: 'selection: r = 2 → 0', m: { salesCycleDays: 60 }, expected: all - 0.1 * (200 / 3) },
    {
      name: 'selection: r = 1.5 → 33.3',
      m: { salesCycleDays: 45 },
      expected: all + 0.1 * (100 / 3 - 200 / 3),
    },
    {
      name: 'selection absent when the median is 0',
      m: {},
      median: 0,
      expected: (30 * 50 + 20 * 50 + 20 * 100 + 20 * 75) / 90,
    },
    {
      name: 'selection absent without a sales cycle',
      m: { salesCycleDays: null },
      expected: (30 * 50 + 20 * 50 + 20 * 100 + 20 * 75) / 90,
    },
    {
      name: 'attitude absent without a survey',
      m: {},
      gap: null,
      expected: (30 * 50 + 20 * 50 + 20 * 100 + 10 * (200 / 3)) / 80,
    },
    { name: 'attitude: gap +1 → 100', m: {}, gap: 1, expected: all + 0.2 * 25 },
  ])('$name', ({ m, gap, median, expected }) => {
    const result = loyalty(
      metrics({ ...base, ...m }),
      {
        overallGap: gap === undefined ? context.overallGap : gap,
        medianSalesCycleDays: median === undefined ? context.medianSalesCycleDays : median,
      },
      DEFAULT_SETTINGS,
    );
    if (expected === null) {
      expect(result.value).toBeNull();
      expect(result.explanation.rule).toBe('loyalty.not_measurable');
    } else {
      expect(result.value).toBeCloseTo(expected, 6);
      expect(result.explanation.rule).toBe('loyalty.measures');
    }
  });

  it('tenure and recency are not loyalty: an old customer that stopped buying is not loyal for it', () => {
    const recent = loyalty(metrics({ ...base, recencyDays: 5 }), context, DEFAULT_SETTINGS);
    const old = loyalty(
      metrics({ ...base, tenureDays: 3000, recencyDays: 300 }),
      context,
      DEFAULT_SETTINGS,
    );
    expect(old.value).toBe(recent.value);
  });

  it('the weights are a setting', () => {
    const settings = settingsWith({
      loyaltyWeights: { repeat: 100, trend: 0, rivals: 0, selection: 0, attitude: 0 },
    });
    expect(loyalty(metrics(base), context, settings).value).toBeCloseTo(50, 9);
  });

  it('names every factor with its evidence, rounded as shown', () => {
    const text = loyalty(
      metrics({ ...base, growth: -0.37, lostRecent: 3 }),
      context,
      DEFAULT_SETTINGS,
    ).explanation.text;
    expect(text).toContain('trend 13 (revenue -37%)');
    expect(text).toContain('rivals 0 (3 deals lost in the last year)');
    expect(text).toContain('selection 66.7 (sales cycle 30 days against a portfolio median of 30)');
  });
});

describe('§5 segment: high volume = strategic or key; loyal = loyalty ≥ 60 and neither T1 nor T2', () => {
  it.each<{
    tier: Tier;
    loyalty: number | null;
    m?: Partial<AccountMetrics>;
    expected: string | null;
  }>([
    { tier: 'strategic', loyalty: 60, expected: 'core' },
    { tier: 'strategic', loyalty: 59.9, expected: 'at_risk' },
    { tier: 'key', loyalty: 100, m: { growth: -0.2 }, expected: 'at_risk' },
    { tier: 'key', loyalty: 100, m: { growth: -0.19 }, expected: 'core' },
    { tier: 'key', loyalty: 100, m: { lostLast180Days: 2 }, expected: 'at_risk' },
    { tier: 'key', loyalty: 100, m: { lostLast180Days: 1 }, expected: 'core' },
    { tier: 'key', loyalty: null, expected: null },
    { tier: 'standard', loyalty: 60, expected: 'rising_star' },
    { tier: 'standard', loyalty: 59.9, expected: 'low_value' },
    { tier: 'standard', loyalty: 90, m: { lostLast180Days: 3 }, expected: 'low_value' },
    { tier: 'transactional', loyalty: 80, expected: 'rising_star' },
    { tier: 'transactional', loyalty: 10, expected: 'low_value' },
    { tier: 'unrated', loyalty: 75, expected: 'rising_star' },
    { tier: 'unrated', loyalty: null, expected: null },
  ])('$tier, loyalty $loyalty, $m → $expected', ({ tier, loyalty: value, m, expected }) => {
    const result = segment(tier, value, metrics(m ?? {}), DEFAULT_SETTINGS);
    expect(result.value).toBe(expected);
    expect(result.explanation.rule).toBe(`segment.${expected ?? 'none'}`);
  });

  it('says why a loyal-looking account is not loyal', () => {
    const text = segment('key', 80, metrics({ growth: -0.37 }), DEFAULT_SETTINGS).explanation.text;
    expect(text).toBe(
      'Key account, loyalty 80 (≥ 60) but revenue -37% → at risk: high volume, not loyal — the most dangerous; retention plan',
    );
  });

  it.each([
    [50, 'core'],
    [49.9, 'at_risk'],
  ] as const)('threshold is a setting (50): key with loyalty %d → %s', (value, expected) => {
    expect(segment('key', value, metrics(), settingsWith({ loyaltyThreshold: 50 })).value).toBe(
      expected,
    );
  });
});

describe('§5 product breadth', () => {
  it.each([
    { lines: ['a'], breadth: 'specialised' },
    { lines: ['a', 'b'], breadth: 'comprehensive' },
    { lines: ['a', 'b', 'c'], breadth: 'comprehensive' },
  ])('$lines → $breadth', ({ lines, breadth }) => {
    expect(productBreadth(lines, (line) => line).value).toBe(breadth);
  });

  it('end to end: two product lines in the last 2W → comprehensive', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          won({ company: '1', closedDaysAgo: 10, line: 'a' }),
          won({ company: '1', closedDaysAgo: 600, line: 'b' }),
          won({ company: '2', closedDaysAgo: 10, line: 'a' }),
          won({ company: '2', closedDaysAgo: 800, line: 'b' }),
        ],
      ),
    );
    expect(companyOf(result, '1').breadth).toBe('comprehensive');
    expect(companyOf(result, '2').breadth).toBe('specialised');
  });
});

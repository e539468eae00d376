/**
 * kam-model.md §5: relationship stage (first rule that applies), loyalty
 * (mean of the present values), the volume × loyalty segment at the loyalty
 * threshold 60, and product breadth.
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

describe('§5 relationship stage', () => {
  it.each<{ name: string; m: Partial<AccountMetrics>; churnDays?: number; stage: string }>([
    {
      name: 'new: never won (lost deals only)',
      m: { wonCount: 0, recencyDays: null, tenureDays: null, revenueTtm: 0, revenuePrev: 0 },
      stage: 'new',
    },
    {
      name: 'lapsed: recency 366 > 365 and no open deal',
      m: { recencyDays: 366, tenureDays: 900, revenueTtm: 0, revenuePrev: 100, openCount: 0 },
      stage: 'lapsed',
    },
    {
      name: 'not lapsed at recency 365 exactly',
      m: { recencyDays: 365, tenureDays: 900, revenueTtm: 0, revenuePrev: 100, openCount: 0 },
      stage: 'developing',
    },
    {
      name: 'not lapsed with an open deal',
      m: { recencyDays: 500, tenureDays: 900, revenueTtm: 0, revenuePrev: 0, openCount: 1 },
      stage: 'developing',
    },
    {
      name: 'churnDays is a setting: 181 > 180 → lapsed',
      m: { recencyDays: 181, tenureDays: 300, revenueTtm: 100, revenuePrev: 0, openCount: 0 },
      churnDays: 180,
      stage: 'lapsed',
    },
    {
      name: 'partner: tenure 730 and revenue in both windows',
      m: { tenureDays: 730, recencyDays: 10, revenueTtm: 100, revenuePrev: 100 },
      stage: 'partner',
    },
    {
      name: 'not partner at tenure 729',
      m: { tenureDays: 729, recencyDays: 10, revenueTtm: 100, revenuePrev: 100 },
      stage: 'developing',
    },
    {
      name: 'not partner without revenue in the previous window',
      m: { tenureDays: 1000, recencyDays: 10, revenueTtm: 100, revenuePrev: 0 },
      stage: 'developing',
    },
    {
      name: 'not partner without revenue in the current window',
      m: { tenureDays: 1000, recencyDays: 200, revenueTtm: 0, revenuePrev: 100 },
      stage: 'developing',
    },
    {
      name: 'lapsed comes before partner',
      m: { tenureDays: 1000, recencyDays: 400, revenueTtm: 0, revenuePrev: 0, openCount: 0 },
      stage: 'lapsed',
    },
  ])('$name', ({ m, churnDays, stage }) => {
    const settings = churnDays === undefined ? DEFAULT_SETTINGS : settingsWith({ churnDays });
    const result = relationshipStage(metrics(m), settings);
    expect(result.value).toBe(stage);
    expect(result.explanation.rule).toBeTruthy();
  });

  it('end to end: won 800 d and 400 d and 10 d ago → partner; won once 400 d ago → lapsed', () => {
    const result = score(
      portal(
        [company('1'), company('2'), company('3')],
        [
          won({ company: '1', closedDaysAgo: 800 }),
          won({ company: '1', closedDaysAgo: 400 }),
          won({ company: '1', closedDaysAgo: 10 }),
          won({ company: '2', closedDaysAgo: 400 }),
          open({ company: '3', probability: 0.3 }),
        ],
      ),
    );
    expect(companyOf(result, '1').stage).toBe('partner');
    expect(companyOf(result, '2').stage).toBe('lapsed');
    expect(companyOf(result, '3').stage).toBe('new');
  });
});

describe('§5 loyalty = mean of the present values', () => {
  it.each<{
    name: string;
    m: Partial<AccountMetrics>;
    gap: number | null;
    expected: number | null;
  }>([
    {
      name: 'all five: repeat 50, tenure 50, recency 100, win 60, satisfaction 75',
      m: { repeatRate: 0.5, tenureDays: 365, recencyDays: 90, winRate: 0.6 },
      gap: 0,
      expected: (50 + 50 + 100 + 60 + 75) / 5,
    },
    {
      name: 'win and satisfaction absent: mean of three',
      m: { repeatRate: 0.5, tenureDays: 365, recencyDays: 90, winRate: null },
      gap: null,
      expected: (50 + 50 + 100) / 3,
    },
    {
      name: 'recency 228 d → 49.82; tenure 730 → 100; repeat 0 → 0 (present)',
      m: { repeatRate: 0, tenureDays: 730, recencyDays: 228, winRate: null },
      gap: null,
      expected: (0 + 100 + (137 / 275) * 100) / 3,
    },
    {
      name: 'never won, lost only: win 0 is the only value',
      m: { repeatRate: null, tenureDays: null, recencyDays: null, winRate: 0 },
      gap: null,
      expected: 0,
    },
    {
      name: 'nothing present → null',
      m: { repeatRate: null, tenureDays: null, recencyDays: null, winRate: null },
      gap: null,
      expected: null,
    },
  ])('$name', ({ m, gap, expected }) => {
    const result = loyalty(metrics(m), gap);
    if (expected === null) expect(result.value).toBeNull();
    else expect(result.value).toBeCloseTo(expected, 1);
    expect(result.explanation.rule).toBeTruthy();
  });
});

describe('§5 segment: high volume = strategic or key; loyal = loyalty ≥ 60', () => {
  it.each<{ tier: Tier; loyalty: number | null; expected: string }>([
    { tier: 'strategic', loyalty: 60, expected: 'core' },
    { tier: 'strategic', loyalty: 59.9, expected: 'at_risk' },
    { tier: 'key', loyalty: 100, expected: 'core' },
    { tier: 'key', loyalty: null, expected: 'at_risk' },
    { tier: 'standard', loyalty: 60, expected: 'rising_star' },
    { tier: 'standard', loyalty: 59.9, expected: 'low_value' },
    { tier: 'transactional', loyalty: 80, expected: 'rising_star' },
    { tier: 'transactional', loyalty: 10, expected: 'low_value' },
    { tier: 'unrated', loyalty: 75, expected: 'rising_star' },
    { tier: 'unrated', loyalty: null, expected: 'low_value' },
  ])('$tier with loyalty $loyalty → $expected', ({ tier, loyalty: value, expected }) => {
    const result = segment(tier, value, DEFAULT_SETTINGS);
    expect(result.value).toBe(expected);
    expect(result.explanation.text.length).toBeGreaterThan(0);
  });

  it.each([
    [50, 'core'],
    [49.9, 'at_risk'],
  ] as const)('threshold is a setting (50): key with loyalty %d → %s', (value, expected) => {
    expect(segment('key', value, settingsWith({ loyaltyThreshold: 50 })).value).toBe(expected);
  });
});

describe('§5 segment end to end at the loyalty threshold', () => {
  /**
   * One company (strategic, share 1), no survey:
   *   repeat: won in Q4 2025 and Q3 2026 → 2/8 → 25
   *   tenure 291 d → 291/730 × 100 = 39.863; recency 10 d → 100; win 3/4 → 75
   *   loyalty = (25 + 39.863 + 100 + 75) / 4 = 59.966 < 60 → not loyal → at_risk
   */
  it('loyalty 59.97 is below 60: a strategic account is at_risk (and A2 fires)', () => {
    const one = companyOf(
      score(
        portal(
          [company('1')],
          [
            won({ company: '1', closedDaysAgo: 291 }),
            won({ company: '1', closedDaysAgo: 20 }),
            won({ company: '1', closedDaysAgo: 10 }),
            lost({ company: '1', closedDaysAgo: 30 }),
          ],
        ),
      ),
      '1',
    );
    expect(one.tier).toBe('strategic');
    expect(one.loyalty).toBeCloseTo((25 + (291 / 730) * 100 + 100 + 75) / 4, 1);
    expect(one.segment).toBe('at_risk');
    expect(one.actions.some((action) => action.ruleId === 'A2')).toBe(true);
  });

  /**
   *   repeat: Q3 2025, Q4 2025, Q1 2026, Q3 2026 → 4/8 → 50
   *   tenure exactly 365 d → 50; recency 10 d → 100; win 4/(4 + 6) → 40
   *   loyalty = (50 + 50 + 100 + 40) / 4 = 60 → loyal → core
   */
  it('loyalty exactly 60 is loyal: a strategic account is core', () => {
    const one = companyOf(
      score(
        portal(
          [company('1')],
          [
            won({ company: '1', closedDaysAgo: 365 }),
            won({ company: '1', closeMs: Date.parse('2025-11-15T00:00:00Z') }),
            won({ company: '1', closeMs: Date.parse('2026-02-15T00:00:00Z') }),
            won({ company: '1', closedDaysAgo: 10 }),
            ...[40, 50, 60, 70, 80, 90].map((days) => lost({ company: '1', closedDaysAgo: days })),
          ],
        ),
      ),
      '1',
    );
    expect(one.loyalty).toBeCloseTo(60, 6);
    expect(one.segment).toBe('core');
  });
});

describe('§5 product breadth', () => {
  it.each([
    { lines: ['a'], breadth: 'specialised' },
    { lines: ['a', 'b'], breadth: 'comprehensive' },
    { lines: ['a', 'b', 'c'], breadth: 'comprehensive' },
  ])('$lines → $breadth', ({ lines, breadth }) => {
    expect(productBreadth(lines).value).toBe(breadth);
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

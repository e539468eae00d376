/**
 * kam-model.md §4: factor mappings of attractiveness and relative strength,
 * renormalised weights (absent, not zero), kam_score and its grade at the
 * 80/60/40 cut-offs, the GE matrix at 67/33 and its strategy per cell.
 */
import { describe, expect, it } from 'vitest';
import type { AccountPercentiles } from '../../src/matrix.ts';
import {
  attractiveness,
  gradeAccount,
  gradeOf,
  matrixLevel,
  matrixPosition,
  strength,
} from '../../src/matrix.ts';
import type { AccountMetrics } from '../../src/metrics.ts';
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

const PERCENTILES: AccountPercentiles = {
  size: 50,
  potential: 50,
  scale: 50,
  scaleBasis: 'annualrevenue',
};

const onlyAttractiveness = (factor: 'growth' | 'profitability') =>
  settingsWith({
    attractivenessWeights: {
      size: 0,
      growth: factor === 'growth' ? 100 : 0,
      potential: 0,
      profitability: factor === 'profitability' ? 100 : 0,
      scale: 0,
    },
  });

type StrengthFactor = 'win' | 'tenure' | 'repeat' | 'breadth' | 'satisfaction' | 'recency';
const onlyStrength = (factor: StrengthFactor) =>
  settingsWith({
    strengthWeights: {
      win: 0,
      tenure: 0,
      repeat: 0,
      breadth: 0,
      satisfaction: 0,
      recency: 0,
      [factor]: 100,
    },
  });

describe('§4 attractiveness factor mappings', () => {
  it.each([
    { growth: 2, expected: 100 },
    { growth: 1, expected: 100 },
    { growth: 0.25, expected: 50 },
    { growth: 0, expected: 100 / 3 },
    { growth: -0.5, expected: 0 },
    { growth: -0.8, expected: 0 },
  ])('growth $growth → (clamp + 0.5) / 1.5 × 100 = $expected', ({ growth, expected }) => {
    const result = attractiveness(metrics({ growth }), PERCENTILES, onlyAttractiveness('growth'));
    expect(result.value).toBeCloseTo(expected, 1);
  });

  it.each([
    { profit: 25, revenue: 100, expected: 50 },
    { profit: 50, revenue: 100, expected: 100 },
    { profit: 80, revenue: 100, expected: 100 },
    { profit: 0, revenue: 100, expected: 0 },
    { profit: -10, revenue: 100, expected: 0 },
    { profit: 10, revenue: 0, expected: null },
    { profit: null, revenue: 100, expected: null },
  ])('profitability $profit / $revenue → $expected', ({ profit, revenue, expected }) => {
    const result = attractiveness(
      metrics({ profitTtm: profit, revenueTtm: revenue }),
      PERCENTILES,
      onlyAttractiveness('profitability'),
    );
    if (expected === null) expect(result.value).toBeNull();
    else expect(result.value).toBeCloseTo(expected, 1);
  });

  it('size, potential and scale are the percentiles; default weights 30/20/20/15/15', () => {
    const result = attractiveness(
      metrics({ growth: 0.25, profitTtm: 25, revenueTtm: 100 }),
      { size: 80, potential: 40, scale: 60, scaleBasis: 'numberofemployees' },
      DEFAULT_SETTINGS,
    );
    // 30×80 + 20×50 + 20×40 + 15×50 + 15×60 = 2400 + 1000 + 800 + 750 + 900 = 5850
    expect(result.value).toBeCloseTo(58.5, 1);
    expect(result.explanation.absent).toEqual([]);
  });

  it('absent factors are left out, not counted as zero', () => {
    const result = attractiveness(
      metrics({ growth: null, profitTtm: null }),
      { size: 80, potential: 40, scale: null, scaleBasis: null },
      DEFAULT_SETTINGS,
    );
    // (30×80 + 20×40) / 50 = 64 (as zeros it would be 32)
    expect(result.value).toBeCloseTo(64, 1);
    expect([...result.explanation.absent].sort()).toEqual(['growth', 'profitability', 'scale']);
  });
});

describe('§4 relative strength factor mappings', () => {
  it.each<{ factor: StrengthFactor; m: Partial<AccountMetrics>; gap?: number; expected: number }>([
    { factor: 'win', m: { winRate: 0.45 }, expected: 45 },
    { factor: 'win', m: { winRate: 0 }, expected: 0 },
    { factor: 'tenure', m: { tenureDays: 0 }, expected: 0 },
    { factor: 'tenure', m: { tenureDays: 365 }, expected: 50 },
    { factor: 'tenure', m: { tenureDays: 729 }, expected: (729 / 730) * 100 },
    { factor: 'tenure', m: { tenureDays: 730 }, expected: 100 },
    { factor: 'tenure', m: { tenureDays: 1000 }, expected: 100 },
    { factor: 'repeat', m: { repeatRate: 0.375 }, expected: 37.5 },
    { factor: 'breadth', m: { contacts: 0 }, expected: 0 },
    { factor: 'breadth', m: { contacts: 2 }, expected: 40 },
    { factor: 'breadth', m: { contacts: 5 }, expected: 100 },
    { factor: 'breadth', m: { contacts: 9 }, expected: 100 },
    { factor: 'satisfaction', m: {}, gap: -4, expected: 0 },
    { factor: 'satisfaction', m: {}, gap: -3, expected: 0 },
    { factor: 'satisfaction', m: {}, gap: -1, expected: 50 },
    { factor: 'satisfaction', m: {}, gap: 0, expected: 75 },
    { factor: 'satisfaction', m: {}, gap: 1, expected: 100 },
    { factor: 'satisfaction', m: {}, gap: 2, expected: 100 },
    { factor: 'recency', m: { recencyDays: 0 }, expected: 100 },
    { factor: 'recency', m: { recencyDays: 90 }, expected: 100 },
    { factor: 'recency', m: { recencyDays: 91 }, expected: (274 / 275) * 100 },
    { factor: 'recency', m: { recencyDays: 228 }, expected: (137 / 275) * 100 },
    { factor: 'recency', m: { recencyDays: 364 }, expected: (1 / 275) * 100 },
    { factor: 'recency', m: { recencyDays: 365 }, expected: 0 },
    { factor: 'recency', m: { recencyDays: 400 }, expected: 0 },
  ])('$factor $m gap=$gap → $expected', ({ factor, m, gap, expected }) => {
    const result = strength(metrics(m), gap ?? null, onlyStrength(factor));
    expect(result.value).toBeCloseTo(expected, 1);
  });

  it.each<{ factor: StrengthFactor; m: Partial<AccountMetrics> }>([
    { factor: 'win', m: { winRate: null } },
    { factor: 'tenure', m: { tenureDays: null } },
    { factor: 'repeat', m: { repeatRate: null } },
    { factor: 'breadth', m: { contacts: null } },
    { factor: 'satisfaction', m: {} },
    { factor: 'recency', m: { recencyDays: null } },
  ])('$factor with a null input is absent (alone → no score)', ({ factor, m }) => {
    const result = strength(metrics(m), null, onlyStrength(factor));
    expect(result.value).toBeNull();
    expect(result.explanation.absent).toContain(factor);
  });

  it('absent, not zero: only win 0.5, tenure 400 d, repeat 0.25 and recency 30 d present', () => {
    const result = strength(metrics({ winRate: 0.5, contacts: null }), null, DEFAULT_SETTINGS);
    // (20×50 + 15×400/730×100 + 15×25 + 15×100) / 65
    const expected = (1000 + 15 * (400 / 730) * 100 + 375 + 1500) / 65;
    expect(result.value).toBeCloseTo(expected, 1);
    expect([...result.explanation.absent].sort()).toEqual(['breadth', 'satisfaction']);
  });
});

describe('§4 kam_score grade: ≥80 A, ≥60 B, ≥40 C, else D', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79.9, 'B'],
    [60, 'B'],
    [59.9, 'C'],
    [40, 'C'],
    [39.9, 'D'],
    [0, 'D'],
  ] as const)('score %d → %s', (value, grade) => {
    expect(gradeOf(value)).toBe(grade);
  });

  it.each([
    { a: 80, s: 80, score: 80, grade: 'A' },
    { a: 90, s: 70, score: 80, grade: 'A' },
    { a: 90, s: 69.8, score: 79.9, grade: 'B' },
    // The grade reads the score itself: 79.95 is below 80, whatever it rounds to.
    { a: 80, s: 79.9, score: 79.95, grade: 'B' },
    { a: 60, s: 60, score: 60, grade: 'B' },
    { a: 59.8, s: 60, score: 59.9, grade: 'C' },
    { a: 50, s: 30, score: 40, grade: 'C' },
    { a: 39.8, s: 40, score: 39.9, grade: 'D' },
  ])('0.5 × $a + 0.5 × $s = $score → $grade', ({ a, s, score: expected, grade }) => {
    const result = gradeAccount(a, s, DEFAULT_SETTINGS);
    expect(result.score).toBeCloseTo(expected, 6);
    expect(result.grade).toBe(grade);
    expect(result.explanation.text).toContain(grade);
  });

  it('score weights are configurable (70/30)', () => {
    const result = gradeAccount(
      100,
      0,
      settingsWith({ scoreWeights: { attractiveness: 70, strength: 30 } }),
    );
    expect(result.score).toBeCloseTo(70, 6);
    expect(result.grade).toBe('B');
  });
});

describe('§4 matrix: high ≥ 67, medium ≥ 33, else low; attractiveness first', () => {
  it.each([
    [100, 'high'],
    [67, 'high'],
    [66.9, 'medium'],
    [33, 'medium'],
    [32.9, 'low'],
    [0, 'low'],
  ] as const)('%d → %s', (value, level) => {
    expect(matrixLevel(value)).toBe(level);
  });

  it.each([
    { a: 67, s: 67, strategy: 'invest' },
    { a: 67, s: 33, strategy: 'invest' },
    { a: 33, s: 67, strategy: 'invest' },
    { a: 67, s: 32.9, strategy: 'selective' },
    { a: 33, s: 33, strategy: 'selective' },
    { a: 32.9, s: 67, strategy: 'selective' },
    { a: 66.9, s: 32.9, strategy: 'harvest' },
    { a: 32.9, s: 66.9, strategy: 'harvest' },
    { a: 0, s: 0, strategy: 'harvest' },
  ])('attractiveness $a × strength $s → $strategy', ({ a, s, strategy }) => {
    const position = matrixPosition(a, s);
    expect(position.strategy).toBe(strategy);
    expect(position.explanation.text).toContain(strategy);
  });
});

describe('§4 end to end', () => {
  /**
   * Company 1: won 300k 10 d ago, 200k 400 d ago, lost 50 d ago, open 100k at 0.5,
   * 4 contacts, annualrevenue 10M; company 2: won 100k 100 d ago, annualrevenue 1M.
   *   attractiveness 1: size 100, growth 66.67, potential 100, scale 100 → 7833.33 / 85 = 92.16
   *   strength 1: win 2/3 → 66.67, tenure 400/730 → 54.79, repeat 2/8 → 25,
   *     breadth 4/5 → 80, recency 10 d → 100; satisfaction absent
   *     → (20×66.67 + 15×54.79 + 15×25 + 15×80 + 15×100) / 80 = 65.38
   *   score 0.5 × 92.16 + 0.5 × 65.38 = 78.77 → B; (high, medium) → invest
   */
  const result = () =>
    score(
      portal(
        [
          company('1', { annualrevenue: '10000000', num_associated_contacts: '4' }),
          company('2', { annualrevenue: '1000000' }),
        ],
        [
          won({ company: '1', amount: 300_000, closedDaysAgo: 10 }),
          won({ company: '1', amount: 200_000, closedDaysAgo: 400 }),
          lost({ company: '1', amount: 10_000, closedDaysAgo: 50 }),
          open({ company: '1', amount: 100_000, probability: 0.5 }),
          won({ company: '2', amount: 100_000, closedDaysAgo: 100 }),
        ],
      ),
    );
  const strengthOne = (20 * (200 / 3) + 15 * (400 / 730) * 100 + 15 * 25 + 15 * 80 + 15 * 100) / 80;
  const attractivenessOne = (3000 + 20 * (200 / 3) + 2000 + 1500) / 85;

  it('company 1: attractiveness 92.16, strength 65.38, score 78.77 (B), invest', () => {
    const one = companyOf(result(), '1');
    expect(one.attractiveness).toBeCloseTo(attractivenessOne, 1);
    expect(one.strength).toBeCloseTo(strengthOne, 1);
    expect(one.score).toBeCloseTo((attractivenessOne + strengthOne) / 2, 1);
    expect(one.grade).toBe('B');
    expect(one.strategy).toBe('invest');
  });

  it('every score explanation names its factors and the absent ones', () => {
    const one = companyOf(result(), '1');
    const explanation = one.explanations.strength;
    expect(explanation?.rule).toBeTruthy();
    expect(explanation?.text).toMatch(/\d/);
    expect(explanation?.inputs).toMatchObject({ win: expect.closeTo(66.7, 0) as unknown });
    expect(one.explanations.strength).toMatchObject({ absent: ['satisfaction'] });
  });
});

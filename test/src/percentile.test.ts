/**
 * kam-model.md §4 percentiles: (count strictly lower + 0.5 × count equal,
 * excluding itself) / (n − 1) × 100; 50 when n = 1; over the companies that
 * have a value. And how they feed size, potential and scale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileRanks } from '../../src/percentile.ts';
import { company, companyOf, open, portal, score, settingsWith, won } from './builders.ts';

describe('§4 percentileRanks', () => {
  it.each<{ name: string; values: (number | null)[]; expected: (number | null)[] }>([
    { name: 'n = 1 → 50', values: [123], expected: [50] },
    { name: 'n = 1 among nulls → 50', values: [null, 7, null], expected: [null, 50, null] },
    { name: 'empty', values: [], expected: [] },
    { name: 'distinct, in order', values: [1, 2, 3, 4, 5], expected: [0, 25, 50, 75, 100] },
    { name: 'distinct, shuffled', values: [30, 10, 20], expected: [100, 0, 50] },
    { name: 'ties: [10, 20, 20, null]', values: [10, 20, 20, null], expected: [0, 75, 75, null] },
    { name: 'all equal → 50 each', values: [5, 5, 5, 5], expected: [50, 50, 50, 50] },
    { name: 'two equal → 50 each', values: [0, 0], expected: [50, 50] },
    {
      name: 'ties in the middle: [1, 2, 2, 2, 3]',
      // 2: (1 lower + 0.5 × 2 other equal) / 4 = 0.5
      values: [1, 2, 2, 2, 3],
      expected: [0, 50, 50, 50, 100],
    },
    {
      name: 'negatives sort numerically',
      values: [-5, 0, 5, -10],
      expected: [100 / 3, 200 / 3, 100, 0],
    },
    {
      name: 'numeric, not lexicographic, order',
      values: [9, 10, 100],
      expected: [0, 50, 100],
    },
    {
      name: 'zero counts as a value (companies without deals have revenueTtm 0)',
      values: [0, 0, 0, 100],
      // 0: (0 + 0.5 × 2) / 3
      expected: [100 / 3, 100 / 3, 100 / 3, 100],
    },
  ])('$name', ({ values, expected }) => {
    const actual = percentileRanks(values);
    expect(actual).toHaveLength(expected.length);
    expected.forEach((value, index) => {
      if (value === null) expect(actual[index]).toBeNull();
      else expect(actual[index]).toBeCloseTo(value, 9);
    });
  });

  it('any population: each rank is exactly the definition, counted one value at a time', () => {
    const value = fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })), {
      nil: null,
    });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        const present = values.filter((other): other is number => other !== null);
        const expected = values.map((own) => {
          if (own === null) return null;
          if (present.length === 1) return 50;
          const lower = present.filter((other) => other < own).length;
          const equalOthers = present.filter((other) => other === own).length - 1;
          return ((lower + 0.5 * equalOthers) / (present.length - 1)) * 100;
        });
        expect(percentileRanks(values)).toEqual(expected);
      }),
    );
  });
});

/**
 * Portal: A (id 1) won 300k 10 d ago and 200k 400 d ago, open 100k at 0.5,
 * annualrevenue 10M; B (id 2) won 100k 100 d ago, annualrevenue 1M; C (id 3)
 * no deals, 50 employees only.
 *   size (revenueTtm 300k/100k/0):  A 100, B 50, C 0
 *   potential (50k/0/0):            A 100, B 25, C 25
 *   growth: A (300−200)/200 = 0.5 → (0.5+0.5)/1.5 = 66.67; B, C absent
 *   scale: annualrevenue among A, B → A 100, B 0; C by employees, n = 1 → 50
 *   profitability: unmapped → absent
 */
function threeCompanies() {
  return portal(
    [
      company('1', { annualrevenue: '10000000', num_associated_contacts: '4' }),
      company('2', { annualrevenue: '1000000' }),
      company('3', { numberofemployees: '50' }),
    ],
    [
      won({ company: '1', amount: 300_000, closedDaysAgo: 10, props: { margin_amount: '60000' } }),
      won({ company: '1', amount: 200_000, closedDaysAgo: 400 }),
      open({ company: '1', amount: 100_000, probability: 0.5 }),
      won({ company: '2', amount: 100_000, closedDaysAgo: 100 }),
    ],
  );
}

describe('§4 attractiveness from percentiles, weights renormalised over factors present', () => {
  it('A = (30×100 + 20×66.67 + 20×100 + 15×100) / 85 = 92.16 (profitability absent)', () => {
    const a = companyOf(score(threeCompanies()), '1');
    expect(a.attractiveness).toBeCloseTo(7833.333 / 85, 1);
    expect(a.explanations.attractiveness?.rule).toBeTruthy();
  });

  it('B = (30×50 + 20×25 + 15×0) / 65 = 30.77 (growth and profitability absent)', () => {
    expect(companyOf(score(threeCompanies()), '2').attractiveness).toBeCloseTo(2000 / 65, 1);
  });

  it('C = (30×0 + 20×25 + 15×50) / 65 = 19.23 (scale from employees, n = 1 → 50)', () => {
    expect(companyOf(score(threeCompanies()), '3').attractiveness).toBeCloseTo(1250 / 65, 1);
  });

  it('profitability counts once mapped: A margin 60k/300k = 0.2 → 40; (7833.33 + 15×40) / 100', () => {
    const result = score(threeCompanies(), settingsWith({ profitProperty: 'margin_amount' }));
    expect(companyOf(result, '1').attractiveness).toBeCloseTo(8433.333 / 100, 1);
    // B has revenue and no margin value: profitTtm 0 → margin 0 → 0 (present, not absent).
    expect(companyOf(result, '2').attractiveness).toBeCloseTo(2000 / 80, 1);
    // C has no revenue: profitability absent.
    expect(companyOf(result, '3').attractiveness).toBeCloseTo(1250 / 65, 1);
  });

  it('scale falls back to employees over the companies that have employees', () => {
    // A now also has 100 employees; C (50 employees, no annualrevenue) ranks 0 among [100, 50].
    const input = threeCompanies();
    const withEmployees = {
      ...input,
      companies: input.companies.map((c) =>
        c.id === '1' ? { ...c, properties: { ...c.properties, numberofemployees: '100' } } : c,
      ),
    };
    const c = companyOf(score(withEmployees), '3');
    expect(c.attractiveness).toBeCloseTo(500 / 65, 1);
    // A still uses annualrevenue (percentile 100), unchanged.
    expect(companyOf(score(withEmployees), '1').attractiveness).toBeCloseTo(7833.333 / 85, 1);
  });

  it('a company with neither annualrevenue nor employees has scale absent (not 0)', () => {
    const result = score(
      portal([company('1'), company('2')], [won({ company: '1', amount: 100, closedDaysAgo: 5 })]),
    );
    // size: 1 → 100, 2 → 0; potential 50 each; growth, profitability, scale absent.
    expect(companyOf(result, '1').attractiveness).toBeCloseTo((30 * 100 + 20 * 50) / 50, 1);
    expect(companyOf(result, '2').attractiveness).toBeCloseTo((20 * 50) / 50, 1);
    expect(companyOf(result, '2').explanations.attractiveness).toMatchObject({
      absent: expect.arrayContaining(['scale', 'growth', 'profitability']) as unknown,
    });
  });
});

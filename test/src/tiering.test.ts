/**
 * kam-model.md §3: value tiers by `pareto` (cumulative share ranked above,
 * cut-offs 0.50/0.80/0.95, the account that crosses a cut-off belongs to the
 * higher tier, ties by lower HubSpot id) and by `thresholds`; the manual pin;
 * unrated; the portfolio's top-20% concentration.
 */
import { describe, expect, it } from 'vitest';
import type { RatedTier } from '../../src/settings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import type { TierInput } from '../../src/tiering.ts';
import { assignTiers, paretoCurve } from '../../src/tiering.ts';
import { round } from '../../src/format.ts';
import { company, companyOf, portal, score, settingsWith, won } from './builders.ts';

const accounts = (revenues: readonly number[], ids?: readonly string[]): TierInput[] =>
  revenues.map((revenueTtm, index) => ({
    companyId: ids?.[index] ?? String(index + 1),
    revenueTtm,
    tierOverride: null,
  }));

const tiersOf = (input: readonly TierInput[], settings = DEFAULT_SETTINGS): string[] => {
  const tiering = assignTiers(input, settings);
  return input.map((account) => tiering.byCompany.get(account.companyId)?.tier ?? 'missing');
};

describe('§3 pareto: before < 0.50 strategic, < 0.80 key, < 0.95 standard, else transactional', () => {
  it.each([
    {
      name: 'befores exactly 0.50 / 0.80 / 0.95 fall in the lower tier',
      revenues: [50, 30, 15, 5],
      tiers: ['strategic', 'key', 'standard', 'transactional'],
    },
    {
      name: 'crossing 0.50 from 0.49 (to 0.80) stays strategic',
      revenues: [49, 31, 15, 5],
      tiers: ['strategic', 'strategic', 'standard', 'transactional'],
    },
    {
      name: 'before 0.51 → key',
      revenues: [51, 29, 15, 5],
      tiers: ['strategic', 'key', 'standard', 'transactional'],
    },
    {
      name: 'befores 0.79 / 0.94 / 0.99',
      revenues: [79, 15, 5, 1],
      tiers: ['strategic', 'key', 'standard', 'transactional'],
    },
    {
      name: 'befores 0.81 / 0.96',
      revenues: [81, 15, 4],
      tiers: ['strategic', 'standard', 'transactional'],
    },
    { name: 'a single account is strategic', revenues: [10], tiers: ['strategic'] },
    {
      name: 'input order does not matter',
      revenues: [5, 15, 30, 50],
      tiers: ['transactional', 'standard', 'key', 'strategic'],
    },
    {
      name: 'zero revenue is unrated and not in the ranking',
      revenues: [50, 0, 50],
      tiers: ['strategic', 'unrated', 'key'],
    },
  ])('$name', ({ revenues, tiers }) => {
    expect(tiersOf(accounts(revenues))).toEqual(tiers);
  });

  it('configurable cut-offs (0.3 / 0.6 / 0.9)', () => {
    const settings = settingsWith({ paretoCutoffs: { strategic: 0.3, key: 0.6, standard: 0.9 } });
    // befores: 0, 0.30, 0.60, 0.90
    expect(tiersOf(accounts([30, 30, 30, 10]), settings)).toEqual([
      'strategic',
      'key',
      'standard',
      'transactional',
    ]);
  });

  it('ties: lower HubSpot id first, ids compared numerically ("9" before "10")', () => {
    const input = accounts([100, 100, 100], ['10', '9', '2']);
    const tiering = assignTiers(input, DEFAULT_SETTINGS);
    expect(tiering.ranking).toEqual(['2', '9', '10']);
    // befores: 0, 1/3, 2/3
    expect(tiersOf(input)).toEqual(['key', 'strategic', 'strategic']);
    expect(tiering.byCompany.get('10')?.rank).toBe(3);
  });

  it('a tie at the cut-off is decided by the id: "3" strategic, "7" key', () => {
    expect(tiersOf(accounts([50, 50], ['7', '3']))).toEqual(['key', 'strategic']);
    expect(tiersOf(accounts([50, 50], ['3', '7']))).toEqual(['strategic', 'key']);
  });

  it('long numeric ids compare numerically', () => {
    const input = accounts([10, 10], ['100000000001', '99999999999']);
    expect(assignTiers(input, DEFAULT_SETTINGS).ranking).toEqual(['99999999999', '100000000001']);
  });

  it('the explanation carries rule, inputs and a readable text', () => {
    const tiering = assignTiers(accounts([50, 30, 15, 5]), DEFAULT_SETTINGS);
    const second = tiering.byCompany.get('2');
    expect(second?.explanation.rule).toMatch(/pareto/);
    expect(second?.explanation.inputs).toMatchObject({ rank: 2, shareBefore: 0.5 });
    expect(second?.explanation.text).toContain('50%');
    expect(second?.explanation.text).toContain('key');
  });
});

describe('§3 thresholds: ≥ t1 strategic, ≥ t2 key, ≥ t3 standard, else transactional', () => {
  const thresholds = settingsWith({ tierMethod: 'thresholds' });
  it.each([
    [1_000_000, 'strategic'],
    [500_000, 'strategic'],
    [499_999.99, 'key'],
    [200_000, 'key'],
    [199_999, 'standard'],
    [50_000, 'standard'],
    [49_999, 'transactional'],
    [1, 'transactional'],
    [0, 'unrated'],
  ] as const)('default bands: revenueTtm %d → %s', (revenue, tier) => {
    expect(tiersOf(accounts([revenue]), thresholds)).toEqual([tier]);
  });

  it.each([
    [1000, 'strategic'],
    [999, 'key'],
    [100, 'key'],
    [99, 'standard'],
    [10, 'standard'],
    [9, 'transactional'],
  ] as const)('custom bands 1000/100/10: %d → %s', (revenue, tier) => {
    const settings = settingsWith({
      tierMethod: 'thresholds',
      thresholds: { strategic: 1000, key: 100, standard: 10 },
    });
    expect(tiersOf(accounts([revenue]), settings)).toEqual([tier]);
  });

  it('thresholds ignore the rest of the portfolio', () => {
    expect(tiersOf(accounts([600_000, 600_000, 600_000]), thresholds)).toEqual([
      'strategic',
      'strategic',
      'strategic',
    ]);
  });
});

describe('§3 manual override (kam_tier_override)', () => {
  const pinned = (revenueTtm: number, tierOverride: RatedTier): TierInput[] => [
    { companyId: '1', revenueTtm: 60, tierOverride: null },
    { companyId: '2', revenueTtm, tierOverride },
  ];

  it('the pin wins, computedTier is kept, the explanation says pinned', () => {
    const result = assignTiers(pinned(40, 'strategic'), DEFAULT_SETTINGS).byCompany.get('2');
    expect(result?.tier).toBe('strategic');
    expect(result?.computedTier).toBe('key');
    expect(result?.pinned).toBe(true);
    expect(result?.explanation.text).toMatch(/pinned/i);
    expect(result?.explanation.text).toContain('strategic');
  });

  it('an unrated company may be pinned', () => {
    const result = assignTiers(pinned(0, 'key'), DEFAULT_SETTINGS).byCompany.get('2');
    expect(result?.tier).toBe('key');
    expect(result?.computedTier).toBe('unrated');
    expect(result?.pinned).toBe(true);
  });

  it('a pin does not change the other companies’ ranking', () => {
    const tiering = assignTiers(
      [
        { companyId: '1', revenueTtm: 50, tierOverride: 'transactional' },
        { companyId: '2', revenueTtm: 50, tierOverride: null },
      ],
      DEFAULT_SETTINGS,
    );
    expect(tiering.byCompany.get('2')?.tier).toBe('key');
    expect(tiering.byCompany.get('1')?.computedTier).toBe('strategic');
  });

  it('end to end: pinned company shows tier, tierPinned and computedTier', () => {
    const result = score(
      portal(
        [company('1'), company('2', { kam_tier_override: 'strategic' })],
        [
          won({ company: '1', amount: 600, closedDaysAgo: 5 }),
          won({ company: '2', amount: 400, closedDaysAgo: 5 }),
        ],
      ),
    );
    const two = companyOf(result, '2');
    expect(two.tier).toBe('strategic');
    expect(two.tierPinned).toBe(true);
    expect(two.computedTier).toBe('key');
    expect(Object.values(two.explanations).some((e) => /pinned/i.test(e.text))).toBe(true);
    expect(result.portfolio.tierCounts.strategic).toBe(2);
  });

  it.each(['gold', 'A', 'platinum'])('an invalid override %j is flagged and ignored', (value) => {
    const result = score(
      portal(
        [company('1'), company('2', { kam_tier_override: value })],
        [
          won({ company: '1', amount: 600, closedDaysAgo: 5 }),
          won({ company: '2', amount: 400, closedDaysAgo: 5 }),
        ],
      ),
    );
    const two = companyOf(result, '2');
    expect(two.tier).toBe('key');
    expect(two.tierPinned).toBe(false);
    expect(two.flags.some((flag) => flag.field === 'kam_tier_override')).toBe(true);
  });

  it('an empty override is no pin and no flag', () => {
    const result = score(
      portal(
        [company('1', { kam_tier_override: '' })],
        [won({ company: '1', amount: 5, closedDaysAgo: 5 })],
      ),
    );
    const one = companyOf(result, '1');
    expect(one.tierPinned).toBe(false);
    expect(one.flags).toEqual([]);
  });
});

describe('§3 unrated and the portfolio report', () => {
  it('a company with no won deal in the window is unrated (won only in the previous window)', () => {
    const result = score(
      portal(
        [company('1'), company('2'), company('3')],
        [
          won({ company: '1', amount: 100, closedDaysAgo: 5 }),
          won({ company: '2', amount: 100, closedDaysAgo: 400 }),
        ],
      ),
    );
    expect(companyOf(result, '2').tier).toBe('unrated');
    expect(companyOf(result, '3').tier).toBe('unrated');
    expect(companyOf(result, '1').tier).toBe('strategic');
    expect(result.portfolio.tierCounts).toEqual({
      strategic: 1,
      key: 0,
      standard: 0,
      transactional: 0,
      unrated: 2,
    });
  });

  it('revenue share per tier and the top-20% concentration (5 rated: top 1 holds 50%)', () => {
    const revenues = [50, 30, 15, 4, 1];
    const result = score(
      portal(
        [...revenues.map((_, index) => company(String(index + 1))), company('9')],
        revenues.map((amount, index) =>
          won({ company: String(index + 1), amount, closedDaysAgo: 5 }),
        ),
      ),
    );
    expect(result.portfolio.top20Share).toBeCloseTo(0.5, 12);
    expect(result.portfolio.revenueShareByTier.strategic).toBeCloseTo(0.5, 12);
    expect(result.portfolio.revenueShareByTier.key).toBeCloseTo(0.3, 12);
    expect(result.portfolio.revenueShareByTier.standard).toBeCloseTo(0.15, 12);
    expect(result.portfolio.revenueShareByTier.transactional).toBeCloseTo(0.05, 12);
    expect(result.portfolio.revenueShareByTier.unrated).toBe(0);
  });

  it('top 20% of 10 rated accounts are the 2 largest: (40 + 20) / 100', () => {
    const revenues = [40, 20, 10, 10, 5, 5, 3, 3, 2, 2];
    const result = score(
      portal(
        revenues.map((_, index) => company(String(index + 1))),
        revenues.map((amount, index) =>
          won({ company: String(index + 1), amount, closedDaysAgo: 5 }),
        ),
      ),
    );
    expect(result.portfolio.top20Share).toBeCloseTo(0.6, 12);
  });
});

describe('paretoCurve', () => {
  it('reads the share of revenue held by the largest accounts', () => {
    const curve = paretoCurve([10, 60, 0, 30], 3);
    expect(
      curve.map((point) => [round(point.accountShare, 4), round(point.revenueShare, 4)]),
    ).toEqual([
      [0, 0],
      [0.3333, 0.6],
      [0.6667, 0.9],
      [1, 1],
    ]);
  });

  it('keeps at most points + 1 points and ends at (1, 1)', () => {
    const curve = paretoCurve(
      Array.from({ length: 1000 }, (_, index) => index + 1),
      100,
    );
    expect(curve).toHaveLength(101);
    expect(curve.at(-1)).toEqual({ accountShare: 1, revenueShare: 1 });
    // Monotone and concave: each step holds less than the one before.
    for (let index = 2; index < curve.length; index += 1) {
      const step = (curve[index]?.revenueShare ?? 0) - (curve[index - 1]?.revenueShare ?? 0);
      const before = (curve[index - 1]?.revenueShare ?? 0) - (curve[index - 2]?.revenueShare ?? 0);
      expect(step).toBeLessThanOrEqual(before + 1e-12);
    }
  });

  it('is empty without rated revenue', () => {
    expect(paretoCurve([0, 0])).toEqual([]);
  });
});

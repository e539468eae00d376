/**
 * Properties that must hold for any portfolio (fast-check over random small
 * portals in HubSpot's string form, bad records included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Association, CrmObject, PortalInput } from '../../src/hubspot-objects.ts';
import type { PortfolioScore } from '../../src/portfolio.ts';
import { COMPANY_INPUT_PROPERTIES, dealInputProperties } from '../../src/input-properties.ts';
import type { Settings, Tier } from '../../src/settings.ts';
import { DEFAULT_SETTINGS, SERVQUAL_DIMENSIONS, TIERS } from '../../src/settings.ts';
import type { Props } from './builders.ts';
import {
  company,
  companyOf,
  isoDaysAgo,
  lost,
  open,
  portal,
  score,
  settingsWith,
  unlabeled,
  v4,
  won,
} from './builders.ts';

const companyPropsArb: fc.Arbitrary<Props> = fc
  .record({
    contacts: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    annualrevenue: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: undefined }),
    employees: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
    activityDaysAgo: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
    surveyDaysAgo: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
    ratings: fc.array(
      fc.tuple(
        fc.constantFrom(...SERVQUAL_DIMENSIONS),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
      ),
      { maxLength: 5 },
    ),
    override: fc.option(fc.constantFrom('strategic', 'key', 'standard', 'transactional', 'gold'), {
      nil: undefined,
    }),
    plan: fc.boolean(),
  })
  .map((c) => {
    const props: Props = {};
    if (c.contacts !== undefined) props.num_associated_contacts = String(c.contacts);
    if (c.annualrevenue !== undefined) props.annualrevenue = String(c.annualrevenue);
    if (c.employees !== undefined) props.numberofemployees = String(c.employees);
    if (c.activityDaysAgo !== undefined) props.notes_last_updated = isoDaysAgo(c.activityDaysAgo);
    if (c.surveyDaysAgo !== undefined) props.kam_survey_date = isoDaysAgo(c.surveyDaysAgo);
    for (const [dimension, expected, perceived] of c.ratings) {
      props[`kam_servqual_${dimension}_expected`] = String(expected);
      props[`kam_servqual_${dimension}_perceived`] = String(perceived);
    }
    if (c.override !== undefined) props.kam_tier_override = c.override;
    if (c.plan) props.kam_account_plan = 'Objectives';
    return props;
  });

function dealArb(ids: readonly string[]): fc.Arbitrary<CrmObject> {
  return fc
    .record({
      state: fc.constantFrom('won', 'won', 'lost', 'open'),
      amount: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 0, max: 2_000_000 }).map(String) },
        { weight: 1, arbitrary: fc.constantFrom('oops', '') },
      ),
      close: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: -30, max: 1200 }) },
        { weight: 1, arbitrary: fc.constantFrom('none', 'garbage') },
      ),
      linked: fc.subarray([...ids], { maxLength: Math.min(3, ids.length) }),
      primaryIndex: fc.option(fc.nat({ max: 2 }), { nil: undefined }),
      v4Form: fc.boolean(),
      probability: fc.double({ min: 0, max: 1, noNaN: true }),
      line: fc.constantFrom('a', 'b', 'c'),
    })
    .map((d) => {
      const associations: Association[] = d.linked.flatMap((id, index) => {
        const isPrimary = d.primaryIndex === index;
        if (d.v4Form) return [v4(id, isPrimary)];
        return isPrimary
          ? [
              { id, type: 'deal_to_company' },
              { id, type: 'deal_to_company_unlabeled' },
            ]
          : unlabeled(id);
      });
      const props: Props = {};
      if (d.close === 'garbage') props.closedate = 'garbage';
      const spec = {
        associations,
        amount: d.amount,
        ...(typeof d.close === 'number' ? { closedDaysAgo: d.close } : {}),
        probability: d.probability,
        line: d.line,
        props,
      };
      return d.state === 'won' ? won(spec) : d.state === 'lost' ? lost(spec) : open(spec);
    });
}

const portalArb: fc.Arbitrary<PortalInput> = fc
  .uniqueArray(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 8 })
  .chain((numbers) => {
    const ids = numbers.map(String);
    return fc
      .record({
        props: fc.array(companyPropsArb, { minLength: ids.length, maxLength: ids.length }),
        deals: fc.array(dealArb(ids), { maxLength: 24 }),
      })
      .map(({ props, deals }) =>
        portal(
          ids.map((id, index) => company(id, props[index] ?? {})),
          deals,
        ),
      );
  });

const inRange = (value: number | null): boolean => value === null || (value >= 0 && value <= 100);

/** Every number anywhere in `value`, with its path (`companies.3.metrics.growth`). */
function numbersIn(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    numbersIn(inner, path === '' ? key : `${path}.${key}`),
  );
}

/** Whether `value` is null or within [min, max]. */
const within = (value: number | null, min: number, max: number): boolean =>
  value === null || (value >= min && value <= max);

const isCount = (value: number): boolean => Number.isInteger(value) && value >= 0;

/** The ranges of kam-model.md that hold for every company and the portfolio, as failures. */
function outOfRange(result: PortfolioScore): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string, value: unknown) => {
    if (!ok) problems.push(`${what} = ${String(value)}`);
  };
  for (const [path, value] of numbersIn(result)) check(Number.isFinite(value), path, value);
  const n = result.companies.length;
  for (const c of result.companies) {
    const at = (field: string) => `${c.id}.${field}`;
    const m = c.metrics;
    for (const field of ['score', 'attractiveness', 'strength', 'loyalty'] as const)
      check(within(c[field], 0, 100), at(field), c[field]);
    check(within(c.satisfactionGap, -6, 6), at('satisfactionGap'), c.satisfactionGap);
    check(
      c.paretoRank === null || (Number.isInteger(c.paretoRank) && within(c.paretoRank, 1, n)),
      at('paretoRank'),
      c.paretoRank,
    );
    check(within(m.share, 0, 1), at('metrics.share'), m.share);
    check(within(m.winRate, 0, 1), at('metrics.winRate'), m.winRate);
    check(within(m.repeatRate, 0, 1), at('metrics.repeatRate'), m.repeatRate);
    for (const field of [
      'revenueTtm',
      'revenuePrev',
      'lifetimeRevenue',
      'pipelineWeighted',
    ] as const)
      check(m[field] >= 0, at(`metrics.${field}`), m[field]);
    for (const field of [
      'wonCount',
      'lostCount',
      'openCount',
      'closedInWindow',
      'wonInWindow',
      'quartersWithWin',
      'lostRecent',
      'lostLast180Days',
    ] as const)
      check(isCount(m[field]), at(`metrics.${field}`), m[field]);
    check(m.wonInWindow <= m.closedInWindow, at('metrics.wonInWindow'), m.wonInWindow);
    check(m.quartersWithWin <= 8, at('metrics.quartersWithWin'), m.quartersWithWin);
    check(within(m.tenureDays, 0, Infinity), at('metrics.tenureDays'), m.tenureDays);
    check(within(m.recencyDays, 0, Infinity), at('metrics.recencyDays'), m.recencyDays);
    check(within(m.salesCycleDays, 0, Infinity), at('metrics.salesCycleDays'), m.salesCycleDays);
    check(m.lostLast180Days <= m.lostRecent, at('metrics.lostLast180Days'), m.lostLast180Days);
    check(m.revenueTtm <= m.lifetimeRevenue + 1e-6, at('metrics.revenueTtm'), m.revenueTtm);
  }
  const p = result.portfolio;
  check(p.companies === n, 'portfolio.companies', p.companies);
  check(
    isCount(p.ratedCompanies) && p.ratedCompanies <= n,
    'portfolio.ratedCompanies',
    p.ratedCompanies,
  );
  check(within(p.top20Share, 0, 1 + 1e-9), 'portfolio.top20Share', p.top20Share);
  for (const [tier, share] of Object.entries(p.revenueShareByTier))
    check(within(share, 0, 1 + 1e-9), `portfolio.revenueShareByTier.${tier}`, share);
  for (const counts of [
    p.tierCounts,
    p.strategyCounts,
    p.matrixCounts,
    p.segmentCounts,
    p.stageCounts,
  ])
    for (const [key, count] of Object.entries(counts))
      check(isCount(count), `portfolio count ${key}`, count);
  return problems;
}

/** What a careless export or a hostile user can put in a HubSpot text field. */
const junkValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '   ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-1e309',
    '-0',
    '0x1F',
    '12,5',
    ' 42 ',
    '-250000',
    '2026-02-30',
    '2026-08-15T00:00:00Z',
    '9999-12-31',
    '0000-01-01',
    '1786752000000',
    '-62135596800000',
    'true',
    'strategic',
    'gold',
    '8',
    '0',
    '3.5',
    'null',
    '{"a":1}',
    'line\nbreak',
  ),
  fc.string({ maxLength: 12 }),
  // Any plausible magnitude (a sum of amounts near 1e308 would overflow any model).
  fc.double({ min: -1e12, max: 1e12, noNaN: true }).map(String),
  fc.integer().map(String),
);

const DEAL_PROPERTIES = dealInputProperties(DEFAULT_SETTINGS);

/** A portal whose every input property may hold any of `junkValue`, deals linked every which way. */
const junkPortalArb: fc.Arbitrary<PortalInput> = fc
  .uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 })
  .chain((numbers) => {
    const ids = numbers.map(String);
    const props = (names: readonly string[]) =>
      fc.dictionary(fc.constantFrom(...names), junkValue, { maxKeys: names.length });
    return fc
      .record({
        companies: fc.array(props(COMPANY_INPUT_PROPERTIES), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
        deals: fc.array(
          fc.record({
            properties: props(DEAL_PROPERTIES),
            linked: fc.subarray([...ids, '999'], { maxLength: Math.min(3, ids.length + 1) }),
            type: fc.constantFrom('deal_to_company', 'deal_to_company_unlabeled', 'other'),
          }),
          { maxLength: 20 },
        ),
      })
      .map(({ companies, deals }) =>
        portal(
          ids.map((id, index) => company(id, companies[index] ?? {})),
          deals.map((deal, index) => ({
            id: String(5000 + index),
            properties: deal.properties,
            associations: {
              companies: { results: deal.linked.map((id) => ({ id, type: deal.type })) },
            },
          })),
        ),
      );
  });

const RANK: Readonly<Record<Tier, number>> = Object.fromEntries(
  TIERS.map((tier, index) => [tier, index]),
) as Record<Tier, number>;

const PARETO = DEFAULT_SETTINGS;
const THRESHOLDS = settingsWith({
  tierMethod: 'thresholds',
  thresholds: { strategic: 1_500_000, key: 600_000, standard: 100_000 },
});

describe('properties of any portfolio', () => {
  it('never throws; scores, attractiveness, strength and loyalty stay within 0–100', () => {
    fc.assert(
      fc.property(portalArb, fc.constantFrom(PARETO, THRESHOLDS), (input, settings) => {
        const result: PortfolioScore = score(input, settings);
        expect(result.companies).toHaveLength(input.companies.length);
        for (const c of result.companies) {
          expect(inRange(c.score)).toBe(true);
          expect(inRange(c.attractiveness)).toBe(true);
          expect(inRange(c.strength)).toBe(true);
          expect(inRange(c.loyalty)).toBe(true);
          expect(c.metrics.share).toBeGreaterThanOrEqual(0);
          expect(c.metrics.share).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every number of the result is finite and within its range (metrics, shares, ranks, counts)', () => {
    fc.assert(
      fc.property(portalArb, fc.constantFrom(PARETO, THRESHOLDS), (input, settings) => {
        expect(outOfRange(score(input, settings))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('junk in any input property never throws, and every number stays finite and in range', () => {
    fc.assert(
      fc.property(junkPortalArb, fc.constantFrom(PARETO, THRESHOLDS), (input, settings) => {
        const result = score(input, settings);
        expect(result.companies).toHaveLength(input.companies.length);
        expect(outOfRange(result)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the range check can fail: it reports a NaN and a score over 100', () => {
    const result = score(portal([company('1')]));
    const [first] = result.companies;
    if (first === undefined) throw new Error('no company');
    const broken: PortfolioScore = {
      ...result,
      companies: [{ ...first, score: 101, metrics: { ...first.metrics, growth: Number.NaN } }],
    };
    expect(outOfRange(broken)).toEqual(
      expect.arrayContaining(['companies.0.metrics.growth = NaN', '1.score = 101']),
    );
  });

  it('a negative won amount (a credit note) counts as 0 with a flag, so no share leaves 0–1', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          won({ id: '10', company: '1', amount: 100_000, closedDaysAgo: 30 }),
          won({ id: '11', company: '2', amount: -50_000, closedDaysAgo: 30 }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.share).toBe(1);
    expect(companyOf(result, '2').metrics).toMatchObject({ revenueTtm: 0, share: 0 });
    expect(companyOf(result, '2').flags).toContainEqual(
      expect.objectContaining({ code: 'invalid_amount', recordId: '11', field: 'amount' }),
    );
    expect(outOfRange(result)).toEqual([]);
  });

  it('tier counts sum to the number of companies', () => {
    fc.assert(
      fc.property(portalArb, fc.constantFrom(PARETO, THRESHOLDS), (input, settings) => {
        const result = score(input, settings);
        const counts = Object.values(result.portfolio.tierCounts).reduce((a, b) => a + b, 0);
        expect(counts).toBe(input.companies.length);
      }),
      { numRuns: 100 },
    );
  });

  it('shares sum to 1 when the portal has revenue in the window (else all 0)', () => {
    fc.assert(
      fc.property(portalArb, (input) => {
        const result = score(input);
        const total = result.companies.reduce((sum, c) => sum + c.metrics.share, 0);
        const revenue = result.companies.reduce((sum, c) => sum + c.metrics.revenueTtm, 0);
        if (revenue > 0) expect(total).toBeCloseTo(1, 9);
        else expect(total).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it.each<[string, Settings]>([
    ['pareto', PARETO],
    ['thresholds', THRESHOLDS],
  ])(
    'raising one company’s won revenue never lowers its own computed tier (%s)',
    (_method, settings) => {
      fc.assert(
        fc.property(
          portalArb,
          fc.nat(),
          fc.integer({ min: 1, max: 3_000_000 }),
          (input, pick, extra) => {
            const target = input.companies[pick % input.companies.length];
            if (target === undefined) return;
            const before = companyOf(score(input, settings), target.id).computedTier;
            const raised: PortalInput = {
              ...input,
              deals: [...input.deals, won({ company: target.id, amount: extra, closedDaysAgo: 5 })],
            };
            const after = companyOf(score(raised, settings), target.id).computedTier;
            expect(RANK[after]).toBeLessThanOrEqual(RANK[before]);
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

/**
 * Properties that must hold for any portfolio (fast-check over random small
 * portals in HubSpot's string form, bad records included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Association, CrmObject, PortalInput } from '../../src/hubspot-objects.ts';
import type { PortfolioScore } from '../../src/portfolio.ts';
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

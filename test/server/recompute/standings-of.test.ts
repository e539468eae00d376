import { describe, expect, it } from 'vitest';
import type { AccountFacts } from '../../../src/index.ts';
import {
  collectAccountFacts,
  DEFAULT_SETTINGS,
  portfolioStandings,
  standingsIndex,
} from '../../../src/index.ts';
import { generatePortal } from '../../../server/synthetic/generate-portal.ts';

const AS_OF = '2026-08-15T00:00:00.000Z';

/**
 * A generated portfolio made harder: equal revenues (ties broken by id),
 * pins, parents (groups of several, one of them a chain), and companies
 * without a size.
 */
function portfolio(): AccountFacts[] {
  const { facts } = collectAccountFacts(
    generatePortal({ companies: 300, deals: 3_000, seed: 3, asOf: AS_OF }),
    DEFAULT_SETTINGS,
    Date.parse(AS_OF),
  );
  const tiedRevenue = facts.find((fact) => fact.metrics.revenueTtm > 0)?.metrics.revenueTtm ?? 1;
  return facts.map((fact, index) => {
    const parentIndex = index % 7 === 3 ? index - 1 : index % 11 === 5 ? index - 2 : null;
    return {
      ...fact,
      metrics: {
        ...fact.metrics,
        revenueTtm: index % 9 === 0 ? tiedRevenue : fact.metrics.revenueTtm,
        pipelineWeighted: index % 4 === 0 ? 0 : fact.metrics.pipelineWeighted,
      },
      inputs: {
        ...fact.inputs,
        tierOverride: index % 23 === 0 ? 'key' : fact.inputs.tierOverride,
        annualRevenue: index % 5 === 0 ? null : fact.inputs.annualRevenue,
        employees: index % 10 === 0 ? null : fact.inputs.employees,
        parentCompanyId:
          parentIndex === null ? null : (facts[parentIndex] as AccountFacts).companyId,
      },
    };
  });
}

describe('standingsIndex, as built', () => {
  const facts = portfolio();
  const some = facts
    .map((_, index) => index)
    .filter((index) => index % 13 === 0 || index % 7 === 3 || index % 9 === 0);

  it.each([
    ['pareto', DEFAULT_SETTINGS],
    ['thresholds', { ...DEFAULT_SETTINGS, tierMethod: 'thresholds' as const }],
  ])('gives some accounts the standings a whole ranking gives them (%s)', (_, settings) => {
    const whole = portfolioStandings(facts, settings);
    expect(standingsIndex(facts).standingsOf(facts, some, settings)).toEqual(
      some.map((index) => whole.standingAt(index)),
    );
    // The portfolio exercises what makes ranking hard.
    const standings = some.map((index) => whole.standingAt(index));
    expect(standings.some((standing) => standing.group.size > 2)).toBe(true);
    expect(standings.some((standing) => standing.tier.pinned)).toBe(true);
    expect(standings.some((standing) => standing.tier.tier === 'unrated')).toBe(true);
    expect(standings.some((standing) => standing.percentiles.scaleBasis === null)).toBe(true);
  });
});

describe('standingsIndex', () => {
  /**
   * Moves some accounts: to a tie, to no revenue and back, losing and
   * gaining a size, and revenue that moves a group across a tier.
   */
  function moved(facts: readonly AccountFacts[], round: number): AccountFacts[] {
    const tied = (facts[0] as AccountFacts).metrics.revenueTtm;
    return facts.map((fact, index) => {
      if ((index + round) % 17 !== 0) return fact;
      const kind = (index + round) % 4;
      return {
        ...fact,
        metrics: {
          ...fact.metrics,
          revenueTtm:
            kind === 0 ? tied : kind === 1 ? 0 : fact.metrics.revenueTtm * 3 + round * 1_000,
          pipelineWeighted: kind === 2 ? 0 : fact.metrics.pipelineWeighted + 500,
          revenuePrev: fact.metrics.revenuePrev + round,
        },
        inputs: {
          ...fact.inputs,
          annualRevenue: kind === 3 ? null : (fact.inputs.annualRevenue ?? 2_000_000),
          employees: kind === 1 ? null : (fact.inputs.employees ?? 40),
        },
        openComplaints: fact.openComplaints + (kind === 2 ? 1 : 0),
      };
    });
  }

  it.each([
    ['pareto', DEFAULT_SETTINGS],
    ['thresholds', { ...DEFAULT_SETTINGS, tierMethod: 'thresholds' as const }],
  ])(
    'follows its moved accounts, pass after pass, as a whole ranking would (%s)',
    (_, settings) => {
      let facts = portfolio();
      const index = standingsIndex(facts);
      for (let round = 1; round <= 4; round += 1) {
        const next = moved(facts, round);
        const positions = next.flatMap((fact, at) => (fact === facts[at] ? [] : [at]));
        expect(index.move(next, positions)).toBe(true);
        facts = next;
        const whole = portfolioStandings(facts, settings);
        const asked = [...positions, 1, 2, 3, 100, 299];
        expect(index.standingsOf(facts, asked, settings)).toEqual(
          asked.map((at) => whole.standingAt(at)),
        );
      }
    },
  );

  it('cannot follow companies that came, went or changed parent, and moves nothing then', () => {
    const facts = portfolio();
    const index = standingsIndex(facts);
    expect(index.move(facts.slice(1), [])).toBe(false);
    expect(index.move([...facts.slice(1), facts[0] as AccountFacts], [])).toBe(false);
    const reparented = facts.map((fact, at) =>
      at === 10
        ? {
            ...fact,
            inputs: { ...fact.inputs, parentCompanyId: (facts[20] as AccountFacts).companyId },
          }
        : at === 11
          ? { ...fact, metrics: { ...fact.metrics, revenueTtm: 123_456_789 } }
          : fact,
    );
    expect(index.move(reparented, [11, 10])).toBe(false);
    // Nothing moved: the index still ranks the portfolio it holds.
    expect(index.standingsOf(facts, [11, 10], DEFAULT_SETTINGS)).toEqual(
      [11, 10].map((at) => portfolioStandings(facts, DEFAULT_SETTINGS).standingAt(at)),
    );
  });
});

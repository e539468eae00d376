import { describe, expect, it } from 'vitest';
import type { AccountFacts } from '../../../src/index.ts';
import {
  collectAccountFacts,
  DEFAULT_SETTINGS,
  portfolioStandings,
  standingsOf,
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

describe('standingsOf', () => {
  const facts = portfolio();
  const some = facts
    .map((_, index) => index)
    .filter((index) => index % 13 === 0 || index % 7 === 3 || index % 9 === 0);

  it.each([
    ['pareto', DEFAULT_SETTINGS],
    ['thresholds', { ...DEFAULT_SETTINGS, tierMethod: 'thresholds' as const }],
  ])('gives some accounts the standings a whole ranking gives them (%s)', (_, settings) => {
    const whole = portfolioStandings(facts, settings);
    expect(standingsOf(facts, some, settings)).toEqual(
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

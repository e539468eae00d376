/**
 * A re-rank after a deal change scores every account again only when the
 * context moved in a way some written value or summary entry reads
 * (`contextScoringKey`): the whitespace counts move only O3's wording.
 */
import { describe, expect, it } from 'vitest';
import type { PortfolioContext } from '../../../src/index.ts';
import {
  collectAccountFacts,
  contextScoringKey,
  DEFAULT_SETTINGS,
  dueDateCache,
  portfolioContext,
  portfolioStandings,
  scoreAccount,
  summaryEntry,
} from '../../../src/index.ts';
import { kamPropertyValues } from '../../../server/recompute/kam-property-values.ts';
import { generatePortal } from '../../../server/synthetic/generate-portal.ts';

const AS_OF = '2026-08-15T00:00:00.000Z';
const asOfMs = Date.parse(AS_OF);

function scoredPortal() {
  const input = generatePortal({ companies: 300, deals: 3_000, seed: 11, asOf: AS_OF });
  const { facts } = collectAccountFacts(input, DEFAULT_SETTINGS, asOfMs);
  const { standings } = portfolioStandings(facts, DEFAULT_SETTINGS);
  const context = portfolioContext(
    facts,
    standings.map((standing) => standing.tier.tier),
  );
  return { facts, standings, context };
}

/** The same lines, each bought by one more account of a tier grown by five. */
function recounted(context: PortfolioContext): PortfolioContext {
  type Tiers = keyof PortfolioContext['whitespace'];
  const whitespace: Record<Tiers, PortfolioContext['whitespace'][Tiers]> = {
    ...context.whitespace,
  };
  for (const tier of Object.keys(whitespace) as Tiers[]) {
    whitespace[tier] = whitespace[tier].map((entry) => ({
      ...entry,
      buyers: entry.buyers + 1,
      tierSize: entry.tierSize + 5,
    }));
  }
  return { ...context, whitespace };
}

describe('contextScoringKey', () => {
  it("leaves out the whitespace counts, which change no account's written values", () => {
    const { facts, standings, context } = scoredPortal();
    const other = recounted(context);
    expect(contextScoringKey(other)).toBe(contextScoringKey(context));
    const frame = (ctx: PortfolioContext) => ({
      context: ctx,
      settings: DEFAULT_SETTINGS,
      asOfMs,
      dueDate: dueDateCache(asOfMs),
    });
    let o3Worded = 0;
    facts.forEach((fact, index) => {
      const standing = standings[index];
      if (standing === undefined) throw new Error('no standing');
      const before = scoreAccount(fact, standing, frame(context));
      const after = scoreAccount(fact, standing, frame(other));
      expect(kamPropertyValues(after)).toEqual(kamPropertyValues(before));
      expect(summaryEntry(after)).toEqual(summaryEntry(before));
      if (JSON.stringify(after.swot) !== JSON.stringify(before.swot)) o3Worded += 1;
    });
    // The counts do show, in O3's wording, for the accounts missing a popular line.
    expect(o3Worded).toBeGreaterThan(0);
  });

  it('moves with the lines a tier finds popular, the median cycle and the fallbacks', () => {
    const { context } = scoredPortal();
    const key = contextScoringKey(context);
    const withoutLines = {
      ...context,
      whitespace: { ...context.whitespace, standard: [] },
    } as PortfolioContext;
    expect(context.whitespace.standard.length).toBeGreaterThan(0);
    expect(contextScoringKey(withoutLines)).not.toBe(key);
    expect(
      contextScoringKey({
        ...context,
        medianSalesCycleDays: (context.medianSalesCycleDays ?? 0) + 1,
      }),
    ).not.toBe(key);
    expect(contextScoringKey({ ...context, hasMeetings: !context.hasMeetings })).not.toBe(key);
  });
});

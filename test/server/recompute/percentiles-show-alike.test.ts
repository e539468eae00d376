import { describe, expect, it } from 'vitest';
import type { AccountPercentiles, AccountStanding } from '../../../src/index.ts';
import {
  collectAccountFacts,
  DEFAULT_SETTINGS,
  dueDateCache,
  percentilesShowAlike,
  portfolioContext,
  portfolioStandings,
  scoreAccount,
  summaryEntry,
} from '../../../src/index.ts';
import { kamPropertyValues } from '../../../server/recompute/kam-property-values.ts';
import { generatePortal } from '../../../server/synthetic/generate-portal.ts';

const AS_OF = '2026-08-15T00:00:00.000Z';
const asOfMs = Date.parse(AS_OF);

describe('percentilesShowAlike', () => {
  const settings = DEFAULT_SETTINGS;
  const { facts } = collectAccountFacts(
    generatePortal({ companies: 400, deals: 4_000, seed: 11, asOf: AS_OF }),
    settings,
    asOfMs,
  );
  const ranked = portfolioStandings(facts, settings);
  const context = portfolioContext(
    facts,
    facts.map((_, index) => ranked.tierAt(index)),
    {},
  );
  const frame = { context, settings, asOfMs, dueDate: dueDateCache(asOfMs) };
  /** What the app writes of an account, and what the summary counts of it. */
  const shown = (index: number, standing: AccountStanding) => {
    const scored = scoreAccount(facts[index] as (typeof facts)[number], standing, frame);
    return { written: kamPropertyValues(scored), counted: summaryEntry(scored) };
  };
  const nudged = (percentiles: AccountPercentiles, by: number): AccountPercentiles => ({
    ...percentiles,
    size: Math.min(100, Math.max(0, percentiles.size + by)),
    potential: Math.min(100, Math.max(0, percentiles.potential - by)),
    scale: percentiles.scale === null ? null : Math.min(100, Math.max(0, percentiles.scale - by)),
  });

  it('says alike exactly when nothing written or counted differs', () => {
    let alike = 0;
    let differ = 0;
    // From the moves a re-rank makes (a thousandth of a point) to large ones.
    for (const by of [0.001, 0.05, 0.4, 3, 20, -0.4, -3, -20]) {
      facts.forEach((fact, index) => {
        const before = ranked.standingAt(index);
        const now = { ...before, percentiles: nudged(before.percentiles, by) };
        const same = percentilesShowAlike(fact, before.percentiles, now.percentiles, frame);
        if (same) {
          alike += 1;
          expect(shown(index, now)).toEqual(shown(index, before));
        } else {
          differ += 1;
          expect(shown(index, now)).not.toEqual(shown(index, before));
        }
      });
    }
    // Both answers were exercised.
    expect(alike).toBeGreaterThan(100);
    expect(differ).toBeGreaterThan(100);
  });

  it('sees a stage that moves while the scores, as shown, do not', () => {
    // A large company that buys little: growing once scale − size reaches 25.
    const at = (scale: number): AccountPercentiles => ({
      size: 40,
      potential: 50,
      scale,
      scaleBasis: 'annualrevenue',
    });
    const flipped = facts.filter((fact, index) => {
      const before = { ...ranked.standingAt(index), percentiles: at(64.9999) };
      const now = { ...before, percentiles: at(65.0001) };
      const was = shown(index, before);
      const is = shown(index, now);
      if (was.written.kam_relationship_stage === is.written.kam_relationship_stage) return false;
      expect(was.written.kam_attractiveness).toBe(is.written.kam_attractiveness);
      expect(percentilesShowAlike(fact, before.percentiles, now.percentiles, frame)).toBe(false);
      return true;
    });
    expect(flipped.length).toBeGreaterThan(0);
  });
});

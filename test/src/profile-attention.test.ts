import { describe, expect, it } from 'vitest';
import {
  PROFILE_ATTENTION_LISTED,
  summarizePortfolio,
  type SummaryEntry,
} from '../../src/portfolio-summary.ts';
import { DEFAULT_SETTINGS, type Tier } from '../../src/settings.ts';
import { summarizeGroups } from '../../src/groups.ts';

/** kam-model.md v2 §14: the portfolio lists strategic and key accounts under 80% or without an owner. */

const NO_DEALS = {
  deals: 0,
  dealsWithoutCompany: 0,
  dealsWithUnknownCompany: 0,
  dealsSplitWithoutPrimary: 0,
};

function entry(
  id: string,
  tier: Tier,
  profileCompleteness: number,
  hasOwner = true,
  revenueTtm = 1_000,
): SummaryEntry {
  return {
    id,
    tier,
    revenueTtm,
    strategy: null,
    attractivenessLevel: null,
    strengthLevel: null,
    segment: null,
    stage: 'steady',
    flagCodes: [],
    name: `Company ${id}`,
    hasOwner,
    profileCompleteness,
  };
}

function attention(entries: SummaryEntry[]) {
  return summarizePortfolio(
    entries,
    entries.map((e) => e.id),
    [],
    NO_DEALS,
    DEFAULT_SETTINGS,
    summarizeGroups([]),
  ).profileAttention;
}

describe('the portfolio list of thin profiles and accounts without an owner (§14)', () => {
  it('lists a strategic or key account at 79%, not at 80%', () => {
    const listed = attention([
      entry('1', 'strategic', 79),
      entry('2', 'strategic', 80),
      entry('3', 'key', 79),
      entry('4', 'key', 80),
    ]);
    expect(listed.accounts.map((a) => a.id).sort()).toEqual(['1', '3']);
    expect(listed.total).toBe(2);
  });

  it('lists a strategic or key account without an owner whatever its completeness', () => {
    const listed = attention([entry('1', 'key', 100, false), entry('2', 'key', 100, true)]);
    expect(listed.accounts).toEqual([
      {
        id: '1',
        name: 'Company 1',
        tier: 'key',
        revenueTtm: 1_000,
        completeness: 100,
        hasOwner: false,
      },
    ]);
  });

  it('never lists standard, transactional or unrated accounts', () => {
    const listed = attention([
      entry('1', 'standard', 0, false),
      entry('2', 'transactional', 0, false),
      entry('3', 'unrated', 0, false),
    ]);
    expect(listed).toEqual({ accounts: [], total: 0 });
  });

  it('names the largest first, at most 50, and counts every one', () => {
    const entries = Array.from({ length: PROFILE_ATTENTION_LISTED + 5 }, (_, i) =>
      entry(String(i + 1), 'key', 50, true, (i + 1) * 100),
    );
    const listed = attention(entries);
    expect(listed.total).toBe(55);
    expect(listed.accounts).toHaveLength(50);
    expect(listed.accounts[0]?.id).toBe('55');
    expect(listed.accounts.at(-1)?.id).toBe('6');
  });

  it('is empty for a portal with no account', () => {
    expect(attention([])).toEqual({ accounts: [], total: 0 });
  });
});

/**
 * kam-model.md §11 group accounts: the top-parent walk (missing parent,
 * cycle, deep chain, group of one), the group sums and tier (§3 over
 * groups), the biggest member, the membership sentences, O3's sibling lines,
 * the summary's groups view, and a re-rank that moves a company between groups.
 */
import { describe, expect, it } from 'vitest';
import type { GroupMemberInput } from '../../src/groups.ts';
import { groupAccounts, summarizeGroups, topParents } from '../../src/groups.ts';
import { collectAccountFacts, scorePortfolio } from '../../src/portfolio.ts';
import { portfolioStandings } from '../../src/standings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import {
  AS_OF,
  company,
  companyOf,
  complaint,
  open,
  portal,
  score,
  settingsWith,
  won,
} from './builders.ts';

function member(
  companyId: string,
  parentCompanyId: string | null,
  revenueTtm = 0,
  productLines: readonly string[] = [],
): GroupMemberInput {
  return {
    companyId,
    name: `Company ${companyId}`,
    parentCompanyId,
    revenueTtm,
    revenuePrev: 0,
    pipelineWeighted: 0,
    openComplaints: 0,
    productLines,
  };
}

/** The top parent's id of each company, by id. */
function tops(members: readonly GroupMemberInput[]): Record<string, string> {
  const top = topParents(members);
  return Object.fromEntries(
    members.map((entry, index) => [
      entry.companyId,
      (members[top[index] as number] as GroupMemberInput).companyId,
    ]),
  );
}

describe('§11 the top-parent walk', () => {
  it('a company with no parent is its own top: a group of one', () => {
    expect(tops([member('1', null), member('2', null)])).toEqual({ '1': '1', '2': '2' });
  });

  it('follows a deep chain to the company with no parent, in any order given', () => {
    const chain = [member('5', '4'), member('4', '3'), member('3', '2'), member('2', '1')];
    expect(tops([...chain, member('1', null)])).toEqual({
      '1': '1',
      '2': '1',
      '3': '1',
      '4': '1',
      '5': '1',
    });
    expect(tops([member('1', null), ...chain.reverse()])['5']).toBe('1');
  });

  it('a parent missing from the portal ends the walk at the last company reached', () => {
    expect(tops([member('3', '2'), member('2', '999')])).toEqual({ '3': '2', '2': '2' });
  });

  it('a cycle ends at its member with the lowest id (numerically), whoever starts the walk', () => {
    const cycle = [member('30', '9'), member('9', '100'), member('100', '30')];
    expect(tops(cycle)).toEqual({ '30': '9', '9': '9', '100': '9' });
    expect(tops([...cycle].reverse())).toEqual({ '30': '9', '9': '9', '100': '9' });
    // A company hanging below the cycle lands in the same group.
    expect(tops([member('7', '100'), ...cycle])['7']).toBe('9');
  });

  it('a company that is its own parent is a group of one', () => {
    expect(tops([member('4', '4')])).toEqual({ '4': '4' });
  });
});

describe('§11 group sums, tier and biggest member', () => {
  it('sums the members and names the one that buys most (ties: lower id)', () => {
    const members = [
      { ...member('1', null, 100), revenuePrev: 10, pipelineWeighted: 5, openComplaints: 1 },
      { ...member('2', '1', 300), revenuePrev: 20, pipelineWeighted: 6, openComplaints: 2 },
      { ...member('3', '1', 300), revenuePrev: 30, pipelineWeighted: 7, openComplaints: 0 },
      member('4', null, 50),
    ];
    const { standings, groups } = groupAccounts(members, DEFAULT_SETTINGS);
    expect(groups.map((group) => [group.id, group.size, group.revenueTtm])).toEqual([
      ['1', 3, 700],
      ['4', 1, 50],
    ]);
    const group = standings[2];
    expect(group).toMatchObject({
      id: '1',
      name: 'Company 1',
      size: 3,
      revenueTtm: 700,
      revenuePrev: 60,
      pipelineWeighted: 18,
      openComplaints: 3,
      biggestMember: { id: '2', name: 'Company 2', revenueTtm: 300 },
    });
    expect(group?.explanations.membership.text).toBe(
      'Part of Company 1: strategic group of 3 members, 700 in the window; Company 2 buys most (300)',
    );
    expect(standings[0]?.explanations.membership.text).toMatch(/^Top parent of Company 1:/);
    expect(standings[3]?.explanations.membership.rule).toBe('group.standalone');
  });

  it('a group with no revenue has no biggest member and is unrated', () => {
    const { standings } = groupAccounts([member('1', null), member('2', '1')], DEFAULT_SETTINGS);
    expect(standings[1]?.biggestMember).toBeNull();
    expect(standings[1]?.tier).toBe('unrated');
    expect(standings[1]?.explanations.membership.text).toContain('no member has revenue');
  });

  it('tiers groups by Pareto over groups: two small members make a strategic group', () => {
    // Companies: 40, 35 (one group of 75) against 60 standalone: the group ranks first.
    const members = [member('1', null, 40), member('2', '1', 35), member('3', null, 60)];
    const { standings } = groupAccounts(members, DEFAULT_SETTINGS);
    expect(standings.map((group) => group.tier)).toEqual(['strategic', 'strategic', 'key']);
    expect(standings[0]?.explanations.tier.rule).toBe('group.tier.pareto');
    expect(standings[0]?.explanations.tier.text).toContain('groups ranked above hold 0%');
  });

  it('tiers groups by thresholds when the settings say so', () => {
    const settings = settingsWith({ tierMethod: 'thresholds' });
    const members = [
      member('1', null, 300_000),
      member('2', '1', 250_000),
      member('3', null, 60_000),
    ];
    const { standings } = groupAccounts(members, settings);
    expect(standings.map((group) => group.tier)).toEqual(['strategic', 'strategic', 'standard']);
    expect(standings[0]?.explanations.tier.rule).toBe('group.tier.thresholds');
  });

  it('lists the lines other members buy and the company does not', () => {
    const members = [
      member('1', null, 10, ['a', 'b']),
      member('2', '1', 10, ['b', 'c']),
      member('3', null, 10, ['z']),
    ];
    const { standings } = groupAccounts(members, DEFAULT_SETTINGS);
    expect(standings.map((group) => group.siblingLines)).toEqual([['c'], ['a'], []]);
  });

  it('a re-rank tells which companies’ groups read differently, without building them', () => {
    const members = [
      member('1', null, 10, ['a']),
      member('2', '1', 20, ['b']),
      member('3', null, 5, ['z']),
    ];
    const before = groupAccounts(members, DEFAULT_SETTINGS).standings;
    const same = groupAccounts(members, DEFAULT_SETTINGS);
    expect(before.map((standing, index) => same.showsAlike(index, standing))).toEqual([
      true,
      true,
      true,
    ]);
    // Company 1 buys line c too: company 2's sibling lines change, and so
    // does the biggest member (1 now buys more); company 3 is untouched.
    const after = groupAccounts(
      [
        member('1', null, 30, ['a', 'c']),
        members[1] as GroupMemberInput,
        members[2] as GroupMemberInput,
      ],
      DEFAULT_SETTINGS,
    );
    expect(before.map((standing, index) => after.showsAlike(index, standing))).toEqual([
      false,
      false,
      true,
    ]);
    expect(after.standingAt(1)).toEqual(after.standings[1]);
    expect(after.standingAt(1).siblingLines).toEqual(['a', 'c']);
  });
});

describe('§11 in a scored portfolio', () => {
  const companies = [
    company('1', { name: 'Sinopec Group' }),
    company('2', { name: 'Sinopec Shanghai', hs_parent_company_id: '1' }),
    company('3', { name: 'Sinopec Pudong', hs_parent_company_id: '2' }),
    company('4', { name: 'Standalone' }),
  ];
  const deals = [
    won({ company: '1', amount: 100, closedDaysAgo: 10, line: 'p1' }),
    won({ company: '2', amount: 500, closedDaysAgo: 10, line: 'p2' }),
    won({ company: '3', amount: 200, closedDaysAgo: 10, line: 'p1' }),
    open({ company: '3', amount: 1000, probability: 0.5, closedDaysAgo: -30 }),
    won({ company: '4', amount: 700, closedDaysAgo: 10, line: 'p1' }),
  ];

  it('every company carries its group; a standalone one a group of one with its own id', () => {
    const result = score(portal(companies, deals, [complaint('t1', '3')]));
    expect(companyOf(result, '3').group).toEqual({
      id: '1',
      name: 'Sinopec Group',
      tier: 'strategic',
      size: 3,
      revenueTtm: 800,
      revenuePrev: 0,
      pipelineWeighted: 500,
      openComplaints: 1,
      biggestMember: { id: '2', name: 'Sinopec Shanghai', revenueTtm: 500 },
    });
    expect(companyOf(result, '4').group).toMatchObject({ id: '4', size: 1, tier: 'key' });
    expect(companyOf(result, '3').explanations.group?.text).toBe(
      'Part of Sinopec Group: strategic group of 3 members, 800 in the window; Sinopec Shanghai buys most (500)',
    );
    expect(companyOf(result, '3').explanations.groupTier?.text).toMatch(
      /^Group tier strategic: Rank 1 of 2 by revenue \(800\); groups ranked above hold 0%/,
    );
  });

  it('the summary shows the Pareto over groups', () => {
    const { groups } = score(portal(companies, deals)).portfolio;
    expect(groups).toMatchObject({
      count: 2,
      multiMember: 1,
      tierCounts: { strategic: 1, key: 1, standard: 0, transactional: 0, unrated: 0 },
      top20Share: 800 / 1500,
      top: [
        { id: '1', name: 'Sinopec Group', tier: 'strategic', size: 3, revenueTtm: 800 },
        { id: '4', name: 'Standalone', tier: 'key', size: 1, revenueTtm: 700 },
      ],
    });
    expect(groups.explanation.text).toBe(
      '2 groups (1 of more than one company); tiered over groups: 1 strategic and 1 key; the top 1 of 2 groups with revenue (20%) hold 53% of it',
    );
  });

  it('O3 names the lines a member’s siblings buy', () => {
    const result = score(portal(companies, deals));
    const o3 = companyOf(result, '3').swot.find((item) => item.ruleId === 'O3');
    expect(o3?.text).toBe('Whitespace: other members of its group buy p2; this account does not');
    expect(o3?.evidence).toMatchObject({ missingLines: 0, lines: '', siblingLines: 'p2' });
    const a6 = companyOf(result, '3').actions.find((action) => action.ruleId === 'A6');
    expect(a6?.title).toBe('Cross-sell review: p2');
  });

  it('a company moving to another group re-ranks both groups from the stored facts', () => {
    const { facts } = collectAccountFacts(portal(companies, deals), DEFAULT_SETTINGS, AS_OF);
    const before = portfolioStandings(facts, DEFAULT_SETTINGS);
    // Company 2 (and its child 3) moves under the standalone company 4.
    const moved = facts.map((fact) =>
      fact.companyId === '2' ? { ...fact, inputs: { ...fact.inputs, parentCompanyId: '4' } } : fact,
    );
    const after = portfolioStandings(moved, DEFAULT_SETTINGS);
    expect(after.standings.map((standing) => [standing.group.id, standing.group.size])).toEqual([
      ['1', 1],
      ['4', 3],
      ['4', 3],
      ['4', 3],
    ]);
    expect(after.standings[0]?.group.revenueTtm).toBe(100);
    expect(after.standings[3]?.group.revenueTtm).toBe(1400);
    // Every account's standing changed: the incremental path rescores them all.
    before.standings.forEach((standing, index) => {
      expect(after.showsAlike(index, standing)).toBe(false);
      expect(before.showsAlike(index, standing)).toBe(true);
    });
    const rescored = scorePortfolio(moved, DEFAULT_SETTINGS, AS_OF);
    expect(rescored.portfolio.groups.top.map((group) => group.id)).toEqual(['4', '1']);
  });

  it('a portal with no parents: every company is a group of one, tiers as before', () => {
    const flat = companies.map((entry) => company(entry.id, { name: entry.properties.name }));
    const result = score(portal(flat, deals));
    for (const entry of result.companies) {
      expect(entry.group).toMatchObject({ id: entry.id, size: 1, tier: entry.tier });
      expect(entry.swot.some((item) => item.evidence.siblingLines !== undefined)).toBe(false);
    }
    expect(result.portfolio.groups.multiMember).toBe(0);
  });
});

describe('§11 summary of groups', () => {
  it('no group with revenue: no top-20% share', () => {
    const { groups } = groupAccounts([member('1', null)], DEFAULT_SETTINGS);
    const summary = summarizeGroups(groups);
    expect(summary.top20Share).toBeNull();
    expect(summary.explanation.text).toBe('1 group (0 of more than one company)');
  });
});

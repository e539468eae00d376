import type { GroupLayout, GroupMemberInput, GroupSums } from './groups.ts';
import { groupingOf, groupLayout, groupSums, groupTierInput, sumGroup } from './groups.ts';
import { percentileFromCounts, presentValues, valueColumn } from './percentile.ts';
import type { Settings } from './settings.ts';
import type { SortedColumn } from './sorted-column.ts';
import { sortedColumn } from './sorted-column.ts';
import type { AccountStanding, RankingInput } from './standings.ts';
import { groupMemberInput, percentilesOf, RANKED_COLUMNS, tierInput } from './standings.ts';
import type { TierInput } from './tiering.ts';
import { paretoRanksIn, tieringOf } from './tiering.ts';

/**
 * A portfolio's ranking kept between passes: its columns sorted, its
 * groups and their sums. The standings of a few accounts are then counted
 * in it, the same as `portfolioStandings` gives them, without reading or
 * sorting the other accounts; a pass moves its changed accounts in it.
 */
export interface StandingsIndex {
  /**
   * Moves the accounts at `positions` to their values in `accounts` (the
   * same companies at the same positions as before). False, with nothing
   * moved, when the index cannot follow: companies came or went, or a
   * company's parent changed; build a new one.
   */
  move(accounts: readonly RankingInput[], positions: readonly number[]): boolean;
  /** The standings of the accounts at `positions` in `accounts` (those the index holds). */
  standingsOf(
    accounts: readonly RankingInput[],
    positions: readonly number[],
    settings: Settings,
  ): AccountStanding[];
}

type ColumnName = keyof typeof RANKED_COLUMNS;
const COLUMN_NAMES = Object.keys(RANKED_COLUMNS) as ColumnName[];

/** Reads every account once and sorts each column: as costly as one whole ranking. */
export function standingsIndex(accounts: readonly RankingInput[]): StandingsIndex {
  const count = accounts.length;
  // Each column's value by position (NaN: none), and the values present, sorted.
  const values = {} as Record<ColumnName, Float64Array>;
  const sorted = {} as Record<ColumnName, SortedColumn>;
  for (const name of COLUMN_NAMES) {
    const valueOf = RANKED_COLUMNS[name];
    values[name] = valueColumn(count, (index) => valueOf(accounts[index] as RankingInput));
    sorted[name] = sortedColumn(presentValues(values[name]));
  }
  const revenue = values.size;
  const rated = sortedColumn(revenue.filter((value) => value > 0));
  // What grouping reads of each account; its ids and parents are the index's own.
  const members = accounts.map(groupMemberInput);
  const idOf = (index: number): string => (members[index] as GroupMemberInput).companyId;
  const layout: GroupLayout = groupLayout(members);
  const sums: GroupSums = groupSums(layout, members);
  const ratedGroups = sortedColumn(sums.revenueTtm.filter((value) => value > 0));

  const changeValue = (column: SortedColumn, before: number, after: number): void => {
    if (!Number.isNaN(before)) column.remove(before);
    if (!Number.isNaN(after)) column.insert(after);
  };
  const positiveOrNaN = (value: number): number => (value > 0 ? value : Number.NaN);

  return {
    move(moved, positions) {
      if (moved.length !== count) return false;
      for (let index = 0; index < count; index += 1) {
        if ((moved[index] as RankingInput).companyId !== idOf(index)) return false;
      }
      for (const index of positions) {
        const held = members[index] as GroupMemberInput;
        if (moved[index]?.inputs.parentCompanyId !== held.parentCompanyId) return false;
      }
      const groups = new Set<number>();
      for (const index of new Set(positions)) {
        const account = moved[index] as RankingInput;
        for (const name of COLUMN_NAMES) {
          const before = values[name][index] as number;
          const after = RANKED_COLUMNS[name](account) ?? Number.NaN;
          if (Object.is(before, after)) continue;
          changeValue(sorted[name], before, after);
          if (name === 'size') changeValue(rated, positiveOrNaN(before), positiveOrNaN(after));
          values[name][index] = after;
        }
        members[index] = groupMemberInput(account);
        groups.add(layout.groupOf[index] as number);
      }
      for (const group of groups) {
        const before = sums.revenueTtm[group] as number;
        sumGroup(layout, sums, members, group);
        const after = sums.revenueTtm[group] as number;
        changeValue(ratedGroups, positiveOrNaN(before), positiveOrNaN(after));
      }
      return true;
    },

    standingsOf(ranked, positions, settings) {
      const asked = new Set(positions);
      // Summed in the accounts' order, as the whole ranking sums it.
      let totalRevenue = 0;
      for (const value of revenue) totalRevenue += value;
      const tiering = tieringOf(
        count,
        (index) => (asked.has(index) ? tierInput(ranked[index] as RankingInput) : undefined),
        paretoRanksIn(rated, (index) => revenue[index] as number, count, idOf, asked),
        settings,
      );
      const groupsAsked = new Set(positions.map((index) => layout.groupOf[index] as number));
      const rootId = (group: number): string => idOf(layout.rootPositions[group] as number);
      const groupTiers = tieringOf(
        layout.rootPositions.length,
        (group): TierInput | undefined =>
          groupsAsked.has(group) ? groupTierInput(layout, sums, members, group) : undefined,
        paretoRanksIn(
          ratedGroups,
          (group) => sums.revenueTtm[group] as number,
          layout.rootPositions.length,
          rootId,
          groupsAsked,
        ),
        settings,
      );
      const grouping = groupingOf(members, layout, sums, groupTiers);
      const percentile = (name: ColumnName, index: number): number | null => {
        const value = values[name][index] as number;
        if (Number.isNaN(value)) return null;
        const { lower, equal } = sorted[name].countsOf(value);
        return percentileFromCounts(lower, equal, sorted[name].length);
      };
      return positions.map((index) => ({
        tier: tiering.resultAt(index),
        share: totalRevenue > 0 ? (revenue[index] as number) / totalRevenue : 0,
        percentiles: percentilesOf(
          percentile('size', index),
          percentile('potential', index),
          percentile('byRevenue', index),
          percentile('byEmployees', index),
        ),
        group: grouping.standingAt(index),
      }));
    },
  };
}

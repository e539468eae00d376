import { lowerBound } from './sorted-column.ts';

/**
 * Percentile ranks of kam-model.md §4, for a whole population at once in
 * O(n log n): (count strictly lower + 0.5 × count equal, excluding itself)
 * / (n − 1) × 100; 50 when n = 1. `null` values are not in the population
 * and get `null`.
 *
 * @example
 * percentileRanks([10, 20, 20, null]) // [0, 75, 75, null]
 */
export function percentileRanks(values: readonly (number | null)[]): (number | null)[] {
  const ranks = percentileColumn(values.length, (index) => values[index] ?? null);
  return Array.from(ranks, (rank) => (Number.isNaN(rank) ? null : rank));
}

/**
 * `percentileRanks` as a typed column, NaN where there is no value: a
 * portfolio ranks 100k accounts on four measures each pass, and a column of
 * numbers costs the collector nothing.
 */
export function percentileColumn(
  count: number,
  valueAt: (index: number) => number | null,
): Float64Array {
  return rankAll(valueColumn(count, valueAt));
}

/** Each position's value in a typed column, NaN where there is none. */
export function valueColumn(
  count: number,
  valueAt: (index: number) => number | null,
): Float64Array {
  const values = new Float64Array(count);
  for (let index = 0; index < count; index += 1) values[index] = valueAt(index) ?? Number.NaN;
  return values;
}

/** §4's percentile from counts: `lower` values below, `equal` (itself included) alike, of `n`. */
export function percentileFromCounts(lower: number, equal: number, n: number): number {
  return n === 1 ? 50 : ((lower + 0.5 * (equal - 1)) / (n - 1)) * 100;
}

/** The values present (not NaN), in a typed array of their own: what every rank is counted in. */
export function presentValues(values: Float64Array): Float64Array {
  return values.filter((value) => !Number.isNaN(value));
}

function rankAll(values: Float64Array): Float64Array {
  const sorted = presentValues(values).sort();
  const n = sorted.length;
  // The rank of each run of equal values, stored at the run's first index:
  // one binary search per value then finds it.
  const rankAt = new Float64Array(n);
  for (let lower = 0; lower < n;) {
    let upper = lower + 1;
    while (upper < n && sorted[upper] === sorted[lower]) upper += 1;
    rankAt[lower] = percentileFromCounts(lower, upper - lower, n);
    lower = upper;
  }
  const ranks = new Float64Array(values.length);
  values.forEach((value, index) => {
    ranks[index] = Number.isNaN(value) ? Number.NaN : (rankAt[lowerBound(sorted, value)] as number);
  });
  return ranks;
}

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
  const present = values.filter((value): value is number => value !== null);
  const sorted = Float64Array.from(present).sort();
  const n = sorted.length;
  return values.map((value) => {
    if (value === null) return null;
    if (n === 1) return 50;
    const lower = lowerBound(sorted, value);
    const equalOthers = upperBound(sorted, value) - lower - 1;
    return ((lower + 0.5 * equalOthers) / (n - 1)) * 100;
  });
}

/** First index whose value is ≥ `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose value is > `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A population's values kept in ascending order as single values change:
 * §4's percentiles and §3's Pareto ranks are counted in it. A pass moves a
 * few accounts of a 100k portfolio by a binary search and a block copy
 * each, instead of sorting the portfolio again.
 */
export interface SortedColumn {
  readonly length: number;
  insert(value: number): void;
  /** Takes out one occurrence of `value`, which must be there. */
  remove(value: number): void;
  /** How many values are below `value`, and how many equal it. */
  countsOf(value: number): { readonly lower: number; readonly equal: number };
  /** The sum of the `count` largest values, added largest first (as a Pareto ranking adds them). */
  sumOfLargest(count: number): number;
}

/**
 * A sorted column over `values` (taken, not copied; sorted here).
 *
 * @example
 * const column = sortedColumn(Float64Array.of(3, 1, 2));
 * column.insert(2);
 * column.countsOf(2) // { lower: 1, equal: 2 }
 */
export function sortedColumn(values: Float64Array): SortedColumn {
  let sorted = values.sort();
  let length = sorted.length;
  return {
    get length() {
      return length;
    },
    insert(value) {
      if (length === sorted.length) {
        const grown = new Float64Array(Math.max(16, Math.ceil(length * 1.25)));
        grown.set(sorted);
        sorted = grown;
      }
      const at = lowerBound(sorted, value, length);
      sorted.copyWithin(at + 1, at, length);
      sorted[at] = value;
      length += 1;
    },
    remove(value) {
      const at = lowerBound(sorted, value, length);
      if (at === length || sorted[at] !== value) {
        throw new Error(`internal: ${value} is not in the sorted column`);
      }
      sorted.copyWithin(at, at + 1, length);
      length -= 1;
    },
    countsOf(value) {
      const lower = lowerBound(sorted, value, length);
      let upper = lower;
      while (upper < length && sorted[upper] === value) upper += 1;
      return { lower, equal: upper - lower };
    },
    sumOfLargest(count) {
      let sum = 0;
      for (let at = length - 1; at >= length - count; at -= 1) sum += sorted[at] as number;
      return sum;
    },
  };
}

/**
 * First index below `length` whose value is ≥ `value`. The half to keep is
 * chosen by a select rather than a branch: which way a search goes is a
 * coin toss the processor cannot predict, and a portfolio makes 400k searches.
 */
export function lowerBound(sorted: Float64Array, value: number, length = sorted.length): number {
  let low = 0;
  let span = length;
  while (span > 1) {
    const half = span >>> 1;
    low = (sorted[low + half - 1] as number) < value ? low + half : low;
    span -= half;
  }
  return span === 1 && (sorted[low] as number) < value ? low + 1 : low;
}

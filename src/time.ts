export const DAY_MS = 86_400_000;

/** Whole days from `instantMs` to `asOfMs`: floor((asOf − instant) / 24 h) (kam-model.md §2). */
export function daysBetween(instantMs: number, asOfMs: number): number {
  return Math.floor((asOfMs - instantMs) / DAY_MS);
}

/**
 * Start instants of the last `count` calendar quarters in UTC, newest first;
 * the first is the quarter containing `asOfMs`.
 */
export function quarterStarts(asOfMs: number, count: number): number[] {
  const asOf = new Date(asOfMs);
  const firstMonth = Math.floor(asOf.getUTCMonth() / 3) * 3;
  return Array.from({ length: count }, (_, index) =>
    Date.UTC(asOf.getUTCFullYear(), firstMonth - 3 * index, 1),
  );
}

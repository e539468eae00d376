/**
 * How much portfolio one process reads at once. A full recompute holds its
 * portal's facts, scores and snapshot in memory (a 10,000-company portal's
 * run alone took a worker to 520–590 MB), and four slots on the herd's
 * largest portals took one past 1.5 GB. A large portal's run is
 * admitted while the companies of the runs under way, its own included,
 * stay within the budget; a portal of a tenth of the budget or less always
 * is (its memory is small, and a night of small portals must not queue
 * behind a large one), and so is any portal when nothing large runs, so a
 * portal larger than the budget still gets its run, alone.
 */
export interface FullAdmission {
  /** Whether a run of a portal of `companies` may start now; when true, it holds its share until `leave`. */
  tryEnter(companies: number): boolean;
  leave(companies: number): void;
}

/** Companies of large portals one process reads at once (WORKER_FULL_COMPANIES). */
export const DEFAULT_FULL_COMPANIES = 25_000;

export function createFullAdmission(budget: number): FullAdmission {
  const small = budget / 10;
  let large = 0;
  let largeCompanies = 0;
  return {
    tryEnter(companies) {
      if (companies <= small) return true;
      if (large > 0 && largeCompanies + companies > budget) return false;
      large += 1;
      largeCompanies += companies;
      return true;
    },
    leave(companies) {
      if (companies <= small) return;
      large -= 1;
      largeCompanies -= companies;
    },
  };
}

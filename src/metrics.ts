import type { Credit } from './deals.ts';
import type { Settings } from './settings.ts';
import { DAY_MS, daysBetween, quarterStarts, withinLastDays } from './time.ts';

/** Quarters looked at by repeatRate (kam-model.md §2). */
export const REPEAT_QUARTERS = 8;
/** T2 looks at lost deals of the last 180 days (kam-model.md §7). */
export const RECENT_LOSS_DAYS = 180;

/**
 * The account metrics of kam-model.md §2 that depend on one company only.
 * `share` is relative to the portfolio and computed when it is ranked.
 */
export interface AccountMetrics {
  readonly revenueTtm: number;
  readonly revenuePrev: number;
  readonly growth: number | null;
  readonly profitTtm: number | null;
  readonly lifetimeRevenue: number;
  readonly wonCount: number;
  readonly lostCount: number;
  readonly openCount: number;
  /** Won and lost deals closed in (asOf − 2W, asOf]: the base of winRate, S2 and W3. */
  readonly closedInWindow: number;
  readonly wonInWindow: number;
  readonly winRate: number | null;
  readonly pipelineWeighted: number;
  readonly tenureDays: number | null;
  readonly recencyDays: number | null;
  /** Share of the last 8 quarters with a won deal; null when never won. */
  readonly repeatRate: number | null;
  readonly quartersWithWin: number;
  readonly productLines: readonly string[];
  readonly lostRecently: number;
  readonly daysSinceActivity: number | null;
  readonly contacts: number | null;
}

/**
 * Computes one company's metrics from the deals credited to it.
 * Won deals dated after `asOf` have not happened yet at `asOf`: they count in
 * the all-time totals but in no window, tenure or recency.
 */
export function computeAccountMetrics(
  credits: readonly Credit[],
  company: { readonly lastActivityMs: number | null; readonly contacts: number | null },
  settings: Settings,
  asOfMs: number,
): AccountMetrics {
  const windowMs = settings.windowDays * DAY_MS;
  const windowStart = asOfMs - windowMs;
  const doubleWindowStart = asOfMs - 2 * windowMs;
  const quarters = quarterStarts(asOfMs, REPEAT_QUARTERS);
  const oldestQuarter = quarters[REPEAT_QUARTERS - 1] as number;

  let revenueTtm = 0;
  let revenuePrev = 0;
  let profitTtm = 0;
  let lifetimeRevenue = 0;
  let wonCount = 0;
  let lostCount = 0;
  let openCount = 0;
  let wonInWindow = 0;
  let lostInWindow = 0;
  let pipelineWeighted = 0;
  let firstWonMs = Number.POSITIVE_INFINITY;
  let lastWonMs = Number.NEGATIVE_INFINITY;
  let quarterMask = 0;
  let lostRecently = 0;
  const productLines = new Set<string>();

  for (const { deal, fraction } of credits) {
    const amount = deal.amount * fraction;
    const close = deal.closeMs;
    if (deal.state === 'open') {
      openCount += 1;
      pipelineWeighted += amount * deal.probability;
      continue;
    }
    const inDoubleWindow = close !== null && close > doubleWindowStart && close <= asOfMs;
    if (deal.state === 'lost') {
      lostCount += 1;
      if (inDoubleWindow) lostInWindow += 1;
      if (close !== null && withinLastDays(close, asOfMs, RECENT_LOSS_DAYS)) lostRecently += 1;
      continue;
    }
    wonCount += 1;
    lifetimeRevenue += amount;
    if (close === null || close > asOfMs) continue;
    if (close < firstWonMs) firstWonMs = close;
    if (close > lastWonMs) lastWonMs = close;
    if (close >= oldestQuarter) {
      const quarter = quarters.findIndex((start) => close >= start);
      quarterMask |= 1 << quarter;
    }
    if (!inDoubleWindow) continue;
    wonInWindow += 1;
    if (deal.productLine !== null) productLines.add(deal.productLine);
    if (close > windowStart) {
      revenueTtm += amount;
      profitTtm += (deal.profit ?? 0) * fraction;
    } else {
      revenuePrev += amount;
    }
  }

  const everWon = Number.isFinite(firstWonMs);
  const closedInWindow = wonInWindow + lostInWindow;
  let quartersWithWin = 0;
  for (let bits = quarterMask; bits !== 0; bits &= bits - 1) quartersWithWin += 1;
  return {
    revenueTtm,
    revenuePrev,
    growth: revenuePrev > 0 ? (revenueTtm - revenuePrev) / revenuePrev : null,
    profitTtm: settings.profitProperty === null ? null : profitTtm,
    lifetimeRevenue,
    wonCount,
    lostCount,
    openCount,
    closedInWindow,
    wonInWindow,
    winRate: closedInWindow > 0 ? wonInWindow / closedInWindow : null,
    pipelineWeighted,
    tenureDays: everWon ? daysBetween(firstWonMs, asOfMs) : null,
    recencyDays: everWon ? daysBetween(lastWonMs, asOfMs) : null,
    repeatRate: everWon ? quartersWithWin / REPEAT_QUARTERS : null,
    quartersWithWin,
    productLines: [...productLines].sort(),
    lostRecently,
    daysSinceActivity:
      company.lastActivityMs === null
        ? null
        : Math.max(0, daysBetween(company.lastActivityMs, asOfMs)),
    contacts: company.contacts,
  };
}

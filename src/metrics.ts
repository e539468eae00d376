import type { Credit, NormalizedDeal } from './deals.ts';
import type { Settings } from './settings.ts';
import { DAY_MS, daysBetween, quarterStarts } from './time.ts';

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

/** The instants every metric window is measured against, computed once per run. */
export interface MetricWindows {
  readonly asOfMs: number;
  readonly windowStart: number;
  readonly doubleWindowStart: number;
  readonly recentLossStart: number;
  /** Starts of the last 8 calendar quarters, newest first. */
  readonly quarters: readonly number[];
  readonly oldestQuarter: number;
  readonly profitMapped: boolean;
}

export function metricWindows(settings: Settings, asOfMs: number): MetricWindows {
  const windowMs = settings.windowDays * DAY_MS;
  const quarters = quarterStarts(asOfMs, REPEAT_QUARTERS);
  return {
    asOfMs,
    windowStart: asOfMs - windowMs,
    doubleWindowStart: asOfMs - 2 * windowMs,
    recentLossStart: asOfMs - RECENT_LOSS_DAYS * DAY_MS,
    quarters,
    oldestQuarter: quarters[REPEAT_QUARTERS - 1] as number,
    profitMapped: settings.profitProperty !== null,
  };
}

/**
 * Running totals for one company while its deals stream past: a full
 * recompute reads deals page by page and never holds them all.
 */
export interface MetricsAccumulator {
  revenueTtm: number;
  revenuePrev: number;
  profitTtm: number;
  lifetimeRevenue: number;
  wonCount: number;
  lostCount: number;
  openCount: number;
  wonInWindow: number;
  lostInWindow: number;
  pipelineWeighted: number;
  firstWonMs: number;
  lastWonMs: number;
  quarterMask: number;
  lostRecently: number;
  productLines: Set<string> | null;
}

export function newMetricsAccumulator(): MetricsAccumulator {
  // The money totals start as fractions and are then zeroed. Started at the
  // integer 0, V8 stores them as small integers, and when the first split
  // or weighted amount arrives it converts the totals object of every
  // account one by one (measured: about half a second per 100k accounts).
  const totals = {
    revenueTtm: 0.5,
    revenuePrev: 0.5,
    profitTtm: 0.5,
    lifetimeRevenue: 0.5,
    wonCount: 0,
    lostCount: 0,
    openCount: 0,
    wonInWindow: 0,
    lostInWindow: 0,
    pipelineWeighted: 0.5,
    firstWonMs: Number.POSITIVE_INFINITY,
    lastWonMs: Number.NEGATIVE_INFINITY,
    quarterMask: 0,
    lostRecently: 0,
    productLines: null,
  };
  totals.revenueTtm = 0;
  totals.revenuePrev = 0;
  totals.profitTtm = 0;
  totals.lifetimeRevenue = 0;
  totals.pipelineWeighted = 0;
  return totals;
}

/**
 * Adds one credited deal (or its share of one) to a company's totals.
 * Won deals dated after `asOf` have not happened yet at `asOf`: they count in
 * the all-time totals but in no window, tenure or recency.
 */
export function accumulateDeal(
  totals: MetricsAccumulator,
  deal: NormalizedDeal,
  fraction: number,
  windows: MetricWindows,
): void {
  const amount = deal.amount * fraction;
  const close = deal.closeMs;
  if (deal.state === 'open') {
    totals.openCount += 1;
    totals.pipelineWeighted += amount * deal.probability;
    return;
  }
  const inDoubleWindow =
    close !== null && close > windows.doubleWindowStart && close <= windows.asOfMs;
  if (deal.state === 'lost') {
    totals.lostCount += 1;
    if (inDoubleWindow) totals.lostInWindow += 1;
    if (close !== null && close > windows.recentLossStart && close <= windows.asOfMs) {
      totals.lostRecently += 1;
    }
    return;
  }
  totals.wonCount += 1;
  totals.lifetimeRevenue += amount;
  if (close === null || close > windows.asOfMs) return;
  if (close < totals.firstWonMs) totals.firstWonMs = close;
  if (close > totals.lastWonMs) totals.lastWonMs = close;
  if (close >= windows.oldestQuarter) {
    let quarter = 0;
    while (close < (windows.quarters[quarter] as number)) quarter += 1;
    totals.quarterMask |= 1 << quarter;
  }
  if (!inDoubleWindow) return;
  totals.wonInWindow += 1;
  if (deal.productLine !== null) (totals.productLines ??= new Set()).add(deal.productLine);
  if (close > windows.windowStart) {
    totals.revenueTtm += amount;
    totals.profitTtm += (deal.profit ?? 0) * fraction;
  } else {
    totals.revenuePrev += amount;
  }
}

/** Turns a company's running totals into its §2 metrics. */
export function finishMetrics(
  totals: MetricsAccumulator,
  company: { readonly lastActivityMs: number | null; readonly contacts: number | null },
  windows: MetricWindows,
): AccountMetrics {
  const { asOfMs } = windows;
  const everWon = Number.isFinite(totals.firstWonMs);
  const closedInWindow = totals.wonInWindow + totals.lostInWindow;
  let quartersWithWin = 0;
  for (let bits = totals.quarterMask; bits !== 0; bits &= bits - 1) quartersWithWin += 1;
  return {
    revenueTtm: totals.revenueTtm,
    revenuePrev: totals.revenuePrev,
    growth:
      totals.revenuePrev > 0 ? (totals.revenueTtm - totals.revenuePrev) / totals.revenuePrev : null,
    profitTtm: windows.profitMapped ? totals.profitTtm : null,
    lifetimeRevenue: totals.lifetimeRevenue,
    wonCount: totals.wonCount,
    lostCount: totals.lostCount,
    openCount: totals.openCount,
    closedInWindow,
    wonInWindow: totals.wonInWindow,
    winRate: closedInWindow > 0 ? totals.wonInWindow / closedInWindow : null,
    pipelineWeighted: totals.pipelineWeighted,
    tenureDays: everWon ? daysBetween(totals.firstWonMs, asOfMs) : null,
    recencyDays: everWon ? daysBetween(totals.lastWonMs, asOfMs) : null,
    repeatRate: everWon ? quartersWithWin / REPEAT_QUARTERS : null,
    quartersWithWin,
    productLines: totals.productLines === null ? [] : [...totals.productLines].sort(),
    lostRecently: totals.lostRecently,
    daysSinceActivity:
      company.lastActivityMs === null
        ? null
        : Math.max(0, daysBetween(company.lastActivityMs, asOfMs)),
    contacts: company.contacts,
  };
}

/**
 * One company's metrics from the deals credited to it (the incremental
 * recompute re-reads just these).
 */
export function computeAccountMetrics(
  credits: readonly Credit[],
  company: { readonly lastActivityMs: number | null; readonly contacts: number | null },
  settings: Settings,
  asOfMs: number,
): AccountMetrics {
  const windows = metricWindows(settings, asOfMs);
  const totals = newMetricsAccumulator();
  for (const { deal, fraction } of credits) accumulateDeal(totals, deal, fraction, windows);
  return finishMetrics(totals, company, windows);
}

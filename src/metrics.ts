import type { Credit, NormalizedDeal } from './deals.ts';
import { parseInstantProperty } from './hubspot-objects.ts';
import type { Settings } from './settings.ts';
import { DAY_MS, daysBetween, quarterStarts } from './time.ts';

/** Quarters looked at by repeatRate (kam-model.md §2). */
export const REPEAT_QUARTERS = 8;
/** T2 looks at lost deals of the last 180 days (kam-model.md §7). */
export const RECENT_LOSS_DAYS = 180;
/** `lostRecent` counts lost deals of the last 365 days (kam-model.md §2, v2). */
export const LOST_RECENT_DAYS = 365;

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
  /** Lost deals closed in the last 365 days (loyalty's rivals factor). */
  readonly lostRecent: number;
  /** Lost deals closed in the last 180 days (T2). */
  readonly lostLast180Days: number;
  /**
   * Competitors named in the `closed_lost_reason` of the deals lost in the
   * last 180 days: names from the company's `kam_competitors`, matched
   * case-insensitively, in the order listed there.
   */
  readonly lostToCompetitors: readonly string[];
  /** Median days from creation to close of won deals closed in the last 2W; null if none. */
  readonly salesCycleDays: number | null;
  readonly daysSinceActivity: number | null;
  readonly contacts: number | null;
}

/** T1 (and the `declining` stage): revenue down at least 20% (kam-model.md §5, §7). */
export const SHRINKING_GROWTH = -0.2;
/** T2: at least this many deals lost in the last 180 days. */
export const RECENT_LOSSES_THREAT = 2;

/** T1 fires: revenue down at least 20% on the previous window. */
export function isShrinking(metrics: Pick<AccountMetrics, 'growth'>): boolean {
  return metrics.growth !== null && metrics.growth <= SHRINKING_GROWTH;
}

/** T2 fires: at least two deals lost in the last 180 days. */
export function isLosingDeals(metrics: Pick<AccountMetrics, 'lostLast180Days'>): boolean {
  return metrics.lostLast180Days >= RECENT_LOSSES_THREAT;
}

/** The instants every metric window is measured against, computed once per run. */
export interface MetricWindows {
  readonly asOfMs: number;
  readonly windowStart: number;
  readonly doubleWindowStart: number;
  readonly recentLossStart: number;
  readonly lostRecentStart: number;
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
    lostRecentStart: asOfMs - LOST_RECENT_DAYS * DAY_MS,
    quarters,
    oldestQuarter: quarters[REPEAT_QUARTERS - 1] as number,
    profitMapped: settings.profitProperty !== null,
  };
}

/**
 * Running totals for many companies while their deals stream past: a full
 * recompute reads deals page by page and never holds them all.
 *
 * One row of numbers per company in a single Float64Array rather than an
 * object per company: deals arrive in no order, so each one lands on a
 * random company, and a row of adjacent numbers costs one or two cache
 * misses where an object with its boxed doubles cost several (measured:
 * about half of crediting 1M deals over 100k companies).
 */
export interface MetricsTotals {
  readonly values: Float64Array;
  /**
   * The portal's product lines, numbered as they first come. A row keeps the
   * product lines of its won deals of the last 2W as bits of a number (the
   * first 31 lines) rather than a Set per company: a portal has a handful of
   * lines and a million deals to check against them.
   */
  readonly lineNumbers: Map<string, number>;
  readonly lines: string[];
  /** The lines numbered 31 and up, by row: only for portals with that many. */
  readonly moreLines: Map<number, Set<string>>;
  /** Sales cycles in days of the won deals of the last 2W, listed by row. */
  readonly salesCycles: RowLists<number>;
  /** `closed_lost_reason` of the deals lost in the last 180 days, listed by row. */
  readonly lossReasons: RowLists<string>;
}

/** Column of each running total in a row; the won-deal ones first, to share a cache line. */
const WON_COUNT = 0;
const LIFETIME_REVENUE = 1;
const FIRST_WON_MS = 2;
const LAST_WON_MS = 3;
const QUARTER_MASK = 4;
const WON_IN_WINDOW = 5;
const REVENUE_TTM = 6;
const PROFIT_TTM = 7;
const REVENUE_PREV = 8;
const LOST_COUNT = 9;
const LOST_IN_WINDOW = 10;
const LOST_LAST_180_DAYS = 11;
const LOST_RECENT = 12;
const OPEN_COUNT = 13;
const PIPELINE_WEIGHTED = 14;
const LINE_BITS = 15;
const ROW_SIZE = 16;
/** Lines numbered below this are bits of LINE_BITS (31 keeps `|` on non-negative integers). */
const LINES_AS_BITS = 31;

/** `values[index] += amount`, spelled out for the strict index type. */
function addTo(values: Float64Array, index: number, amount: number): void {
  values[index] = (values[index] as number) + amount;
}

/**
 * A count kept in the table, as the small integer it is: read as a double,
 * each would be a heap number of its own in every account's metrics, and
 * a portfolio keeps 100k of them.
 */
function countAt(values: Float64Array, index: number): number {
  return (values[index] as number) | 0;
}

/** Most accounts bought no product line lately and lost to no named rival: they share one empty list. */
const NO_NAMES: readonly string[] = Object.freeze([]);

/** Zeroed totals for `rows` companies, numbered 0 to rows − 1. */
export function newMetricsTotals(rows: number): MetricsTotals {
  const values = new Float64Array(rows * ROW_SIZE);
  for (let row = 0; row < rows; row += 1) {
    values[row * ROW_SIZE + FIRST_WON_MS] = Number.POSITIVE_INFINITY;
    values[row * ROW_SIZE + LAST_WON_MS] = Number.NEGATIVE_INFINITY;
  }
  return {
    values,
    lineNumbers: new Map(),
    lines: [],
    moreLines: new Map(),
    salesCycles: newRowLists(rows),
    lossReasons: newRowLists(rows),
  };
}

function addProductLine(totals: MetricsTotals, row: number, line: string): void {
  let number = totals.lineNumbers.get(line);
  if (number === undefined) {
    number = totals.lines.length;
    totals.lineNumbers.set(line, number);
    totals.lines.push(line);
  }
  if (number < LINES_AS_BITS) {
    const index = row * ROW_SIZE + LINE_BITS;
    totals.values[index] = countAt(totals.values, index) | (1 << number);
    return;
  }
  let more = totals.moreLines.get(row);
  if (more === undefined) totals.moreLines.set(row, (more = new Set()));
  more.add(line);
}

/**
 * Values listed by row: each row's entries are chained from its last one
 * back (`previous`), so adding one allocates nothing per row. An array per
 * row cost more than the rest of crediting half a million won deals
 * (measured: 0.9 s of 1.7 s).
 */
export interface RowLists<T> {
  /** The row's last entry, −1 for none. */
  readonly last: Int32Array;
  readonly values: T[];
  readonly previous: number[];
}

export function newRowLists<T>(rows: number): RowLists<T> {
  return { last: new Int32Array(rows).fill(-1), values: [], previous: [] };
}

function addToRow<T>(lists: RowLists<T>, row: number, value: T): void {
  lists.previous.push(lists.last[row] as number);
  lists.last[row] = lists.values.length;
  lists.values.push(value);
}

/** A row's entries (newest first) in a scratch array the caller may sort; empty for none. */
function rowEntries<T>(lists: RowLists<T>, row: number, scratch: T[]): T[] {
  scratch.length = 0;
  for (
    let entry = lists.last[row] as number;
    entry !== -1;
    entry = lists.previous[entry] as number
  ) {
    scratch.push(lists.values[entry] as T);
  }
  return scratch;
}

/** Reused by every row's median and loss reasons: one array each for a portfolio. */
const CYCLES_SCRATCH: number[] = [];
const REASONS_SCRATCH: string[] = [];

/** The median of some numbers (sorts them in place); null for none. */
export function median(values: number[]): number | null {
  // Most accounts won one or two deals in 2W: no sort for them.
  if (values.length <= 2) {
    return values.length === 0
      ? null
      : ((values[0] as number) + (values[values.length - 1] as number)) / 2;
  }
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1
    ? (values[middle] as number)
    : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
}

/**
 * A competitor's name from a `kam_competitors` line, `Name: strengths |
 * weaknesses` (kam-model.md §7): the text before the first colon.
 */
export function competitorName(line: string): string {
  const colon = line.search(/[:：]/);
  return (colon === -1 ? line : line.slice(0, colon)).trim();
}

/** The listed competitors some loss reason names (case-insensitive), in the listed order. */
function competitorsNamed(
  reasons: readonly string[],
  competitors: readonly string[],
): readonly string[] {
  if (reasons.length === 0) return NO_NAMES;
  const lowered = reasons.map((reason) => reason.toLowerCase());
  const named: string[] = [];
  for (const line of competitors) {
    const name = competitorName(line);
    const needle = name.toLowerCase();
    if (needle !== '' && !named.includes(name) && lowered.some((text) => text.includes(needle))) {
      named.push(name);
    }
  }
  return named.length === 0 ? NO_NAMES : named;
}

/** A row's product lines, sorted. */
function productLinesOf(totals: MetricsTotals, row: number): readonly string[] {
  let bits = countAt(totals.values, row * ROW_SIZE + LINE_BITS);
  const more = totals.moreLines.get(row);
  if (bits === 0 && more === undefined) return NO_NAMES;
  const lines: string[] = [];
  for (let number = 0; bits !== 0; number += 1, bits >>>= 1) {
    if ((bits & 1) !== 0) lines.push(totals.lines[number] as string);
  }
  if (more !== undefined) lines.push(...more);
  return lines.sort();
}

/**
 * Adds one credited deal (or its share of one) to the totals of one
 * company (its row).
 * Won deals dated after `asOf` have not happened yet at `asOf`: they count in
 * the all-time totals but in no window, tenure or recency.
 */
export function accumulateDeal(
  totals: MetricsTotals,
  row: number,
  deal: NormalizedDeal,
  fraction: number,
  windows: MetricWindows,
): void {
  const values = totals.values;
  const at = row * ROW_SIZE;
  const amount = deal.amount * fraction;
  const close = deal.closeMs;
  if (deal.state === 'open') {
    addTo(values, at + OPEN_COUNT, 1);
    addTo(values, at + PIPELINE_WEIGHTED, amount * deal.probability);
    return;
  }
  const inDoubleWindow =
    close !== null && close > windows.doubleWindowStart && close <= windows.asOfMs;
  if (deal.state === 'lost') {
    addTo(values, at + LOST_COUNT, 1);
    if (inDoubleWindow) addTo(values, at + LOST_IN_WINDOW, 1);
    if (close !== null && close > windows.lostRecentStart && close <= windows.asOfMs) {
      addTo(values, at + LOST_RECENT, 1);
      if (close > windows.recentLossStart) {
        addTo(values, at + LOST_LAST_180_DAYS, 1);
        if (deal.lostReason !== null) addToRow(totals.lossReasons, row, deal.lostReason);
      }
    }
    return;
  }
  addTo(values, at + WON_COUNT, 1);
  addTo(values, at + LIFETIME_REVENUE, amount);
  if (close === null || close > windows.asOfMs) return;
  if (close < (values[at + FIRST_WON_MS] as number)) values[at + FIRST_WON_MS] = close;
  if (close > (values[at + LAST_WON_MS] as number)) values[at + LAST_WON_MS] = close;
  if (close >= windows.oldestQuarter) {
    let quarter = 0;
    while (close < (windows.quarters[quarter] as number)) quarter += 1;
    values[at + QUARTER_MASK] = (values[at + QUARTER_MASK] as number) | (1 << quarter);
  }
  if (!inDoubleWindow) return;
  addTo(values, at + WON_IN_WINDOW, 1);
  if (deal.productLine !== null) addProductLine(totals, row, deal.productLine);
  // A deal created after it closed is a data error, not a sales cycle.
  const createMs = parseInstantProperty(deal.createdate);
  if (createMs !== null && createMs <= close) {
    addToRow(totals.salesCycles, row, daysBetween(createMs, close));
  }
  if (close > windows.windowStart) {
    addTo(values, at + REVENUE_TTM, amount);
    addTo(values, at + PROFIT_TTM, (deal.profit ?? 0) * fraction);
  } else {
    addTo(values, at + REVENUE_PREV, amount);
  }
}

/** What the metrics read of the company itself. */
export interface MetricsCompany {
  readonly lastActivityMs: number | null;
  readonly contacts: number | null;
  /** `kam_competitors` lines: T2 names those its loss reasons mention. */
  readonly competitors: readonly string[];
}

/** Turns one company's running totals (its row) into its §2 metrics. */
export function finishMetrics(
  totals: MetricsTotals,
  row: number,
  company: MetricsCompany,
  windows: MetricWindows,
): AccountMetrics {
  const { asOfMs } = windows;
  const values = totals.values;
  const at = row * ROW_SIZE;
  const firstWonMs = values[at + FIRST_WON_MS] as number;
  const everWon = Number.isFinite(firstWonMs);
  const revenueTtm = values[at + REVENUE_TTM] as number;
  const revenuePrev = values[at + REVENUE_PREV] as number;
  const wonInWindow = countAt(values, at + WON_IN_WINDOW);
  const closedInWindow = wonInWindow + countAt(values, at + LOST_IN_WINDOW);
  let quartersWithWin = 0;
  for (let bits = countAt(values, at + QUARTER_MASK); bits !== 0; bits &= bits - 1) {
    quartersWithWin += 1;
  }
  return {
    revenueTtm,
    revenuePrev,
    growth: revenuePrev > 0 ? (revenueTtm - revenuePrev) / revenuePrev : null,
    profitTtm: windows.profitMapped ? (values[at + PROFIT_TTM] as number) : null,
    lifetimeRevenue: values[at + LIFETIME_REVENUE] as number,
    wonCount: countAt(values, at + WON_COUNT),
    lostCount: countAt(values, at + LOST_COUNT),
    openCount: countAt(values, at + OPEN_COUNT),
    closedInWindow,
    wonInWindow,
    winRate: closedInWindow > 0 ? wonInWindow / closedInWindow : null,
    pipelineWeighted: values[at + PIPELINE_WEIGHTED] as number,
    tenureDays: everWon ? daysBetween(firstWonMs, asOfMs) : null,
    recencyDays: everWon ? daysBetween(values[at + LAST_WON_MS] as number, asOfMs) : null,
    repeatRate: everWon ? quartersWithWin / REPEAT_QUARTERS : null,
    quartersWithWin,
    productLines: productLinesOf(totals, row),
    lostRecent: countAt(values, at + LOST_RECENT),
    lostLast180Days: countAt(values, at + LOST_LAST_180_DAYS),
    lostToCompetitors:
      company.competitors.length === 0
        ? NO_NAMES
        : competitorsNamed(
            rowEntries(totals.lossReasons, row, REASONS_SCRATCH),
            company.competitors,
          ),
    salesCycleDays: median(rowEntries(totals.salesCycles, row, CYCLES_SCRATCH)),
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
  company: MetricsCompany,
  settings: Settings,
  asOfMs: number,
): AccountMetrics {
  const windows = metricWindows(settings, asOfMs);
  const totals = newMetricsTotals(1);
  for (const { deal, fraction } of credits) accumulateDeal(totals, 0, deal, fraction, windows);
  return finishMetrics(totals, 0, company, windows);
}

import type { Explanation } from './explanation.ts';
import { formatCount, formatDays, formatMoney, formatPercent, round } from './format.ts';
import type { AccountMetrics } from './metrics.ts';
import { LOST_RECENT_DAYS } from './metrics.ts';

/**
 * Growth with the two windows' revenue it compares, as every sentence about
 * growth prints it.
 *
 * @example
 * growthFigures({ revenueTtm: 5e6, revenuePrev: 4e6 }, 0.25) // '+25% (5.0M vs 4.0M)'
 */
export function growthFigures(
  metrics: Pick<AccountMetrics, 'revenueTtm' | 'revenuePrev'>,
  growth: number,
): string {
  return `${formatPercent(growth, true)} (${formatMoney(metrics.revenueTtm)} vs ${formatMoney(metrics.revenuePrev)})`;
}

/** The explanations of the §2 metrics a card shows. */
export interface MetricExplanations {
  readonly revenueTtm: Explanation;
  readonly growth: Explanation;
  readonly winRate: Explanation;
  readonly pipelineWeighted: Explanation;
  readonly share: Explanation;
  readonly tenure: Explanation;
  readonly recency: Explanation;
  readonly repeatRate: Explanation;
  readonly lostRecent: Explanation;
  readonly salesCycle: Explanation;
}

/** One metric's explanation (a module function: no closure per account). */
function metricExplanation(rule: string, text: string, inputs: Explanation['inputs']): Explanation {
  return { rule, text, inputs };
}

/** The §2 metrics a card shows, each as a sentence with its inputs. */
export function metricExplanations(metrics: AccountMetrics, share: number): MetricExplanations {
  return {
    revenueTtm: metricExplanation(
      'metric.revenueTtm',
      `Won revenue in the window: ${formatMoney(metrics.revenueTtm)}`,
      {
        revenueTtm: metrics.revenueTtm,
      },
    ),
    growth: metricExplanation(
      'metric.growth',
      metrics.growth === null
        ? `Growth n/a: no revenue in the previous window (now ${formatMoney(metrics.revenueTtm)})`
        : `Growth ${growthFigures(metrics, metrics.growth)}`,
      { revenueTtm: metrics.revenueTtm, revenuePrev: metrics.revenuePrev, growth: metrics.growth },
    ),
    winRate: metricExplanation(
      'metric.winRate',
      metrics.winRate === null
        ? 'Win rate n/a: no deal closed in the last two windows'
        : `Win rate ${formatPercent(metrics.winRate)} (${metrics.wonInWindow} won of ${metrics.closedInWindow} closed)`,
      { won: metrics.wonInWindow, closed: metrics.closedInWindow, winRate: metrics.winRate },
    ),
    pipelineWeighted: metricExplanation(
      'metric.pipelineWeighted',
      `Weighted pipeline ${formatMoney(metrics.pipelineWeighted)} over ${formatCount(metrics.openCount, 'open deal', 'open deals')}`,
      { pipelineWeighted: metrics.pipelineWeighted, openDeals: metrics.openCount },
    ),
    share: metricExplanation('metric.share', `Holds ${formatPercent(share)} of portfolio revenue`, {
      share,
    }),
    tenure: metricExplanation(
      'metric.tenureDays',
      metrics.tenureDays === null ? 'Never won' : `Customer for ${formatDays(metrics.tenureDays)}`,
      { tenureDays: metrics.tenureDays },
    ),
    recency: metricExplanation(
      'metric.recencyDays',
      metrics.recencyDays === null
        ? 'Never won'
        : `Last won ${formatDays(metrics.recencyDays)} ago`,
      { recencyDays: metrics.recencyDays },
    ),
    repeatRate: metricExplanation(
      'metric.repeatRate',
      `Bought in ${metrics.quartersWithWin} of the last 8 quarters`,
      { quartersWithWin: metrics.quartersWithWin, repeatRate: metrics.repeatRate },
    ),
    lostRecent: metricExplanation(
      'metric.lostRecent',
      `${formatCount(metrics.lostRecent, 'deal', 'deals')} lost in the last ${LOST_RECENT_DAYS} days`,
      { lostRecent: metrics.lostRecent },
    ),
    salesCycle: metricExplanation(
      'metric.salesCycleDays',
      metrics.salesCycleDays === null
        ? 'Sales cycle n/a: no deal won in the last two windows with a creation date'
        : `Median sales cycle ${formatDays(round(metrics.salesCycleDays))} over the deals won in the last two windows`,
      { salesCycleDays: metrics.salesCycleDays },
    ),
  };
}

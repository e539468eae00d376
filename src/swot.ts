import type { SwotQuadrant } from './account-inputs.ts';
import { SWOT_QUADRANTS } from './account-inputs.ts';
import type { AccountView } from './account-view.ts';
import type { Scalar } from './explanation.ts';
import {
  formatCount,
  formatDays,
  formatGap,
  formatList,
  formatMoney,
  formatPercent,
} from './format.ts';
import { CHURN_WARNING_SHARE, PARTNER_TENURE_DAYS } from './loyalty.ts';
import { growthFigures } from './metric-explanations.ts';
import { isLosingDeals, isShrinking, RECENT_LOSS_DAYS, REPEAT_QUARTERS } from './metrics.ts';
import type { PortfolioContext } from './portfolio-context.ts';
import { productLineLabel } from './portfolio-context.ts';
import type { ServqualDimension, Settings } from './settings.ts';
import { TIER_LABEL } from './settings.ts';
import { DEPENDENCE_SHARE } from './standings.ts';

export const SWOT_RULES = [
  'S1',
  'S2',
  'S3',
  'S4',
  'W1',
  'W2',
  'W3',
  'W4',
  'W5',
  'O1',
  'O2',
  'O3',
  'T1',
  'T2',
  'T3',
  'T4',
  'T5',
] as const;
export type SwotRuleId = (typeof SWOT_RULES)[number];

export interface SwotItem {
  /** null for items people entered by hand. */
  readonly ruleId: SwotRuleId | null;
  readonly quadrant: SwotQuadrant;
  readonly dimension?: ServqualDimension;
  readonly text: string;
  readonly evidence: Readonly<Record<string, Scalar>>;
}

/** Separates the names in an evidence value that lists several (O3's lines). */
export const LINE_SEPARATOR = '; ';

/** S2/W3 need at least this many closed deals in the window to speak. */
export const MIN_CLOSED_FOR_WIN_RATE = 3;
/** S1: a win in at least this many of the last 8 quarters (with two years as a customer). */
export const LONG_RELATIONSHIP_QUARTERS = 4;
export const STRONG_DIMENSION_GAP = 0.5;
export const WEAK_DIMENSION_GAP = -1;

/**
 * The visit cadence of a tier; `unrated` has none (W4 never fires for it).
 */
export function visitCadence(view: Pick<AccountView, 'tier'>, settings: Settings): number | null {
  return view.tier === 'unrated' ? null : settings.visitCadenceDays[view.tier];
}

/**
 * The SWOT of kam-model.md §7 (v2): derived items S1–T5, each with its rule
 * id and evidence, then the items people entered, grouped by quadrant.
 *
 * @param context what the portfolio's other accounts say (O3's tier peers, line labels)
 */
export function deriveSwot(
  view: AccountView,
  context: PortfolioContext,
  settings: Settings,
): SwotItem[] {
  const { metrics } = view;
  const items: SwotItem[] = [];
  const add = (
    ruleId: SwotRuleId,
    text: string,
    evidence: Record<string, Scalar>,
    dimension?: ServqualDimension,
  ): void => {
    const quadrant = QUADRANT_OF[ruleId[0] as 'S' | 'W' | 'O' | 'T'];
    // Two literals rather than a spread: `dimension` is absent, not undefined, without one.
    items.push(
      dimension === undefined
        ? { ruleId, quadrant, text, evidence }
        : { ruleId, quadrant, dimension, text, evidence },
    );
  };
  const winEvidence = {
    winRate: metrics.winRate,
    closedDeals: metrics.closedInWindow,
    wonDeals: metrics.wonInWindow,
  };
  const winRateSpeaks =
    metrics.winRate !== null && metrics.closedInWindow >= MIN_CLOSED_FOR_WIN_RATE;

  // Strengths
  if (
    metrics.tenureDays !== null &&
    metrics.tenureDays >= PARTNER_TENURE_DAYS &&
    metrics.quartersWithWin >= LONG_RELATIONSHIP_QUARTERS
  ) {
    add(
      'S1',
      `Long relationship: customer for ${formatDays(metrics.tenureDays)}, bought in ${metrics.quartersWithWin} of the last ${REPEAT_QUARTERS} quarters`,
      { tenureDays: metrics.tenureDays, quartersWithWin: metrics.quartersWithWin },
    );
  }
  if (winRateSpeaks && metrics.winRate >= 0.6) {
    add(
      'S2',
      `Strong win rate: ${formatPercent(metrics.winRate)} over ${metrics.closedInWindow} closed deals`,
      winEvidence,
    );
  }
  // A stale survey is still shown, but no rule reads it (kam-model.md §6).
  const dimensions = view.satisfaction.stale ? [] : view.satisfaction.dimensions;
  for (const dimension of dimensions) {
    if (dimension.gap !== null && dimension.gap >= STRONG_DIMENSION_GAP) {
      add(
        'S3',
        `Exceeds expectations on ${dimension.dimension}: gap ${formatGap(dimension.gap)} (perceived ${dimension.perceived} vs expected ${dimension.expected})`,
        { gap: dimension.gap, expected: dimension.expected, perceived: dimension.perceived },
        dimension.dimension,
      );
    }
  }
  const label = (line: string): string => productLineLabel(context, line);
  if (metrics.productLines.length >= 2) {
    add(
      'S4',
      `Buys across ${metrics.productLines.length} product lines (${metrics.productLines.map(label).join(', ')})`,
      { productLines: metrics.productLines.length },
    );
  }

  // Weaknesses
  for (const dimension of dimensions) {
    if (dimension.gap !== null && dimension.gap <= WEAK_DIMENSION_GAP) {
      add(
        'W1',
        `Falls short on ${dimension.dimension}: gap ${formatGap(dimension.gap)} (perceived ${dimension.perceived} vs expected ${dimension.expected})`,
        { gap: dimension.gap, expected: dimension.expected, perceived: dimension.perceived },
        dimension.dimension,
      );
    }
  }
  if (metrics.contacts !== null && metrics.contacts <= 1) {
    add(
      'W2',
      `Single-threaded relationship: ${formatCount(metrics.contacts, 'contact', 'contacts')}`,
      { contacts: metrics.contacts },
    );
  }
  if (winRateSpeaks && metrics.winRate < 0.3) {
    add(
      'W3',
      `Low win rate: ${formatPercent(metrics.winRate)} over ${metrics.closedInWindow} closed deals`,
      winEvidence,
    );
  }
  const cadence = visitCadence(view, settings);
  if (
    cadence !== null &&
    (metrics.daysSinceActivity === null || metrics.daysSinceActivity > cadence)
  ) {
    // Until meetings are read (§10), the last activity stands in for the last visit.
    const since =
      metrics.daysSinceActivity === null
        ? 'No recorded activity'
        : `No activity for ${formatDays(metrics.daysSinceActivity)}`;
    add(
      'W4',
      `${since}; ${TIER_LABEL[view.tier].toLowerCase()} accounts are visited every ${formatDays(cadence)} (last activity stands in for visits)`,
      { daysSinceActivity: metrics.daysSinceActivity, cadenceDays: cadence, tier: view.tier },
    );
  }
  if ((view.tier === 'strategic' || view.tier === 'key') && view.inputs.ownerId === null) {
    add('W5', `No owner: a ${TIER_LABEL[view.tier].toLowerCase()} account needs one named person`, {
      tier: view.tier,
    });
  }

  // Opportunities
  const growthEvidence = {
    growth: metrics.growth,
    revenueTtm: metrics.revenueTtm,
    revenuePrev: metrics.revenuePrev,
  };
  if (metrics.growth !== null && metrics.growth >= 0.2) {
    add('O1', `Growing: revenue ${growthFigures(metrics, metrics.growth)}`, growthEvidence);
  }
  if (metrics.pipelineWeighted > 0 && metrics.pipelineWeighted >= 0.25 * metrics.revenueTtm) {
    const ratio =
      metrics.revenueTtm > 0
        ? ` = ${formatPercent(metrics.pipelineWeighted / metrics.revenueTtm)} of`
        : ' against';
    add(
      'O2',
      `Weighted pipeline ${formatMoney(metrics.pipelineWeighted)}${ratio} trailing revenue ${formatMoney(metrics.revenueTtm)}`,
      {
        pipelineWeighted: metrics.pipelineWeighted,
        revenueTtm: metrics.revenueTtm,
      },
    );
  }
  if (view.tier !== 'unrated') {
    const missing = context.whitespace[view.tier].filter(
      (popular) => !metrics.productLines.includes(popular.line),
    );
    // §11: lines the other members of its group buy, besides those of its tier peers.
    const siblings = view.group.siblingLines.filter(
      (line) => !missing.some((popular) => popular.line === line),
    );
    if (missing.length > 0 || siblings.length > 0) {
      const named = missing.map(
        (popular) =>
          `${label(popular.line)} (${popular.buyers} of ${popular.tierSize} ${TIER_LABEL[view.tier].toLowerCase()} accounts)`,
      );
      const sources = [
        ...(named.length > 0 ? [`peers of its tier buy ${formatList(named)}`] : []),
        ...(siblings.length > 0
          ? [`other members of its group buy ${formatList(siblings.map(label))}`]
          : []),
      ];
      const evidence = {
        missingLines: missing.length,
        lines: missing.map((popular) => label(popular.line)).join(LINE_SEPARATOR),
        tier: view.tier,
      };
      add(
        'O3',
        `Whitespace: ${sources.join('; ')}; this account does not`,
        siblings.length === 0
          ? evidence
          : { ...evidence, siblingLines: siblings.map(label).join(LINE_SEPARATOR) },
      );
    }
  }

  // Threats
  if (isShrinking(metrics)) {
    add(
      'T1',
      `Shrinking: revenue ${growthFigures(metrics, metrics.growth as number)}`,
      growthEvidence,
    );
  }
  if (isLosingDeals(metrics)) {
    const rivals = metrics.lostToCompetitors;
    add(
      'T2',
      `${formatCount(metrics.lostLast180Days, 'deal', 'deals')} lost in the last ${RECENT_LOSS_DAYS} days` +
        (rivals.length > 0 ? `, to ${formatList(rivals)}` : ''),
      {
        lostDeals: metrics.lostLast180Days,
        days: RECENT_LOSS_DAYS,
        competitors: rivals.join('; '),
      },
    );
  }
  if (view.satisfaction.openComplaints > 0) {
    const count = view.satisfaction.openComplaints;
    const major = view.satisfaction.openMajorComplaints;
    add(
      'T3',
      `${formatCount(count, 'open complaint', 'open complaints')}${major > 0 ? `, ${major} major` : ''} (only about 4% of unhappy customers complain)`,
      { openComplaints: count, majorComplaints: major },
    );
  }
  if (view.share >= DEPENDENCE_SHARE) {
    add('T4', `Dependence on one account: ${formatPercent(view.share)} of portfolio revenue`, {
      share: view.share,
    });
  }
  if (
    metrics.recencyDays !== null &&
    metrics.recencyDays > CHURN_WARNING_SHARE * settings.churnDays &&
    view.stage !== 'lapsed'
  ) {
    add(
      'T5',
      `Churn risk: no won deal for ${formatDays(metrics.recencyDays)} (lapses after ${formatDays(settings.churnDays)})`,
      {
        recencyDays: metrics.recencyDays,
        churnDays: settings.churnDays,
      },
    );
  }

  const derived = items.length;
  for (const quadrant of SWOT_QUADRANTS) {
    for (const text of view.inputs.manualSwot[quadrant]) {
      items.push({ ruleId: null, quadrant, text, evidence: {} });
    }
  }
  // Derived items are added quadrant by quadrant already; only typed-in ones need sorting in.
  if (items.length === derived) return items;
  const order = (item: SwotItem): number => SWOT_QUADRANTS.indexOf(item.quadrant);
  return items.sort((a, b) => order(a) - order(b));
}

const QUADRANT_OF: Readonly<Record<'S' | 'W' | 'O' | 'T', SwotQuadrant>> = {
  S: 'strength',
  W: 'weakness',
  O: 'opportunity',
  T: 'threat',
};

import { stringify } from 'csv-stringify/sync';
import type { CompanyScore, PortfolioScore } from '../../src/index.ts';
import { round } from '../../src/index.ts';

type Cell = string | number | boolean | null;

/** The columns a manager imports into a spreadsheet, one row per company. */
const COLUMNS: ReadonlyArray<readonly [string, (company: CompanyScore) => Cell]> = [
  ['id', (c) => c.id],
  ['name', (c) => c.name],
  ['owner_id', (c) => c.ownerId],
  ['tier', (c) => c.tier],
  ['tier_pinned', (c) => c.tierPinned],
  ['computed_tier', (c) => c.computedTier],
  ['score', (c) => c.score],
  ['grade', (c) => c.grade],
  ['attractiveness', (c) => c.attractiveness],
  ['strength', (c) => c.strength],
  ['strategy', (c) => c.strategy],
  ['stage', (c) => c.stage],
  ['loyalty', (c) => c.loyalty],
  ['segment', (c) => c.segment],
  ['breadth', (c) => c.breadth],
  ['satisfaction_gap', (c) => c.satisfactionGap],
  ['satisfaction_level', (c) => c.satisfactionLevel],
  ['revenue_ttm', (c) => round(c.metrics.revenueTtm, 2)],
  ['revenue_prev', (c) => round(c.metrics.revenuePrev, 2)],
  ['growth', (c) => (c.metrics.growth === null ? null : round(c.metrics.growth, 4))],
  ['win_rate', (c) => (c.metrics.winRate === null ? null : round(c.metrics.winRate, 4))],
  ['pipeline_weighted', (c) => round(c.metrics.pipelineWeighted, 2)],
  ['share', (c) => round(c.metrics.share, 6)],
  ['tenure_days', (c) => c.metrics.tenureDays],
  ['recency_days', (c) => c.metrics.recencyDays],
  ['days_since_activity', (c) => c.metrics.daysSinceActivity],
  ['quarters_with_win', (c) => c.metrics.quartersWithWin],
  ['lost_recent', (c) => c.metrics.lostRecent],
  ['lost_last_180_days', (c) => c.metrics.lostLast180Days],
  ['lost_to_competitors', (c) => c.metrics.lostToCompetitors.join('; ')],
  [
    'sales_cycle_days',
    (c) => (c.metrics.salesCycleDays === null ? null : round(c.metrics.salesCycleDays, 1)),
  ],
  ['stage_rule', (c) => c.explanations.stage?.rule ?? null],
  ['survey_stale', (c) => c.satisfaction.stale],
  ['product_lines', (c) => c.metrics.productLines.join('; ')],
  ['next_action', (c) => c.actions[0]?.title ?? null],
  ['next_action_due', (c) => c.actions[0]?.due ?? null],
  ['actions', (c) => c.actions.length],
  [
    'swot_rules',
    (c) =>
      c.swot
        .flatMap((item) =>
          item.ruleId === null
            ? []
            : [item.dimension ? `${item.ruleId}:${item.dimension}` : item.ruleId],
        )
        .join(' '),
  ],
  ['flags', (c) => [...new Set(c.flags.map((flag) => flag.code))].join(' ')],
  // §11 the group (a standalone company is a group of one with its own id).
  ['group_id', (c) => c.group.id],
  ['group_name', (c) => c.group.name],
  ['group_tier', (c) => c.group.tier],
  ['group_revenue_ttm', (c) => round(c.group.revenueTtm, 2)],
  ['group_size', (c) => c.group.size],
  // §12 complaints and §13 the plan's attainment (empty without a goal).
  ['open_complaints', (c) => c.complaints.open],
  ['overdue_complaints', (c) => c.complaints.overdue],
  ['complaints_12m', (c) => c.complaints.last12Months],
  ['plan_attainment', (c) => c.plan?.attainment ?? null],
];

export function renderCsv(result: PortfolioScore): string {
  return stringify(
    result.companies.map((company) => COLUMNS.map(([, cell]) => cell(company))),
    {
      header: true,
      columns: COLUMNS.map(([name]) => name),
      cast: { boolean: (value) => String(value) },
      // A name or product line starting with = + - @ (or a tab or CR) would
      // run as a formula in a spreadsheet: it is written with a leading '.
      escape_formulas: true,
    },
  );
}

import Table from 'cli-table3';
import { styleText } from 'node:util';
import type { CompanyScore, PortfolioScore, Settings, Tier } from '../../src/index.ts';
import { formatMoney, formatOneDecimal, formatPercent, TIERS } from '../../src/index.ts';
import { terminalText } from './terminal-text.ts';

type Color = Parameters<typeof styleText>[0];

export interface TableOptions {
  /** Show only the largest N companies; all when undefined. */
  readonly top?: number;
  /** Colour only where the stream is a terminal that wants it (NO_COLOR, FORCE_COLOR honoured). */
  readonly stream: NodeJS.WriteStream | NodeJS.WritableStream;
}

const TIER_COLOR: Readonly<Record<Tier, Color>> = {
  strategic: 'magenta',
  key: 'cyan',
  standard: 'green',
  transactional: 'white',
  unrated: 'gray',
};
const GRADE_COLOR: Readonly<Record<string, Color>> = {
  A: 'green',
  B: 'cyan',
  C: 'yellow',
  D: 'red',
};

function paint(format: Color, text: string, stream: TableOptions['stream']): string {
  return 'isTTY' in stream ? styleText(format, text, { stream }) : text;
}

const PLAIN_STYLE = { head: [], border: [] };
/** No rule between rows: a portfolio has many. */
const COMPACT_CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** People's view of a scored portfolio: the summary first, then one row per company. */
export function renderTable(
  result: PortfolioScore,
  settings: Settings,
  options: TableOptions,
): string {
  const { portfolio } = result;
  const color = (format: Color, text: string): string => paint(format, text, options.stream);
  const out: string[] = [];

  out.push(
    color('bold', `KAM portfolio as of ${result.asOf.slice(0, 10)}`) +
      ` — ${portfolio.companies} companies, ${portfolio.ratedCompanies} rated, revenue ${formatMoney(portfolio.revenueTtm)} in the last ${settings.windowDays} days (${settings.tierMethod})`,
  );

  const tiers = new Table({
    head: ['Tier', 'Accounts', 'Revenue share'],
    style: PLAIN_STYLE,
    chars: COMPACT_CHARS,
    colAligns: ['left', 'right', 'right'],
  });
  for (const tier of TIERS) {
    tiers.push([
      color(TIER_COLOR[tier], tier),
      portfolio.tierCounts[tier],
      formatPercent(portfolio.revenueShareByTier[tier]),
    ]);
  }
  out.push(tiers.toString());
  out.push(terminalText(portfolio.explanations.top20Share?.text ?? ''));
  out.push(terminalText(portfolio.explanations.topBands?.text ?? ''));
  out.push(`Groups: ${terminalText(portfolio.groups.explanation.text)}`);
  out.push(`Matrix: ${countsLine(portfolio.strategyCounts)}`);
  out.push(`Segments: ${countsLine(portfolio.segmentCounts)}`);
  out.push(`Stages: ${countsLine(portfolio.stageCounts)}`);
  const quality = portfolio.dataQuality;
  const flags = Object.entries(quality.flags).map(([code, count]) => `${code} ${count}`);
  out.push(
    `Data quality: ${quality.deals} deals, ${quality.dealsWithoutCompany} without a company (ignored), ` +
      `${quality.dealsSplitWithoutPrimary} split (no primary), ${quality.companiesFlagged} companies flagged` +
      (flags.length > 0 ? ` (${flags.join(', ')})` : ''),
  );

  const ranked = [...result.companies].sort(
    (a, b) =>
      TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) || b.metrics.revenueTtm - a.metrics.revenueTtm,
  );
  const shown = options.top === undefined ? ranked : ranked.slice(0, options.top);
  const companies = new Table({
    head: [
      'Company',
      'Tier',
      'Score',
      'Strategy',
      'Segment',
      'Stage',
      'Revenue',
      'Growth',
      'Group',
      'Complaints',
      'Plan',
      'Next action (due)',
    ],
    style: PLAIN_STYLE,
    chars: COMPACT_CHARS,
    colAligns: [
      'left',
      'left',
      'right',
      'left',
      'left',
      'left',
      'right',
      'right',
      'left',
      'right',
      'right',
      'left',
    ],
  });
  for (const company of shown) companies.push(companyRow(company, color));
  out.push(companies.toString());
  if (shown.length < ranked.length)
    out.push(`… ${ranked.length - shown.length} more companies (use --format csv or json for all)`);
  return `${out.join('\n')}\n`;
}

function countsLine(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
}

function companyRow(
  company: CompanyScore,
  color: (format: Color, text: string) => string,
): string[] {
  const next = company.actions[0];
  const score =
    company.score === null || company.grade === null
      ? '–'
      : `${company.score.toFixed(1)} ${color(GRADE_COLOR[company.grade] ?? 'white', company.grade)}`;
  // Every value that comes from the portal passes through terminalText.
  return [
    terminalText(`${company.name ?? '(no name)'} [${company.id}]`),
    color(TIER_COLOR[company.tier], company.tier + (company.tierPinned ? ' (pinned)' : '')),
    score,
    company.strategy ?? '–',
    company.segment ?? '–',
    company.stage,
    formatMoney(company.metrics.revenueTtm),
    company.metrics.growth === null ? '–' : formatPercent(company.metrics.growth, true),
    groupCell(company),
    complaintsCell(company),
    planCell(company),
    next === undefined ? '–' : terminalText(`${next.title} (${next.due})`),
  ];
}

/** §11: a member's group as "name (tier, N members, revenue)"; – for a standalone company. */
function groupCell(company: CompanyScore): string {
  const { group } = company;
  if (group.size === 1) return '–';
  return terminalText(
    `${group.name ?? `[${group.id}]`} (${group.tier}, ${group.size}, ${formatMoney(group.revenueTtm)})`,
  );
}

/** §12: open (overdue) / created in the last 365 days; – with no complaint on record. */
function complaintsCell(company: CompanyScore): string {
  const { complaints } = company;
  if (complaints.source === 'none') return '–';
  const overdue = complaints.overdue > 0 ? ` (${complaints.overdue} late)` : '';
  return `${complaints.open}${overdue} / ${complaints.last12Months}`;
}

/** §13: attainment of the plan's goal; "no goal" for a plan without one; – for no plan. */
function planCell(company: CompanyScore): string {
  const { plan } = company;
  if (plan === null) return '–';
  return plan.attainment === null ? 'no goal' : `${formatOneDecimal(plan.attainment)}%`;
}

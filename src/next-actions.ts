import type { AccountView } from './account-view.ts';
import type { Scalar } from './explanation.ts';
import { isoDate } from './format.ts';
import type { ServqualDimension } from './settings.ts';
import type { SwotItem, SwotRuleId } from './swot.ts';
import { DAY_MS } from './time.ts';

export const ACTION_RULES = [
  'A1',
  'A2',
  'A3',
  'A4',
  'A5',
  'A6',
  'A7',
  'A8',
  'A9',
  'A10',
  'A11',
  'A12',
  'A13',
] as const;
export type ActionRuleId = (typeof ACTION_RULES)[number];

/** A1 → 1 … A13 → 13, looked up rather than parsed in every comparison of every sort. */
const RULE_NUMBER = Object.fromEntries(
  ACTION_RULES.map((ruleId) => [ruleId, Number(ruleId.slice(1))]),
) as Readonly<Record<ActionRuleId, number>>;

export interface NextAction {
  readonly ruleId: ActionRuleId;
  readonly dimension?: ServqualDimension;
  /** Stable across runs (rule, dimension, company): a task made from it remembers it. */
  readonly key: string;
  readonly title: string;
  readonly reason: string;
  readonly evidence: Readonly<Record<string, Scalar>>;
  /** 1 is the highest. */
  readonly priority: number;
  readonly dueDays: number;
  /** asOf + dueDays, as a UTC date (YYYY-MM-DD). */
  readonly due: string;
}

/** A3's remedy per SERVQUAL dimension. */
export const DIMENSION_REMEDY: Readonly<Record<ServqualDimension, string>> = {
  tangibles: 'Refresh what the customer sees: materials, facilities, documentation',
  reliability: 'Agree a delivery-reliability plan: do what was promised, first time',
  responsiveness: 'Agree a response-time commitment',
  assurance: 'Put a senior expert on the account and confirm competence',
  empathy: 'Name one accountable contact and review the customer’s own needs',
};

/** The action key: rule id, the dimension where there is one, company id; no ':' (BullMQ ids). */
export function actionKey(
  ruleId: ActionRuleId,
  companyId: string,
  dimension?: ServqualDimension,
): string {
  return dimension === undefined ? `${ruleId}-${companyId}` : `${ruleId}-${dimension}-${companyId}`;
}

/**
 * The next actions of kam-model.md §7, sorted by priority, then due date,
 * then rule id. Each carries the reason (with evidence) it fired.
 *
 * @param asOf the instant (epoch ms) due dates count from, or a function
 *   giving the due date N days after it (a portfolio run formats each once)
 */
export function nextActions(
  view: AccountView,
  swot: readonly SwotItem[],
  asOf: number | ((days: number) => string),
): NextAction[] {
  const dueDate =
    typeof asOf === 'number' ? (days: number): string => isoDate(asOf + days * DAY_MS) : asOf;
  const actions: NextAction[] = [];
  const fired = (ruleId: SwotRuleId): SwotItem[] => {
    // A plain loop: this runs six times for every account of a portfolio.
    const items: SwotItem[] = [];
    for (const item of swot) if (item.ruleId === ruleId) items.push(item);
    return items;
  };
  const add = (
    ruleId: ActionRuleId,
    title: string,
    reason: string,
    evidence: Record<string, Scalar>,
    priority: number,
    dueDays: number,
    dimension?: ServqualDimension,
  ): void => {
    const key = actionKey(ruleId, view.companyId, dimension);
    const due = dueDate(dueDays);
    // Two literals rather than a spread: `dimension` is absent, not undefined, without one.
    actions.push(
      dimension === undefined
        ? { ruleId, key, title, reason, evidence, priority, dueDays, due }
        : { ruleId, dimension, key, title, reason, evidence, priority, dueDays, due },
    );
  };
  const { tier } = view;
  const topTwoTiers = tier === 'strategic' || tier === 'key';
  const fromSwot = (
    ruleId: ActionRuleId,
    item: SwotItem,
    title: string,
    priority: number,
    days: number,
  ): void =>
    add(
      ruleId,
      title,
      `${item.ruleId}: ${item.text}`,
      item.evidence,
      priority,
      days,
      item.dimension,
    );

  for (const item of fired('W4'))
    fromSwot('A1', item, 'Schedule an account visit', topTwoTiers ? 1 : 3, 7);
  if (view.segment === 'at_risk') {
    add(
      'A2',
      'Executive-sponsor visit and retention plan',
      `At risk: ${tier} account with loyalty ${view.loyalty ?? 'n/a'} — high volume, not loyal`,
      { tier, loyalty: view.loyalty, segment: view.segment },
      1,
      14,
    );
  }
  for (const item of fired('W1')) {
    if (item.dimension !== undefined) fromSwot('A3', item, DIMENSION_REMEDY[item.dimension], 2, 14);
  }
  for (const item of fired('T3')) fromSwot('A4', item, 'Resolve the complaint and call back', 1, 2);
  const growthSignal =
    swot.find((item) => item.ruleId === 'O1') ?? swot.find((item) => item.ruleId === 'O2');
  if (growthSignal !== undefined && tier !== 'transactional') {
    fromSwot('A5', growthSignal, 'Prepare a solution proposal', 2, 21);
  }
  if (view.breadth === 'specialised' && (topTwoTiers || tier === 'standard')) {
    add(
      'A6',
      'Cross-sell review',
      `Specialised ${tier} account: buys only ${view.metrics.productLines.join(', ')}`,
      { productLines: view.metrics.productLines.length, tier },
      3,
      30,
    );
  }
  if (view.stage === 'lapsed') {
    add(
      'A7',
      'Win-back call',
      `Lapsed: last won ${view.metrics.recencyDays ?? 'n/a'} days ago and no open deal`,
      { recencyDays: view.metrics.recencyDays, openDeals: view.metrics.openCount },
      2,
      7,
    );
  }
  for (const item of fired('T1')) fromSwot('A8', item, 'Business review meeting', 2, 14);
  if (tier === 'strategic' && view.inputs.accountPlan === null) {
    add(
      'A9',
      'Write the annual account plan (OGSM)',
      'Strategic account without an account plan',
      { tier, accountPlan: false },
      2,
      30,
    );
  }
  if (topTwoTiers) {
    for (const item of fired('W2'))
      fromSwot('A10', item, 'Map the buying centre (contact matrix)', 2, 21);
  }
  for (const item of fired('T4')) fromSwot('A11', item, 'Review credit exposure (5C)', 3, 30);
  if (view.segment === 'low_value') {
    add(
      'A12',
      'Move to a low-touch service model',
      `Low value: ${tier} account with loyalty ${view.loyalty ?? 'n/a'} — low volume, not loyal`,
      { tier, loyalty: view.loyalty, segment: view.segment },
      4,
      60,
    );
  }
  if (topTwoTiers && !view.satisfaction.surveyCurrent) {
    const age = view.satisfaction.surveyAgeDays;
    add(
      'A13',
      'Run a satisfaction survey',
      age === null
        ? `No satisfaction survey on record for this ${tier} account`
        : `Last survey ${age} days ago (> 365)`,
      { tier, surveyAgeDays: age },
      3,
      30,
    );
  }

  return actions.sort(
    (a, b) =>
      a.priority - b.priority ||
      a.dueDays - b.dueDays ||
      RULE_NUMBER[a.ruleId] - RULE_NUMBER[b.ruleId],
  );
}

import { PLAN_REVIEW_DAYS, planReviewReason } from './account-plan.ts';
import type { AccountView } from './account-view.ts';
import { complaintAction, followUpReason } from './complaints.ts';
import type { Scalar } from './explanation.ts';
import {
  formatCount,
  formatDays,
  formatList,
  formatOneDecimal,
  formatPercent,
  isoDate,
  round,
} from './format.ts';
import { lowLoyaltyFactors } from './loyalty.ts';
import { SURVEY_STALE_DAYS } from './satisfaction.ts';
import { isLosingDeals, isShrinking } from './metrics.ts';
import type { ServqualDimension } from './settings.ts';
import { TIER_LABEL } from './settings.ts';
import type { SwotItem, SwotRuleId } from './swot.ts';
import { LINE_SEPARATOR } from './swot.ts';
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
  'A14',
  'A15',
  'A17',
  'A18',
] as const;
export type ActionRuleId = (typeof ACTION_RULES)[number];

/** A1 → 1 … A17 → 17, looked up rather than parsed in every comparison of every sort. */
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

/** Adds one action, with its key and due date, to an account's list. */
type AddAction = (
  ruleId: ActionRuleId,
  title: string,
  reason: string,
  evidence: Record<string, Scalar>,
  priority: number,
  dueDays: number,
  dimension?: ServqualDimension,
) => void;

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

/** A14 asks for at least this many competitors on file. */
export const MIN_COMPETITORS = 2;

/**
 * The next actions of kam-model.md §7 (v2), sorted by priority, then due
 * date, then rule id. Each carries the reason (with evidence) it fired. An
 * account gets at most one posture action: the first of A7 (win back), A2
 * (retain), A12 (low-touch); a rated account never gets A12 while O1, O2
 * or O3 fires.
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
    // A plain loop: this runs for every rule of every account of a portfolio.
    const items: SwotItem[] = [];
    for (const item of swot) if (item.ruleId === ruleId) items.push(item);
    return items;
  };
  const add: AddAction = (ruleId, title, reason, evidence, priority, dueDays, dimension) => {
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
  const tierLabel = TIER_LABEL[tier];
  const topTwoTiers = tier === 'strategic' || tier === 'key';
  // The SWOT item's own sentence is the reason: its rule id is in the evidence, not the text.
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
      item.text,
      { ...item.evidence, swotRule: item.ruleId },
      priority,
      days,
      item.dimension,
    );

  for (const item of fired('W4'))
    fromSwot('A1', item, 'Schedule an account visit', topTwoTiers ? 1 : 3, 7);
  for (const item of fired('W1')) {
    if (item.dimension !== undefined) fromSwot('A3', item, DIMENSION_REMEDY[item.dimension], 2, 14);
  }
  for (const item of fired('T3')) {
    // §12: due by the first SLA to run out; escalated, due now, once one has.
    const a4 = complaintAction(view.complaints, tier);
    add(
      'A4',
      a4.title,
      `${item.text}; ${a4.reason}`,
      { ...item.evidence, swotRule: item.ruleId, ...a4.evidence },
      1,
      a4.dueDays,
    );
  }
  const followUp = view.complaints.followUp;
  if (followUp !== null) {
    add(
      'A15',
      'Follow-up call on the closed complaint (回访)',
      followUpReason(followUp),
      { ...followUp },
      1,
      3,
    );
  }
  const growthSignal = fired('O1')[0] ?? fired('O2')[0];
  if (growthSignal !== undefined && tier !== 'transactional') {
    fromSwot('A5', growthSignal, 'Prepare a solution proposal', 2, 21);
  }
  for (const item of fired('O3')) {
    const lines = [item.evidence.lines, item.evidence.siblingLines]
      .filter((text): text is string => typeof text === 'string' && text !== '')
      .flatMap((text) => text.split(LINE_SEPARATOR));
    fromSwot('A6', item, `Cross-sell review: ${formatList(lines)}`, 3, 30);
  }
  if (tier !== 'unrated') {
    for (const item of fired('T1')) fromSwot('A8', item, 'Business review meeting', 2, 14);
  }
  if (topTwoTiers && view.plan === null) {
    add(
      'A9',
      'Write the account plan (OGSM)',
      `${tierLabel} account without an account plan`,
      { tier, accountPlan: false },
      2,
      30,
    );
  }
  if (topTwoTiers) {
    for (const item of fired('W2'))
      fromSwot('A10', item, 'Map the buying centre (contact matrix)', 2, 21);
  }
  for (const item of fired('T4'))
    fromSwot('A11', item, 'Review credit exposure (5C) and dependence', 3, 30);
  if (topTwoTiers && !view.satisfaction.surveyCurrent) {
    const age = view.satisfaction.surveyAgeDays;
    add(
      'A13',
      'Run a satisfaction survey',
      age === null
        ? `No dated satisfaction survey on record for this ${tierLabel.toLowerCase()} account`
        : `Last survey ${formatDays(age)} ago: stale after ${formatDays(SURVEY_STALE_DAYS)}`,
      { tier, surveyAgeDays: age },
      3,
      30,
    );
  }
  const competitors = view.inputs.competitors.length;
  if (topTwoTiers && competitors < MIN_COMPETITORS) {
    add(
      'A14',
      'Analyse at least two competitors',
      `${formatCount(competitors, 'competitor', 'competitors')} on file for this ${tierLabel.toLowerCase()} account; know at least ${MIN_COMPETITORS}`,
      { tier, competitors },
      3,
      30,
    );
  }
  for (const item of fired('W5')) fromSwot('A17', item, 'Name an owner for the account', 1, 7);
  if (view.plan?.reviewDue === true) {
    add(
      'A18',
      'Review the account plan',
      planReviewReason(view.plan),
      { reviewAgeDays: view.plan.reviewAgeDays, reviewDays: PLAN_REVIEW_DAYS },
      3,
      14,
    );
  }
  addPostureAction(view, swot, add);

  return actions.sort(
    (a, b) =>
      a.priority - b.priority ||
      a.dueDays - b.dueDays ||
      RULE_NUMBER[a.ruleId] - RULE_NUMBER[b.ruleId],
  );
}

/** Growth signals that rule A12 out for a rated account. */
const OPPORTUNITY_RULES: ReadonlySet<SwotRuleId | null> = new Set(['O1', 'O2', 'O3']);

/** The one posture action, if any: the first of A7, A2, A12 that applies. */
function addPostureAction(view: AccountView, swot: readonly SwotItem[], add: AddAction): void {
  const { tier, metrics } = view;
  const tierLabel = TIER_LABEL[tier];
  if (view.stage === 'lapsed') {
    add(
      'A7',
      'Win-back call',
      metrics.recencyDays === null
        ? `Lapsed: never won, ${formatCount(metrics.lostCount, 'deal', 'deals')} lost and no open deal`
        : `Lapsed: last won ${formatDays(metrics.recencyDays)} ago and no open deal`,
      {
        recencyDays: metrics.recencyDays,
        lostDeals: metrics.lostCount,
        openDeals: metrics.openCount,
      },
      2,
      7,
    );
    return;
  }
  const loyalty = view.loyalty === null ? null : round(view.loyalty, 1);
  const loyaltyText = loyalty === null ? '' : `, loyalty ${formatOneDecimal(loyalty)}`;
  if (view.segment === 'at_risk') {
    const why: string[] = [];
    if (isShrinking(metrics)) why.push(`revenue ${formatPercent(metrics.growth as number, true)}`);
    if (isLosingDeals(metrics)) {
      why.push(`${formatCount(metrics.lostLast180Days, 'deal', 'deals')} lost in 180 days`);
    }
    const low = lowLoyaltyFactors(view.loyaltyExplanation);
    add(
      'A2',
      'Executive-sponsor visit and retention plan',
      `At risk: ${tierLabel.toLowerCase()} account, high volume but not loyal${loyaltyText}` +
        (why.length > 0 ? `; ${why.join(', ')}` : '') +
        (low.length > 0 ? `; low: ${low.join(', ')}` : ''),
      { tier, loyalty, segment: view.segment, lowFactors: low.join('; ') },
      1,
      14,
    );
    return;
  }
  if (
    view.segment === 'low_value' &&
    (tier === 'standard' || tier === 'transactional') &&
    (view.stage === 'steady' || view.stage === 'declining') &&
    !swot.some((item) => OPPORTUNITY_RULES.has(item.ruleId))
  ) {
    add(
      'A12',
      'Move to a low-touch service model',
      `Low value: ${tierLabel.toLowerCase()} account, ${view.stage}${loyaltyText}: low volume, not loyal, no growth signal`,
      { tier, loyalty, segment: view.segment, stage: view.stage },
      4,
      60,
    );
  }
}

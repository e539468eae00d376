import type { AccountInputs } from './account-inputs.ts';
import { readAccountInputs } from './account-inputs.ts';
import type { PlanProgress, PlanStatus } from './account-plan.ts';
import { planDealContribution, planGoal, planStatus } from './account-plan.ts';
import type { AccountView } from './account-view.ts';
import type { BuyingCentre, ContactFacts, ContactTotals } from './buying-centre.ts';
import {
  addContact,
  buyingCentre,
  buyingCentreExplanation,
  NO_CONTACTS,
  readContact,
} from './buying-centre.ts';
import { createCompanyRows } from './company-rows.ts';
import type { ComplaintFacts, ComplaintStatus } from './complaints.ts';
import { complaintStatus, createComplaintCollector, latestCompletedTouch } from './complaints.ts';
import type { DataQualityFlag } from './data-quality.ts';
import type { CreditCounts } from './deals.ts';
import { forEachCredit, newCreditCounts } from './deals.ts';
import type { Explanation } from './explanation.ts';
import { isoDate, round } from './format.ts';
import { metricExplanations } from './metric-explanations.ts';
import type { PortfolioContext } from './portfolio-context.ts';
import type { PortfolioSummary, SummaryEntry } from './portfolio-summary.ts';
import { addToSummary, finishSummary, newSummary } from './portfolio-summary.ts';
import { portfolioContext, productLineLabel } from './portfolio-context.ts';
import type { CustomerProfile } from './profile.ts';
import { customerProfile, profileExplanation } from './profile.ts';
import { DAY_MS } from './time.ts';
import type { GroupFigures } from './groups.ts';
import { groupFigures, summarizeGroups } from './groups.ts';
import type { CrmObject, PortalInput } from './hubspot-objects.ts';
import { linkedCompanies } from './hubspot-objects.ts';
import type { Breadth, RelationshipStage, Segment } from './loyalty.ts';
import { loyalty, productBreadth, relationshipStage, segment } from './loyalty.ts';
import type { AccountPercentiles, Grade, MatrixLevel, Strategy } from './matrix.ts';
import { attractiveness, gradeAccount, matrixPosition, strength } from './matrix.ts';
import type { AccountMetrics } from './metrics.ts';
import { accumulateDeal, finishMetrics, metricWindows, newMetricsTotals } from './metrics.ts';
import type { NextAction } from './next-actions.ts';
import { nextActions } from './next-actions.ts';
import type { Satisfaction, SatisfactionLevel } from './satisfaction.ts';
import { measureSatisfaction } from './satisfaction.ts';
import type { Settings, Tier } from './settings.ts';
import type { SwotItem } from './swot.ts';
import { deriveSwot } from './swot.ts';
import type { MeetingFacts, MeetingTotals, Visits } from './visits.ts';
import {
  accountVisits,
  addMeeting,
  meetingReader,
  NO_MEETINGS,
  readMeeting,
  visitsExplanation,
} from './visits.ts';
import type { AccountStanding } from './standings.ts';
import { portfolioStandings } from './standings.ts';

/**
 * Everything about one company that does not depend on any other company:
 * its parsed inputs, its §2 metrics, open complaints and data-quality flags.
 * The backend keeps these per company so one deal change re-ranks the
 * portfolio without re-reading it.
 */
export interface AccountFacts {
  readonly companyId: string;
  readonly inputs: AccountInputs;
  readonly metrics: AccountMetrics;
  readonly openComplaints: number;
  /** Of them, those of priority HIGH or URGENT (kam-model.md §7 T3, §12). */
  readonly openMajorComplaints: number;
  /** §12: the complaints (tickets in the complaint pipelines) and the latest completed call. */
  readonly complaints: ComplaintFacts;
  /** §13: won and weighted open revenue towards the plan's goal; null without a goal. */
  readonly planProgress: PlanProgress | null;
  readonly flags: readonly DataQualityFlag[];
  /** The associated contacts, bounded (kam-model.md §9). */
  readonly contacts: ContactFacts;
  /** The associated meetings' count and the visit dates that matter (§10). */
  readonly meetings: MeetingFacts;
}

export type DealCounts = Readonly<CreditCounts>;

export interface CompanyScore {
  readonly id: string;
  readonly name: string | null;
  readonly ownerId: string | null;
  readonly tier: Tier;
  readonly tierPinned: boolean;
  readonly computedTier: Tier;
  readonly paretoRank: number | null;
  /** kam_score to one decimal; the grade and matrix read the unrounded value. */
  readonly score: number | null;
  readonly grade: Grade | null;
  readonly attractiveness: number | null;
  readonly strength: number | null;
  readonly attractivenessLevel: MatrixLevel | null;
  readonly strengthLevel: MatrixLevel | null;
  readonly strategy: Strategy | null;
  readonly stage: RelationshipStage;
  readonly loyalty: number | null;
  /** Null while loyalty is not measurable (a prospect, a first-year customer). */
  readonly segment: Segment | null;
  readonly breadth: Breadth | null;
  readonly satisfactionGap: number | null;
  readonly satisfactionLevel: SatisfactionLevel | null;
  readonly satisfaction: Satisfaction;
  readonly metrics: AccountMetrics & { readonly share: number };
  readonly swot: readonly SwotItem[];
  readonly actions: readonly NextAction[];
  readonly flags: readonly DataQualityFlag[];
  /** kam-model.md §9. */
  readonly buyingCentre: BuyingCentre;
  /** kam-model.md §10. */
  readonly visits: Visits;
  /** kam-model.md §14. */
  readonly profile: CustomerProfile;
  /** §11: the account's group; size 1 = standalone. */
  readonly group: CompanyGroup;
  /** §12. */
  readonly complaints: ComplaintStatus;
  /** §13; null = no plan. */
  readonly plan: PlanStatus | null;
  readonly explanations: Readonly<Record<string, Explanation>>;
}

/** The group on the card (kam-model.md §11), under the name the #13 contract gave it. */
export type CompanyGroup = GroupFigures;

export interface PortfolioScore {
  readonly asOf: string;
  readonly portfolio: PortfolioSummary;
  readonly companies: readonly CompanyScore[];
}

/**
 * Collects per-company facts while a portal streams past: companies first
 * (crediting needs to know them), then deals and tickets page by page in any
 * order. Only per-company running totals are kept, never the deals.
 */
export interface FactsCollector {
  addDeals(deals: readonly CrmObject[]): void;
  /** Tickets; those in `settings.complaintPipelines` are complaints (§12). */
  addTickets(tickets: readonly CrmObject[]): void;
  /** Contacts with `associations.companies` (kam-model.md §9). */
  addContacts(contacts: readonly CrmObject[]): void;
  /** Meetings with `associations.companies` (kam-model.md §10). */
  addMeetings(meetings: readonly CrmObject[]): void;
  /** Calls: the latest completed one clears A15 after a complaint's closing (§12). */
  addCalls(calls: readonly CrmObject[]): void;
  finish(): { facts: AccountFacts[]; dealCounts: DealCounts };
}

export function createFactsCollector(
  companies: readonly CrmObject[],
  settings: Settings,
  asOfMs: number,
): FactsCollector {
  const windows = metricWindows(settings, asOfMs);
  // One row per distinct company, in the order first seen; a company listed
  // twice keeps its first row and its last inputs.
  const rows = createCompanyRows();
  const inputs: AccountInputs[] = [];
  const flags: DataQualityFlag[][] = [];
  for (const company of companies) {
    const read = readAccountInputs(company);
    const row = rows.add(company.id);
    inputs[row] = read.inputs;
    flags[row] = read.flags;
  }
  const totals = newMetricsTotals(inputs.length);
  const complaints = createComplaintCollector(settings, asOfMs);
  const isKnown = (companyId: string): boolean => rows.rowOf(companyId) !== undefined;
  // §13: only companies whose plan has a goal sum their deals towards it (NaN = no goal).
  const goalDates = new Float64Array(inputs.length).fill(Number.NaN);
  inputs.forEach((accountInputs, row) => {
    const goal = planGoal(accountInputs.plan);
    if (goal !== null) goalDates[row] = goal.dateMs;
  });
  const planSums = new Float64Array(inputs.length * 2);
  const counts = newCreditCounts();
  // Sparse: most companies of a portal have neither contacts nor meetings.
  const contactTotals: (ContactTotals | undefined)[] = [];
  const meetingTotals: (MeetingTotals | undefined)[] = [];
  const meetings = meetingReader(settings, asOfMs);
  return {
    addDeals(deals) {
      forEachCredit(deals, rows.rowOf, settings, counts, (row, deal, fraction) => {
        accumulateDeal(totals, row, deal, fraction, windows);
        if (deal.flags.length > 0) (flags[row] as DataQualityFlag[]).push(...deal.flags);
        const goalDateMs = goalDates[row] as number;
        if (goalDateMs === goalDateMs) {
          const [won, open] = planDealContribution(deal, fraction, goalDateMs, asOfMs);
          planSums[row * 2] = (planSums[row * 2] as number) + won;
          planSums[row * 2 + 1] = (planSums[row * 2 + 1] as number) + open;
        }
      });
    },
    addTickets(tickets) {
      complaints.addTickets(tickets, isKnown);
    },
    addCalls(calls) {
      complaints.addCalls(calls, isKnown);
    },
    addContacts(contacts) {
      for (const contact of contacts) {
        const links = linkedCompanies(contact.associations?.companies?.results ?? []);
        if (links.length === 0) continue;
        const read = readContact(contact);
        for (const { companyId } of links) {
          const row = rows.rowOf(companyId);
          if (row !== undefined) contactTotals[row] = addContact(contactTotals[row], read, asOfMs);
        }
      }
    },
    addMeetings(list) {
      for (const meeting of list) {
        const links = linkedCompanies(meeting.associations?.companies?.results ?? []);
        if (links.length === 0) continue;
        const read = readMeeting(meeting, meetings);
        for (const { companyId } of links) {
          const row = rows.rowOf(companyId);
          if (row !== undefined) meetingTotals[row] = addMeeting(meetingTotals[row], read);
        }
      }
    },
    finish() {
      const facts = rows.ids.map((companyId, row): AccountFacts => {
        const accountInputs = inputs[row] as AccountInputs;
        const complaintFacts = complaints.factsOf(companyId);
        let openMajor = 0;
        for (const complaint of complaintFacts.open) if (complaint.major) openMajor += 1;
        return {
          companyId,
          inputs: accountInputs,
          metrics: finishMetrics(totals, row, accountInputs, windows),
          openComplaints: complaintFacts.open.length,
          openMajorComplaints: openMajor,
          complaints: complaintFacts,
          planProgress: Number.isNaN(goalDates[row])
            ? null
            : {
                wonRevenue: planSums[row * 2] as number,
                weightedOpen: planSums[row * 2 + 1] as number,
              },
          flags: flags[row] as DataQualityFlag[],
          contacts: contactTotals[row] ?? NO_CONTACTS,
          meetings: meetingTotals[row] ?? NO_MEETINGS,
        };
      });
      return { facts, dealCounts: { ...counts } };
    },
  };
}

/** Reads a whole HubSpot portal export into per-company facts. */
export function collectAccountFacts(
  input: PortalInput,
  settings: Settings,
  asOfMs: number,
): { facts: AccountFacts[]; dealCounts: DealCounts } {
  const collector = createFactsCollector(input.companies, settings, asOfMs);
  collector.addDeals(input.deals);
  collector.addTickets(input.tickets ?? []);
  collector.addContacts(input.contacts ?? []);
  collector.addMeetings(input.meetings ?? []);
  collector.addCalls(input.calls ?? []);
  return collector.finish();
}

/**
 * Scores a whole HubSpot portal as of an instant: the entry point of the model.
 *
 * @example
 * scorePortal({companies, deals}, DEFAULT_SETTINGS, Date.parse('2026-11-01T00:00:00Z'))
 */
export function scorePortal(
  input: PortalInput,
  settings: Settings,
  asOfMs: number,
): PortfolioScore {
  const { facts, dealCounts } = collectAccountFacts(input, settings, asOfMs);
  return scorePortfolio(facts, settings, asOfMs, dealCounts, input.productLineLabels);
}

/**
 * Ranks and scores every account from its facts: share, tier and percentiles
 * are relative to the portfolio, everything else follows per account.
 */
export function scorePortfolio(
  facts: readonly AccountFacts[],
  settings: Settings,
  asOfMs: number,
  dealCounts: DealCounts = newCreditCounts(),
  productLineLabels: Readonly<Record<string, string>> = {},
): PortfolioScore {
  const companies: CompanyScore[] = [];
  const { summary: portfolio } = scorePortfolioStream(
    facts,
    settings,
    asOfMs,
    dealCounts,
    (company) => {
      companies.push(company);
    },
    productLineLabels,
  );
  return { asOf: new Date(asOfMs).toISOString(), portfolio, companies };
}

/**
 * Scores every account and hands each result to `onCompany` as it is made,
 * keeping none: a portfolio of any size is scored in the memory of its facts.
 * Returns the portfolio summary and the context every account was scored in.
 */
export function scorePortfolioStream(
  facts: readonly AccountFacts[],
  settings: Settings,
  asOfMs: number,
  dealCounts: DealCounts,
  onCompany: (company: CompanyScore, standing: AccountStanding) => void,
  productLineLabels: Readonly<Record<string, string>> = {},
): { summary: PortfolioSummary; context: PortfolioContext } {
  const steps = scorePortfolioSteps(facts, settings, asOfMs, dealCounts, productLineLabels);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    onCompany(step.value.company, step.value.standing);
  }
}

/**
 * `scorePortfolioStream` as a generator: each account's score as it is
 * made, then (as the generator's return value) the summary and context. A
 * caller that must not hold its thread for the whole portfolio (a worker
 * serving other portals) pauses between accounts.
 */
export function* scorePortfolioSteps(
  facts: readonly AccountFacts[],
  settings: Settings,
  asOfMs: number,
  dealCounts: DealCounts,
  productLineLabels: Readonly<Record<string, string>> = {},
): Generator<
  { readonly company: CompanyScore; readonly standing: AccountStanding },
  { summary: PortfolioSummary; context: PortfolioContext }
> {
  const ranked = portfolioStandings(facts, settings);
  const context = portfolioContext(
    facts,
    facts.map((_, index) => ranked.tierAt(index)),
    productLineLabels,
  );
  const frame: PortfolioFrame = { context, settings, asOfMs, dueDate: dueDateCache(asOfMs) };
  const summary = newSummary();

  for (const [index, fact] of facts.entries()) {
    const standing = ranked.standingAt(index);
    const company = scoreAccount(fact, standing, frame);
    addToSummary(summary, summaryEntry(company));
    yield { company, standing };
  }
  return {
    summary: finishSummary(
      summary,
      ranked.ranking,
      context.productLines,
      dealCounts,
      settings,
      summarizeGroups(ranked.groups),
    ),
    context,
  };
}

/** What every account of one run shares. */
export interface PortfolioFrame {
  /** What the other accounts say: O3's tier peers, the median sales cycle, line labels. */
  readonly context: PortfolioContext;
  readonly settings: Settings;
  readonly asOfMs: number;
  /** asOf + N days as a date; a run formats each N once. */
  readonly dueDate: (days: number) => string;
}

/** Due dates repeat (7, 14, 30 days…): format each once per run. */
export function dueDateCache(asOfMs: number): (days: number) => string {
  const cache = new Map<number, string>();
  return (days) => {
    let date = cache.get(days);
    if (date === undefined) {
      date = isoDate(asOfMs + days * DAY_MS);
      cache.set(days, date);
    }
    return date;
  };
}

/** Scores are shown to one decimal; rules have already read the true value. */
function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

/** The parts of an account's score that read its percentiles (§4, §5). */
function percentileParts(
  metrics: AccountFacts['metrics'],
  percentiles: AccountPercentiles,
  overallGap: number | null,
  settings: Settings,
) {
  const attractivenessResult = attractiveness(metrics, percentiles, settings);
  const strengthResult = strength(metrics, overallGap, settings);
  return {
    attractiveness: attractivenessResult,
    strength: strengthResult,
    grade: gradeAccount(attractivenessResult.value, strengthResult.value, settings),
    matrix: matrixPosition(attractivenessResult.value, strengthResult.value),
    stage: relationshipStage(metrics, percentiles, settings),
  };
}

/**
 * Whether an account scored with percentiles `now` reads as it did with
 * `before` in everything the app writes or counts: attractiveness and score
 * as shown (one decimal), grade, matrix cell and strategy, and relationship
 * stage (the SWOT and actions read the stage, not the scores). Percentiles
 * are exact, so a re-rank moves those of every account whose value lies
 * between a changed account's old and new; this tells, without scoring the
 * account twice, whether any of that shows. Their explanations' wording may
 * still differ.
 */
export function percentilesShowAlike(
  fact: AccountFacts,
  before: AccountPercentiles,
  now: AccountPercentiles,
  frame: Pick<PortfolioFrame, 'settings' | 'asOfMs'>,
): boolean {
  const { settings, asOfMs } = frame;
  const { metrics, inputs } = fact;
  const { overallGap } = measureSatisfaction(
    inputs,
    fact.openComplaints,
    settings,
    asOfMs,
    fact.openMajorComplaints,
  );
  const was = percentileParts(metrics, before, overallGap, settings);
  const is = percentileParts(metrics, now, overallGap, settings);
  return (
    roundOrNull(was.attractiveness.value, 1) === roundOrNull(is.attractiveness.value, 1) &&
    roundOrNull(was.grade.score, 1) === roundOrNull(is.grade.score, 1) &&
    was.grade.grade === is.grade.grade &&
    was.matrix.attractivenessLevel === is.matrix.attractivenessLevel &&
    was.matrix.strengthLevel === is.matrix.strengthLevel &&
    was.matrix.strategy === is.matrix.strategy &&
    was.stage.value === is.stage.value
  );
}

/**
 * Scores one account from its facts and its standing in the portfolio: the
 * metrics, grade, matrix, stage, loyalty, segment, SWOT and next actions,
 * each with its explanation.
 */
export function scoreAccount(
  fact: AccountFacts,
  standing: AccountStanding,
  frame: PortfolioFrame,
): CompanyScore {
  const { settings, asOfMs } = frame;
  const { metrics, inputs } = fact;
  const { context } = frame;
  const satisfaction = measureSatisfaction(
    inputs,
    fact.openComplaints,
    settings,
    asOfMs,
    fact.openMajorComplaints,
  );
  const {
    attractiveness: attractivenessResult,
    strength: strengthResult,
    grade,
    matrix,
    stage,
  } = percentileParts(metrics, standing.percentiles, satisfaction.overallGap, settings);
  const loyaltyResult = loyalty(
    metrics,
    { overallGap: satisfaction.overallGap, medianSalesCycleDays: context.medianSalesCycleDays },
    settings,
  );
  const tier = standing.tier.tier;
  const complaints = complaintStatus(
    fact.complaints,
    tier,
    settings,
    asOfMs,
    // §12's A15 is cleared by a completed call or meeting after the closing:
    // the meetings (§10) come with the visits of model branch h12.
    latestCompletedTouch(fact.complaints.lastCallMs, fact.meetings.lastVisitMs),
  );
  const plan = planStatus(inputs.plan, fact.planProgress, asOfMs);
  const group = standing.group;
  const segmentResult = segment(tier, loyaltyResult.value, metrics, settings);
  const breadth = productBreadth(metrics.productLines, (line) => productLineLabel(context, line));
  const centre = buyingCentre(fact.contacts, context.hasContacts, asOfMs);
  const visits = accountVisits(
    fact.meetings,
    context.hasMeetings,
    inputs.lastActivityMs,
    tier,
    settings,
    asOfMs,
  );
  const profile = customerProfile({ inputs, buyingCentre: centre, satisfaction }, tier, settings);

  const view: AccountView = {
    companyId: fact.companyId,
    inputs,
    metrics,
    share: standing.share,
    tier,
    stage: stage.value,
    segment: segmentResult.value,
    loyalty: loyaltyResult.value,
    loyaltyExplanation: loyaltyResult.explanation,
    breadth: breadth.value,
    satisfaction,
    buyingCentre: centre,
    visits,
    complaints: complaints.status,
    plan: plan.status,
    group,
  };
  const swot = deriveSwot(view, context, settings);
  const metric = metricExplanations(metrics, standing.share);

  return {
    id: fact.companyId,
    name: inputs.name,
    ownerId: inputs.ownerId,
    tier,
    tierPinned: standing.tier.pinned,
    computedTier: standing.tier.computedTier,
    paretoRank: standing.tier.rank,
    score: roundOrNull(grade.score, 1),
    grade: grade.grade,
    attractiveness: roundOrNull(attractivenessResult.value, 1),
    strength: roundOrNull(strengthResult.value, 1),
    attractivenessLevel: matrix.attractivenessLevel,
    strengthLevel: matrix.strengthLevel,
    strategy: matrix.strategy,
    stage: stage.value,
    loyalty: roundOrNull(loyaltyResult.value, 1),
    segment: segmentResult.value,
    breadth: breadth.value,
    satisfactionGap: roundOrNull(satisfaction.overallGap, 2),
    satisfactionLevel: satisfaction.level,
    satisfaction,
    metrics: { ...metrics, share: standing.share },
    swot,
    actions: nextActions(view, swot, frame.dueDate),
    flags: fact.flags,
    buyingCentre: centre,
    visits,
    profile,
    group: groupFigures(group),
    complaints: complaints.status,
    plan: plan.status,
    explanations: {
      tier: standing.tier.explanation,
      score: grade.explanation,
      attractiveness: attractivenessResult.explanation,
      strength: strengthResult.explanation,
      matrix: matrix.explanation,
      stage: stage.explanation,
      loyalty: loyaltyResult.explanation,
      segment: segmentResult.explanation,
      breadth: breadth.explanation,
      satisfaction: satisfaction.explanation,
      // Listed rather than spread: one literal is one allocation of a known shape.
      revenueTtm: metric.revenueTtm,
      growth: metric.growth,
      winRate: metric.winRate,
      pipelineWeighted: metric.pipelineWeighted,
      share: metric.share,
      tenure: metric.tenure,
      recency: metric.recency,
      repeatRate: metric.repeatRate,
      lostRecent: metric.lostRecent,
      salesCycle: metric.salesCycle,
      buyingCentre: buyingCentreExplanation(centre, inputs.contacts),
      visits: visitsExplanation(visits),
      profile: profileExplanation(profile),
      group: group.explanations.membership,
      groupTier: group.explanations.tier,
      complaints: complaints.explanation,
      plan: plan.explanation,
    },
  };
}

/** What the portfolio summary counts of one scored account. */
export function summaryEntry(company: CompanyScore): SummaryEntry {
  return {
    id: company.id,
    tier: company.tier,
    revenueTtm: company.metrics.revenueTtm,
    strategy: company.strategy,
    attractivenessLevel: company.attractivenessLevel,
    strengthLevel: company.strengthLevel,
    segment: company.segment,
    stage: company.stage,
    flagCodes: company.flags.map((flag) => flag.code),
    name: company.name,
    hasOwner: company.ownerId !== null,
    profileCompleteness: company.profile.completeness,
  };
}

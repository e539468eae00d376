/**
 * Shared builders for the model's tests: HubSpot CRM objects in their v3
 * string form, a fixed `asOf`, and hand-set account views for rule tables.
 */
import type { AccountInputs } from '../../src/account-inputs.ts';
import { readAccountInputs } from '../../src/account-inputs.ts';
import type { PlanStatus } from '../../src/account-plan.ts';
import { planStatus } from '../../src/account-plan.ts';
import type { AccountView } from '../../src/account-view.ts';
import type { ComplaintStatus } from '../../src/complaints.ts';
import type { GroupStanding } from '../../src/groups.ts';
import type { Association, CrmObject, PortalInput } from '../../src/hubspot-objects.ts';
import type { Breadth, RelationshipStage, Segment } from '../../src/loyalty.ts';
import type { AccountMetrics } from '../../src/metrics.ts';
import type { CompanyScore, PortfolioScore } from '../../src/portfolio.ts';
import { scorePortal } from '../../src/portfolio.ts';
import { measureSatisfaction } from '../../src/satisfaction.ts';
import type { PortfolioContext, WhitespaceLine } from '../../src/portfolio-context.ts';
import type { ScoreExplanation } from '../../src/explanation.ts';
import type {
  RatedTier,
  ServqualDimension,
  Settings,
  SettingsInput,
  Tier,
} from '../../src/settings.ts';
import { DEFAULT_SETTINGS, settingsSchema } from '../../src/settings.ts';

export const DAY = 86_400_000;

/**
 * Fixed asOf: 2026-08-15T00:00Z, in Q3 2026. Its 8 calendar quarters run from
 * 2024-10-01 (Q4 2024) to Q3 2026; asOf − 365 d = 2025-08-15, asOf − 730 d = 2024-08-15.
 */
export const AS_OF = Date.parse('2026-08-15T00:00:00.000Z');

export const daysAgo = (days: number): number => AS_OF - days * DAY;
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoDaysAgo = (days: number): string => iso(daysAgo(days));

export type Props = Record<string, string | null | undefined>;

export function company(id: string, properties: Props = {}): CrmObject {
  return { id, properties: { name: `Company ${id}`, ...properties } };
}

/** v3 form of the primary company: listed twice, labelled and unlabelled. */
export function primary(companyId: string): Association[] {
  return [
    { id: companyId, type: 'deal_to_company' },
    { id: companyId, type: 'deal_to_company_unlabeled' },
  ];
}

/** v3 form of a non-primary company: listed once, unlabelled. */
export function unlabeled(companyId: string): Association[] {
  return [{ id: companyId, type: 'deal_to_company_unlabeled' }];
}

/** v4 form: type id 5 is the primary label, 341 the unlabelled one. */
export function v4(companyId: string, isPrimary: boolean): Association {
  const unlabelled = { category: 'HUBSPOT_DEFINED', typeId: 341, label: null };
  return {
    toObjectId: companyId,
    associationTypes: isPrimary
      ? [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }, unlabelled]
      : [unlabelled],
  };
}

export interface DealSpec {
  readonly id?: string;
  /** The primary company (v3 form). */
  readonly company?: string;
  /** Explicit association list; wins over `company`. */
  readonly associations?: readonly Association[];
  /** Number or raw string; null leaves the property out. Default 1000. */
  readonly amount?: number | string | null;
  /** Close date as days before AS_OF (fractions allowed). */
  readonly closedDaysAgo?: number;
  /** Close date in epoch ms (wins over closedDaysAgo). */
  readonly closeMs?: number;
  /** Stage probability of an open deal (0–1). */
  readonly probability?: number;
  /** Product line, written to `pipeline` (the default product-line property). */
  readonly line?: string;
  readonly props?: Props;
}

let dealCounter = 0;

function deal(state: 'won' | 'lost' | 'open', spec: DealSpec): CrmObject {
  dealCounter += 1;
  const id = spec.id ?? `d${dealCounter}`;
  const amount = spec.amount === undefined ? 1000 : spec.amount;
  const closeMs =
    spec.closeMs ?? (spec.closedDaysAgo === undefined ? undefined : daysAgo(spec.closedDaysAgo));
  const properties: Props = {
    dealname: `Deal ${id}`,
    dealstage: state === 'won' ? 'closedwon' : state === 'lost' ? 'closedlost' : 'qualifiedtobuy',
    pipeline: spec.line ?? 'default',
    hs_is_closed: state === 'open' ? 'false' : 'true',
    hs_is_closed_won: state === 'won' ? 'true' : 'false',
    createdate: isoDaysAgo(1500),
  };
  if (amount !== null) properties.amount = String(amount);
  if (closeMs !== undefined) properties.closedate = iso(closeMs);
  if (spec.probability !== undefined)
    properties.hs_deal_stage_probability = String(spec.probability);
  Object.assign(properties, spec.props ?? {});
  const associations =
    spec.associations ?? (spec.company === undefined ? undefined : primary(spec.company));
  return associations === undefined
    ? { id, properties }
    : { id, properties, associations: { companies: { results: [...associations] } } };
}

export const won = (spec: DealSpec): CrmObject => deal('won', spec);
export const lost = (spec: DealSpec): CrmObject => deal('lost', spec);
export const open = (spec: DealSpec): CrmObject => deal('open', spec);

/** A ticket linked to one company; open unless `closed`. */
export function ticket(id: string, companyId: string, closed = false): CrmObject {
  return {
    id,
    properties: closed
      ? { subject: 'Complaint', hs_is_closed: 'true', closed_date: isoDaysAgo(3) }
      : { subject: 'Complaint', hs_is_closed: 'false' },
    associations: { companies: { results: [{ id: companyId, type: 'ticket_to_company' }] } },
  };
}

/** A ticket linked to one company with the properties given (§12's pipeline, priority, dates). */
export function complaint(id: string, companyId: string, props: Props = {}): CrmObject {
  return {
    id,
    properties: { subject: 'Complaint', hs_is_closed: 'false', ...props },
    associations: { companies: { results: [{ id: companyId, type: 'ticket_to_company' }] } },
  };
}

/** A call linked to one company, completed unless another status is given. */
export function call(id: string, companyId: string, atMs: number, status = 'COMPLETED'): CrmObject {
  return {
    id,
    properties: { hs_timestamp: iso(atMs), hs_call_status: status },
    associations: { companies: { results: [{ id: companyId, type: 'call_to_company' }] } },
  };
}

export function portal(
  companies: readonly CrmObject[],
  deals: readonly CrmObject[] = [],
  tickets?: readonly CrmObject[],
  calls?: readonly CrmObject[],
): PortalInput {
  return {
    companies: [...companies],
    deals: [...deals],
    ...(tickets === undefined ? {} : { tickets: [...tickets] }),
    ...(calls === undefined ? {} : { calls: [...calls] }),
  };
}

export function settingsWith(partial: SettingsInput): Settings {
  return settingsSchema.parse(partial);
}

export function score(
  input: PortalInput,
  settings: Settings = DEFAULT_SETTINGS,
  asOf: number = AS_OF,
): PortfolioScore {
  return scorePortal(input, settings, asOf);
}

export function companyOf(result: PortfolioScore, id: string): CompanyScore {
  const found = result.companies.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`company ${id} not in the result`);
  return found;
}

/** Scores the portal and returns one company. */
export function scoreOne(
  input: PortalInput,
  id: string,
  settings: Settings = DEFAULT_SETTINGS,
): CompanyScore {
  return companyOf(score(input, settings), id);
}

/** SERVQUAL properties from `[expected, perceived]` pairs. */
export function servqual(
  ratings: Partial<Record<ServqualDimension, readonly [number, number]>>,
): Props {
  const props: Props = {};
  for (const [dimension, pair] of Object.entries(ratings)) {
    if (pair === undefined) continue;
    props[`kam_servqual_${dimension}_expected`] = String(pair[0]);
    props[`kam_servqual_${dimension}_perceived`] = String(pair[1]);
  }
  return props;
}

/**
 * Metrics of a quiet, healthy account on which no SWOT rule fires (with
 * tier standard, share 0.1 and the portal's product lines ['p1']).
 */
export function metrics(over: Partial<AccountMetrics> = {}): AccountMetrics {
  return {
    revenueTtm: 100_000,
    revenuePrev: 100_000,
    growth: 0,
    profitTtm: null,
    lifetimeRevenue: 200_000,
    wonCount: 2,
    lostCount: 0,
    openCount: 0,
    closedInWindow: 2,
    wonInWindow: 2,
    winRate: 1,
    pipelineWeighted: 0,
    tenureDays: 400,
    recencyDays: 30,
    repeatRate: 0.25,
    quartersWithWin: 2,
    productLines: ['p1'],
    lostRecent: 0,
    lostLast180Days: 0,
    lostToCompetitors: [],
    salesCycleDays: 30,
    daysSinceActivity: 10,
    contacts: 3,
    ...over,
  };
}

export function inputsOf(props: Props = {}): AccountInputs {
  return readAccountInputs(company('42', props)).inputs;
}

export interface ViewSpec {
  readonly id?: string;
  readonly props?: Props;
  readonly metrics?: Partial<AccountMetrics>;
  readonly share?: number;
  readonly tier?: Tier;
  readonly stage?: RelationshipStage;
  readonly segment?: Segment | null;
  readonly loyalty?: number | null;
  readonly breadth?: Breadth | null;
  readonly complaints?: number;
  readonly settings?: Settings;
  readonly loyaltyExplanation?: ScoreExplanation;
  /** §12: over the status made from `complaints` (open, none overdue, no follow-up). */
  readonly complaintStatus?: Partial<ComplaintStatus>;
  /** §13: the plan; by default the one the props hold, never reviewed late (`planStatus` as of AS_OF). */
  readonly plan?: PlanStatus | null;
  /** §11: over a standalone group of the account itself. */
  readonly group?: Partial<GroupStanding>;
}

const NO_LOYALTY_FACTORS: ScoreExplanation = {
  rule: 'loyalty.measures',
  text: 'set by hand',
  inputs: {},
  factors: [],
  absent: [],
};

/**
 * The portfolio context of a hand-made view: `whitespace` lists, per rated
 * tier, the lines its peers buy (each as bought by 3 of 5 accounts).
 */
export function context(
  whitespace: Partial<Record<RatedTier, readonly string[]>> = {},
  over: Partial<PortfolioContext> = {},
): PortfolioContext {
  const lines = (tier: RatedTier): WhitespaceLine[] =>
    (whitespace[tier] ?? []).map((line) => ({ line, buyers: 3, tierSize: 5 }));
  return {
    productLines: ['p1', ...Object.values(whitespace).flat()],
    whitespace: {
      strategic: lines('strategic'),
      key: lines('key'),
      standard: lines('standard'),
      transactional: lines('transactional'),
    },
    medianSalesCycleDays: 30,
    productLineLabels: {},
    ...over,
  };
}

/** An account view as SWOT and next actions read it, every field set by hand. */
export function view(spec: ViewSpec = {}): AccountView {
  const id = spec.id ?? '42';
  const inputs = readAccountInputs(company(id, spec.props ?? {})).inputs;
  const m = metrics(spec.metrics);
  const lineCount = m.productLines.length;
  return {
    companyId: id,
    inputs,
    metrics: m,
    share: spec.share ?? 0.1,
    tier: spec.tier ?? 'standard',
    stage: spec.stage ?? 'steady',
    segment: spec.segment === undefined ? 'rising_star' : spec.segment,
    loyalty: spec.loyalty === undefined ? 70 : spec.loyalty,
    loyaltyExplanation: spec.loyaltyExplanation ?? NO_LOYALTY_FACTORS,
    breadth:
      spec.breadth === undefined
        ? lineCount >= 2
          ? 'comprehensive'
          : lineCount === 1
            ? 'specialised'
            : null
        : spec.breadth,
    satisfaction: measureSatisfaction(
      inputs,
      spec.complaints ?? 0,
      spec.settings ?? DEFAULT_SETTINGS,
      AS_OF,
    ),
    complaints: {
      source: (spec.complaints ?? 0) > 0 ? 'tickets' : 'none',
      open: spec.complaints ?? 0,
      openMajor: 0,
      overdue: 0,
      last12Months: spec.complaints ?? 0,
      medianDaysToClose: null,
      followUp: null,
      slaDueDays: (spec.complaints ?? 0) > 0 ? 2 : null,
      slaDaysMajor: 3,
      ...spec.complaintStatus,
    },
    plan: spec.plan === undefined ? planStatus(inputs.plan, null, AS_OF).status : spec.plan,
    group: {
      id,
      name: inputs.name,
      tier: spec.tier ?? 'standard',
      size: 1,
      revenueTtm: m.revenueTtm,
      revenuePrev: m.revenuePrev,
      pipelineWeighted: m.pipelineWeighted,
      openComplaints: spec.complaints ?? 0,
      biggestMember: null,
      siblingLines: [],
      explanations: {
        tier: { rule: 'group.tier.pareto', text: 'set by hand', inputs: {} },
        membership: { rule: 'group.standalone', text: 'set by hand', inputs: {} },
      },
      ...spec.group,
    },
  };
}

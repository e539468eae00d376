import type { CrmObject, HubSpotOwner, PortalInput } from '../../src/hubspot-objects.ts';
import { SERVQUAL_DIMENSIONS } from '../../src/settings.ts';
import { contactsAndMeetings, SYNTHETIC_OWNERS } from './contacts-meetings.ts';
import {
  addCompanyHierarchy,
  addComplaintDetails,
  followUpCalls,
} from './hierarchy-complaints-calls.ts';

export interface SyntheticPortalOptions {
  readonly companies: number;
  readonly deals: number;
  /** Same seed, same portal: the bundled sample and the benchmarks are reproducible. */
  readonly seed?: number;
  /** The instant the data is "as of"; closed deals lie before it, open deals after. */
  readonly asOf: string;
}

const DAY_MS = 86_400_000;
const INDUSTRIES = [
  'COMPUTER_SOFTWARE',
  'MACHINERY',
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'FINANCIAL_SERVICES',
  'CONSTRUCTION',
  'FOOD_PRODUCTION',
] as const;
const NAME_HEADS = ['Acme', 'Blue', 'Cedar', 'Delta', 'Everest', 'Falcon', 'Granite', 'Harbor'];
const NAME_TAILS = ['Systems', 'Foods', 'Logistics', 'Health', 'Industries', 'Retail', 'Labs'];
/** Product lines are pipelines by default (kam-model.md §1). */
const PIPELINES = ['default', 'services', 'subscriptions', 'hardware'] as const;
const OPEN_STAGES = [
  ['appointmentscheduled', '0.2'],
  ['qualifiedtobuy', '0.4'],
  ['presentationscheduled', '0.6'],
  ['decisionmakerboughtin', '0.8'],
  ['contractsent', '0.9'],
] as const;
/** The reps who own companies (the portal's fifth owner, an executive, owns none). */
const OWNER_IDS = SYNTHETIC_OWNERS.slice(0, 4).map((owner) => owner.id);

/** Rivals as a rep records them in `kam_competitors`: `Name: strengths | weaknesses`. */
const COMPETITORS = [
  ['Globex', 'price, local presence', 'slow support'],
  ['Initech', 'integrated suite', 'long implementations'],
  ['Umbrella', 'global reach', 'rigid contracts'],
  ['Hooli', 'modern product', 'thin service team'],
  ['Vandelay', 'low price', 'narrow range'],
] as const;
/** How a lost deal names a rival in `closed_lost_reason`; case varies, as reps type it. */
const LOSS_TO_COMPETITOR = COMPETITORS.map(([name]) => [
  `Lost to ${name} on price`,
  `Customer chose ${name.toLowerCase()}: faster delivery`,
  `${name.toUpperCase()} bundled it with their platform`,
]);
const GENERIC_LOSS_REASONS = ['Budget cut', 'No decision', 'Project postponed', 'Built in-house'];

interface CompetitorList {
  /** The `kam_competitors` value, one rival per line. */
  readonly text: string;
  /** Indexes into `COMPETITORS`. */
  readonly members: readonly number[];
}

/** Every list a company may carry: one, two or three rivals (built once, shared by all companies). */
const COMPETITOR_LISTS: readonly CompetitorList[] = COMPETITORS.flatMap((_, first) =>
  [[first], [first, first + 1], [first, first + 2, first + 4]].map((picked) => {
    const members = picked.map((index) => index % COMPETITORS.length);
    return {
      text: members
        .map((index) => {
          const [name, strengths, weaknesses] = COMPETITORS[index] as (typeof COMPETITORS)[number];
          return `${name}: ${strengths} | ${weaknesses}`;
        })
        .join('\n'),
      members,
    };
  }),
);

/**
 * What an account's deals look like beyond its size, so every relationship
 * stage and posture of kam-model.md §5 and §7 has accounts to fire on.
 */
const ACCOUNT_KIND = {
  ordinary: 0,
  /** A long-standing account buying less: wins moved to last year, losses recent. */
  declining: 1,
  /** A prospect that never bought: every deal lost, none open. */
  lostProspect: 2,
} as const;

/** mulberry32: a tiny, fast, seedable PRNG; good enough for test data and fault dice. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A sales cycle in whole days from one draw: most under 90 days, one in eight over 200. */
function salesCycleDays(draw: number): number {
  if (draw < 0.6) return Math.floor(7 + (draw / 0.6) * 83);
  if (draw < 0.88) return Math.floor(90 + ((draw - 0.6) / 0.28) * 110);
  return Math.floor(200 + ((draw - 0.88) / 0.12) * 250);
}

/** Each company's place by size, 0 the largest (ties: lower index first). */
function sizeRanks(weights: readonly number[]): Uint32Array {
  const order = Array.from(weights, (_, index) => index).sort(
    (a, b) => (weights[b] as number) - (weights[a] as number) || a - b,
  );
  const ranks = new Uint32Array(weights.length);
  order.forEach((index, rank) => {
    ranks[index] = rank;
  });
  return ranks;
}

/** A synthetic portal whose deals can be drawn in pages, as a recompute reads them. */
export interface PortalGenerator {
  readonly companies: CrmObject[];
  readonly tickets: CrmObject[];
  /** Follow-up calls with the companies of recently closed complaints. */
  readonly calls: CrmObject[];
  /** The companies' contacts, buying roles on a minority (kam-model.md §9). */
  readonly contacts: CrmObject[];
  /** Meetings with the companies, most in the last 400 days (kam-model.md §10). */
  readonly meetings: CrmObject[];
  readonly owners: readonly HubSpotOwner[];
  /** The deals, `pageSize` at a time; deterministic for the seed. */
  dealPages(pageSize: number): Generator<CrmObject[]>;
}

/**
 * A realistic HubSpot portal in the CRM v3 list shape: company revenue
 * follows a heavy-tailed distribution (a few accounts hold most revenue),
 * deals are won, lost or open across four pipelines over three years with
 * sales cycles of a week to over a year, and a small share of records carry
 * the data-quality problems real portals have (missing amounts, deals
 * without a company, no primary company). So that every rule of the model
 * has accounts to fire on, placed by size rank (even a small portal has
 * them): some large accounts decline (wins moved to last year, recent
 * losses), some small prospects only ever lost, some of the largest have no
 * owner; lost deals give reasons, some naming the rivals of
 * `kam_competitors`; some surveys are over a year old.
 */
export function createPortalGenerator(options: SyntheticPortalOptions): PortalGenerator {
  const random = seededRandom(options.seed ?? 1);
  const asOfMs = Date.parse(options.asOf);
  const count = options.companies;
  const weights: number[] = [];
  let totalWeight = 0;
  for (let index = 0; index < count; index += 1) {
    // Pareto-distributed account size: weight = u^(-1/alpha), alpha ~ 1.2.
    const weight = Math.min(Math.pow(1 - random(), -1 / 1.2), 500);
    weights.push(weight);
    totalWeight += weight;
  }

  const ranks = sizeRanks(weights);
  const strategicSized = Math.ceil(count * 0.05);
  const sizeable = Math.ceil(count * 0.3);
  const small = Math.floor(count * 0.6);
  const accountKinds = new Uint8Array(count);
  /** Index into `COMPETITOR_LISTS`, −1 when the company lists none. */
  const rivalLists = new Int8Array(count);
  const companies: CrmObject[] = [];
  for (let index = 0; index < count; index += 1) {
    const weight = weights[index] as number;
    const rank = ranks[index] as number;
    if (rank < sizeable && rank % 5 === 2) accountKinds[index] = ACCOUNT_KIND.declining;
    else if (rank >= small && rank % 6 === 0) accountKinds[index] = ACCOUNT_KIND.lostProspect;
    // Reps record rivals mostly for the accounts that matter; one in three lists just one.
    rivalLists[index] =
      random() < (weight > 5 ? 0.85 : 0.25) ? Math.floor(random() * COMPETITOR_LISTS.length) : -1;
    companies.push({
      id: String(1_000 + index),
      properties: companyProperties(random, index, weight, asOfMs, {
        owned: !(rank < strategicSized && rank % 4 === 1),
        rivals: COMPETITOR_LISTS[rivalLists[index] as number],
      }),
    });
  }

  const tickets: CrmObject[] = [];
  const ticketCount = Math.floor(options.companies / 10);
  for (let index = 0; index < ticketCount; index += 1) {
    const companyId = String(1_000 + Math.floor(random() * options.companies));
    const open = random() < 0.4;
    tickets.push({
      id: String(9_000_000 + index),
      properties: {
        subject: open ? 'Delivery delayed' : 'Invoice question',
        hs_pipeline_stage: open ? '1' : '4',
        hs_is_closed: open ? 'false' : 'true',
        createdate: iso(asOfMs - Math.floor(random() * 200) * DAY_MS),
      },
      associations: { companies: { results: [{ id: companyId, type: 'ticket_to_company' }] } },
    });
  }

  // Their own streams: the draws above and the deals below stay as they were.
  const seed = options.seed ?? 1;
  addCompanyHierarchy(companies, seededRandom(seed ^ 0x13a1));
  addComplaintDetails(tickets, seededRandom(seed ^ 0x13a2), asOfMs);
  const calls = followUpCalls(tickets, seededRandom(seed ^ 0x13a3), asOfMs);
  const { contacts, meetings } = contactsAndMeetings(
    companies,
    seededRandom(seed ^ 0x12c1),
    asOfMs,
  );

  // Cumulative weights let each deal pick its company in O(log n).
  const cumulative = new Float64Array(weights.length);
  let running = 0;
  weights.forEach((weight, index) => {
    running += weight;
    cumulative[index] = running;
  });
  const companyFor = (): number => {
    const target = random() * totalWeight;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };

  function* dealPages(pageSize: number): Generator<CrmObject[]> {
    for (let start = 0; start < options.deals; start += pageSize) {
      const page: CrmObject[] = [];
      for (let index = start; index < Math.min(start + pageSize, options.deals); index += 1) {
        const companyIndex = companyFor();
        page.push({
          id: String(5_000_000 + index),
          properties: dealProperties(
            random,
            weights[companyIndex] as number,
            asOfMs,
            accountKinds[companyIndex] as number,
            COMPETITOR_LISTS[rivalLists[companyIndex] as number],
          ),
          ...dealAssociations(random, String(1_000 + companyIndex), companies.length),
        });
      }
      yield page;
    }
  }
  return { companies, tickets, calls, contacts, meetings, owners: SYNTHETIC_OWNERS, dealPages };
}

/** The whole synthetic portal at once (for the sample file, tests and the sandbox seed). */
export function generatePortal(options: SyntheticPortalOptions): PortalInput {
  const generator = createPortalGenerator(options);
  const deals = [...generator.dealPages(1_000)].flat();
  return {
    companies: generator.companies,
    deals,
    tickets: generator.tickets,
    contacts: generator.contacts,
    meetings: generator.meetings,
    owners: [...generator.owners],
    calls: generator.calls,
  };
}

function companyProperties(
  random: () => number,
  index: number,
  weight: number,
  asOfMs: number,
  account: { readonly owned: boolean; readonly rivals: CompetitorList | undefined },
): Record<string, string | null> {
  const properties: Record<string, string | null> = {
    name: `${pick(random, NAME_HEADS)} ${pick(random, NAME_TAILS)} ${index + 1}`,
    industry: pick(random, INDUSTRIES),
    annualrevenue:
      random() < 0.8 ? String(Math.round(weight * 2_000_000 * (0.5 + random()))) : null,
    numberofemployees: random() < 0.9 ? String(Math.round(weight * 40 * (0.5 + random()))) : null,
    hubspot_owner_id: account.owned ? pick(random, OWNER_IDS) : null,
    createdate: iso(asOfMs - Math.floor(200 + random() * 1_800) * DAY_MS),
    num_associated_contacts:
      random() < 0.95 ? String(Math.floor(random() * Math.min(weight * 3, 25))) : null,
    notes_last_updated: random() < 0.9 ? iso(asOfMs - Math.floor(random() * 240) * DAY_MS) : null,
  };
  if (random() < 0.3) {
    // Up to 500 days old: about one survey in four is stale (over 365 days).
    const surveyAge = Math.floor(random() * 500);
    properties.kam_survey_date = iso(asOfMs - surveyAge * DAY_MS).slice(0, 10);
    for (const dimension of SERVQUAL_DIMENSIONS) {
      const expected = 4 + Math.floor(random() * 4);
      const perceived = Math.max(1, Math.min(7, expected + Math.round((random() - 0.55) * 4)));
      properties[`kam_servqual_${dimension}_expected`] = String(expected);
      properties[`kam_servqual_${dimension}_perceived`] = String(perceived);
    }
  }
  if (random() < 0.1) {
    properties.kam_swot_strengths = 'Long-standing relationship with the COO';
    properties.kam_swot_threats = 'Competitor offering 10% lower price';
  }
  if (account.rivals !== undefined) properties.kam_competitors = account.rivals.text;
  if (weight > 20 && random() < 0.5) {
    properties.kam_account_plan =
      'O: grow share of wallet\nG: +20% revenue\nS: solution selling\nM: QBRs';
  }
  if (random() < 0.01) properties.kam_tier_override = 'key';
  return properties;
}

/**
 * Why a deal was lost, as reps write it: often a rival the account lists in
 * `kam_competitors`, sometimes one it does not, often a generic reason, and
 * sometimes nothing at all.
 */
function lossReason(random: () => number, rivals: CompetitorList | undefined): string | null {
  const draw = random();
  if (rivals !== undefined && draw < 0.45) {
    const rival = rivals.members[Math.floor(random() * rivals.members.length)] as number;
    return pick(random, LOSS_TO_COMPETITOR[rival] as readonly string[]);
  }
  if (draw < 0.55) return pick(random, pick(random, LOSS_TO_COMPETITOR));
  if (draw < 0.85) return pick(random, GENERIC_LOSS_REASONS);
  return null;
}

function dealProperties(
  random: () => number,
  weight: number,
  asOfMs: number,
  kind: number,
  rivals: CompetitorList | undefined,
): Record<string, string | null> {
  const roll = random();
  const pipeline = pick(random, PIPELINES);
  const amount = Math.round(weight * 4_000 * Math.exp((random() - 0.5) * 1.5));
  const amountText = random() < 0.005 ? null : String(amount);
  const cycleMs = salesCycleDays(random()) * DAY_MS;
  const prospect = kind === ACCOUNT_KIND.lostProspect;
  const won = !prospect && roll < 0.55;
  const open = !prospect && roll >= 0.85;
  let closed = asOfMs + Math.floor(1 + random() * 150) * DAY_MS;
  if (!open) {
    // Closed over the last three years; a declining account's wins lean to
    // last year and its losses to the last 180 days.
    let daysAgo = Math.floor(random() * 1_095);
    const declining = kind === ACCOUNT_KIND.declining;
    if (declining && won && daysAgo < 365 && random() < 0.5) daysAgo += 365;
    if (declining && !won && random() < 0.6) daysAgo = Math.floor(random() * 180);
    closed = asOfMs - daysAgo * DAY_MS;
  }
  const common = {
    amount: amountText,
    amount_in_home_currency: amountText,
    pipeline,
    createdate: iso(Math.min(closed, asOfMs) - cycleMs),
  };
  if (open) {
    const [stage, probability] = pick(random, OPEN_STAGES);
    return {
      ...common,
      dealstage: stage,
      closedate: iso(closed),
      hs_is_closed: 'false',
      hs_is_closed_won: 'false',
      hs_deal_stage_probability: probability,
    };
  }
  if (won) {
    return {
      ...common,
      dealstage: 'closedwon',
      closedate: iso(closed),
      hs_is_closed: 'true',
      hs_is_closed_won: 'true',
      hs_deal_stage_probability: '1',
    };
  }
  return {
    ...common,
    dealstage: 'closedlost',
    closedate: random() < 0.01 ? null : iso(closed),
    hs_is_closed: 'true',
    hs_is_closed_won: 'false',
    hs_deal_stage_probability: '0',
    closed_lost_reason: lossReason(random, rivals),
  };
}

function dealAssociations(
  random: () => number,
  companyId: string,
  companyCount: number,
): Pick<CrmObject, 'associations'> {
  const roll = random();
  if (roll < 0.02) return {};
  const other = String(1_000 + Math.floor(random() * companyCount));
  const primary = [
    { id: companyId, type: 'deal_to_company' },
    { id: companyId, type: 'deal_to_company_unlabeled' },
  ];
  const results =
    roll < 0.9
      ? primary
      : roll < 0.96
        ? [...primary, { id: other, type: 'deal_to_company_unlabeled' }]
        : [
            { id: companyId, type: 'deal_to_company_unlabeled' },
            { id: other, type: 'deal_to_company_unlabeled' },
          ];
  return { associations: { companies: { results } } };
}

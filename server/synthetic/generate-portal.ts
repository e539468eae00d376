import type { CrmObject, PortalInput } from '../../src/hubspot-objects.ts';
import { SERVQUAL_DIMENSIONS } from '../../src/settings.ts';

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
const OWNER_IDS = ['71000001', '71000002', '71000003', '71000004'];

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

/** A synthetic portal whose deals can be drawn in pages, as a recompute reads them. */
export interface PortalGenerator {
  readonly companies: CrmObject[];
  readonly tickets: CrmObject[];
  /** The deals, `pageSize` at a time; deterministic for the seed. */
  dealPages(pageSize: number): Generator<CrmObject[]>;
}

/**
 * A realistic HubSpot portal in the CRM v3 list shape: company revenue
 * follows a heavy-tailed distribution (a few accounts hold most revenue),
 * deals are won, lost or open across four pipelines over three years, and a
 * small share of records carry the data-quality problems real portals have
 * (missing amounts, deals without a company, no primary company).
 */
export function createPortalGenerator(options: SyntheticPortalOptions): PortalGenerator {
  const random = seededRandom(options.seed ?? 1);
  const asOfMs = Date.parse(options.asOf);
  const companies: CrmObject[] = [];
  const weights: number[] = [];
  let totalWeight = 0;

  for (let index = 0; index < options.companies; index += 1) {
    const id = String(1_000 + index);
    // Pareto-distributed account size: weight = u^(-1/alpha), alpha ~ 1.2.
    const weight = Math.min(Math.pow(1 - random(), -1 / 1.2), 500);
    weights.push(weight);
    totalWeight += weight;
    companies.push({ id, properties: companyProperties(random, index, weight, asOfMs) });
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
          properties: dealProperties(random, weights[companyIndex] as number, asOfMs),
          ...dealAssociations(random, String(1_000 + companyIndex), companies.length),
        });
      }
      yield page;
    }
  }
  return { companies, tickets, dealPages };
}

/** The whole synthetic portal at once (for the sample file, tests and the sandbox seed). */
export function generatePortal(options: SyntheticPortalOptions): PortalInput {
  const generator = createPortalGenerator(options);
  const deals = [...generator.dealPages(1_000)].flat();
  return { companies: generator.companies, deals, tickets: generator.tickets };
}

function companyProperties(
  random: () => number,
  index: number,
  weight: number,
  asOfMs: number,
): Record<string, string | null> {
  const properties: Record<string, string | null> = {
    name: `${pick(random, NAME_HEADS)} ${pick(random, NAME_TAILS)} ${index + 1}`,
    industry: pick(random, INDUSTRIES),
    annualrevenue:
      random() < 0.8 ? String(Math.round(weight * 2_000_000 * (0.5 + random()))) : null,
    numberofemployees: random() < 0.9 ? String(Math.round(weight * 40 * (0.5 + random()))) : null,
    hubspot_owner_id: pick(random, OWNER_IDS),
    createdate: iso(asOfMs - Math.floor(200 + random() * 1_800) * DAY_MS),
    num_associated_contacts:
      random() < 0.95 ? String(Math.floor(random() * Math.min(weight * 3, 25))) : null,
    notes_last_updated: random() < 0.9 ? iso(asOfMs - Math.floor(random() * 240) * DAY_MS) : null,
  };
  if (random() < 0.3) {
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
    properties.kam_competitors = 'Globex\nInitech';
  }
  if (weight > 20 && random() < 0.5) {
    properties.kam_account_plan =
      'O: grow share of wallet\nG: +20% revenue\nS: solution selling\nM: QBRs';
  }
  if (random() < 0.01) properties.kam_tier_override = 'key';
  return properties;
}

function dealProperties(
  random: () => number,
  weight: number,
  asOfMs: number,
): Record<string, string | null> {
  const roll = random();
  const pipeline = pick(random, PIPELINES);
  const amount = Math.round(weight * 4_000 * Math.exp((random() - 0.5) * 1.5));
  const amountText = random() < 0.005 ? null : String(amount);
  const created = asOfMs - Math.floor(30 + random() * 1_100) * DAY_MS;
  const common = {
    amount: amountText,
    amount_in_home_currency: amountText,
    pipeline,
    createdate: iso(created),
  };
  if (roll < 0.55) {
    const closed = Math.min(asOfMs, created + Math.floor(random() * 120) * DAY_MS);
    return {
      ...common,
      dealstage: 'closedwon',
      closedate: iso(closed),
      hs_is_closed: 'true',
      hs_is_closed_won: 'true',
      hs_deal_stage_probability: '1',
    };
  }
  if (roll < 0.85) {
    const closed = Math.min(asOfMs, created + Math.floor(random() * 120) * DAY_MS);
    return {
      ...common,
      dealstage: 'closedlost',
      closedate: random() < 0.01 ? null : iso(closed),
      hs_is_closed: 'true',
      hs_is_closed_won: 'false',
      hs_deal_stage_probability: '0',
    };
  }
  const [stage, probability] = pick(random, OPEN_STAGES);
  return {
    ...common,
    dealstage: stage,
    closedate: iso(asOfMs + Math.floor(1 + random() * 150) * DAY_MS),
    hs_is_closed: 'false',
    hs_is_closed_won: 'false',
    hs_deal_stage_probability: probability,
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

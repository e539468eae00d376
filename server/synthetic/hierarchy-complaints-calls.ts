import type { CrmObject } from '../../src/hubspot-objects.ts';

/**
 * The synthetic portal's groups (kam-model.md §11), complaint details (§12)
 * and follow-up calls. Each draws from its own seeded stream, so the
 * companies, deals and tickets the generator drew before stay as they were
 * for the same seed.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The sandbox's complaints pipeline and its stages (server/sandbox/ticket-pipeline.ts). */
export const COMPLAINTS_PIPELINE = {
  id: '84512331',
  open: '165201431',
  closed: '165201433',
} as const;
const SUPPORT_PIPELINE = { id: '0', open: '1', closed: '4' } as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
const CATEGORIES = ['PRODUCT_ISSUE', 'BILLING_ISSUE', 'GENERAL_INQUIRY'] as const;
/** A follow-up call's outcome: most calls are completed, some not reached. */
const CALL_STATUSES = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'NO_ANSWER', 'BUSY'] as const;

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The child→parent association a company list read inlines, and the property HubSpot sets. */
function setParent(child: CrmObject, parentId: string): void {
  child.properties.hs_parent_company_id = parentId;
  child.associations = {
    companies: { results: [{ id: parentId, type: 'child_to_parent_company' }] },
  };
}

/**
 * Parent/child companies: a few groups of 2–20 members over up to three
 * levels (national, provincial, city), one per 25 companies and at most 20;
 * and, with 3 companies to spare, one cycle of two as the bad data
 * imports leave behind. Mutates `companies`.
 */
export function addCompanyHierarchy(companies: readonly CrmObject[], random: Random): void {
  const order = companies.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const groups = Math.min(20, Math.floor(companies.length / 25));
  let next = 0;
  const take = (): CrmObject | undefined => {
    const index = order[next];
    next += 1;
    return index === undefined ? undefined : companies[index];
  };
  for (let group = 0; group < groups; group += 1) {
    const size = 2 + Math.floor(random() * 19);
    const top = take();
    if (top === undefined) return;
    const levels: CrmObject[] = [top];
    for (let member = 1; member < size; member += 1) {
      const child = take();
      if (child === undefined) return;
      // A third of the members hang under an earlier member: provinces, then cities.
      const parent = random() < 0.34 ? pick(random, levels) : top;
      setParent(child, parent.id);
      levels.push(child);
    }
  }
  const first = take();
  const second = take();
  if (first === undefined || second === undefined || next > companies.length) return;
  setParent(first, second.id);
  setParent(second, first.id);
}

/**
 * Complaint details on the generated tickets: about half in the complaints
 * pipeline, the rest in support; a priority (a quarter HIGH or URGENT, the
 * major complaints) and a category; a closed ticket's `closed_date`
 * between its creation and the data's instant. Mutates `tickets`.
 */
export function addComplaintDetails(
  tickets: readonly CrmObject[],
  random: Random,
  asOfMs: number,
): void {
  for (const ticket of tickets) {
    const { properties } = ticket;
    const pipeline = random() < 0.5 ? COMPLAINTS_PIPELINE : SUPPORT_PIPELINE;
    const closed = properties.hs_is_closed === 'true';
    properties.hs_pipeline = pipeline.id;
    properties.hs_pipeline_stage = closed ? pipeline.closed : pipeline.open;
    properties.hs_ticket_priority = pick(random, PRIORITIES);
    properties.hs_ticket_category = pick(random, CATEGORIES);
    if (closed) {
      const createdMs = Date.parse(properties.createdate ?? '');
      const closedMs = Math.min(
        createdMs + Math.floor(random() * 21 * 24) * HOUR_MS,
        asOfMs - HOUR_MS,
      );
      properties.closed_date = new Date(Math.max(createdMs, closedMs)).toISOString();
    }
  }
}

/** The company a generated ticket is associated with. */
function companyOf(ticket: CrmObject): string | undefined {
  const [first] = ticket.associations?.companies?.results ?? [];
  return first === undefined ? undefined : 'id' in first ? first.id : first.toObjectId;
}

/**
 * Calls (an engagement: `hs_timestamp`, `hs_call_status`) logged with the
 * companies of complaints closed in the last 14 days: for two in three
 * such complaints a follow-up call some hours after the closing, most of
 * them completed; the others are still waiting for theirs (A15).
 */
export function followUpCalls(
  tickets: readonly CrmObject[],
  random: Random,
  asOfMs: number,
): CrmObject[] {
  const calls: CrmObject[] = [];
  for (const ticket of tickets) {
    const closedMs = Date.parse(ticket.properties.closed_date ?? '');
    const companyId = companyOf(ticket);
    if (!Number.isFinite(closedMs) || closedMs < asOfMs - 14 * DAY_MS || companyId === undefined)
      continue;
    if (random() >= 2 / 3) continue;
    const calledMs = Math.min(closedMs + Math.ceil(random() * 48) * HOUR_MS, asOfMs - 1);
    calls.push({
      id: String(8_000_000 + calls.length),
      properties: {
        hs_createdate: new Date(calledMs).toISOString(),
        hs_timestamp: new Date(calledMs).toISOString(),
        hs_call_status: pick(random, CALL_STATUSES),
        hs_call_title: 'Complaint follow-up',
        hs_call_direction: 'OUTBOUND',
      },
      associations: { companies: { results: [{ id: companyId, type: 'call_to_company' }] } },
    });
  }
  return calls;
}

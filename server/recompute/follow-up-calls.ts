import type { CrmObject, Settings } from '../../src/index.ts';
import {
  associatedId,
  CALL_INPUT_PROPERTIES,
  FOLLOW_UP_DAYS,
  isComplaint,
  parseInstantProperty,
} from '../../src/index.ts';
import type { PortalClient } from '../hubspot/portal-client.ts';

const FOLLOW_UP_WINDOW_MS = FOLLOW_UP_DAYS * 86_400_000;

/**
 * Whether a ticket is a complaint (in `settings.complaintPipelines`) closed
 * within the follow-up window before `asOfMs`: `closed_date` in
 * (asOf − 14 days, asOf], the window in which A15 asks for a call
 * (kam-model.md §12).
 */
export function closedForFollowUp(ticket: CrmObject, settings: Settings, asOfMs: number): boolean {
  if (!isComplaint(ticket, settings)) return false;
  const closedMs = parseInstantProperty(ticket.properties.closed_date);
  return closedMs !== null && !Number.isNaN(closedMs) && inFollowUpWindow(closedMs, asOfMs);
}

/** Whether a closing at `closedMs` still asks for a follow-up call at `asOfMs`. */
function inFollowUpWindow(closedMs: number, asOfMs: number): boolean {
  return closedMs <= asOfMs && closedMs > asOfMs - FOLLOW_UP_WINDOW_MS;
}

/**
 * The companies whose calls a recompute reads: those of a complaint closed
 * in the follow-up window, gathered page by page as tickets stream through.
 * Only their calls can clear a follow-up, so the cost is bounded by the
 * recent closings, not by the portal's calls.
 */
export function createFollowUpCompanies(settings: Settings, asOfMs: number) {
  const companies = new Set<string>();
  return {
    addTickets(tickets: readonly CrmObject[]): void {
      for (const ticket of tickets) {
        if (!closedForFollowUp(ticket, settings, asOfMs)) continue;
        for (const association of ticket.associations?.companies?.results ?? [])
          companies.add(associatedId(association));
      }
    },
    companyIds(): string[] {
      return [...companies];
    },
  };
}

/** What reading the follow-up calls cost, reported apart from the recompute's own reads. */
export interface FollowUpCallsRead {
  /** Companies whose calls were read. */
  readonly companies: number;
  readonly calls: number;
  /** HubSpot calls it took. */
  readonly requests: number;
}

export const NO_FOLLOW_UP_CALLS: FollowUpCallsRead = { companies: 0, calls: 0, requests: 0 };

/**
 * Reads the calls of `companyIds` and hands them to `addCalls` in the model's
 * input shape: each call once, with every company it was read for (a batch
 * read returns no associations). Nothing is read for no company.
 */
export async function readFollowUpCalls(
  client: Pick<PortalClient, 'readCallsOfCompanies'>,
  companyIds: readonly string[],
  addCalls: (calls: readonly CrmObject[]) => void,
): Promise<FollowUpCallsRead> {
  if (companyIds.length === 0) return NO_FOLLOW_UP_CALLS;
  const { byCompany, requests } = await client.readCallsOfCompanies(
    companyIds,
    CALL_INPUT_PROPERTIES,
  );
  const companiesOf = new Map<string, { call: CrmObject; companies: string[] }>();
  for (const [companyId, calls] of byCompany) {
    for (const call of calls) {
      const entry = companiesOf.get(call.id) ?? { call, companies: [] };
      entry.companies.push(companyId);
      companiesOf.set(call.id, entry);
    }
  }
  const calls = [...companiesOf.values()].map(({ call, companies }) => ({
    ...call,
    associations: {
      companies: { results: companies.map((id) => ({ id, type: 'call_to_company' })) },
    },
  }));
  addCalls(calls);
  return { companies: companyIds.length, calls: calls.length, requests };
}

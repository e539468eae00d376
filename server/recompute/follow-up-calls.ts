import type { CrmObject } from '../../src/index.ts';
import { associatedId, parseInstantProperty } from '../../src/index.ts';

/** The follow-up call (回访) window after a complaint closes (kam-model.md §12). */
const FOLLOW_UP_WINDOW_MS = 14 * 86_400_000;

/**
 * Whether a ticket is a complaint closed within the follow-up window before
 * `asOfMs`: in one of `pipelines` (empty = every pipeline) with a
 * `closed_date` in (asOf − 14 days, asOf].
 */
export function closedForFollowUp(
  ticket: CrmObject,
  pipelines: readonly string[],
  asOfMs: number,
): boolean {
  if (pipelines.length > 0 && !pipelines.includes(ticket.properties.hs_pipeline ?? ''))
    return false;
  const closedMs = parseInstantProperty(ticket.properties.closed_date);
  return (
    closedMs !== null &&
    !Number.isNaN(closedMs) &&
    closedMs <= asOfMs &&
    closedMs > asOfMs - FOLLOW_UP_WINDOW_MS
  );
}

/**
 * The companies whose calls a recompute reads: those of a complaint closed
 * in the follow-up window, gathered page by page as tickets stream through.
 * Only their calls can clear a follow-up, so the cost is bounded by the
 * recent closings, not by the portal's calls.
 */
export function createFollowUpCompanies(pipelines: readonly string[], asOfMs: number) {
  const companies = new Set<string>();
  return {
    addTickets(tickets: readonly CrmObject[]): void {
      for (const ticket of tickets) {
        if (!closedForFollowUp(ticket, pipelines, asOfMs)) continue;
        for (const association of ticket.associations?.companies?.results ?? [])
          companies.add(associatedId(association));
      }
    },
    companyIds(): string[] {
      return [...companies];
    },
  };
}

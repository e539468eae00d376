import { describe, expect, it } from 'vitest';
import {
  closedForFollowUp,
  createFollowUpCompanies,
} from '../../../server/recompute/follow-up-calls.ts';
import type { CrmObject } from '../../../src/index.ts';

const AS_OF = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;

function ticket(
  id: string,
  closedMs: number | null,
  companies: string[],
  pipeline = '0',
): CrmObject {
  return {
    id,
    properties: {
      hs_pipeline: pipeline,
      closed_date: closedMs === null ? null : new Date(closedMs).toISOString(),
    },
    associations: {
      companies: {
        results: companies.map((companyId) => ({ id: companyId, type: 'ticket_to_company' })),
      },
    },
  };
}

describe('complaints closed within the 14-day follow-up window (kam-model.md §12)', () => {
  it('counts a closing just inside the window and not one exactly 14 days old', () => {
    expect(closedForFollowUp(ticket('1', AS_OF - 14 * DAY + 1, []), [], AS_OF)).toBe(true);
    expect(closedForFollowUp(ticket('1', AS_OF - 14 * DAY, []), [], AS_OF)).toBe(false);
  });

  it('counts a closing at the instant of the run, not one after it', () => {
    expect(closedForFollowUp(ticket('1', AS_OF, []), [], AS_OF)).toBe(true);
    expect(closedForFollowUp(ticket('1', AS_OF + 1, []), [], AS_OF)).toBe(false);
  });

  it('leaves out open tickets and tickets outside the complaint pipelines', () => {
    expect(closedForFollowUp(ticket('1', null, []), [], AS_OF)).toBe(false);
    expect(closedForFollowUp(ticket('1', AS_OF - DAY, [], '0'), ['84512331'], AS_OF)).toBe(false);
    expect(closedForFollowUp(ticket('1', AS_OF - DAY, [], '84512331'), ['84512331'], AS_OF)).toBe(
      true,
    );
  });

  it('gathers every company of such tickets once, page by page, and none from a portal without', () => {
    const gathered = createFollowUpCompanies([], AS_OF);
    expect(gathered.companyIds()).toEqual([]);
    gathered.addTickets([ticket('1', AS_OF - DAY, ['10', '11']), ticket('2', null, ['12'])]);
    gathered.addTickets([
      ticket('3', AS_OF - 2 * DAY, ['10']),
      ticket('4', AS_OF - 30 * DAY, ['13']),
    ]);
    expect(gathered.companyIds()).toEqual(['10', '11']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import {
  closedForFollowUp,
  createFollowUpCompanies,
  NO_FOLLOW_UP_CALLS,
  readFollowUpCalls,
} from '../../../server/recompute/follow-up-calls.ts';
import type { CrmObject, Settings } from '../../../src/index.ts';
import { CALL_INPUT_PROPERTIES, DEFAULT_SETTINGS } from '../../../src/index.ts';

const AS_OF = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
const ALL: Settings = DEFAULT_SETTINGS;
const COMPLAINTS_ONLY: Settings = { ...DEFAULT_SETTINGS, complaintPipelines: ['84512331'] };

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
    expect(closedForFollowUp(ticket('1', AS_OF - 14 * DAY + 1, []), ALL, AS_OF)).toBe(true);
    expect(closedForFollowUp(ticket('1', AS_OF - 14 * DAY, []), ALL, AS_OF)).toBe(false);
  });

  it('counts a closing at the instant of the run, not one after it', () => {
    expect(closedForFollowUp(ticket('1', AS_OF, []), ALL, AS_OF)).toBe(true);
    expect(closedForFollowUp(ticket('1', AS_OF + 1, []), ALL, AS_OF)).toBe(false);
  });

  it('leaves out open tickets and tickets outside the complaint pipelines', () => {
    expect(closedForFollowUp(ticket('1', null, []), ALL, AS_OF)).toBe(false);
    expect(closedForFollowUp(ticket('1', AS_OF - DAY, [], '0'), COMPLAINTS_ONLY, AS_OF)).toBe(
      false,
    );
    expect(
      closedForFollowUp(ticket('1', AS_OF - DAY, [], '84512331'), COMPLAINTS_ONLY, AS_OF),
    ).toBe(true);
  });

  it('gathers every company of such tickets once, page by page, and none from a portal without', () => {
    const gathered = createFollowUpCompanies(ALL, AS_OF);
    expect(gathered.companyIds()).toEqual([]);
    gathered.addTickets([ticket('1', AS_OF - DAY, ['10', '11']), ticket('2', null, ['12'])]);
    gathered.addTickets([
      ticket('3', AS_OF - 2 * DAY, ['10']),
      ticket('4', AS_OF - 30 * DAY, ['13']),
    ]);
    expect(gathered.companyIds()).toEqual(['10', '11']);
  });
});

describe('readFollowUpCalls', () => {
  const call = (id: string, status: string): CrmObject => ({
    id,
    properties: { hs_timestamp: '2026-11-30T10:00:00.000Z', hs_call_status: status },
  });

  it('reads nothing for no company', async () => {
    const client = { readCallsOfCompanies: vi.fn() };
    const added = vi.fn();
    expect(await readFollowUpCalls(client, [], added)).toEqual(NO_FOLLOW_UP_CALLS);
    expect(client.readCallsOfCompanies).not.toHaveBeenCalled();
    expect(added).not.toHaveBeenCalled();
  });

  it('hands each call over once, with every company it was read for, and counts the cost', async () => {
    const shared = call('80', 'COMPLETED');
    const client = {
      readCallsOfCompanies: vi.fn(() =>
        Promise.resolve({
          byCompany: new Map([
            ['10', [shared, call('81', 'NO_ANSWER')]],
            ['11', [shared]],
            ['12', []],
          ]),
          requests: 2,
        }),
      ),
    };
    const added: CrmObject[] = [];
    const read = await readFollowUpCalls(client, ['10', '11', '12'], (calls) =>
      added.push(...calls),
    );
    expect(read).toEqual({ companies: 3, calls: 2, requests: 2 });
    expect(client.readCallsOfCompanies).toHaveBeenCalledWith(
      ['10', '11', '12'],
      CALL_INPUT_PROPERTIES,
    );
    expect(added.map((one) => [one.id, one.associations?.companies?.results])).toEqual([
      [
        '80',
        [
          { id: '10', type: 'call_to_company' },
          { id: '11', type: 'call_to_company' },
        ],
      ],
      ['81', [{ id: '10', type: 'call_to_company' }]],
    ]);
  });
});

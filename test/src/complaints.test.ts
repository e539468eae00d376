/**
 * kam-model.md §12 complaints: the pipeline filter (and T3 with it), major
 * vs general, the SLA per tier and kind on both sides of its end (A4 due by
 * it, escalated past it), A15's 14-day follow-up and what clears it (a
 * completed call or meeting after the closing), the 365-day history and its
 * median days to close, and a portal with no tickets at all.
 */
import { describe, expect, it } from 'vitest';
import type { ComplaintFacts } from '../../src/complaints.ts';
import {
  complaintSlaDays,
  complaintStatus,
  latestCompletedTouch,
  NO_COMPLAINTS,
} from '../../src/complaints.ts';
import type { RatedTier, Tier } from '../../src/settings.ts';
import { DEFAULT_SETTINGS, TIERS } from '../../src/settings.ts';
import {
  AS_OF,
  DAY,
  call,
  company,
  companyOf,
  complaint,
  daysAgo,
  iso,
  portal,
  score,
  settingsWith,
  won,
} from './builders.ts';

/** One company of the given tier (pinned; unrated = no revenue, no pin). */
function account(tier: Tier) {
  return tier === 'unrated'
    ? company('1')
    : company('1', { kam_tier_override: tier satisfies RatedTier });
}
const REVENUE = [won({ company: '1', amount: 1000, closedDaysAgo: 10 })];

/** The company scored with the given tickets and calls. */
function scored(
  tickets: Parameters<typeof portal>[2],
  calls: Parameters<typeof portal>[3] = [],
  tier: Tier = 'standard',
  settings = DEFAULT_SETTINGS,
) {
  const deals = tier === 'unrated' ? [] : REVENUE;
  return companyOf(score(portal([account(tier)], deals, tickets, calls), settings), '1');
}

const createdAgo = (ms: number) => ({ createdate: iso(AS_OF - ms) });

describe('§12 which tickets are complaints', () => {
  const tickets = [
    complaint('t1', '1', { hs_pipeline: '0', hs_ticket_priority: 'HIGH' }),
    complaint('t2', '1', { hs_pipeline: 'support' }),
  ];

  it('every pipeline when complaintPipelines is empty', () => {
    const result = scored(tickets);
    expect(result.complaints).toMatchObject({ source: 'tickets', open: 2, openMajor: 1 });
    expect(result.satisfaction.openComplaints).toBe(2);
  });

  it('only the listed pipelines otherwise, and T3 counts the same', () => {
    const result = scored(tickets, [], 'standard', settingsWith({ complaintPipelines: ['0'] }));
    expect(result.complaints).toMatchObject({ open: 1, openMajor: 1 });
    const t3 = result.swot.find((item) => item.ruleId === 'T3');
    expect(t3?.evidence).toEqual({ openComplaints: 1, majorComplaints: 1 });
    const none = scored(tickets, [], 'standard', settingsWith({ complaintPipelines: ['x'] }));
    expect(none.complaints).toMatchObject({ source: 'none', open: 0 });
    expect(none.swot.some((item) => item.ruleId === 'T3')).toBe(false);
  });

  it.each([
    ['URGENT', true],
    ['HIGH', true],
    ['MEDIUM', false],
    ['LOW', false],
    [undefined, false],
  ] as const)('priority %s is major: %s', (priority, major) => {
    const props = priority === undefined ? {} : { hs_ticket_priority: priority };
    expect(scored([complaint('t1', '1', props)]).complaints.openMajor).toBe(major ? 1 : 0);
  });

  it('closed = hs_is_closed or a closed_date', () => {
    const result = scored([
      complaint('t1', '1', { hs_is_closed: 'true' }),
      complaint('t2', '1', { closed_date: iso(daysAgo(30)) }),
      complaint('t3', '1'),
    ]);
    expect(result.complaints.open).toBe(1);
  });
});

describe('§12 SLA by tier and kind (A4)', () => {
  const cases = TIERS.flatMap((tier) =>
    [true, false].map((major) => ({
      tier,
      major,
      days: complaintSlaDays(tier, major, DEFAULT_SETTINGS),
    })),
  );

  it('the defaults: major 1, 2, 3, 5, 5 days by tier; general twice', () => {
    expect(
      cases.map(({ tier, major, days }) => `${tier}/${major ? 'major' : 'general'}/${days}`),
    ).toEqual([
      'strategic/major/1',
      'strategic/general/2',
      'key/major/2',
      'key/general/4',
      'standard/major/3',
      'standard/general/6',
      'transactional/major/5',
      'transactional/general/10',
      'unrated/major/5',
      'unrated/general/10',
    ]);
  });

  it.each(cases)(
    '$tier, major $major: on time at $days days, overdue 1 ms later',
    ({ tier, major, days }) => {
      const priority = { hs_ticket_priority: major ? 'URGENT' : 'LOW' };
      const onTime = scored(
        [complaint('t1', '1', { ...priority, ...createdAgo(days * DAY) })],
        [],
        tier,
      );
      expect(onTime.tier).toBe(tier);
      expect(onTime.complaints).toMatchObject({ overdue: 0, slaDueDays: 0 });
      const a4 = onTime.actions.find((action) => action.ruleId === 'A4');
      expect(a4).toMatchObject({ title: 'Resolve the complaint', priority: 1, dueDays: 0 });

      const late = scored(
        [complaint('t1', '1', { ...priority, ...createdAgo(days * DAY + 1) })],
        [],
        tier,
      );
      expect(late.complaints.overdue).toBe(1);
      const escalated = late.actions.find((action) => action.ruleId === 'A4');
      expect(escalated).toMatchObject({
        title: 'Escalate the complaint',
        priority: 1,
        dueDays: 0,
        due: '2026-08-15',
      });
      expect(escalated?.evidence).toMatchObject({ escalate: true, overdueComplaints: 1 });
      expect(escalated?.reason).toContain('1 complaint past the SLA: escalate now');
    },
  );

  it('A4 is due by the first SLA to run out', () => {
    const result = scored(
      [
        complaint('t1', '1', { hs_ticket_priority: 'LOW', ...createdAgo(1 * DAY) }), // general: 6 d → 5 left
        complaint('t2', '1', { hs_ticket_priority: 'HIGH', ...createdAgo(DAY / 2) }), // major: 3 d → 2.5 left
      ],
      [],
      'standard',
    );
    const a4 = result.actions.find((action) => action.ruleId === 'A4');
    expect(a4).toMatchObject({ dueDays: 3, due: '2026-08-18' });
    expect(a4?.reason).toBe(
      '2 open complaints, 1 major (only about 4% of unhappy customers complain); resolve within 3 days (SLA 3 days major, 6 days general for a standard account)',
    );
  });

  it('an undated complaint is never overdue: its SLA runs from now', () => {
    const result = scored([complaint('t1', '1', { hs_ticket_priority: 'HIGH' })], [], 'strategic');
    expect(result.complaints).toMatchObject({ overdue: 0, slaDueDays: 1 });
  });

  it('the SLA follows the settings', () => {
    const settings = settingsWith({ complaintSlaDays: { standard: 10 } });
    const ticket = complaint('t1', '1', { hs_ticket_priority: 'HIGH', ...createdAgo(5 * DAY) });
    expect(scored([ticket]).complaints.overdue).toBe(1);
    expect(scored([ticket], [], 'standard', settings).complaints.overdue).toBe(0);
  });
});

describe('§12 A15 follow-up call (回访)', () => {
  const closed = (ms: number) =>
    complaint('t7', '1', { hs_is_closed: 'true', closed_date: iso(AS_OF - ms) });

  it('fires for 14 days after the closing', () => {
    const inside = scored([closed(14 * DAY - 1)]);
    expect(inside.complaints.followUp).toEqual({
      ticketId: 't7',
      closedAt: '2026-08-01',
      dueBy: '2026-08-15',
    });
    expect(inside.actions.find((action) => action.ruleId === 'A15')).toMatchObject({
      title: 'Follow-up call on the closed complaint (回访)',
      priority: 1,
      dueDays: 3,
      reason:
        'Complaint t7 closed on 2026-08-01 with no completed call or meeting since: call the customer back by 2026-08-15',
    });
    const outside = scored([closed(14 * DAY)]);
    expect(outside.complaints.followUp).toBeNull();
    expect(outside.actions.some((action) => action.ruleId === 'A15')).toBe(false);
  });

  it('a completed call after the closing clears it; one before, or not completed, does not', () => {
    const ticket = closed(5 * DAY);
    expect(scored([ticket], [call('c1', '1', daysAgo(4))]).complaints.followUp).toBeNull();
    expect(scored([ticket], [call('c1', '1', daysAgo(6))]).complaints.followUp).not.toBeNull();
    expect(
      scored([ticket], [call('c1', '1', daysAgo(4), 'NO_ANSWER')]).complaints.followUp,
    ).not.toBeNull();
    // A call dated after asOf has not happened yet.
    expect(scored([ticket], [call('c1', '1', AS_OF + DAY)]).complaints.followUp).not.toBeNull();
    // A call on another company does not count.
    expect(scored([ticket], [call('c1', '2', daysAgo(4))]).complaints.followUp).not.toBeNull();
  });

  it('the latest closing is the one to follow up', () => {
    const result = scored(
      [closed(10 * DAY), complaint('t8', '1', { closed_date: iso(daysAgo(2)) })],
      [call('c1', '1', daysAgo(5))],
    );
    expect(result.complaints.followUp?.ticketId).toBe('t8');
  });

  it('a completed meeting (§10) after the closing clears it too', () => {
    const facts: ComplaintFacts = {
      ...NO_COMPLAINTS,
      tickets: 1,
      lastClosed: { ticketId: 't7', closedMs: daysAgo(5) },
    };
    const status = (touch: number | null) =>
      complaintStatus(facts, 'key', DEFAULT_SETTINGS, AS_OF, touch).status.followUp;
    expect(status(latestCompletedTouch(null, daysAgo(4)))).toBeNull();
    expect(status(latestCompletedTouch(daysAgo(6), daysAgo(4)))).toBeNull();
    expect(status(latestCompletedTouch(daysAgo(4), daysAgo(6)))).toBeNull();
    expect(status(latestCompletedTouch(daysAgo(6), daysAgo(7)))).not.toBeNull();
    expect(status(latestCompletedTouch(null, null))).not.toBeNull();
  });
});

describe('§12 history: complaints of the last 365 days, median days to close', () => {
  it('counts complaints created in (asOf − 365 d, asOf]', () => {
    const result = scored([
      complaint('t1', '1', createdAgo(365 * DAY - 1)),
      complaint('t2', '1', createdAgo(365 * DAY)),
      complaint('t3', '1', { createdate: iso(AS_OF + DAY) }),
    ]);
    expect(result.complaints.last12Months).toBe(1);
  });

  it('the median days from creation to close of those closed', () => {
    const closedAfter = (id: string, createdDays: number, days: number) =>
      complaint(id, '1', {
        createdate: iso(daysAgo(createdDays)),
        closed_date: iso(daysAgo(createdDays) + days * DAY),
      });
    const result = scored([
      closedAfter('t1', 100, 1),
      closedAfter('t2', 100, 2.5),
      closedAfter('t3', 100, 10),
      closedAfter('t4', 400, 50), // created before the 365 days
      complaint('t5', '1', createdAgo(10 * DAY)), // open
    ]);
    expect(result.complaints).toMatchObject({ last12Months: 4, medianDaysToClose: 2.5 });
    expect(result.explanations.complaints?.text).toBe(
      '1 open complaint, 1 past the SLA; 4 complaints in the last 365 days, closed in a median 2.5 days. SLA for a standard account: 3 days major, 6 days general',
    );
  });
});

describe('§12 a portal with no tickets and no calls', () => {
  it('no complaint, no A4, no A15, and everything else as before', () => {
    const without = companyOf(score(portal([account('key')], REVENUE)), '1');
    const empty = companyOf(score(portal([account('key')], REVENUE, [], [])), '1');
    expect(without.complaints).toEqual({
      source: 'none',
      open: 0,
      openMajor: 0,
      overdue: 0,
      last12Months: 0,
      medianDaysToClose: null,
      followUp: null,
      slaDueDays: null,
      slaDaysMajor: 2,
    });
    expect(without.explanations.complaints?.text).toBe('No complaint on record');
    expect(without.actions.some((a) => a.ruleId === 'A4' || a.ruleId === 'A15')).toBe(false);
    expect(empty).toEqual(without);
  });
});

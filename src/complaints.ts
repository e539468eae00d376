/**
 * Complaints (kam-model.md §12): which tickets are complaints, which are
 * open, major or past their SLA, the history of the last 365 days, and the
 * follow-up call (回访) owed after one is closed.
 */
import type { Explanation } from './explanation.ts';
import { formatCount, formatDays, isoDate, round } from './format.ts';
import type { CrmObject } from './hubspot-objects.ts';
import {
  isBlank,
  linkedCompanies,
  parseBooleanProperty,
  parseInstantProperty,
} from './hubspot-objects.ts';
import { median } from './metrics.ts';
import type { Settings, Tier } from './settings.ts';
import { TIER_LABEL } from './settings.ts';
import { DAY_MS } from './time.ts';

/** Complaints counted in the history: those created in the last 365 days. */
export const COMPLAINT_HISTORY_DAYS = 365;
/** A15 asks for a follow-up call for this many days after a complaint's closing. */
export const FOLLOW_UP_DAYS = 14;
/** A general complaint gets this many times the SLA of a major one. */
export const GENERAL_SLA_FACTOR = 2;

/** One open complaint, as the facts keep it: enough to know when it falls past its SLA. */
export interface OpenComplaint {
  readonly ticketId: string;
  /** `createdate`; null when missing (such a complaint is never overdue). */
  readonly createdMs: number | null;
  readonly major: boolean;
}

/** Everything about one company's complaints that does not depend on its tier. */
export interface ComplaintFacts {
  /** Complaint tickets (in the complaint pipelines) associated with the company, any age. */
  readonly tickets: number;
  readonly open: readonly OpenComplaint[];
  /** Complaints created in the last 365 days. */
  readonly last12Months: number;
  /** Median days from creation to close of those of them that are closed; null if none. */
  readonly medianDaysToClose: number | null;
  /** The complaint closed last (closed_date ≤ asOf); null if none. */
  readonly lastClosed: { readonly ticketId: string; readonly closedMs: number } | null;
  /** The latest completed call (hs_timestamp ≤ asOf); null if none. */
  readonly lastCallMs: number | null;
}

export const NO_COMPLAINTS: ComplaintFacts = Object.freeze({
  tickets: 0,
  open: Object.freeze([]),
  last12Months: 0,
  medianDaysToClose: null,
  lastClosed: null,
  lastCallMs: null,
});

/** A complaint still open: a ticket is closed when `hs_is_closed` is true or it has a close date. */
export function isOpenTicket(ticket: CrmObject): boolean {
  return !(
    parseBooleanProperty(ticket.properties.hs_is_closed) || !isBlank(ticket.properties.closed_date)
  );
}

/** A complaint is major when its priority is HIGH or URGENT (`[004]`'s 重大投诉). */
export function isMajorComplaint(ticket: CrmObject): boolean {
  const priority = ticket.properties.hs_ticket_priority;
  return priority === 'HIGH' || priority === 'URGENT';
}

/** Whether a ticket is a complaint: it is in one of `complaintPipelines`, or that list is empty. */
export function isComplaint(ticket: CrmObject, settings: Settings): boolean {
  const pipelines = settings.complaintPipelines;
  if (pipelines.length === 0) return true;
  const pipeline = ticket.properties.hs_pipeline;
  return pipeline != null && pipelines.includes(pipeline.trim());
}

/** A valid instant of a property, or null (blank or unparsable). */
function instant(value: string | null | undefined): number | null {
  const ms = parseInstantProperty(value);
  return ms === null || Number.isNaN(ms) ? null : ms;
}

/** One company's running complaint totals while tickets and calls stream past. */
interface ComplaintTotals {
  tickets: number;
  open: OpenComplaint[];
  last12Months: number;
  daysToClose: number[];
  lastClosed: { ticketId: string; closedMs: number } | null;
  lastCallMs: number | null;
}

/**
 * Collects complaint facts by company id, tickets and calls in any order and
 * paging. Only companies with a complaint or a completed call get an entry.
 */
export interface ComplaintCollector {
  addTickets(tickets: readonly CrmObject[], isKnown: (companyId: string) => boolean): void;
  addCalls(calls: readonly CrmObject[], isKnown: (companyId: string) => boolean): void;
  factsOf(companyId: string): ComplaintFacts;
}

export function createComplaintCollector(settings: Settings, asOfMs: number): ComplaintCollector {
  const byCompany = new Map<string, ComplaintTotals>();
  const historyStart = asOfMs - COMPLAINT_HISTORY_DAYS * DAY_MS;
  const totalsOf = (companyId: string): ComplaintTotals => {
    let totals = byCompany.get(companyId);
    if (totals === undefined) {
      totals = {
        tickets: 0,
        open: [],
        last12Months: 0,
        daysToClose: [],
        lastClosed: null,
        lastCallMs: null,
      };
      byCompany.set(companyId, totals);
    }
    return totals;
  };
  return {
    addTickets(tickets, isKnown) {
      for (const ticket of tickets) {
        if (!isComplaint(ticket, settings)) continue;
        const links = linkedCompanies(ticket.associations?.companies?.results ?? []);
        if (links.length === 0) continue;
        const createdMs = instant(ticket.properties.createdate);
        const closedMs = instant(ticket.properties.closed_date);
        const open = isOpenTicket(ticket);
        const major = isMajorComplaint(ticket);
        const recent = createdMs !== null && createdMs > historyStart && createdMs <= asOfMs;
        for (const { companyId } of links) {
          if (!isKnown(companyId)) continue;
          const totals = totalsOf(companyId);
          totals.tickets += 1;
          if (open) totals.open.push({ ticketId: ticket.id, createdMs, major });
          if (recent) {
            totals.last12Months += 1;
            if (closedMs !== null && closedMs >= (createdMs)) {
              totals.daysToClose.push((closedMs - (createdMs)) / DAY_MS);
            }
          }
          if (
            closedMs !== null &&
            closedMs <= asOfMs &&
            (totals.lastClosed === null || closedMs > totals.lastClosed.closedMs)
          ) {
            totals.lastClosed = { ticketId: ticket.id, closedMs };
          }
        }
      }
    },
    addCalls(calls, isKnown) {
      for (const call of calls) {
        if (call.properties.hs_call_status !== 'COMPLETED') continue;
        const callMs = instant(call.properties.hs_timestamp);
        if (callMs === null || callMs > asOfMs) continue;
        for (const { companyId } of linkedCompanies(call.associations?.companies?.results ?? [])) {
          if (!isKnown(companyId)) continue;
          const totals = totalsOf(companyId);
          if (totals.lastCallMs === null || callMs > totals.lastCallMs) totals.lastCallMs = callMs;
        }
      }
    },
    factsOf(companyId) {
      const totals = byCompany.get(companyId);
      if (totals === undefined) return NO_COMPLAINTS;
      return {
        tickets: totals.tickets,
        open: totals.open,
        last12Months: totals.last12Months,
        medianDaysToClose: median(totals.daysToClose),
        lastClosed: totals.lastClosed,
        lastCallMs: totals.lastCallMs,
      };
    },
  };
}

/** A15: the follow-up call owed after the complaint closed last. */
export interface ComplaintFollowUp {
  readonly ticketId: string;
  /** closed_date, YYYY-MM-DD. */
  readonly closedAt: string;
  /** The last day of the 14-day window, YYYY-MM-DD. */
  readonly dueBy: string;
}

/** One account's complaints as the card shows them (CompanyScore.complaints). */
export interface ComplaintStatus {
  /** `none`: no complaint ticket is associated with the company. */
  readonly source: 'tickets' | 'none';
  readonly open: number;
  readonly openMajor: number;
  /** Open complaints past their SLA. */
  readonly overdue: number;
  readonly last12Months: number;
  /** To one decimal. */
  readonly medianDaysToClose: number | null;
  readonly followUp: ComplaintFollowUp | null;
  /** Days until the first open complaint's SLA runs out (0 when one is overdue); null when none is open. */
  readonly slaDueDays: number | null;
  /** The SLA of a major complaint at this tier, in days (a general one gets twice). */
  readonly slaDaysMajor: number;
}

/** Days to resolve a complaint at a tier (§12): the setting for a major one, twice that for a general one. */
export function complaintSlaDays(tier: Tier, major: boolean, settings: Settings): number {
  const days = settings.complaintSlaDays[tier];
  return major ? days : days * GENERAL_SLA_FACTOR;
}

/**
 * The latest completed touch after which no follow-up is owed: the later of
 * the latest completed call and the latest completed meeting (§10's visits).
 */
export function latestCompletedTouch(
  lastCallMs: number | null,
  lastVisitMs: number | null,
): number | null {
  if (lastCallMs === null) return lastVisitMs;
  if (lastVisitMs === null) return lastCallMs;
  return Math.max(lastCallMs, lastVisitMs);
}

/**
 * One account's complaints at its tier, as of an instant.
 *
 * @param latestTouchMs the latest completed call or meeting (`latestCompletedTouch`)
 */
export function complaintStatus(
  facts: ComplaintFacts,
  tier: Tier,
  settings: Settings,
  asOfMs: number,
  latestTouchMs: number | null,
): { status: ComplaintStatus; explanation: Explanation } {
  let openMajor = 0;
  let overdue = 0;
  let firstDeadline = Number.POSITIVE_INFINITY;
  for (const complaint of facts.open) {
    if (complaint.major) openMajor += 1;
    // An undated complaint's SLA runs from now: it is never overdue.
    const deadline =
      (complaint.createdMs ?? asOfMs) + complaintSlaDays(tier, complaint.major, settings) * DAY_MS;
    if (deadline < asOfMs) overdue += 1;
    if (deadline < firstDeadline) firstDeadline = deadline;
  }
  const slaDueDays = Number.isFinite(firstDeadline)
    ? Math.max(0, Math.ceil((firstDeadline - asOfMs) / DAY_MS))
    : null;
  const closed = facts.lastClosed;
  const followUp =
    closed !== null &&
    asOfMs - closed.closedMs < FOLLOW_UP_DAYS * DAY_MS &&
    !(latestTouchMs !== null && latestTouchMs > closed.closedMs)
      ? {
          ticketId: closed.ticketId,
          closedAt: isoDate(closed.closedMs),
          dueBy: isoDate(closed.closedMs + FOLLOW_UP_DAYS * DAY_MS),
        }
      : null;
  const medianDays = facts.medianDaysToClose === null ? null : round(facts.medianDaysToClose, 1);
  const open = facts.open.length;
  const slaDaysMajor = complaintSlaDays(tier, true, settings);
  return {
    status: {
      source: facts.tickets > 0 ? 'tickets' : 'none',
      open,
      openMajor,
      overdue,
      last12Months: facts.last12Months,
      medianDaysToClose: medianDays,
      followUp,
      slaDueDays,
      slaDaysMajor,
    },
    explanation: complaintExplanation(facts, tier, {
      open,
      openMajor,
      overdue,
      medianDays,
      slaDaysMajor,
    }),
  };
}

function complaintExplanation(
  facts: ComplaintFacts,
  tier: Tier,
  counts: {
    open: number;
    openMajor: number;
    overdue: number;
    medianDays: number | null;
    slaDaysMajor: number;
  },
): Explanation {
  const inputs = {
    tier,
    openComplaints: counts.open,
    majorComplaints: counts.openMajor,
    overdueComplaints: counts.overdue,
    complaints12m: facts.last12Months,
    medianDaysToClose: counts.medianDays,
    slaDaysMajor: counts.slaDaysMajor,
    slaDaysGeneral: counts.slaDaysMajor * GENERAL_SLA_FACTOR,
  };
  if (facts.tickets === 0) {
    return { rule: 'complaints.none', text: 'No complaint on record', inputs };
  }
  const history =
    `${formatCount(facts.last12Months, 'complaint', 'complaints')} in the last ${COMPLAINT_HISTORY_DAYS} days` +
    (counts.medianDays === null
      ? ''
      : `, closed in a median ${formatCount(counts.medianDays, 'day', 'days')}`);
  const open =
    `${formatCount(counts.open, 'open complaint', 'open complaints')}` +
    (counts.openMajor > 0 ? ` (${counts.openMajor} major)` : '') +
    (counts.overdue > 0 ? `, ${counts.overdue} past the SLA` : '');
  const sla = `SLA for a ${TIER_LABEL[tier].toLowerCase()} account: ${formatDays(counts.slaDaysMajor)} major, ${formatDays(counts.slaDaysMajor * GENERAL_SLA_FACTOR)} general`;
  return { rule: 'complaints.history', text: `${open}; ${history}. ${sla}`, inputs };
}

/** A4 for an account's open complaints: escalate when one is past its SLA, else resolve by it. */
export function complaintAction(
  status: ComplaintStatus,
  tier: Tier,
): { title: string; reason: string; dueDays: number; evidence: Record<string, number | boolean> } {
  const escalate = status.overdue > 0;
  const sla = `SLA ${formatDays(status.slaDaysMajor)} major, ${formatDays(status.slaDaysMajor * GENERAL_SLA_FACTOR)} general for a ${TIER_LABEL[tier].toLowerCase()} account`;
  const dueDays = escalate ? 0 : (status.slaDueDays ?? 0);
  return {
    title: escalate ? 'Escalate the complaint' : 'Resolve the complaint',
    reason: escalate
      ? `${formatCount(status.overdue, 'complaint', 'complaints')} past the SLA: escalate now (${sla})`
      : `resolve within ${formatDays(dueDays)} (${sla})`,
    dueDays,
    evidence: {
      escalate,
      overdueComplaints: status.overdue,
      slaDays: status.slaDaysMajor,
      slaDueDays: dueDays,
    },
  };
}

/** A15's reason: the complaint closed without a completed call or meeting since. */
export function followUpReason(followUp: ComplaintFollowUp): string {
  return `Complaint ${followUp.ticketId} closed on ${followUp.closedAt} with no completed call or meeting since: call the customer back by ${followUp.dueBy}`;
}

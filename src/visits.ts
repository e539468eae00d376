import type { Explanation } from './explanation.ts';
import { formatDays, isoDate } from './format.ts';
import type { CrmObject } from './hubspot-objects.ts';
import { isBlank, parseInstantProperty } from './hubspot-objects.ts';
import type { Settings, Tier } from './settings.ts';
import { daysBetween } from './time.ts';

/** A8: a strategic account has a business review at least this often (kam-model.md §10). */
export const REVIEW_DAYS = 90;
/** A16: a strategic account has an executive visit at least this often. */
export const EXECUTIVE_VISIT_DAYS = 365;

/** A company's meetings, summed up as they stream past: a count and the dates that matter. */
export interface MeetingFacts {
  /** Meetings associated with the company, whatever their outcome. */
  readonly meetings: number;
  /** The latest visit: outcome COMPLETED (or empty), start at or before asOf. */
  readonly lastVisitMs: number | null;
  /** The latest visit owned by one of `settings.executiveUserIds`. */
  readonly lastExecutiveVisitMs: number | null;
  /** The latest visit whose title matches `settings.reviewTitlePattern`. */
  readonly lastReviewMs: number | null;
}

/** A company without meetings: shared by most companies. */
export const NO_MEETINGS: MeetingFacts = Object.freeze({
  meetings: 0,
  lastVisitMs: null,
  lastExecutiveVisitMs: null,
  lastReviewMs: null,
});

/** What reading meetings needs of the settings, compiled once per run. */
export interface MeetingReader {
  readonly asOfMs: number;
  readonly executives: ReadonlySet<string>;
  readonly review: RegExp;
}

export function meetingReader(settings: Settings, asOfMs: number): MeetingReader {
  return {
    asOfMs,
    executives: new Set(settings.executiveUserIds),
    review: new RegExp(settings.reviewTitlePattern, 'i'),
  };
}

/** What one meeting says about its companies' visits. */
export interface MeetingRead {
  /** The visit's start, or null when it is no visit (cancelled, scheduled, in the future, undated). */
  readonly visitMs: number | null;
  readonly executive: boolean;
  readonly review: boolean;
}

/** Reads one meeting (kam-model.md §10). */
export function readMeeting(meeting: CrmObject, reader: MeetingReader): MeetingRead {
  const p = meeting.properties;
  const outcome = p.hs_meeting_outcome;
  const start = parseInstantProperty(p.hs_meeting_start_time);
  const done = isBlank(outcome) || outcome.trim().toUpperCase() === 'COMPLETED';
  const visitMs =
    done && start !== null && !Number.isNaN(start) && start <= reader.asOfMs ? start : null;
  if (visitMs === null) return { visitMs, executive: false, review: false };
  const owner = p.hubspot_owner_id?.trim();
  const title = p.hs_meeting_title;
  return {
    visitMs,
    executive: owner !== undefined && reader.executives.has(owner),
    review: !isBlank(title) && reader.review.test(title),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A company's meeting facts while they are being collected. */
export type MeetingTotals = Mutable<MeetingFacts>;

function later(a: number | null, b: number): number {
  return a === null || b > a ? b : a;
}

/** Adds one meeting to a company's running totals (undefined starts them); any order. */
export function addMeeting(totals: MeetingTotals | undefined, read: MeetingRead): MeetingTotals {
  const into: MeetingTotals = totals ?? { ...NO_MEETINGS };
  into.meetings += 1;
  const at = read.visitMs;
  if (at === null) return into;
  into.lastVisitMs = later(into.lastVisitMs, at);
  if (read.executive) into.lastExecutiveVisitMs = later(into.lastExecutiveVisitMs, at);
  if (read.review) into.lastReviewMs = later(into.lastReviewMs, at);
  return into;
}

/** kam-model.md §10 as the card shows it. */
export interface Visits {
  /** `last_activity`: the portal has no meetings, `notes_last_updated` stands in; `none`: neither. */
  readonly source: 'meetings' | 'last_activity' | 'none';
  readonly daysSinceVisit: number | null;
  /** Dates YYYY-MM-DD. */
  readonly lastVisit: string | null;
  readonly lastExecutiveVisit: string | null;
  readonly lastReview: string | null;
  /** The tier's visit cadence; null for unrated. */
  readonly cadenceDays: number | null;
  readonly daysSinceExecutiveVisit: number | null;
  readonly daysSinceReview: number | null;
  /** `settings.executiveUserIds` is not empty (A16 is on). */
  readonly executivesListed: boolean;
}

/** The visit cadence of a tier (kam-model.md §7); `unrated` has none. */
export function visitCadence(tier: Tier, settings: Settings): number | null {
  return tier === 'unrated' ? null : settings.visitCadenceDays[tier];
}

function daysSince(ms: number | null, asOfMs: number): number | null {
  return ms === null ? null : Math.max(0, daysBetween(ms, asOfMs));
}

function dateOf(ms: number | null): string | null {
  return ms === null ? null : isoDate(ms);
}

/**
 * The visits of one company.
 *
 * @param portalHasMeetings whether any company of the portal has a meeting;
 *   without any, the last activity stands in for the last visit
 */
export function accountVisits(
  facts: MeetingFacts,
  portalHasMeetings: boolean,
  lastActivityMs: number | null,
  tier: Tier,
  settings: Settings,
  asOfMs: number,
): Visits {
  const cadenceDays = visitCadence(tier, settings);
  const executivesListed = settings.executiveUserIds.length > 0;
  if (!portalHasMeetings) {
    return {
      source: lastActivityMs === null ? 'none' : 'last_activity',
      daysSinceVisit: daysSince(lastActivityMs, asOfMs),
      lastVisit: dateOf(lastActivityMs),
      lastExecutiveVisit: null,
      lastReview: null,
      cadenceDays,
      daysSinceExecutiveVisit: null,
      daysSinceReview: null,
      executivesListed,
    };
  }
  return {
    source: 'meetings',
    daysSinceVisit: daysSince(facts.lastVisitMs, asOfMs),
    lastVisit: dateOf(facts.lastVisitMs),
    lastExecutiveVisit: dateOf(facts.lastExecutiveVisitMs),
    lastReview: dateOf(facts.lastReviewMs),
    cadenceDays,
    daysSinceExecutiveVisit: daysSince(facts.lastExecutiveVisitMs, asOfMs),
    daysSinceReview: daysSince(facts.lastReviewMs, asOfMs),
    executivesListed,
  };
}

/** The daysSinceVisit explanation a card shows (rule, inputs, numbers). */
export function visitsExplanation(visits: Visits): Explanation {
  const inputs = {
    daysSinceVisit: visits.daysSinceVisit,
    lastVisit: visits.lastVisit,
    cadenceDays: visits.cadenceDays,
    source: visits.source,
  };
  const cadence =
    visits.cadenceDays === null
      ? ''
      : `; its tier is visited every ${formatDays(visits.cadenceDays)}`;
  if (visits.source === 'none') {
    return {
      rule: 'visits.none',
      text: `No meetings in the portal and no recorded activity${cadence}`,
      inputs,
    };
  }
  if (visits.source === 'last_activity') {
    return {
      rule: 'visits.last_activity',
      text: `Last activity ${formatDays(visits.daysSinceVisit ?? 0)} ago (${visits.lastVisit}); the portal has no meetings, so it stands in for visits${cadence}`,
      inputs,
    };
  }
  return {
    rule: 'visits.meetings',
    text:
      (visits.daysSinceVisit === null
        ? 'No completed meeting on record'
        : `Last visit ${formatDays(visits.daysSinceVisit)} ago (${visits.lastVisit})`) + cadence,
    inputs,
  };
}

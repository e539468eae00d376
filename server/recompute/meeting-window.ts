const DAY_MS = 86_400_000;

/**
 * How far back the app reads meetings: a year for executive visits
 * (kam-model.md §10, A16) and a margin for time zones and late logging.
 */
export const MEETING_READ_DAYS = 400;

/** The earliest meeting start a recompute at `asOfMs` reads. */
export function meetingWindowStart(asOfMs: number): number {
  return asOfMs - MEETING_READ_DAYS * DAY_MS;
}

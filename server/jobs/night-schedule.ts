import { createHash } from 'node:crypto';

/** A night window in the portal's own wall-clock time, as minutes after midnight. */
export interface NightWindow {
  /** Inclusive. */
  readonly startMinute: number;
  /** Exclusive; below the start when the window spans midnight (23:00–03:00). */
  readonly endMinute: number;
}

const MINUTES_PER_DAY = 24 * 60;

/** `HH:MM` (24-hour) as minutes after midnight; null when it is not one. */
export function minuteOfDay(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** How many minutes the window lasts (a window spanning midnight wraps). */
export function windowMinutes(window: NightWindow): number {
  return (window.endMinute - window.startMinute + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/**
 * The portal's minute of the night: a stable spread offset inside the
 * window, from a hash of its id (consecutive ids land far apart), so a
 * deployment's portals do not all start at once and a portal keeps its
 * minute from one night (and one deployment) to the next.
 */
export function nightMinute(portalId: number, window: NightWindow): number {
  const digest = createHash('sha256').update(`night:${portalId}`).digest();
  const offset = digest.readUInt32BE(0) % windowMinutes(window);
  return (window.startMinute + offset) % MINUTES_PER_DAY;
}

/** The cron pattern of the portal's nightly recompute, read in its own time zone. */
export function nightPattern(portalId: number, window: NightWindow): string {
  const minute = nightMinute(portalId, window);
  return `${minute % 60} ${Math.floor(minute / 60)} * * *`;
}

/**
 * The portal's IANA time zone as HubSpot's account details name it, or
 * UTC when it named none or one this runtime does not know (the cron
 * parser and `Intl` share the same zone database).
 */
export function knownTimeZone(name: string | null | undefined): string {
  if (name === null || name === undefined || name.trim() === '') return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * A nightly full recompute's BullMQ priority (1 runs first): the more
 * records a portal's last full recompute read (companies and deals, which
 * its calls follow), the sooner. Where nights overlap, the longest jobs then
 * start first and no large portal is left to start last (longest job first
 * keeps the whole night near its ideal). By powers of two, so a portal's
 * priority moves only when it doubles or halves. Jobs a user waits for
 * (install, "recompute now", settings) carry none and so run before every
 * nightly one.
 */
export function nightlyPriority(records: number): number {
  return Math.max(1, 64 - Math.floor(Math.log2(Math.max(1, records))));
}

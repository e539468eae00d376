import { Router } from 'express';
import { principalOf } from '../api-middleware.ts';

/**
 * The time zones sandbox portals live in, one per portal id in turn: both
 * hemispheres' daylight-saving rules, zones without any, a half-hour
 * offset, and UTC.
 */
export const SANDBOX_TIME_ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Sao_Paulo',
] as const;

/** A sandbox portal's time zone: stable for its id. */
export function sandboxTimeZone(portalId: number): string {
  return SANDBOX_TIME_ZONES[portalId % SANDBOX_TIME_ZONES.length] ?? 'UTC';
}

/** The zone's offset from UTC at an instant, as HubSpot spells it (`+09:00`) and in ms. */
function utcOffset(timeZone: string, at: Date): { text: string; ms: number } {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (match === null) return { text: '+00:00', ms: 0 };
  const sign = match[1] === '-' ? -1 : 1;
  const ms = sign * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
  return { text: `${match[1] ?? '+'}${match[2] ?? '00'}:${match[3] ?? '00'}`, ms };
}

/**
 * `GET /account-info/2026-03/details` (and the older `v3` path): which
 * portal a token belongs to and its time zone, as HubSpot answers it.
 * Single-portal mode asks this once at start to learn its portal id; the
 * backend asks each portal's time zone to schedule its nightly recompute.
 */
export function accountRoutes(now: () => number): Router {
  const router = Router();
  router.get(['/account-info/2026-03/details', '/account-info/v3/details'], (request, response) => {
    const { portalId } = principalOf(request);
    const timeZone = sandboxTimeZone(portalId);
    const offset = utcOffset(timeZone, new Date(now()));
    response.json({
      portalId,
      accountType: 'STANDARD',
      timeZone,
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: offset.text,
      utcOffsetMilliseconds: offset.ms,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });
  return router;
}

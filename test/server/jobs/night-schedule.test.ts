import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import type { NightWindow } from '../../../server/jobs/night-schedule.ts';
import {
  knownTimeZone,
  nightlyPriority,
  nightMinute,
  nightPattern,
} from '../../../server/jobs/night-schedule.ts';
import { createRecomputeQueue } from '../../../server/jobs/recompute-queue.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const NIGHT: NightWindow = { startMinute: 60, endMinute: 300 }; // 01:00–05:00, the default
const HOUR_MS = 3_600_000;

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The queue's own Redis keys are per file (the queue name is fixed): each test starts empty. */
async function freshQueue() {
  const recompute = createRecomputeQueue(
    { url: redis.url },
    redis.connect(),
    `kam-${randomUUID()}`,
  );
  await recompute.queue.obliterate({ force: true });
  return recompute;
}

/** The clock BullMQ computes a schedule's next run from, set by the test (timers stay real). */
function clockAt(iso: string): number {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  return Date.now();
}

/** Minutes after midnight of an instant on a time zone's wall clock. */
function wallMinute(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instantMs));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return part('hour') * 60 + part('minute');
}

/** Each nightly schedule (by portal) with its next run, and the delayed jobs waiting for them. */
async function nights(recompute: Awaited<ReturnType<typeof freshQueue>>) {
  const schedulers = await recompute.queue.getJobSchedulers(0, -1);
  const jobs = await recompute.queue.getJobs(['delayed', 'waiting']);
  return {
    keys: schedulers.map((scheduler) => scheduler.key).sort(),
    next: new Map(schedulers.map((scheduler) => [scheduler.key, scheduler.next ?? 0])),
    jobsBySchedule: jobs.map((job) => job.repeatJobKey ?? '').sort(),
  };
}

describe('nightly recompute in the portal’s own night', () => {
  it('gives each portal a stable minute, spread over the window', () => {
    const ids = Array.from({ length: 240 }, (_, index) => 9_000_001 + index);
    const minutes = ids.map((id) => nightMinute(id, NIGHT));
    expect(minutes.every((minute) => minute >= 60 && minute < 300)).toBe(true);
    // 240 portals over 240 minutes: a hash spreads them (all at one minute would be 1).
    expect(new Set(minutes).size).toBeGreaterThan(120);
    const perHour = [1, 2, 3, 4].map(
      (hour) => minutes.filter((minute) => Math.floor(minute / 60) === hour).length,
    );
    expect(Math.min(...perHour)).toBeGreaterThan(30);
    // Stable: the same minute from one call (or deployment) to the next.
    expect(ids.map((id) => nightMinute(id, NIGHT))).toEqual(minutes);
    expect(nightPattern(9_000_001, NIGHT)).toBe(
      `${(minutes[0] ?? 0) % 60} ${Math.floor((minutes[0] ?? 0) / 60)} * * *`,
    );
    // A window across midnight (22:00–02:00) wraps.
    const late: NightWindow = { startMinute: 22 * 60, endMinute: 2 * 60 };
    const lateMinutes = ids.map((id) => nightMinute(id, late));
    expect(lateMinutes.every((minute) => minute >= 22 * 60 || minute < 2 * 60)).toBe(true);
    expect(lateMinutes.some((minute) => minute < 60)).toBe(true);
    expect(lateMinutes.some((minute) => minute >= 23 * 60)).toBe(true);
  });

  it('reads an unknown or missing time zone as UTC', () => {
    expect(knownTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(knownTimeZone('')).toBe('UTC');
    expect(knownTimeZone(null)).toBe('UTC');
  });

  it('runs each portal inside the night of its time zone, across daylight-saving changes', async () => {
    const recompute = await freshQueue();
    const portals: [number, string | null][] = [
      [101, 'America/New_York'],
      [102, 'Europe/Berlin'],
      [103, 'Asia/Tokyo'],
      [104, 'Australia/Sydney'],
      [105, 'Asia/Kolkata'],
      [106, 'America/Los_Angeles'],
      [107, null],
      [108, 'Not/A_Zone'],
    ];
    // Noon UTC the day before each switch: US spring forward (8 March 2026),
    // the EU's (29 March), Sydney's fall back (5 April), the EU's (25 October).
    for (const day of ['2026-03-07', '2026-03-28', '2026-04-04', '2026-10-24', '2026-12-01']) {
      const now = clockAt(`${day}T12:00:00Z`);
      for (const [portalId, timeZone] of portals) {
        await recompute.scheduleNightly(portalId, timeZone, NIGHT);
      }
      const state = await nights(recompute);
      for (const [portalId, timeZone] of portals) {
        const next = state.next.get(`night-${portalId}`) ?? 0;
        expect(next).toBeGreaterThan(now);
        expect(next - now).toBeLessThanOrEqual(25 * HOUR_MS);
        const local = wallMinute(next, knownTimeZone(timeZone));
        const expected = nightMinute(portalId, NIGHT);
        // Exactly its minute, or an hour later when a spring-forward night skips that minute.
        expect([expected, expected + 60], `${portalId} on ${day}`).toContain(local);
        expect(local >= 60 && local < 6 * 60).toBe(true);
      }
      // Rescheduling replaced each portal's schedule and its next job: one of each.
      expect(state.keys).toEqual(portals.map(([id]) => `night-${id}`).sort());
      expect(state.jobsBySchedule).toEqual(state.keys);
    }
    // Not all at one instant any more: the portals' runs are spread over the day (UTC).
    const state = await nights(recompute);
    expect(new Set([...state.next.values()]).size).toBe(portals.length);
    await recompute.close();
  });

  it('moves the old 03:00 UTC schedules into each portal’s night on upgrade, without duplicates', async () => {
    const recompute = await freshQueue();
    clockAt('2026-06-15T12:00:00Z');
    const zones = new Map<number, string>([
      [201, 'Asia/Tokyo'],
      [202, 'America/Los_Angeles'],
      [203, 'Europe/Berlin'],
    ]);
    // As the previous release scheduled every portal (and 204, whose token no longer works).
    for (const portalId of [201, 202, 203, 204]) {
      await recompute.queue.upsertJobScheduler(
        `nightly-${portalId}`,
        { pattern: '0 3 * * *', tz: 'UTC' },
        { name: 'full', data: { portalId, reason: 'nightly' } },
      );
    }
    const asked: number[] = [];
    const timeZoneOf = (portalId: number): Promise<string | null> => {
      asked.push(portalId);
      const zone = zones.get(portalId);
      return zone === undefined ? Promise.reject(new Error('needs reauth')) : Promise.resolve(zone);
    };
    const first = await recompute.moveNightlySchedules(NIGHT, timeZoneOf);
    expect(first).toEqual({ moved: 3, rewindowed: 0, failed: [204] });
    let state = await nights(recompute);
    expect(state.keys).toEqual(['night-201', 'night-202', 'night-203', 'nightly-204']);
    expect(state.jobsBySchedule).toEqual(state.keys); // the old next runs went with their schedules
    for (const [portalId, zone] of zones) {
      const next = state.next.get(`night-${portalId}`) ?? 0;
      expect(wallMinute(next, zone)).toBe(nightMinute(portalId, NIGHT));
    }

    // The next start: nothing left to move but the portal that failed, asked again.
    asked.length = 0;
    expect(await recompute.moveNightlySchedules(NIGHT, timeZoneOf)).toEqual({
      moved: 0,
      rewindowed: 0,
      failed: [204],
    });
    expect(asked).toEqual([204]);

    // An operator moves the window: each schedule follows, in the zone it had, still one each.
    const later: NightWindow = { startMinute: 2 * 60, endMinute: 4 * 60 };
    expect(await recompute.moveNightlySchedules(later, timeZoneOf)).toEqual({
      moved: 0,
      rewindowed: 3,
      failed: [204],
    });
    state = await nights(recompute);
    expect(state.jobsBySchedule).toEqual(state.keys);
    for (const [portalId, zone] of zones) {
      const next = state.next.get(`night-${portalId}`) ?? 0;
      expect(wallMinute(next, zone)).toBe(nightMinute(portalId, later));
    }

    // Uninstalling removes the schedule, of either kind, and its next run.
    await recompute.unscheduleNightly(201);
    await recompute.unscheduleNightly(204);
    state = await nights(recompute);
    expect(state.keys).toEqual(['night-202', 'night-203']);
    expect(state.jobsBySchedule).toEqual(state.keys);
    await recompute.close();
  });

  it('gives a larger portal’s nights a higher priority, kept when its schedule moves', async () => {
    expect(nightlyPriority(0)).toBe(64);
    expect(nightlyPriority(2_200)).toBe(53); // 200 companies, 2,000 deals
    expect(nightlyPriority(110_000)).toBe(48);
    expect(nightlyPriority(1_100_000)).toBe(44);
    const recompute = await freshQueue();
    clockAt('2026-06-15T12:00:00Z');
    const priorityOf = async () => {
      const scheduler = await recompute.queue.getJobScheduler('night-301');
      const jobs = await recompute.queue.getJobs(['delayed', 'waiting', 'prioritized']);
      return {
        scheduled: scheduler?.template?.opts?.priority,
        next: jobs.map((job) => job.opts.priority),
      };
    };
    // Installed: its size is not known yet, so it goes after the portals that are.
    await recompute.scheduleNightly(301, 'Asia/Tokyo', NIGHT);
    expect(await priorityOf()).toEqual({ scheduled: 64, next: [64] });
    // Its first full recompute read 10,000 companies and 100,000 deals.
    expect(await recompute.prioritizeNightly(301, 110_000)).toBe(true);
    expect(await priorityOf()).toEqual({ scheduled: 48, next: [48] });
    expect(await recompute.prioritizeNightly(301, 120_000)).toBe(false); // not doubled
    // Installed again, and moved to another window: one schedule, one next run, its priority kept.
    await recompute.scheduleNightly(301, 'Asia/Tokyo', NIGHT);
    const later: NightWindow = { startMinute: 2 * 60, endMinute: 4 * 60 };
    expect(
      (await recompute.moveNightlySchedules(later, () => Promise.resolve(null))).rewindowed,
    ).toBe(1);
    expect(await priorityOf()).toEqual({ scheduled: 48, next: [48] });
    const state = await nights(recompute);
    expect(state.keys).toEqual(['night-301']);
    expect(state.jobsBySchedule).toEqual(['night-301']);
    const next = state.next.get('night-301') ?? 0;
    expect(wallMinute(next, 'Asia/Tokyo')).toBe(nightMinute(301, later));
    // A removed portal has no schedule to move.
    await recompute.unscheduleNightly(301);
    expect(await recompute.prioritizeNightly(301, 1_100_000)).toBe(false);
    expect(await recompute.queue.getJobSchedulers(0, -1)).toEqual([]);
    await recompute.close();
  });

  it('takes the window from NIGHTLY_WINDOW_START and _END, and names a bad one', () => {
    const oauth = {
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig(oauth).nightlyWindow).toEqual({ startMinute: 60, endMinute: 300 });
    expect(
      loadConfig({ ...oauth, NIGHTLY_WINDOW_START: '22:30', NIGHTLY_WINDOW_END: '02:00' })
        .nightlyWindow,
    ).toEqual({ startMinute: 22 * 60 + 30, endMinute: 120 });
    expect(() => loadConfig({ ...oauth, NIGHTLY_WINDOW_START: '25:00' })).toThrow(
      /NIGHTLY_WINDOW_START: must be a time HH:MM/,
    );
    expect(() => loadConfig({ ...oauth, NIGHTLY_WINDOW_END: '3am' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ...oauth, NIGHTLY_WINDOW_START: '02:00', NIGHTLY_WINDOW_END: '02:00' }),
    ).toThrow(/NIGHTLY_WINDOW_END: must differ/);
  });
});

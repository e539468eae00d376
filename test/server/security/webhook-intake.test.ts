/**
 * Issue 6, security and bad input: the webhook intake on the installed
 * backend. Every refused or ignored delivery is checked against the real
 * state: the recompute queue's jobs (paused, so nothing is worked away
 * before it is counted) and the app's keys in Redis.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_MAX_AGE_MS } from '../../../server/hubspot/request-signature.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';
import type { PausedQueues, RawSignedRequest } from './support.ts';
import { appState, jobIds, pausedRecomputeQueue, sendSigned, tampered } from './support.ts';

let installed: InstalledBackend;
let queue: PausedQueues;
let redis: Redis;
let nextEventId = 1_000_000;
/** A deal of the portal and its primary company. */
let dealId: string;
let companyId: string;

beforeAll(async () => {
  installed = await startInstalledBackend();
  redis = installed.redis.connect();
  await installed.sandbox.webhooksIdle();
  queue = await pausedRecomputeQueue(installed.redis.url);
  // A deal of exactly one company, so one event means one job.
  const response = await fetch(
    `${installed.sandbox.url}/crm/v3/objects/deals?limit=100&associations=companies`,
    { headers: { Authorization: `Bearer ${installed.privateToken}` } },
  );
  const { results } = (await response.json()) as {
    results: { id: string; associations?: { companies?: { results: { id: string }[] } } }[];
  };
  for (const deal of results) {
    const companies = new Set(deal.associations?.companies?.results.map((link) => link.id));
    if (companies.size !== 1) continue;
    dealId = deal.id;
    companyId = [...companies][0] ?? '';
    break;
  }
  expect(companyId).not.toBe('');
});

afterAll(async () => {
  await queue.resume();
  await queue.close();
  await installed.stop();
});

/** A deal amount change as HubSpot sends it: one job for each company of the deal. */
function dealChange(eventId = (nextEventId += 1), portalId = installed.portalId) {
  return {
    eventId,
    subscriptionId: 1,
    portalId,
    appId: installed.appId,
    occurredAt: installed.now,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    subscriptionType: 'object.propertyChange',
    objectTypeId: '0-3',
    objectId: Number(dealId),
    propertyName: 'amount',
    propertyValue: '123456',
  };
}

const deliver = (body: string, request: Partial<RawSignedRequest> = {}) =>
  sendSigned(installed, { method: 'POST', path: '/webhooks/hubspot', body, ...request });

interface Effects {
  readonly newJobs: string[];
  readonly jobsRemoved: string[];
  readonly keysChanged: string[];
}

const NO_EFFECT: Effects = { newJobs: [], jobsRemoved: [], keysChanged: [] };

/**
 * Whether a delivery set a recompute going: a job queued, or a change noted
 * for one (the event-id memory alone does not count).
 */
const setRecomputeGoing = (effects: Effects): boolean =>
  effects.newJobs.length > 0 ||
  effects.keysChanged.some((key) => !key.startsWith('kam:webhook-event:'));

/** Runs `act` and returns what it changed: job ids added or gone, app keys written. */
async function effectsOf(act: () => Promise<void>): Promise<Effects> {
  const [jobsBefore, stateBefore] = [await jobIds(redis), await appState(redis)];
  await act();
  const [jobsAfter, stateAfter] = [await jobIds(redis), await appState(redis)];
  return {
    newJobs: jobsAfter.filter((id) => !jobsBefore.includes(id)),
    jobsRemoved: jobsBefore.filter((id) => !jobsAfter.includes(id)),
    keysChanged: Object.keys({ ...stateBefore, ...stateAfter }).filter(
      (key) => stateBefore[key] !== stateAfter[key],
    ),
  };
}

describe('webhook intake refuses what HubSpot did not sign (401, no job, nothing written)', () => {
  const body = () => JSON.stringify([dealChange()]);
  it.each<[string, () => Partial<RawSignedRequest>]>([
    ['a missing signature', () => ({ omit: 'signature' })],
    ['a missing timestamp', () => ({ omit: 'timestamp' })],
    ['a tampered signature', () => ({ signature: tampered })],
    ['a signature that is not base64 at all', () => ({ signature: () => 'not a signature' })],
    ['a signature made with the wrong secret', () => ({ secret: 'someone-elses-secret' })],
    [
      'a stale signature (just over 5 minutes old)',
      () => ({ timestamp: installed.now - SIGNATURE_MAX_AGE_MS - 1_000 }),
    ],
    [
      'a far-future signature (just over 5 minutes ahead)',
      () => ({ timestamp: installed.now + SIGNATURE_MAX_AGE_MS + 1_000 }),
    ],
    ['a timestamp that is not a number', () => ({ timestamp: Number.NaN })],
    [
      'a body changed after signing',
      () => ({ signedBody: JSON.stringify([{ ...dealChange(), objectId: 1 }]) }),
    ],
    ['a signature for another URL', () => ({ signedPath: '/webhooks/other' })],
  ])('%s', async (_case, request) => {
    const sent = body();
    let status = 0;
    let answer: unknown;
    const effects = await effectsOf(async () => {
      const response = await deliver(sent, request());
      status = response.status;
      answer = await response.json();
    });
    expect(status).toBe(401);
    expect(answer).toMatchObject({ error: { code: 'unauthorized' } });
    expect(effects).toEqual(NO_EFFECT);

    // The refused delivery did not use up its event id: HubSpot's real one is still worked.
    const real = await effectsOf(async () => {
      expect((await deliver(sent)).status).toBe(200);
    });
    expect(setRecomputeGoing(real)).toBe(true);
  });

  it('accepts a delivery signed 4 minutes ago or 4 minutes ahead (clock skew inside the window)', async () => {
    for (const skew of [-4 * 60_000, 4 * 60_000]) {
      const effects = await effectsOf(async () => {
        const response = await deliver(JSON.stringify([dealChange()]), {
          timestamp: installed.now + skew,
        });
        expect(response.status).toBe(200);
      });
      expect(setRecomputeGoing(effects)).toBe(true);
    }
  });
});

describe('webhook intake refuses bad bodies (400 naming the field, no job, nothing written)', () => {
  it.each<[string, () => string, string]>([
    ['malformed JSON', () => '[{"eventId": 1, "portalId": ', 'body'],
    ['NaN where a number belongs', () => '[{"eventId": NaN}]', 'body'],
    ['an object instead of an array of events', () => JSON.stringify(dealChange()), 'body'],
    ['an empty delivery', () => '[]', 'body'],
    [
      'more than 100 events',
      () => JSON.stringify(Array.from({ length: 101 }, () => dealChange())),
      'body',
    ],
    [
      'an event without a portal',
      () => JSON.stringify([{ ...dealChange(), portalId: undefined }]),
      '0.portalId',
    ],
    [
      'an event id that is not an id',
      () => JSON.stringify([dealChange(), { ...dealChange(), eventId: 'abc' }]),
      '1.eventId',
    ],
    [
      'an object id that is not an id',
      () => JSON.stringify([{ ...dealChange(), objectId: '12; DROP' }]),
      '0.objectId',
    ],
  ])('%s', async (_case, body, field) => {
    const sent = body();
    let status = 0;
    let answer: unknown;
    const effects = await effectsOf(async () => {
      const response = await deliver(sent);
      status = response.status;
      answer = await response.json();
    });
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { code: 'validation_failed', field } });
    expect(effects).toEqual(NO_EFFECT);
  });

  it('a body over 1 MB is 413 naming body, read no further than the limit', async () => {
    const sent = JSON.stringify([{ ...dealChange(), pad: 'x'.repeat(1_100_000) }]);
    const effects = await effectsOf(async () => {
      const response = await deliver(sent);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        error: { code: 'payload_too_large', field: 'body' },
      });
    });
    expect(effects).toEqual(NO_EFFECT);
  });

  it('a signed body sent as text/plain is not parsed (400 naming body)', async () => {
    const effects = await effectsOf(async () => {
      const response = await deliver(JSON.stringify([dealChange()]), {
        contentType: 'text/plain',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'validation_failed', field: 'body' },
      });
    });
    expect(effects).toEqual(NO_EFFECT);
  });

  it.each<[string, Partial<RawSignedRequest>]>([
    ['unsigned', { omit: 'signature' }],
    ['signed with the wrong secret', { secret: 'someone-elses-secret' }],
  ])(
    'malformed JSON %s is 401: the signature is checked before the body is read',
    async (_case, request) => {
      const effects = await effectsOf(async () => {
        const response = await deliver('[{"eventId": 1, "portalId": ', request);
        expect(response.status).toBe(401);
      });
      expect(effects).toEqual(NO_EFFECT);
    },
  );
});

describe('webhook intake ignores what it does not use (200, no job)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an unknown subscription type', { subscriptionType: 'object.teleport' }],
    ['a merge', { subscriptionType: 'object.merge', objectTypeId: '0-3' }],
    ['a change of a contact of no company', { objectTypeId: '0-1', objectId: 51 }],
    ['a change of a ticket of no company', { objectTypeId: '0-5', objectId: 9_999_999 }],
    ['an event without an object', { objectId: undefined }],
    [
      'an association between a product and a company',
      {
        subscriptionType: 'object.associationChange',
        fromObjectTypeId: '0-7',
        fromObjectId: 51,
        toObjectTypeId: '0-2',
        toObjectId: 1001,
      },
    ],
    [
      "a company's side of its association with a deal (the deal's own event is worked)",
      {
        subscriptionType: 'object.associationChange',
        fromObjectTypeId: '0-2',
        fromObjectId: 1001,
        toObjectTypeId: '0-3',
        toObjectId: 777,
      },
    ],
  ])('%s', async (_case, fields) => {
    const effects = await effectsOf(async () => {
      const response = await deliver(JSON.stringify([{ ...dealChange(), ...fields }]));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ received: 1, queued: 0 });
    });
    expect(effects.jobsRemoved).toEqual([]);
    expect(setRecomputeGoing(effects)).toBe(false);
  });

  it('an event of a portal the app is not installed in queues nothing and keeps nothing', async () => {
    const elsewhere = installed.portalId + 1;
    expect(await installed.backend.stores.tokens.status(elsewhere)).toBe('not_installed');
    const effects = await effectsOf(async () => {
      const response = await deliver(
        JSON.stringify([
          dealChange(undefined, elsewhere),
          {
            ...dealChange(undefined, elsewhere),
            subscriptionType: 'object.associationChange',
            fromObjectTypeId: '0-3',
            fromObjectId: 777,
            toObjectTypeId: '0-2',
            toObjectId: 1001,
            associationRemoved: false,
          },
        ]),
      );
      expect(response.status).toBe(200);
    });
    expect(effects).toEqual(NO_EFFECT);
  });
});

describe('webhook intake works a replayed event once', () => {
  it('a redelivery of the same event id adds no job and notes no change', async () => {
    const event = dealChange();
    const first = await effectsOf(async () => {
      const response = await deliver(JSON.stringify([event]));
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ received: 1, queued: 1 });
    });
    expect(setRecomputeGoing(first)).toBe(true);

    // HubSpot delivers it again (it saw no answer in time): same event id, next attempts.
    const replays = await effectsOf(async () => {
      for (const attemptNumber of [1, 2, 3]) {
        const response = await deliver(JSON.stringify([{ ...event, attemptNumber }]));
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ received: 1, queued: 0 });
      }
    });
    expect(replays).toEqual(NO_EFFECT);

    // The same change under a new event id is a new change (so the check above can fail).
    const fresh = await effectsOf(async () => {
      const response = await deliver(JSON.stringify([{ ...event, eventId: (nextEventId += 1) }]));
      expect(await response.json()).toMatchObject({ received: 1, queued: 1 });
    });
    expect(setRecomputeGoing(fresh)).toBe(true);
  });

  it('a delivery repeating one event id inside itself works it once', async () => {
    const event = dealChange();
    const response = await deliver(JSON.stringify([event, event]));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 2, queued: 1 });
  });
});

describe('a delivery is validated whole before anything is done (issue 14, item 10)', () => {
  /** A change of the company's own properties: marks that company. */
  const companyChange = (objectId: unknown, eventId: unknown = (nextEventId += 1)) => ({
    ...dealChange(),
    eventId,
    objectTypeId: '0-2',
    objectId,
    propertyName: 'name',
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ['a negative object id', () => companyChange(-5), '1.objectId'],
    ['an object id of 0', () => companyChange(0), '1.objectId'],
    ['an object id that is not an integer', () => companyChange(1.5), '1.objectId'],
    ['an object id of 100,000 digits', () => companyChange('9'.repeat(100_000)), '1.objectId'],
    ['an object id of 20 digits', () => companyChange('1'.repeat(20)), '1.objectId'],
    ['an event id of 100,000 digits', () => companyChange(1001, '7'.repeat(100_000)), '1.eventId'],
    ['an event id past 2^53 as a JSON number', () => companyChange(1001, 2 ** 60), '1.eventId'],
    [
      'a 10 kB subscription type',
      () => ({ ...dealChange(), subscriptionType: 'x'.repeat(10_000) }),
      '1.subscriptionType',
    ],
  ])(
    '%s between two good events: 400 naming it, and neither good event is worked or burned',
    async (_case, bad, field) => {
      const good = [dealChange(), companyChange(Number(companyId))];
      let answer: unknown;
      const effects = await effectsOf(async () => {
        const response = await deliver(JSON.stringify([good[0], bad(), good[1]]));
        expect(response.status).toBe(400);
        answer = await response.json();
      });
      expect(answer).toMatchObject({ error: { code: 'validation_failed', field } });
      expect(effects).toEqual(NO_EFFECT);

      // HubSpot's delivery of the good events alone is worked in full.
      const redelivered = await deliver(JSON.stringify(good));
      expect(await redelivered.json()).toMatchObject({ received: 2, queued: 2 });
    },
  );

  it('an id with leading zeros names the same company (01001 is 1001)', async () => {
    const pending = `kam:portal:${installed.portalId}:changed-companies`;
    await redis.zrem(pending, companyId);
    const response = await deliver(JSON.stringify([companyChange(`000${companyId}`)]));
    expect(await response.json()).toMatchObject({ received: 1, queued: 1 });
    expect(await redis.zscore(pending, companyId)).not.toBeNull();
    expect(await redis.zscore(pending, `000${companyId}`)).toBeNull();
  });
});

describe('an event is remembered only with its change (issue 14, item 10)', () => {
  it('Redis failing while the change is noted leaves the event to HubSpot’s redelivery', async () => {
    const pending = `kam:portal:${installed.portalId}:changed-companies`;
    const kept = `${pending}:kept-by-test`;
    if ((await redis.exists(pending)) === 1) await redis.rename(pending, kept);
    // The change cannot be noted: the key it goes to holds the wrong type.
    await redis.set(pending, 'not a sorted set');
    const event = dealChange();
    const failed = await deliver(JSON.stringify([event]));
    expect(failed.status).toBe(500);
    expect(await redis.exists(`kam:webhook-event:${installed.portalId}:${event.eventId}`)).toBe(0);

    await redis.del(pending);
    if ((await redis.exists(kept)) === 1) await redis.rename(kept, pending);
    const redelivered = await deliver(JSON.stringify([{ ...event, attemptNumber: 1 }]));
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toMatchObject({ received: 1, queued: 1 });
    expect(await redis.zscore(pending, companyId)).not.toBeNull();
  });
});

/**
 * Issue 6, security and bad input: the card API on the installed backend.
 * "Nothing written" is read back: both sandbox portals' companies (values
 * and updatedAt, through private tokens), the app's keys in Redis and the
 * recompute queue's jobs (paused, so a wrongly queued job stays countable).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPANY_INPUT_PROPERTIES } from '../../../src/index.ts';
import { SIGNATURE_MAX_AGE_MS } from '../../../server/hubspot/request-signature.ts';
import type { PortalInfo } from '../../../server/sandbox/admin.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';
import type { PausedQueues, RawSignedRequest } from './support.ts';
import {
  appState,
  cardPath,
  jobIds,
  pausedRecomputeQueue,
  portalCompanies,
  sendSigned,
  tampered,
} from './support.ts';

let installed: InstalledBackend;
let queue: PausedQueues;
let redis: Redis;
/** A second portal of the same HubSpot account, where the app is not installed. */
let portalB: PortalInfo;
/** A company of the installed portal A, and one that exists only in portal B. */
let ownId: string;
let foreignId: string;

const WATCHED = [
  ...COMPANY_INPUT_PROPERTIES.filter((name) => name.startsWith('kam_')),
  'kam_tier',
  'kam_score',
];

beforeAll(async () => {
  installed = await startInstalledBackend();
  portalB = installed.sandbox.admin.createPortal({ companies: 60, deals: 120, seed: 5 });
  redis = installed.redis.connect();
  await installed.sandbox.webhooksIdle();
  queue = await pausedRecomputeQueue(installed.redis.url);
  const inA = Object.keys(
    await portalCompanies(installed.sandbox.url, installed.privateToken, ['name']),
  );
  const inB = Object.keys(
    await portalCompanies(installed.sandbox.url, portalB.accessToken, ['name']),
  );
  ownId = inA.sort()[0] ?? '';
  foreignId = inB.find((id) => !inA.includes(id)) ?? '';
  expect(ownId).not.toBe('');
  expect(foreignId).not.toBe('');
});

afterAll(async () => {
  await queue.resume();
  await queue.close();
  await installed.stop();
});

/** Everything a card request could write: both portals in HubSpot, the app's Redis, the queue. */
async function world() {
  return {
    jobs: await jobIds(redis),
    redis: await appState(redis),
    portalA: await portalCompanies(installed.sandbox.url, installed.privateToken, WATCHED),
    portalB: await portalCompanies(installed.sandbox.url, portalB.accessToken, WATCHED),
  };
}

/** Sends a request and checks the answer and that nothing anywhere changed. */
async function expectRefusedUnchanged(
  send: () => Promise<Response>,
  status: number,
  error: { code: string; field?: string },
): Promise<void> {
  const before = await world();
  const response = await send();
  const answer = (await response.json()) as { error?: { message?: string } };
  expect({ status: response.status, answer }).toMatchObject({ status, answer: { error } });
  expect(answer.error?.message).toEqual(expect.any(String));
  expect(await world()).toEqual(before);
}

/** A card request of portal A with a raw body, signed by HubSpot (or not, as `request` says). */
const signedCard = (
  method: string,
  path: string,
  body: string,
  request: Partial<RawSignedRequest> = {},
  portalId = installed.portalId,
) =>
  sendSigned(installed, {
    method,
    path: cardPath(installed, path, portalId),
    body,
    timestamp: Date.now(),
    ...request,
  });

describe('card API refuses what HubSpot did not sign (401, nothing written)', () => {
  const body = JSON.stringify({ strengths: ['Signed by nobody'], tierOverride: 'strategic' });
  it.each<[string, () => Partial<RawSignedRequest>]>([
    ['a missing signature', () => ({ omit: 'signature' })],
    ['a missing timestamp', () => ({ omit: 'timestamp' })],
    ['a tampered signature', () => ({ signature: tampered })],
    ['a signature made with the wrong secret', () => ({ secret: 'someone-elses-secret' })],
    [
      'a stale signature (just over 5 minutes old)',
      () => ({ timestamp: installed.now - SIGNATURE_MAX_AGE_MS - 1_000 }),
    ],
    [
      'a far-future signature (just over 5 minutes ahead)',
      () => ({ timestamp: installed.now + SIGNATURE_MAX_AGE_MS + 1_000 }),
    ],
    ['a body changed after signing', () => ({ signedBody: JSON.stringify({ strengths: ['ok'] }) })],
  ])('PUT swot with %s', async (_case, request) => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/swot`, body, request()),
      401,
      { code: 'unauthorized' },
    );
  });
});

describe('a signed request of portal A never reads or writes portal B', () => {
  it.each<[string, string, string]>([
    ['GET', 'scorecard', ''],
    ['PUT', 'survey', JSON.stringify({ ratings: { empathy: { expected: 6, perceived: 2 } } })],
    ['PUT', 'swot', JSON.stringify({ strengths: ['Not yours'], tierOverride: 'strategic' })],
    ['POST', 'recompute', ''],
    ['POST', 'actions/A1-0/task', ''],
  ])(
    '%s %s of another portal’s company is 404, and nothing is written',
    async (method, what, body) => {
      const path =
        what === 'actions/A1-0/task'
          ? `/api/v1/companies/${foreignId}/actions/A1-${foreignId}/task`
          : `/api/v1/companies/${foreignId}/${what}`;
      await expectRefusedUnchanged(() => signedCard(method, path, body), 404, {
        code: 'not_found',
      });
    },
  );

  it('a URL whose portalId was changed to B after A’s request was signed is 401', async () => {
    const signedFor = cardPath(
      installed,
      `/api/v1/companies/${foreignId}/swot`,
      installed.portalId,
    );
    await expectRefusedUnchanged(
      () =>
        sendSigned(installed, {
          method: 'PUT',
          path: signedFor.replace(`portalId=${installed.portalId}`, `portalId=${portalB.portalId}`),
          signedPath: signedFor,
          body: JSON.stringify({ strengths: ['Swapped'] }),
          timestamp: Date.now(),
        }),
      401,
      { code: 'unauthorized' },
    );
  });

  it('a signed URL naming both portals is refused, naming portalId', async () => {
    const path = `${cardPath(installed, `/api/v1/companies/${ownId}/swot`, installed.portalId)}&portalId=${portalB.portalId}`;
    await expectRefusedUnchanged(
      () =>
        sendSigned(installed, {
          method: 'PUT',
          path,
          body: JSON.stringify({ strengths: ['Two portals'] }),
          timestamp: Date.now(),
        }),
      400,
      { code: 'validation_failed', field: 'portalId' },
    );
  });

  it('a body naming portal B is refused, naming portalId', async () => {
    await expectRefusedUnchanged(
      () =>
        signedCard(
          'PUT',
          `/api/v1/companies/${ownId}/swot`,
          JSON.stringify({ portalId: portalB.portalId, strengths: ['Elsewhere'] }),
        ),
      400,
      { code: 'validation_failed', field: 'portalId' },
    );
  });

  it.each<[string, string, string]>([
    ['GET', 'scorecard', ''],
    ['PUT', 'swot', JSON.stringify({ strengths: ['Not installed here'] })],
    ['POST', 'recompute', ''],
  ])(
    'a request signed for portal B, where the app is not installed: %s %s is 404',
    async (method, what, body) => {
      await expectRefusedUnchanged(
        () =>
          signedCard(method, `/api/v1/companies/${foreignId}/${what}`, body, {}, portalB.portalId),
        404,
        { code: 'not_found' },
      );
    },
  );
});

describe('survey input is refused field by field (400 naming the field, nothing written)', () => {
  it.each<[string, string, string]>([
    ['a rating of 0', '{"ratings":{"empathy":{"perceived":0}}}', 'ratings.empathy.perceived'],
    ['a rating of 8', '{"ratings":{"tangibles":{"expected":8}}}', 'ratings.tangibles.expected'],
    [
      'a negative rating',
      '{"ratings":{"assurance":{"expected":-1}}}',
      'ratings.assurance.expected',
    ],
    [
      'a rating of 7.5',
      '{"ratings":{"assurance":{"perceived":7.5}}}',
      'ratings.assurance.perceived',
    ],
    [
      'a rating of "NaN"',
      '{"ratings":{"reliability":{"expected":"NaN"}}}',
      'ratings.reliability.expected',
    ],
    [
      'a rating as text',
      '{"ratings":{"reliability":{"expected":"high"}}}',
      'ratings.reliability.expected',
    ],
    [
      'a rating "5" as a string',
      '{"ratings":{"empathy":{"expected":"5"}}}',
      'ratings.empathy.expected',
    ],
    ['a rating of true', '{"ratings":{"empathy":{"expected":true}}}', 'ratings.empathy.expected'],
    [
      'an infinite rating (1e999)',
      '{"ratings":{"empathy":{"expected":1e999}}}',
      'ratings.empathy.expected',
    ],
    ['a bare NaN (not JSON)', '{"ratings":{"empathy":{"expected":NaN}}}', 'body'],
    ['an unknown dimension', '{"ratings":{"courtesy":{"expected":5}}}', 'ratings.courtesy'],
    ['an unknown side', '{"ratings":{"empathy":{"importance":5}}}', 'ratings.empathy.importance'],
    ['a dimension that is not an object', '{"ratings":{"empathy":5}}', 'ratings.empathy'],
    ['an unknown field', '{"surveyDate":"2026-11-01","colour":"red"}', 'colour'],
    ['an impossible date', '{"surveyDate":"2026-13-40"}', 'surveyDate'],
    ['a date in words', '{"surveyDate":"yesterday"}', 'surveyDate'],
    ['a list instead of an object', '[]', 'body'],
    ['a string instead of an object', '"5"', 'body'],
    ['null instead of an object', 'null', 'body'],
    ['malformed JSON', '{"ratings":', 'body'],
  ])('%s', async (_case, body, field) => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/survey`, body),
      400,
      { code: 'validation_failed', field },
    );
  });
});

describe('SWOT input is refused field by field (400 naming the field, nothing written)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an item over 500 characters', { strengths: ['x'.repeat(501)] }, 'strengths.0'],
    ['an account plan over 5,000 characters', { accountPlan: 'p'.repeat(5_001) }, 'accountPlan'],
    ['more than 50 items', { threats: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'threats'],
    ['an empty item', { weaknesses: ['ok', '   '] }, 'weaknesses.1'],
    ['an item with a line break', { opportunities: ['one\ntwo'] }, 'opportunities.0'],
    ['a list given as text', { strengths: 'Strong brand' }, 'strengths'],
    ['an item that is not text', { competitors: [42] }, 'competitors.0'],
    ['an unknown tier', { tierOverride: 'gold' }, 'tierOverride'],
    ['an unknown field', { strengths: ['ok'], colour: 'red' }, 'colour'],
    ['a plan that is not text', { accountPlan: { goal: 'x' } }, 'accountPlan'],
  ])('%s', async (_case, body, field) => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/swot`, JSON.stringify(body)),
      400,
      { code: 'validation_failed', field },
    );
  });

  it('a body over 1 MB is 413', async () => {
    const body = JSON.stringify({
      strengths: Array.from({ length: 2_200 }, () => 'y'.repeat(500)),
    });
    expect(body.length).toBeGreaterThan(1_048_576);
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/swot`, body),
      413,
      { code: 'payload_too_large', field: 'body' },
    );
  });

  it('malformed JSON nobody signed is 401: the signature is checked before the body is read', async () => {
    await expectRefusedUnchanged(
      () =>
        signedCard('PUT', `/api/v1/companies/${ownId}/swot`, '{"strengths": ["a",', {
          omit: 'signature',
        }),
      401,
      { code: 'unauthorized' },
    );
  });

  it('malformed JSON', async () => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/swot`, '{"strengths": ["a",'),
      400,
      { code: 'validation_failed', field: 'body' },
    );
  });

  it('a bad company id names field id', async () => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', '/api/v1/companies/12abc/swot', JSON.stringify({ strengths: ['x'] })),
      400,
      { code: 'validation_failed', field: 'id' },
    );
  });
});

describe('plan input is refused field by field (400 naming the field, nothing written)', () => {
  // Each case reads both portals twice through the private token: start each
  // with fresh rate-limit windows, so the harness's own reads are not refused.
  beforeEach(() => {
    installed.sandbox.admin.resetCounters();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an objective over 5,000 characters', { objective: 'o'.repeat(5_001) }, 'objective'],
    ['an empty objective', { objective: '   ' }, 'objective'],
    ['an objective that is not text', { objective: 42 }, 'objective'],
    ['strategies over 5,000 characters', { strategies: 's'.repeat(5_001) }, 'strategies'],
    ['measures over 5,000 characters', { measures: 'm'.repeat(5_001) }, 'measures'],
    ['a negative revenue goal', { goalRevenue: -1 }, 'goalRevenue'],
    ['a revenue goal as text', { goalRevenue: '1M' }, 'goalRevenue'],
    ['an impossible goal date', { goalDate: '2027-02-30' }, 'goalDate'],
    ['a goal date in words', { goalDate: 'next June' }, 'goalDate'],
    ['an unknown field', { objective: 'ok', reviewedAt: '2026-01-01' }, 'reviewedAt'],
  ])('%s', async (_case, body, field) => {
    await expectRefusedUnchanged(
      () => signedCard('PUT', `/api/v1/companies/${ownId}/plan`, JSON.stringify(body)),
      400,
      { code: 'validation_failed', field },
    );
  });

  it.each<[string, string]>([
    ['PUT', 'plan'],
    ['POST', 'plan/reviewed'],
  ])('%s %s of another portal’s company is 404, and nothing is written', async (method, what) => {
    await expectRefusedUnchanged(
      () =>
        signedCard(
          method,
          `/api/v1/companies/${foreignId}/${what}`,
          method === 'PUT' ? JSON.stringify({ objective: 'Not yours' }) : '',
        ),
      404,
      { code: 'not_found' },
    );
  });

  it('PUT plan unsigned is 401', async () => {
    await expectRefusedUnchanged(
      () =>
        signedCard('PUT', `/api/v1/companies/${ownId}/plan`, JSON.stringify({ objective: 'x' }), {
          omit: 'signature',
        }),
      401,
      { code: 'unauthorized' },
    );
  });
});

// Last, because it writes: the same harness sees a real write (so the checks above can fail).
describe('a valid signed input is written', () => {
  it('PUT swot stores the item in portal A, and only there', async () => {
    const before = await world();
    const response = await signedCard(
      'PUT',
      `/api/v1/companies/${ownId}/swot`,
      JSON.stringify({ strengths: ['Signed and valid'] }),
    );
    expect(response.status).toBe(200);
    const after = await world();
    expect(after.portalA[ownId]?.properties.kam_swot_strengths).toBe('Signed and valid');
    expect(after.portalA[ownId]?.updatedAt).not.toBe(before.portalA[ownId]?.updatedAt);
    expect(after.portalB).toEqual(before.portalB);
  });
});

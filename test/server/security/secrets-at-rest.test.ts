/**
 * Issue 6, security: no token bytes readable in Redis, none in the logs.
 * The installed backend logs at 'trace' into memory while it is installed,
 * recomputes, takes a webhook, refreshes its token, serves cards (good and
 * bad requests) and has its refresh refused; then every Redis key and the
 * whole log are searched for every token HubSpot (the sandbox) issued to the
 * app and for its client secret — plain, base64, base64url and hex.
 */
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOMPUTE_QUEUE } from '../../../server/jobs/recompute-queue.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { dumpRedis, portalCompanies } from './support.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

let installed: InstalledBackend;
let redis: Redis;
const logChunks: Buffer[] = [];
/** Every answer the backend gave a card, kept to be searched too. */
const answers: string[] = [];

/** Secrets by what they are, e.g. `access token #2`. */
function secrets(): Map<string, string> {
  const { accessTokens, refreshTokens } = installed.sandbox.context.oauth.toJSON();
  const found = new Map<string, string>([['client secret', installed.clientSecret]]);
  Object.keys(accessTokens).forEach((token, index) => found.set(`access token #${index}`, token));
  Object.keys(refreshTokens).forEach((token, index) => found.set(`refresh token #${index}`, token));
  return found;
}

/**
 * The forms a secret could be stored or logged in. base64 depends on where
 * the secret starts (its offset mod 3), so each offset gives a form: the
 * characters that only the secret's own bytes decide.
 */
function encodings(secret: string): Map<string, string> {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Map<string, string>([
    ['plain', secret],
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
  ]);
  for (const offset of [0, 1, 2]) {
    for (const alphabet of ['base64', 'base64url'] as const) {
      const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString(alphabet);
      const start = offset === 0 ? 0 : 4; // the first group mixes in the bytes before
      const end = Math.floor((offset + bytes.length) / 3) * 4; // a last, partial group mixes in those after
      forms.set(`${alphabet} at offset ${offset}`, shifted.slice(start, end));
    }
  }
  return forms;
}

/** Which secrets, in which form, appear in `haystack`. */
function leaks(haystack: Buffer, where: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of secrets()) {
    for (const [form, needle] of encodings(secret)) {
      if (needle.length >= 16 && haystack.includes(Buffer.from(needle, 'latin1'))) {
        found.push(`${name} (${form}) in ${where}`);
      }
    }
  }
  return found;
}

async function card(method: string, path: string, body?: unknown): Promise<number> {
  const response = await installed.card(method, path, body);
  answers.push(await response.text());
  return response.status;
}

async function workDone(queue: Queue): Promise<void> {
  await until(
    () => queue.getJobCounts('waiting', 'active', 'prioritized'),
    (counts) => (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0,
    'the queue to drain',
  );
}

beforeAll(async () => {
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        logChunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        done();
      },
    }),
  );
  // Install through OAuth and the first full recompute.
  installed = await startInstalledBackend(undefined, { logger });
  redis = installed.redis.connect();
  const { portalId } = installed;
  const companies = Object.keys(
    await portalCompanies(installed.sandbox.url, installed.privateToken, ['name']),
  ).sort();
  const [first = '', second = '', third = ''] = companies;

  // Card calls, good and bad.
  expect(await card('GET', `/api/v1/companies/${first}/scorecard`)).toBe(200);
  expect(await card('PUT', `/api/v1/companies/${second}/survey`, surveyBody())).toBe(200);
  expect(await card('PUT', `/api/v1/companies/${third}/swot`, { strengths: ['Champion'] })).toBe(
    200,
  );
  expect(await card('PUT', `/api/v1/companies/${third}/swot`, { colour: 'red' })).toBe(400);
  expect(await card('GET', '/api/v1/companies/987654321/scorecard')).toBe(404);
  expect(await card('GET', '/api/v1/portfolio')).toBe(200);
  expect(await card('GET', '/api/v1/settings')).toBe(200);

  // A deal changes in HubSpot: a signed webhook, a company recompute.
  const deal = (
    (await (
      await fetch(`${installed.sandbox.url}/crm/v3/objects/deals?limit=1`, {
        headers: { Authorization: `Bearer ${installed.privateToken}` },
      })
    ).json()) as { results: { id: string }[] }
  ).results[0];
  installed.sandbox.admin.updateObject(portalId, 'deals', deal?.id ?? '', { amount: '777777' });
  await installed.sandbox.webhooksIdle();

  // A full recompute on demand.
  const queue = new Queue(RECOMPUTE_QUEUE, { connection: { url: installed.redis.url } });
  await workDone(queue);
  expect(await card('POST', '/api/v1/recompute')).toBe(202); // the status says queued now
  await until(
    () => installed.backend.stores.status.get(portalId),
    recomputeFinished,
    'the on-demand full recompute',
  );

  // The token is refreshed (as five minutes before expiry, or after a 401), then used.
  const old = await installed.backend.stores.tokens.accessToken(portalId);
  const renewed = await installed.backend.stores.tokens.refreshNow(portalId);
  expect(renewed).not.toBe(old);
  expect(await card('GET', `/api/v1/companies/${companies[4] ?? ''}/scorecard`)).toBe(200);
  await workDone(queue);

  // HubSpot refuses the refresh token (the app's access was revoked): needs_reauth.
  const app = installed.sandbox.context.oauth.app(installed.appId);
  for (const token of Object.keys(installed.sandbox.context.oauth.toJSON().refreshTokens)) {
    installed.sandbox.context.oauth.revoke({
      client_id: app?.clientId,
      client_secret: installed.clientSecret,
      token,
    });
  }
  await expect(installed.backend.stores.tokens.refreshNow(portalId)).rejects.toThrow(/reinstall/);
  expect(await card('GET', `/api/v1/companies/${first}/scorecard`)).toBe(409);
  await queue.close();
}, 60_000);

afterAll(async () => {
  await installed.stop();
});

function surveyBody() {
  return {
    surveyDate: new Date(installed.now).toISOString().slice(0, 10),
    ratings: { responsiveness: { expected: 7, perceived: 3 } },
  };
}

describe('secrets at rest and in logs', () => {
  it('the search finds a planted token in every Redis type and every encoding (it can fail)', async () => {
    const token = [...secrets()].find(([name]) => name.startsWith('access token'))?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(16);
    const bytes = Buffer.from(token, 'utf8');
    const planted = [
      ['test:plant:string', () => redis.set('test:plant:string', `prefix-${token}-suffix`)],
      ['test:plant:hash', () => redis.hset('test:plant:hash', 'f', `x${bytes.toString('base64')}`)],
      ['test:plant:list', () => redis.rpush('test:plant:list', bytes.toString('hex'))],
      [
        'test:plant:set',
        () =>
          redis.sadd(
            'test:plant:set',
            Buffer.concat([Buffer.from('ab'), bytes]).toString('base64url'),
          ),
      ],
      ['test:plant:zset', () => redis.zadd('test:plant:zset', 1, `{"t":"${token}"}`)],
      ['test:plant:stream', () => redis.xadd('test:plant:stream', '*', 'v', `1${token}`)],
    ] as const;
    for (const [key, plant] of planted) {
      await plant();
      const dump = await dumpRedis(redis);
      expect(leaks(dump.get(key) ?? Buffer.alloc(0), key).length, key).toBeGreaterThan(0);
      await redis.del(key);
    }
  });

  it('no Redis key or value holds a token or the client secret, in any encoding', async () => {
    const dump = await dumpRedis(redis);
    // What was scanned: the sealed tokens, the queue's jobs, the snapshot.
    expect([...dump.keys()]).toContain(`kam:portal:${installed.portalId}:recompute`);
    expect([...dump.keys()].some((key) => key.startsWith('bull:kam-recompute:'))).toBe(true);
    const found: string[] = [];
    for (const [key, value] of dump) {
      found.push(...leaks(Buffer.from(key, 'latin1'), `the key name ${key}`));
      found.push(...leaks(value, key));
    }
    expect(found).toEqual([]);
  });

  it('the trace-level log holds no token and no client secret', () => {
    const log = Buffer.concat(logChunks);
    const text = log.toString('utf8');
    // The capture worked: the install, the recompute and the listening API are in it.
    expect(text).toContain('app installed');
    expect(text).toContain('API listening');
    expect(text.split('\n').length).toBeGreaterThan(3);
    expect(leaks(log, 'the log')).toEqual([]);
  });

  it('no answer to a card holds a token or the client secret', () => {
    expect(answers.length).toBeGreaterThan(5);
    expect(leaks(Buffer.from(answers.join('\n')), 'the card answers')).toEqual([]);
  });

  it('tokens were issued, refreshed and refused along the way (the search had something to find)', () => {
    const names = [...secrets().keys()];
    expect(names.filter((name) => name.startsWith('access token')).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(names.filter((name) => name.startsWith('refresh token')).length).toBeGreaterThanOrEqual(
      1,
    );
  });
});

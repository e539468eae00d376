/**
 * Issue 14, item 11: what the backend shows anyone who can reach it, and
 * what it writes in its log. Runs on the production logger (createLogger),
 * writing into the test instead of stdout.
 */
import { networkInterfaces } from 'node:os';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Level, Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';
import { LEVEL, portalCompanies } from './support.ts';

let installed: InstalledBackend;
let redis: Redis;
let api: string;
let ownId: string;
let log: LogText;

/** The production logger writing into a string the test reads. */
interface LogText {
  readonly logger: Logger;
  readonly text: () => string;
}

function productionLogger(level: Level): LogText {
  let text = '';
  const logger = createLogger(
    level,
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
  );
  return { logger, text: () => text };
}

beforeAll(async () => {
  log = productionLogger('info');
  const { logger } = log;
  installed = await startInstalledBackend(undefined, { logger });
  redis = installed.redis.connect();
  api = installed.backend.url ?? '';
  ownId =
    Object.keys(
      await portalCompanies(installed.sandbox.url, installed.privateToken, ['name']),
    ).sort()[0] ?? '';
  expect(ownId).not.toBe('');
});

afterAll(async () => {
  await installed.stop();
});

/** The log's lines since `from` (an offset into the text), parsed. */
function logLines(from = 0): { level: number; msg?: string; [field: string]: unknown }[] {
  return log
    .text()
    .slice(from)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { level: number; msg?: string });
}

describe('/metrics is not the API’s to serve', () => {
  it('the API answers /metrics 404; Prometheus reads it on its own port, on localhost', async () => {
    expect((await fetch(`${api}/metrics`)).status).toBe(404);
    const metricsUrl = new URL(installed.backend.metricsUrl ?? '');
    expect(metricsUrl.hostname).toBe('127.0.0.1');
    expect(metricsUrl.port).not.toBe(new URL(api).port);
    const scraped = await fetch(metricsUrl);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/kam_hubspot_calls_total/);
  });

  it('the metrics port does not answer on the machine’s other addresses', async () => {
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
    if (outside === undefined) return; // a machine with loopback only: nothing else to reach
    const port = new URL(installed.backend.metricsUrl ?? '').port;
    await expect(fetch(`http://${outside.address}:${port}/metrics`)).rejects.toThrow();
  });
});

describe('/readyz', () => {
  it('says ready and nothing more, and a flood of calls is not a flood of Redis pings', async () => {
    const pings = async () => {
      const stats = await redis.info('commandstats');
      return Number(/cmdstat_ping:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    const before = await pings();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${api}/readyz`);
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.body))).toEqual(new Set(['{"status":"ready"}']));
    expect((await pings()) - before).toBeLessThanOrEqual(5);
  });
});

describe('response headers', () => {
  it.each<[string, () => Promise<Response>]>([
    ['a health check', () => fetch(`${api}/healthz`)],
    ['an unknown route', () => fetch(`${api}/nothing-here`)],
    ['an unsigned card request', () => fetch(`${api}/api/v1/portfolio?portalId=1`)],
    ['a scorecard', () => installed.card('GET', `/api/v1/companies/${ownId}/scorecard`)],
  ])('%s: nosniff, and no HSTS on an http origin', async (_case, send) => {
    const response = await send();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it.each<[string, () => Promise<Response>, number]>([
    ['a scorecard', () => installed.card('GET', `/api/v1/companies/${ownId}/scorecard`), 200],
    ['the portfolio', () => installed.card('GET', '/api/v1/portfolio'), 200],
    ['a refused card request', () => fetch(`${api}/api/v1/portfolio?portalId=1`), 401],
  ])('%s (tenant data) is never cached: Cache-Control no-store', async (_case, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('company ids in routes are canonical and bounded', () => {
  it('01000 and 1000 are one company', async () => {
    const response = await installed.card('GET', `/api/v1/companies/000${ownId}/scorecard`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ companyId: ownId });
  });

  it.each([
    ['a 5,000-digit id', '9'.repeat(5_000)],
    ['a 20-digit id', '1'.repeat(20)],
    ['an id of 0', '000'],
  ])('%s is a 400 naming id, before any HubSpot call', async (_case, id) => {
    const calls = () =>
      Object.values(installed.sandbox.stats().portals).reduce(
        (sum, portal) => sum + portal.requests,
        0,
      );
    const before = calls();
    for (const [method, path] of [
      ['GET', 'scorecard'],
      ['POST', 'recompute'],
      ['PUT', 'swot'],
    ] as const) {
      const response = await installed.card(
        method,
        `/api/v1/companies/${id}/${path}`,
        method === 'PUT' ? { strengths: ['x'] } : undefined,
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'validation_failed', field: 'id' },
      });
    }
    expect(calls()).toBe(before);
  });
});

describe('the access log', () => {
  it('has one info line per request with status and duration, and no query or secret', async () => {
    const from = log.text().length;
    await installed.card('GET', `/api/v1/companies/${ownId}/scorecard`);
    const callback = await fetch(
      `${api}/oauth/callback?code=secret-code-from-the-query&state=unknown-state`,
    );
    await fetch(`${api}/webhooks/hubspot`, { method: 'POST', body: '[]' });
    const lines = logLines(from)
      .filter((line) => line.msg === 'request')
      .map(({ level, method, path, status, ms }) => ({
        level,
        method,
        path,
        status,
        ms: typeof ms,
      }));
    expect(lines).toEqual([
      {
        level: LEVEL.info,
        method: 'GET',
        path: `/api/v1/companies/${ownId}/scorecard`,
        status: 200,
        ms: 'number',
      },
      {
        level: LEVEL.info,
        method: 'GET',
        path: '/oauth/callback',
        status: callback.status,
        ms: 'number',
      },
      { level: LEVEL.info, method: 'POST', path: '/webhooks/hubspot', status: 401, ms: 'number' },
    ]);
    const written = log.text().slice(from);
    for (const secret of [
      'secret-code-from-the-query',
      'unknown-state',
      'rep@example.com',
      'portalId=',
    ]) {
      expect(written).not.toContain(secret);
    }
  });
});

describe('the production logger', () => {
  it('redacts tokens, secrets and authorization headers wherever the app puts them', () => {
    const { logger, text: logged } = productionLogger('trace');
    logger.info({ accessToken: 'secret-1', refreshToken: 'secret-2' }, 'a token set');
    logger.info({ tokens: { accessToken: 'secret-3', refreshToken: 'secret-4' } }, 'nested');
    logger.warn({ token: 'secret-5', clientSecret: 'secret-6' }, 'a refresh');
    logger.error({ request: { headers: { authorization: 'Bearer secret-7' } } }, 'a call');
    logger.debug({ headers: { authorization: 'Bearer secret-8', cookie: 'secret-9' } }, 'raw');
    const text = logged();
    expect(text.split('\n').filter((line) => line !== '')).toHaveLength(5);
    expect(text).toContain('[Redacted]');
    for (let index = 1; index <= 9; index += 1) expect(text).not.toContain(`secret-${index}`);
  });
});

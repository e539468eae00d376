import { afterEach, describe, expect, it } from 'vitest';
import type { StatsSnapshot } from '../../../server/sandbox/stats.ts';
import { errorBodySchema, rateLimitBodySchema } from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

let t: TestSandbox | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(options: Parameters<typeof startTestSandbox>[0] = {}): Promise<TestSandbox> {
  t = await startTestSandbox(options, { companies: 10, deals: 20 });
  return t;
}

describe('HubSpot limits', () => {
  it('answers HubSpot’s 429 after the 110th request in 10 s, with headers counting down', async () => {
    const sandbox = await start();
    const responses = [];
    for (let index = 0; index < 150; index += 1) {
      responses.push(await sandbox.call('/crm/v3/objects/companies?limit=1'));
    }
    const statuses = responses.map((response) => response.status);
    expect(statuses.slice(0, 110).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(110).every((status) => status === 429)).toBe(true);
    expect(rateLimitBodySchema.parse(responses[110]?.body).policyName).toBe('TEN_SECONDLY_ROLLING');
    const remaining = responses
      .slice(0, 110)
      .map((response) => Number(response.headers.get('x-hubspot-ratelimit-remaining')));
    expect(remaining).toEqual(Array.from({ length: 110 }, (_, index) => 109 - index));
    const [first] = responses;
    expect(first?.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(first?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(first?.headers.get('x-hubspot-ratelimit-secondly')).toBe('11');
    expect(responses[140]?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');

    const stats = (await (
      await fetch(`${sandbox.sandbox.url}/__sandbox/stats`)
    ).json()) as StatsSnapshot;
    const portal = stats.portals[String(sandbox.portalId)];
    expect(portal).toMatchObject({ requests: 150, rateLimited: 40 });
    expect(portal?.byRoute['GET /crm/v3/objects/companies']).toBe(150);
    expect(portal?.byStatus).toEqual({ 200: 110, 429: 40 });
  });

  it('lets requests through again once the rolling window has moved on (configurable limit)', async () => {
    const sandbox = await start({ rateLimit: 3, rateLimitIntervalMs: 300 });
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push((await sandbox.call('/crm/v3/objects/deals')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await sandbox.call('/crm/v3/objects/deals')).status).toBe(200);
  });

  it('limits search to 5 requests per second per portal', async () => {
    const sandbox = await start();
    const search = () =>
      sandbox.call('/crm/v3/objects/deals/search', { method: 'POST', body: { limit: 1 } });
    const statuses = [];
    for (let index = 0; index < 7; index += 1) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    const after = await search();
    expect(after.status).toBe(200);
    const rejected = await Promise.all([search(), search(), search(), search(), search()]);
    const limited = rejected.find((response) => response.status === 429);
    expect(rateLimitBodySchema.parse(limited?.body).policyName).toBe('SECONDLY');
  });
});

describe('fault injection', () => {
  async function setFaults(sandbox: TestSandbox, faults: Record<string, number>): Promise<void> {
    const response = await fetch(`${sandbox.sandbox.url}/__sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(response.status).toBe(200);
  }

  it('forces a burst of 429s, then serves again', async () => {
    const sandbox = await start();
    await setFaults(sandbox, { forced429: 3 });
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push((await sandbox.call('/crm/v3/objects/deals')).status);
    expect(statuses).toEqual([429, 429, 429, 200]);
  });

  it('answers a configured share of requests with a 5xx', async () => {
    let draw = 0;
    // A deterministic "random" source: every other request fails at errorRate 0.5.
    const sandbox = await start({ random: () => (draw++ % 2 === 0 ? 0.1 : 0.9) });
    sandbox.sandbox.faults.update({ errorRate: 0.5, errorStatus: 502 });
    const responses = [];
    for (let index = 0; index < 4; index += 1)
      responses.push(await sandbox.call('/crm/v3/objects/deals'));
    expect(responses.map((response) => response.status)).toEqual([502, 200, 502, 200]);
    expect(errorBodySchema.parse(responses[0]?.body).category).toBe('INTERNAL_ERROR');
  });

  it('adds latency to every API response', async () => {
    const sandbox = await start();
    await setFaults(sandbox, { latencyMs: 150 });
    const started = performance.now();
    await sandbox.call('/crm/v3/objects/deals');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const reset = await fetch(`${sandbox.sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(204);
    expect(sandbox.sandbox.faults.settings.latencyMs).toBe(0);
  });
});

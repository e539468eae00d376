import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHubSpotPortalClient,
  type HubSpotPortalClient,
} from '../../../server/hubspot/hubspot-portal-client.ts';
import {
  KAM_INPUT_PROPERTIES,
  KAM_PROPERTIES,
  KAM_WRITTEN_PROPERTIES,
} from '../../../server/hubspot/kam-properties.ts';
import { RedisRateLimiter, type RateLimit } from '../../../server/hubspot/rate-limiter.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/sandbox.ts';
import { linkedCompanies, type CrmObject } from '../../../src/index.ts';
import { startTestRedis, type TestRedis } from '../../support/redis-server.ts';

/** Small so the burst test crosses the sandbox's limit within a couple of seconds. */
const SANDBOX_LIMIT: RateLimit = { max: 20, windowMs: 1_000 };

let redis: TestRedis;
let sandbox: Sandbox;
let portalId: number;
let accessToken: string;
/** One prefix for the file: like production, one limiter per portal for every client. */
const prefix = `test:${randomUUID()}:`;

function clientFor(
  portal: { portalId: number; accessToken: string },
  limit: RateLimit = SANDBOX_LIMIT,
): HubSpotPortalClient {
  return createHubSpotPortalClient({
    portalId: portal.portalId,
    baseUrl: sandbox.url,
    getAccessToken: () => Promise.resolve(portal.accessToken),
    limiter: new RedisRateLimiter({ redis: redis.connect(), prefix, limits: { default: limit } }),
  });
}

function sandboxPortal() {
  const portal = sandbox.context.portals.get(portalId);
  if (portal === undefined) throw new Error('portal missing');
  return portal;
}

function requestsTo(route: string): number {
  return sandbox.stats().portals[String(portalId)]?.byRoute[route] ?? 0;
}

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await startSandbox({
    port: 0,
    portals: [{ companies: 40, deals: 400, seed: 11, asOf: '2026-11-01T00:00:00Z' }],
    rateLimit: SANDBOX_LIMIT.max,
    rateLimitIntervalMs: SANDBOX_LIMIT.windowMs,
  });
  const [info] = sandbox.initialPortals;
  if (info === undefined) throw new Error('no portal seeded');
  ({ portalId, accessToken } = info);
});

afterAll(async () => {
  await sandbox.close();
  await redis.stop();
});

describe('the HubSpot portal client against the sandbox', () => {
  it("pages every deal with its companies, matching the sandbox's data", async () => {
    const client = clientFor({ portalId, accessToken });
    const deals: CrmObject[] = [];
    let pages = 0;
    await client.forEachDealPage(['amount', 'dealstage', 'closedate'], (page) => {
      pages += 1;
      deals.push(...page);
    });

    const portal = sandboxPortal();
    const live = portal.sortedIds('deals').filter((id) => portal.live('deals', id) !== undefined);
    expect(deals.map((deal) => deal.id)).toEqual(live);
    expect(pages).toBe(Math.ceil(live.length / 100));
    for (const deal of deals) {
      const stored = portal.live('deals', deal.id);
      expect(deal.properties.amount ?? null).toBe(stored?.properties.amount ?? null);
      const companies = linkedCompanies(deal.associations?.companies?.results ?? [])
        .map((link) => link.companyId)
        .sort();
      const expected = portal.associations
        .list('deals', deal.id, 'companies')
        .map((edge) => edge.toId)
        .sort();
      expect(companies).toEqual(expected);
    }
  });

  it('completes a deal with more companies than HubSpot inlines (v4 follow-up)', async () => {
    const wide = sandbox.admin.createPortal({ companies: 160, deals: 5, seed: 5 });
    const portal = sandbox.context.portals.get(wide.portalId);
    const [dealId] = portal?.sortedIds('deals') ?? [];
    if (portal === undefined || dealId === undefined) throw new Error('no deal');
    for (const companyId of portal.sortedIds('companies').slice(0, 150)) {
      sandbox.admin.associate(wide.portalId, 'deals', dealId, companyId, 341);
    }
    const client = clientFor(wide);
    const deals: CrmObject[] = [];
    await client.forEachDealPage(['amount'], (page) => {
      deals.push(...page);
    });
    const wideDeal = deals.find((deal) => deal.id === dealId);
    const companies = linkedCompanies(wideDeal?.associations?.companies?.results ?? []);
    expect(companies.map((link) => link.companyId).sort()).toEqual(
      portal.associations
        .list('deals', dealId, 'companies')
        .map((edge) => edge.toId)
        .sort(),
    );
    expect(companies.length).toBeGreaterThanOrEqual(150);
    // The inline list stopped at 100; one v4 batch read fetched the rest.
    expect(
      sandbox.stats().portals[String(wide.portalId)]?.byRoute[
        'POST /crm/v4/associations/deals/companies/batch/read'
      ],
    ).toBe(1);
  });

  it("reads one company's deals with every company of each deal", async () => {
    const client = clientFor({ portalId, accessToken });
    const portal = sandboxPortal();
    const companyId = portal
      .sortedIds('companies')
      .find((id) => portal.associations.list('companies', id, 'deals').length > 1);
    if (companyId === undefined) throw new Error('seed has no company with several deals');

    const deals = (await client.readDealsOfCompanies([companyId], ['amount'])).get(companyId) ?? [];
    expect(deals.map((deal) => deal.id).sort()).toEqual(
      portal.associations
        .list('companies', companyId, 'deals')
        .map((edge) => edge.toId)
        .sort(),
    );
    for (const deal of deals) {
      const companies = linkedCompanies(deal.associations?.companies?.results ?? []);
      expect(companies.map((link) => link.companyId)).toContain(companyId);
      expect(companies.map((link) => link.companyId).sort()).toEqual(
        portal.associations
          .list('deals', deal.id, 'companies')
          .map((edge) => edge.toId)
          .sort(),
      );
    }
  });

  it('names product lines by their label: pipelines, or any deal property with options', async () => {
    const client = clientFor({ portalId, accessToken });
    expect(await client.readProductLineLabels('pipeline')).toEqual({
      default: 'Sales Pipeline',
      services: 'Services',
      subscriptions: 'Subscriptions',
      hardware: 'Hardware',
    });
    expect(await client.readProductLineLabels('dealstage')).toMatchObject({
      closedwon: 'Closed Won',
      appointmentscheduled: 'Appointment Scheduled',
    });
    // Free text has no labels to look up, and an unknown property is a 404: raw values then.
    expect(await client.readProductLineLabels('closed_lost_reason')).toEqual({});
    expect(await client.readProductLineLabels('no_such_property')).toEqual({});
    expect(requestsTo('GET /crm/v3/pipelines/deals')).toBe(1);
  });

  it('answers no labels, not an error, to a token without the deals scope (403)', async () => {
    const companiesOnly = sandbox.context.oauth.addPrivateToken(portalId, [
      'crm.objects.companies.read',
    ]);
    const client = clientFor({ portalId, accessToken: companiesOnly });
    expect(await client.readProductLineLabels('pipeline')).toEqual({});
    expect(client.stats()).toMatchObject({ calls: 1, retried: 0 });
  });

  it('provisions the group and every property once; a second run changes nothing', async () => {
    const client = clientFor({ portalId, accessToken });
    const first = await client.ensureKamProperties();
    expect(first.groupCreated).toBe(true);
    expect([...first.created].sort()).toEqual(KAM_PROPERTIES.map((p) => p.name).sort());
    expect(KAM_WRITTEN_PROPERTIES).toHaveLength(25);
    expect(KAM_INPUT_PROPERTIES).toHaveLength(24);

    const writesBefore =
      requestsTo('POST /crm/v3/properties/companies/batch/create') +
      requestsTo('POST /crm/v3/properties/companies/groups');
    const second = await client.ensureKamProperties();
    expect(second).toEqual({
      groupCreated: false,
      created: [],
      updated: [],
      unchanged: KAM_PROPERTIES.map((p) => p.name),
    });
    expect(
      requestsTo('POST /crm/v3/properties/companies/batch/create') +
        requestsTo('POST /crm/v3/properties/companies/groups'),
    ).toBe(writesBefore);
  });

  it('writes the other companies when one value is refused, and reports that company', async () => {
    const client = clientFor({ portalId, accessToken });
    await client.ensureKamProperties();
    const [a, b, c] = sandboxPortal().sortedIds('companies');
    if (a === undefined || b === undefined || c === undefined) throw new Error('too few companies');

    const outcome = await client.updateCompanies([
      { id: a, properties: { kam_tier: 'key', kam_score: '71.5' } },
      { id: b, properties: { kam_tier: 'platinum' } },
      { id: c, properties: { kam_tier: 'strategic', kam_grade: 'A' } },
    ]);
    expect([...outcome.updated].sort()).toEqual([a, c].sort());
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]).toMatchObject({ id: b });
    expect(outcome.failed[0]?.message).toContain('platinum');

    const [readA, readB, readC] = await client.readCompanies([a, b, c], ['kam_tier', 'kam_score']);
    expect(readA?.properties).toMatchObject({ kam_tier: 'key', kam_score: '71.5' });
    expect(readB?.properties.kam_tier ?? null).toBeNull();
    expect(readC?.properties.kam_tier).toBe('strategic');
  });

  it('a burst beyond the limit through a correctly set limiter meets no 429', async () => {
    const client = clientFor({ portalId, accessToken });
    const ids = sandboxPortal().sortedIds('companies');
    const before = sandbox.stats().portals[String(portalId)]?.rateLimited ?? 0;
    // 60 calls at once: three windows' worth of the sandbox's limit.
    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        client.readCompanies([ids[index % ids.length] ?? '1'], ['name']),
      ),
    );
    expect(client.stats()).toMatchObject({ calls: 60, rateLimited: 0 });
    expect(sandbox.stats().portals[String(portalId)]?.rateLimited ?? 0).toBe(before);
  });

  it('a limiter set too loose meets 429s, honours them, and every call still succeeds', async () => {
    const other = sandbox.admin.createPortal({ companies: 5, deals: 10, seed: 3 });
    const client = clientFor(other, { max: 1_000, windowMs: 1_000 });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => client.readCompanies(['1'], ['name'])),
    );
    expect(results).toHaveLength(30);
    expect(client.stats().rateLimited).toBeGreaterThan(0);
  });
});

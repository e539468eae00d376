import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmObject } from '../../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  scorePortal,
  TICKET_INPUT_PROPERTIES,
} from '../../../src/index.ts';
import { loadConfig } from '../../../server/config.ts';
import { freePort } from '../../../server/demo/local-redis.ts';
import {
  KAM_OUTPUT_PROPERTIES,
  kamPropertyValues,
} from '../../../server/recompute/kam-property-values.ts';
import type { Backend } from '../../../server/runtime.ts';
import { startBackend } from '../../../server/runtime.ts';
import { sendCardRequest } from '../../../server/sandbox/card-request.ts';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../../../server/sandbox/default-subscriptions.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const NOW = Date.now();
let redis: TestRedis;
let sandbox: Sandbox;
let backend: Backend;
let publicBaseUrl: string;
let portalId: number;
let privateToken: string;
let appId: number;
const clientSecret = randomBytes(16).toString('hex');

/** Reads a sandbox portal the way HubSpot's list endpoint serves it, apart from the app's code. */
async function listAll(
  type: 'companies' | 'deals' | 'tickets',
  properties: readonly string[],
): Promise<CrmObject[]> {
  const objects: CrmObject[] = [];
  let after: string | undefined;
  do {
    const url = new URL(`${sandbox.url}/crm/v3/objects/${type}`);
    url.searchParams.set('limit', '100');
    url.searchParams.set('properties', properties.join(','));
    if (type !== 'companies') url.searchParams.set('associations', 'companies');
    if (after !== undefined) url.searchParams.set('after', after);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${privateToken}` } });
    const page = (await response.json()) as {
      results: CrmObject[];
      paging?: { next?: { after: string } };
    };
    objects.push(...page.results);
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return objects;
}

async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function hop(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '', url).toString();
}

beforeAll(async () => {
  redis = await startTestRedis();
  sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ companies: 60, deals: 600, seed: 11, asOf: new Date(NOW).toISOString() }],
    webhooks: { batchWindowMs: 50 },
  });
  portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
  const port = await freePort();
  publicBaseUrl = `http://127.0.0.1:${port}`;
  const clientId = randomUUID();
  appId = sandbox.admin.registerApp({
    clientId,
    clientSecret,
    redirectUrls: [`${publicBaseUrl}/oauth/callback`],
    targetUrl: `${publicBaseUrl}/webhooks/hubspot`,
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
  }).appId;
  backend = await startBackend({
    config: loadConfig({
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      REDIS_URL: redis.url,
      HUBSPOT_CLIENT_ID: clientId,
      HUBSPOT_CLIENT_SECRET: clientSecret,
      HUBSPOT_API_BASE_URL: sandbox.url,
      HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RECOMPUTE_DEBOUNCE_MS: '100',
    }),
    api: true,
    worker: true,
    now: () => NOW,
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await backend.stop();
  await sandbox.close();
  await redis.stop();
});

describe('install, full recompute, write-back (end to end on the sandbox)', () => {
  it('installs through OAuth and writes what kam score computes on the same data', async () => {
    const consent = await hop(`${publicBaseUrl}/oauth/install`);
    expect(consent.startsWith(`${sandbox.url}/oauth/authorize`)).toBe(true);
    const callback = await hop(consent);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('KAM for HubSpot is installed');

    const status = await until(
      () => backend.stores.status.get(portalId),
      (value) => value.state === 'idle' && value.progress.phase === 'done',
      'the first full recompute',
    );
    expect(status.lastReport?.companies).toBe(60);
    expect(status.lastReport?.failed).toEqual([]);

    const companies = await listAll('companies', [
      ...COMPANY_INPUT_PROPERTIES,
      ...KAM_OUTPUT_PROPERTIES,
    ]);
    const deals = await listAll('deals', dealInputProperties(DEFAULT_SETTINGS));
    const tickets = await listAll('tickets', TICKET_INPUT_PROPERTIES);
    expect(tickets.length).toBeGreaterThan(0);
    const expected = scorePortal({ companies, deals, tickets }, DEFAULT_SETTINGS, NOW);
    // Open complaints reached the model: some company shows T3.
    expect(
      expected.companies.some((company) => company.swot.some((item) => item.ruleId === 'T3')),
    ).toBe(true);
    for (const company of expected.companies) {
      const written = companies.find((candidate) => candidate.id === company.id)?.properties ?? {};
      const values = kamPropertyValues(company);
      for (const property of KAM_OUTPUT_PROPERTIES) {
        expect({ company: company.id, property, value: written[property] ?? '' }).toEqual({
          company: company.id,
          property,
          value: values[property],
        });
      }
    }
  });

  it('a second full recompute with nothing changed writes nothing', async () => {
    const response = await sendCardRequest({
      url: `${publicBaseUrl}/api/v1/recompute`,
      method: 'POST',
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId,
      clientSecret,
    });
    expect(response.status).toBe(202);
    const status = await until(
      () => backend.stores.status.get(portalId),
      (value) =>
        value.state === 'idle' &&
        value.lastReport !== null &&
        value.startedAt !== null &&
        value.lastReport.written === 0,
      'an idle second recompute',
    );
    expect(status.lastReport?.unchanged).toBe(60);
  });

  it('a deal change reaches the company through a signed webhook within seconds', async () => {
    const deals = await listAll('deals', dealInputProperties(DEFAULT_SETTINGS));
    const target = deals.find(
      (deal) =>
        deal.properties.hs_is_closed_won === 'true' &&
        (deal.associations?.companies?.results ?? []).some(
          (link) => 'type' in link && link.type === 'deal_to_company',
        ),
    );
    const link = target?.associations?.companies?.results.find(
      (candidate) => 'type' in candidate && candidate.type === 'deal_to_company',
    );
    const companyId = link !== undefined && 'id' in link ? link.id : '';
    expect(companyId).not.toBe('');
    const before = (await listAll('companies', ['kam_revenue_ttm'])).find(
      (company) => company.id === companyId,
    );

    // A sales rep closes a much larger amount on that deal, dated today.
    // (HubSpot derives amount_in_home_currency from amount.)
    sandbox.admin.updateObject(portalId, 'deals', target?.id ?? '', {
      amount: '50000000',
      closedate: new Date(NOW - 86_400_000).toISOString(),
    });
    const after = await until(
      async () =>
        (await listAll('companies', ['kam_revenue_ttm', 'kam_tier'])).find(
          (company) => company.id === companyId,
        ),
      (company) => company?.properties.kam_revenue_ttm !== before?.properties.kam_revenue_ttm,
      'the webhook-driven recompute',
    );
    expect(Number(after?.properties.kam_revenue_ttm)).toBeGreaterThan(50_000_000);
    expect(after?.properties.kam_tier).toBe('strategic');
  });

  it('serves the scorecard to a signed card request, and 404s another portal’s company', async () => {
    const companies = await listAll('companies', ['kam_tier', 'kam_score']);
    const company = companies[0];
    const response = await sendCardRequest({
      url: `${publicBaseUrl}/api/v1/companies/${company?.id ?? ''}/scorecard`,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId,
      clientSecret,
    });
    expect(response.status).toBe(200);
    const scorecard = (await response.json()) as {
      company: { tier: string; explanations: Record<string, { rule: string }> };
    };
    expect(scorecard.company.tier).toBe(company?.properties.kam_tier);
    expect(scorecard.company.explanations.tier?.rule).toMatch(/^tier\./);

    // Not a company of this portal (HubSpot answers 404 for it): the card API must not serve it.
    const foreignId = '987654321';
    expect(companies.some((candidate) => candidate.id === foreignId)).toBe(false);
    const refused = await sendCardRequest({
      url: `${publicBaseUrl}/api/v1/companies/${foreignId}/scorecard`,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId,
      clientSecret,
    });
    expect(refused.status).toBe(404);
  });
});

describe('survey and SWOT written from the cards (end to end on the sandbox)', () => {
  const put = (companyId: string, what: 'survey' | 'swot', body: unknown) =>
    sendCardRequest({
      url: `${publicBaseUrl}/api/v1/companies/${companyId}/${what}`,
      method: 'PUT',
      body,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId,
      clientSecret,
    });
  const companyProperties = async (companyId: string, properties: readonly string[]) =>
    (await listAll('companies', properties)).find((company) => company.id === companyId)
      ?.properties ?? {};

  it.each([
    [{ ratings: { tangibles: { expected: 8 } } }, 'ratings.tangibles.expected'],
    [{ ratings: { empathy: { perceived: 0 } } }, 'ratings.empathy.perceived'],
    [{ ratings: { reliability: { expected: 'high' } } }, 'ratings.reliability.expected'],
    [{ ratings: { courtesy: { expected: 5 } } }, 'ratings.courtesy'],
    [{ surveyDate: '2026-13-40' }, 'surveyDate'],
    [{ surveyDate: '2026-11-01', colour: 'red' }, 'colour'],
  ])('refuses survey %j naming %s, and writes nothing', async (body, field) => {
    const companyId = (await listAll('companies', ['name']))[1]?.id ?? '';
    const before = await companyProperties(companyId, [
      'kam_survey_date',
      'kam_servqual_tangibles_expected',
    ]);
    const response = await put(companyId, 'survey', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', field } });
    expect(
      await companyProperties(companyId, ['kam_survey_date', 'kam_servqual_tangibles_expected']),
    ).toEqual(before);
  });

  it('stores a partial survey in HubSpot and answers with the recomputed gap', async () => {
    const companyId = (await listAll('companies', ['name']))[2]?.id ?? '';
    const response = await put(companyId, 'survey', {
      surveyDate: new Date(NOW).toISOString().slice(0, 10),
      ratings: {
        tangibles: { expected: 5, perceived: 5 },
        reliability: { expected: 6, perceived: 6 },
        responsiveness: { expected: 7, perceived: 4 },
        assurance: { expected: 5, perceived: 5 },
        empathy: { expected: 6, perceived: 6 },
      },
    });
    expect(response.status).toBe(200);
    const scorecard = (await response.json()) as {
      company: {
        satisfactionGap: number;
        satisfactionLevel: string;
        swot: { ruleId: string | null; dimension?: string }[];
      };
    };
    expect(scorecard.company.satisfactionGap).toBeCloseTo(-0.6); // (0 + 0 − 3 + 0 + 0) / 5
    expect(scorecard.company.satisfactionLevel).toBe('below_expectations');
    expect(scorecard.company.swot).toContainEqual(
      expect.objectContaining({ ruleId: 'W1', dimension: 'responsiveness' }),
    );
    const stored = await companyProperties(companyId, [
      'kam_servqual_responsiveness_perceived',
      'kam_satisfaction_gap',
    ]);
    expect(stored.kam_servqual_responsiveness_perceived).toBe('4');
    expect(stored.kam_satisfaction_gap).toBe('-0.6');
  });

  it('stores manual SWOT items and a tier pin, and refuses text over the limit', async () => {
    const companyId = (await listAll('companies', ['name']))[3]?.id ?? '';
    const tooLong = await put(companyId, 'swot', { threats: ['x'.repeat(501)] });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: { field: 'threats.0' } });

    const response = await put(companyId, 'swot', {
      strengths: ['CFO is a champion'],
      threats: ['Competitor cut prices by 10%'],
      competitors: ['Globex'],
      tierOverride: 'key',
    });
    expect(response.status).toBe(200);
    const scorecard = (await response.json()) as {
      company: {
        tier: string;
        tierPinned: boolean;
        swot: { ruleId: string | null; text: string }[];
      };
      manual: { strengths: string[]; competitors: string[] };
      pinnedBy: { userId: string | null; at: string } | null;
    };
    expect(scorecard.pinnedBy).toEqual({ userId: '1', at: new Date(NOW).toISOString() });
    expect(scorecard.company.tier).toBe('key');
    expect(scorecard.company.tierPinned).toBe(true);
    expect(scorecard.company.swot).toContainEqual(
      expect.objectContaining({ ruleId: null, text: 'CFO is a champion' }),
    );
    expect(scorecard.manual.competitors).toEqual(['Globex']);
    const stored = await companyProperties(companyId, [
      'kam_tier',
      'kam_tier_override',
      'kam_swot_threats',
    ]);
    expect(stored).toMatchObject({
      kam_tier: 'key',
      kam_tier_override: 'key',
      kam_swot_threats: 'Competitor cut prices by 10%',
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALL_INPUT_PROPERTIES,
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  scorePortal,
  settingsSchema,
  TICKET_INPUT_PROPERTIES,
} from '../../../src/index.ts';
import pino from 'pino';
import { processFullRecompute } from '../../../server/jobs/recompute-worker.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import { createDealRecords } from '../../../server/recompute/deal-records.ts';
import { createSnapshotCache } from '../../../server/recompute/snapshot-cache.ts';
import { createPortalLock } from '../../../server/recompute/portal-lock.ts';
import { SANDBOX_USER } from '../../../server/sandbox/oauth.ts';
import { createSettingsStore } from '../../../server/settings-store.ts';
import {
  KAM_OUTPUT_PROPERTIES,
  kamPropertyValues,
} from '../../../server/recompute/kam-property-values.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import {
  listAll as sandboxList,
  listPipelineLabels,
  listRecentMeetings,
} from '../../support/sandbox-reads.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

let installed: InstalledBackend;
let NOW: number;
let portalId: number;

const listAll = (
  type: 'companies' | 'deals' | 'tickets' | 'calls' | 'contacts' | 'meetings',
  properties: readonly string[],
) => sandboxList(installed.sandbox.url, installed.privateToken, type, properties);

beforeAll(async () => {
  // Installed through the real OAuth flow, first full recompute finished.
  installed = await startInstalledBackend({ companies: 60, deals: 600, seed: 11 });
  NOW = installed.now;
  portalId = installed.portalId;
});

afterAll(async () => {
  await installed.stop();
});

describe('install, full recompute, write-back (end to end on the sandbox)', () => {
  it('after the OAuth install, writes what kam score computes on the same data', async () => {
    const status = await until(
      () => installed.backend.stores.status.get(portalId),
      recomputeFinished,
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
    const calls = await listAll('calls', CALL_INPUT_PROPERTIES);
    const productLineLabels = await listPipelineLabels(
      installed.sandbox.url,
      installed.privateToken,
    );
    const contacts = await listAll('contacts', CONTACT_INPUT_PROPERTIES);
    const meetings = await listRecentMeetings(installed.sandbox.url, installed.privateToken, NOW);
    expect(contacts.length).toBeGreaterThan(0);
    expect(meetings.length).toBeGreaterThan(0);
    const expected = scorePortal(
      { companies, deals, tickets, calls, contacts, meetings, productLineLabels },
      DEFAULT_SETTINGS,
      NOW,
    );
    // The buying centre and the visits reached the model from the contacts and meetings.
    expect(expected.companies.some((company) => (company.buyingCentre.coverage ?? 0) > 0)).toBe(
      true,
    );
    expect(expected.companies.some((company) => company.visits.source === 'meetings')).toBe(true);
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
    const response = await installed.card('POST', `/api/v1/recompute`);
    expect(response.status).toBe(202);
    const status = await until(
      () => installed.backend.stores.status.get(portalId),
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
    installed.sandbox.admin.updateObject(portalId, 'deals', target?.id ?? '', {
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
    const response = await installed.card(
      'GET',
      `/api/v1/companies/${company?.id ?? ''}/scorecard`,
    );
    expect(response.status).toBe(200);
    const scorecard = (await response.json()) as {
      company: { tier: string; explanations: Record<string, { rule: string }> };
    };
    expect(scorecard.company.tier).toBe(company?.properties.kam_tier);
    expect(scorecard.company.explanations.tier?.rule).toMatch(/^tier\./);

    // Warm: the same card again is served from Redis without a HubSpot call.
    const calls = () => installed.sandbox.stats().portals[String(portalId)]?.requests ?? 0;
    const before = calls();
    const again = await installed.card('GET', `/api/v1/companies/${company?.id ?? ''}/scorecard`);
    expect(again.status).toBe(200);
    expect(calls()).toBe(before);

    // Not a company of this portal (HubSpot answers 404 for it): the card API must not serve it.
    const foreignId = '987654321';
    expect(companies.some((candidate) => candidate.id === foreignId)).toBe(false);
    const refused = await installed.card('GET', `/api/v1/companies/${foreignId}/scorecard`);
    expect(refused.status).toBe(404);
  });
});

describe('survey and SWOT written from the cards (end to end on the sandbox)', () => {
  const put = (companyId: string, what: 'survey' | 'swot', body: unknown) =>
    installed.card('PUT', `/api/v1/companies/${companyId}/${what}`, body);
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
      pinnedBy: { userId: string | null; name: string | null; at: string } | null;
    };
    // The rep is named as HubSpot's users API names them, not by their id.
    expect(scorecard.pinnedBy).toEqual({
      userId: String(SANDBOX_USER.id),
      name: 'Ada Admin',
      at: new Date(NOW).toISOString(),
    });
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

describe('settings saved while a full recompute runs', () => {
  it('are applied by that same job, not left for the night', async () => {
    const connection = installed.redis.connect();
    const settings = createSettingsStore(connection);
    let changed = false;
    await processFullRecompute(
      { portalId, reason: 'on_demand' },
      {
        clientFor: (id) => installed.backend.clientFor(id),
        snapshots: installed.backend.stores.snapshots,
        cache: createSnapshotCache(installed.backend.stores.snapshots),
        associationIndex: createAssociationIndex(connection),
        dealRecords: createDealRecords(connection),
        locks: createPortalLock(connection),
        settings,
        status: installed.backend.stores.status,
        queue: {
          full: () => Promise.resolve(),
          companies: () => Promise.resolve(),
          pendingCompanies: () =>
            Promise.resolve({
              ids: [],
              sequences: [],
              activityChanged: new Set(),
              dealsChanged: new Map(),
            }),
          settleCompanies: () => Promise.resolve(0),
          prioritizeNightly: () => Promise.resolve(false),
          waitingCompanies: () => Promise.resolve(0),
          deferReRank: () => Promise.resolve(),
          reRankDeferredSince: () => Promise.resolve(null),
          reRanked: () => Promise.resolve(),
        },
        now: () => NOW,
        logger: pino({ level: 'silent' }),
        debounceMs: 0,
        reRankAtOnceBelow: 20_000,
      },
      async (progress) => {
        if (changed || progress.phase !== 'deals') return;
        changed = true; // an admin saves new settings mid-run
        await settings.put(
          portalId,
          // Every rated account becomes strategic: many tiers move.
          settingsSchema.parse({
            tierMethod: 'thresholds',
            thresholds: { strategic: 3, key: 2, standard: 1 },
          }),
        );
      },
    );
    expect(changed).toBe(true);
    const frame = await installed.backend.stores.snapshots.frame(portalId);
    expect(frame?.settings.tierMethod).toBe('thresholds');

    // The portfolio shows the tiers that moved against the recompute before.
    const response = await installed.card('GET', '/api/v1/portfolio');
    expect(response.status).toBe(200);
    const portfolio = (await response.json()) as {
      tierCounts: Record<string, number>;
      paretoCurve: { accountShare: number; revenueShare: number }[];
      movements: { companyId: string; from: string; to: string }[];
      movementsTotal: number;
    };
    expect(portfolio.movementsTotal).toBeGreaterThan(0);
    expect(portfolio.movements.every((move) => move.from !== move.to)).toBe(true);
    expect(portfolio.paretoCurve.at(-1)).toEqual({ accountShare: 1, revenueShare: 1 });
    expect(Object.values(portfolio.tierCounts).reduce((sum, count) => sum + count, 0)).toBe(60);
    await settings.put(portalId, DEFAULT_SETTINGS);
  });
});

describe('operating it', () => {
  it('exposes Prometheus metrics: HubSpot calls, companies written, queue depth', async () => {
    const text = await (await fetch(installed.backend.metricsUrl ?? '')).text();
    expect(text).toMatch(
      /kam_hubspot_calls_total\{route="GET \/crm\/v3\/objects\/deals",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/kam_companies_written_total\{kind="full"\} [1-9]/);
    expect(text).toMatch(/kam_queue_jobs\{state="waiting",queue="kam-recompute"\} \d+/);
    expect(text).not.toMatch(/access|refresh_token|Bearer/i);
  });

  it('answers health and readiness', async () => {
    expect((await fetch(`${installed.backend.url ?? ''}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${installed.backend.url ?? ''}/readyz`)).json()).toEqual({
      status: 'ready',
    });
  });
});

// Last: it removes the portal this file installed.
describe('uninstall from the settings page', () => {
  it('forgets the portal: tokens, settings, snapshot and schedule are gone', async () => {
    const connection = installed.redis.connect();
    expect((await connection.keys(`kam:portal:${portalId}:*`)).length).toBeGreaterThan(0);
    const nightly = async () =>
      (await connection.keys('bull:kam-recompute:repeat:*')).some((name) =>
        name.includes(`night-${portalId}`),
      );
    expect(await nightly()).toBe(true);
    const response = await installed.card('DELETE', '/api/v1/installation');
    expect(response.status).toBe(200);
    expect(await connection.keys(`kam:portal:${portalId}:*`)).toEqual([]);
    expect(await installed.backend.stores.tokens.status(portalId)).toBe('not_installed');
    expect(await nightly()).toBe(false);
    const after = await installed.card('GET', '/api/v1/recompute/status');
    expect(after.status).toBe(404);
  });
});

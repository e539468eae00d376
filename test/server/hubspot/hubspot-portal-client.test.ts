import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createHubSpotPortalClient,
  type HubSpotPortalClientOptions,
} from '../../../server/hubspot/hubspot-portal-client.ts';
import { KAM_PROPERTIES, KAM_PROPERTY_GROUP } from '../../../server/hubspot/kam-properties.ts';
import { HubSpotApiError } from '../../../server/hubspot/portal-client.ts';
import type { LimiterSlot, PortalRateLimiter } from '../../../server/hubspot/rate-limiter.ts';
import type { CrmObject } from '../../../src/index.ts';

const BASE = 'https://api.hubapi.com';
const PORTAL = 9_000_001;

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

/** An in-memory limiter that lets everything through and records what the client asked. */
function recordingLimiter() {
  const record = { acquired: 0, completed: 0, pauses: [] as number[], buckets: [] as string[] };
  const limiter: PortalRateLimiter = {
    acquire(portalId, bucket): Promise<LimiterSlot> {
      record.acquired += 1;
      record.buckets.push(bucket);
      return Promise.resolve({
        portalId,
        bucket,
        member: String(record.acquired),
        grantedAt: 0,
      });
    },
    complete() {
      record.completed += 1;
      return Promise.resolve();
    },
    pause(_portalId, ms) {
      record.pauses.push(ms);
      return Promise.resolve();
    },
  };
  return { limiter, record };
}

function makeClient(overrides: Partial<HubSpotPortalClientOptions> = {}) {
  const { limiter, record } = recordingLimiter();
  const calls: { route: string; status: number }[] = [];
  const sleeps: number[] = [];
  const client = createHubSpotPortalClient({
    portalId: PORTAL,
    baseUrl: BASE,
    getAccessToken: () => Promise.resolve('token-1'),
    limiter,
    metrics: { onCall: (route, status) => calls.push({ route, status }) },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, record, calls, sleeps };
}

/** nock 15 hands reply functions the fetch `Request`. */
async function bodyOf(request: Request): Promise<{ inputs: { id: string }[] }> {
  return (await request.json()) as { inputs: { id: string }[] };
}

const deal = (id: string, companyIds: string[], paging?: unknown) => ({
  id,
  properties: { amount: '100', dealstage: 'closedwon' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  archived: false,
  associations: {
    companies: {
      results: companyIds.map((companyId) => ({
        id: companyId,
        type: 'deal_to_company_unlabeled',
      })),
      ...(paging === undefined ? {} : { paging }),
    },
  },
});

const v4To = (ids: string[]) =>
  ids.map((id) => ({
    toObjectId: Number(id),
    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }],
  }));

describe('network is denied', () => {
  it('canary: an unmocked HubSpot call fails instead of reaching the network', async () => {
    const { client, calls } = makeClient();
    const error: unknown = await client
      .forEachCompanyPage(['name'], () => undefined)
      .catch((caught: unknown) => caught);
    // The SDK's fetch met nock's guard, and the client did not retry it as a network blip.
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ name: 'NetConnectNotAllowedError' });
    expect(calls).toEqual([{ route: 'GET /crm/v3/objects/companies', status: 0 }]);
  });
});

describe('paging', () => {
  it('pages through deals with inline company associations, 100 per page, bearer token set', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: 'Bearer token-1' } })
      .get('/crm/v3/objects/deals')
      .query({ limit: '100', properties: 'amount,dealstage', associations: 'companies' })
      .reply(200, {
        results: [deal('1', ['10']), deal('2', ['10', '11'])],
        paging: { next: { after: '3', link: '?after=3' } },
      })
      .get('/crm/v3/objects/deals')
      .query({
        limit: '100',
        properties: 'amount,dealstage',
        associations: 'companies',
        after: '3',
      })
      .reply(200, { results: [deal('3', [])] });

    const { client } = makeClient();
    const pages: CrmObject[][] = [];
    await client.forEachDealPage(['amount', 'dealstage'], (page) => {
      pages.push(page);
    });

    expect(scope.isDone()).toBe(true);
    expect(pages.map((page) => page.map((d) => d.id))).toEqual([['1', '2'], ['3']]);
    expect(pages[0]?.[1]).toEqual({
      id: '2',
      properties: { amount: '100', dealstage: 'closedwon' },
      associations: {
        companies: {
          results: [
            { id: '10', type: 'deal_to_company_unlabeled' },
            { id: '11', type: 'deal_to_company_unlabeled' },
          ],
        },
      },
    });
  });

  it('completes a deal whose inline associations were cut off, through associations v4', async () => {
    const inline = Array.from({ length: 100 }, (_, index) => String(1000 + index));
    const all = Array.from({ length: 620 }, (_, index) => String(1000 + index));
    nock(BASE)
      .get('/crm/v3/objects/deals')
      .query(true)
      .reply(200, {
        results: [deal('1', ['10']), deal('2', inline, { next: { after: '1100', link: '?x' } })],
      })
      .post('/crm/v4/associations/deals/companies/batch/read', { inputs: [{ id: '2' }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { from: { id: '2' }, to: v4To(all.slice(0, 500)), paging: { next: { after: '1500' } } },
        ],
      })
      .post('/crm/v4/associations/deals/companies/batch/read', {
        inputs: [{ id: '2', after: '1500' }],
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [{ from: { id: '2' }, to: v4To(all.slice(500)) }],
      });

    const { client } = makeClient();
    const deals: CrmObject[] = [];
    await client.forEachDealPage(['amount'], (page) => {
      deals.push(...page);
    });

    expect(deals[0]?.associations?.companies?.results).toHaveLength(1);
    const completed = deals[1]?.associations?.companies?.results ?? [];
    expect(completed).toHaveLength(620);
    expect(completed[619]).toEqual({
      toObjectId: '1619',
      associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 341, label: null }],
    });
  });

  it('pages through companies and refuses a page that is not HubSpot-shaped', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query({ limit: '100', properties: 'name' })
      .reply(200, { results: [{ id: '10', properties: { name: 'Acme' } }] })
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, { results: [{ properties: { name: 'no id' } }] });

    const { client } = makeClient();
    const names: (string | null | undefined)[] = [];
    await client.forEachCompanyPage(['name'], (page) => {
      names.push(...page.map((company) => company.properties.name));
    });
    expect(names).toEqual(['Acme']);
    await expect(client.forEachCompanyPage(['name'], () => undefined)).rejects.toThrow();
  });
});

describe('batch reads', () => {
  it('reads companies 100 per call, 50 per call with property history', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => String(index + 1));
    const sizes: number[] = [];
    const answer = async (request: Request) => {
      const { inputs, propertiesWithHistory } = (await request.json()) as {
        inputs: { id: string }[];
        propertiesWithHistory?: string[];
      };
      sizes.push(inputs.length);
      return {
        status: 'COMPLETE',
        results: inputs.map(({ id }) => ({
          id,
          properties: { name: `c${id}`, kam_tier: 'key' },
          ...(propertiesWithHistory
            ? {
                propertiesWithHistory: {
                  kam_tier: [
                    { value: 'key', timestamp: '2026-10-01T00:00:00Z', sourceType: 'INTEGRATION' },
                    {
                      value: null,
                      timestamp: '2026-01-01T00:00:00Z',
                      sourceType: 'IMPORT',
                      sourceId: null,
                    },
                  ],
                },
              }
            : {}),
        })),
      };
    };
    nock(BASE).post('/crm/v3/objects/companies/batch/read').times(5).reply(200, answer);

    const { client } = makeClient();
    const plain = await client.readCompanies(ids, ['name']);
    expect(sizes).toEqual([100, 50]);
    expect(plain).toHaveLength(150);

    const withHistory = await client.readCompanies(ids, ['name'], ['kam_tier']);
    expect(sizes.slice(2)).toEqual([50, 50, 50]);
    expect(withHistory[0]?.propertiesWithHistory?.kam_tier).toEqual([
      { value: 'key', timestamp: '2026-10-01T00:00:00Z', sourceType: 'INTEGRATION' },
      { value: '', timestamp: '2026-01-01T00:00:00Z', sourceType: 'IMPORT' },
    ]);
  });

  it("reads one company's deals with all their companies (v4, batch read, v4)", async () => {
    nock(BASE)
      .post('/crm/v4/associations/companies/deals/batch/read', { inputs: [{ id: '10' }] })
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '10' }, to: v4To(['1', '2']) }] })
      .post('/crm/v3/objects/deals/batch/read', {
        inputs: [{ id: '1' }, { id: '2' }],
        properties: ['amount'],
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { id: '1', properties: { amount: '10' } },
          { id: '2', properties: { amount: '20' } },
        ],
      })
      .post('/crm/v4/associations/deals/companies/batch/read', {
        inputs: [{ id: '1' }, { id: '2' }],
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { from: { id: '1' }, to: v4To(['10']) },
          {
            from: { id: '2' },
            to: [
              {
                toObjectId: 10,
                associationTypes: [
                  { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
                  { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
                ],
              },
              ...v4To(['11']),
            ],
          },
        ],
      });

    const { client } = makeClient();
    const deals = (await client.readDealsOfCompanies(['10'], ['amount'])).get('10') ?? [];
    expect(deals.map((d) => [d.id, d.properties.amount])).toEqual([
      ['1', '10'],
      ['2', '20'],
    ]);
    expect(
      deals[1]?.associations?.companies?.results.map((a) => 'toObjectId' in a && a.toObjectId),
    ).toEqual(['10', '11']);
  });

  it('answers no deals for a company without any (v4 207 NO_ASSOCIATIONS_FOUND)', async () => {
    const scope = nock(BASE)
      .post('/crm/v4/associations/companies/deals/batch/read')
      .reply(207, {
        status: 'COMPLETE',
        results: [],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: 'No deal is associated with company 10.',
            context: { fromObjectId: ['10'] },
          },
        ],
      });
    const { client } = makeClient();
    expect(await client.readDealsOfCompanies(['10'], ['amount'])).toEqual(new Map([['10', []]]));
    expect(scope.isDone()).toBe(true);
  });
});

describe('readTicketsOfCompanies', () => {
  it("reads each company's tickets (v4, batch read), a ticket of two companies once", async () => {
    nock(BASE)
      .post('/crm/v4/associations/companies/tickets/batch/read', {
        inputs: [{ id: '10' }, { id: '11' }, { id: '12' }],
      })
      .reply(207, {
        status: 'COMPLETE',
        results: [
          { from: { id: '10' }, to: v4To(['70', '71']) },
          { from: { id: '11' }, to: v4To(['71']) },
        ],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: 'No ticket is associated with company 12.',
            context: { fromObjectId: ['12'] },
          },
        ],
      })
      .post('/crm/v3/objects/tickets/batch/read', {
        inputs: [{ id: '70' }, { id: '71' }],
        properties: ['hs_is_closed', 'closed_date'],
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { id: '70', properties: { hs_is_closed: 'false', closed_date: '' } },
          { id: '71', properties: { hs_is_closed: 'true', closed_date: '2026-10-01' } },
        ],
      });
    const { client } = makeClient();
    const tickets = await client.readTicketsOfCompanies(
      ['10', '11', '12'],
      ['hs_is_closed', 'closed_date'],
    );
    expect(
      [...(tickets ?? new Map<string, { id: string }[]>())].map(([company, list]) => [
        company,
        list.map((ticket) => ticket.id),
      ]),
    ).toEqual([
      ['10', ['70', '71']],
      ['11', ['71']],
      ['12', []],
    ]);
  });

  it('answers null when the portal did not grant the optional tickets scope (403)', async () => {
    const scope = nock(BASE).post('/crm/v4/associations/companies/tickets/batch/read').reply(403, {
      status: 'error',
      category: 'MISSING_SCOPES',
      message: "This app hasn't been granted all required scopes to make this call.",
      correlationId: 'c-403',
    });
    const { client } = makeClient();
    expect(await client.readTicketsOfCompanies(['10'], ['hs_is_closed'])).toBeNull();
    expect(scope.isDone()).toBe(true);
  });
});

describe('tickets, their pipelines and calls (kam-model.md §12)', () => {
  const missingScopes = {
    status: 'error',
    category: 'MISSING_SCOPES',
    message: "This app hasn't been granted all required scopes to make this call.",
    correlationId: 'c-403',
  };
  const ticket = (id: string, companyId: string) => ({
    id,
    properties: {
      hs_pipeline: '0',
      hs_pipeline_stage: '4',
      hs_ticket_priority: 'HIGH',
      hs_ticket_category: 'PRODUCT_ISSUE',
      createdate: '2026-10-01T00:00:00.000Z',
    },
    associations: { companies: { results: [{ id: companyId, type: 'ticket_to_company' }] } },
  });

  it('pages through every ticket with its companies and the properties asked for', async () => {
    const properties = 'hs_pipeline,hs_pipeline_stage,hs_ticket_priority,hs_ticket_category';
    const scope = nock(BASE)
      .get('/crm/v3/objects/tickets')
      .query({ limit: '100', properties, associations: 'companies' })
      .reply(200, { results: [ticket('70', '10')], paging: { next: { after: '71' } } })
      .get('/crm/v3/objects/tickets')
      .query({ limit: '100', properties, associations: 'companies', after: '71' })
      .reply(200, { results: [ticket('71', '11')] });
    const { client } = makeClient();
    const pages: string[][] = [];
    const read = await client.forEachTicketPage(properties.split(','), (tickets) => {
      pages.push(tickets.map((one) => `${one.id}:${one.properties.hs_ticket_priority ?? ''}`));
    });
    expect(read).toBe(true);
    expect(pages).toEqual([['70:HIGH'], ['71:HIGH']]);
    expect(scope.isDone()).toBe(true);
  });

  it('reads no ticket, and says so, without the optional tickets scope (403)', async () => {
    nock(BASE).get('/crm/v3/objects/tickets').query(true).reply(403, missingScopes);
    const { client } = makeClient();
    const onPage = vi.fn();
    expect(await client.forEachTicketPage(['hs_pipeline'], onPage)).toBe(false);
    expect(onPage).not.toHaveBeenCalled();
  });

  it('lists the ticket pipelines by id and label, archived ones left out, in one call', async () => {
    nock(BASE)
      .get('/crm/v3/pipelines/tickets')
      .reply(200, {
        results: [
          { id: '0', label: 'Support Pipeline', displayOrder: 0, archived: false, stages: [] },
          { id: '84512331', label: 'Complaints', displayOrder: 1, archived: false, stages: [] },
          { id: '777', label: 'Old', displayOrder: 2, archived: true, stages: [] },
        ],
      });
    const { client, calls } = makeClient();
    expect(await client.readTicketPipelines()).toEqual([
      { id: '0', label: 'Support Pipeline' },
      { id: '84512331', label: 'Complaints' },
    ]);
    expect(calls).toEqual([{ route: 'GET /crm/v3/pipelines/tickets', status: 200 }]);
  });

  it('answers no pipelines (null), not an error, without the tickets scope', async () => {
    nock(BASE).get('/crm/v3/pipelines/tickets').reply(403, missingScopes);
    const { client } = makeClient();
    expect(await client.readTicketPipelines()).toBeNull();
  });

  it("reads each company's calls (v4 following a company's own paging, then batch read)", async () => {
    const scope = nock(BASE)
      .post('/crm/v4/associations/companies/calls/batch/read', {
        inputs: [{ id: '10' }, { id: '11' }],
      })
      .reply(207, {
        status: 'COMPLETE',
        results: [{ from: { id: '10' }, to: v4To(['80']), paging: { next: { after: 'p2' } } }],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: 'No call is associated with company 11.',
            context: { fromObjectId: ['11'] },
          },
        ],
      })
      .post('/crm/v4/associations/companies/calls/batch/read', {
        inputs: [{ id: '10', after: 'p2' }],
      })
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '10' }, to: v4To(['81']) }] })
      .post('/crm/v3/objects/calls/batch/read', {
        inputs: [{ id: '80' }, { id: '81' }],
        properties: ['hs_timestamp', 'hs_call_status'],
      })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          {
            id: '80',
            properties: { hs_timestamp: '2026-11-20T10:00:00Z', hs_call_status: 'COMPLETED' },
          },
          {
            id: '81',
            properties: { hs_timestamp: '2026-11-21T10:00:00Z', hs_call_status: 'NO_ANSWER' },
          },
        ],
      });
    const { client } = makeClient();
    const calls = await client.readCallsOfCompanies(
      ['10', '11'],
      ['hs_timestamp', 'hs_call_status'],
    );
    expect(calls.requests).toBe(3);
    expect(
      [...calls.byCompany].map(([company, list]) => [
        company,
        list.map((call) => call.properties.hs_call_status),
      ]),
    ).toEqual([
      ['10', ['COMPLETED', 'NO_ANSWER']],
      ['11', []],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it('makes one call, not two, when no company has a call', async () => {
    nock(BASE)
      .post('/crm/v4/associations/companies/calls/batch/read')
      .reply(200, { status: 'COMPLETE', results: [] });
    const { client, calls } = makeClient();
    const read = await client.readCallsOfCompanies(['10'], ['hs_call_status']);
    expect([...read.byCompany]).toEqual([['10', []]]);
    expect(read.requests).toBe(1);
    expect(calls).toHaveLength(1);
  });
});

describe('updateCompanies', () => {
  const updates = ['1', '2', '3'].map((id) => ({ id, properties: { kam_tier: 'key' } }));
  const written = (inputs: { id: string }[]) => ({
    status: 'COMPLETE',
    results: inputs.map(({ id }) => ({ id, properties: { kam_tier: 'key' } })),
  });

  it('writes the others when HubSpot refuses one company by name, and reports it', async () => {
    nock(BASE)
      .post('/crm/v3/objects/companies/batch/update', { inputs: updates })
      .reply(400, {
        status: 'error',
        category: 'VALIDATION_ERROR',
        correlationId: 'c-1',
        message: 'Property values were not valid: [...]',
        errors: [
          {
            message: 'platinum was not one of the allowed options',
            code: 'INVALID_OPTION',
            context: { input: ['2'], propertyName: ['kam_tier'] },
          },
        ],
      })
      .post('/crm/v3/objects/companies/batch/update', {
        inputs: [updates[0], updates[2]],
      })
      .reply(200, async (request: Request) => written((await bodyOf(request)).inputs));

    const { client } = makeClient();
    const outcome = await client.updateCompanies(updates);
    expect(outcome).toEqual({
      updated: ['1', '3'],
      failed: [
        { id: '2', code: 'INVALID_OPTION', message: 'platinum was not one of the allowed options' },
      ],
      calls: 2,
    });
  });

  it('halves a refused batch that names no input until the bad company stands alone', async () => {
    nock(BASE)
      .post('/crm/v3/objects/companies/batch/update')
      .times(5)
      .reply(async (request: Request) => {
        const { inputs } = await bodyOf(request);
        return inputs.some((input) => input.id === '3')
          ? [
              400,
              {
                status: 'error',
                category: 'VALIDATION_ERROR',
                message: 'Required property missing',
              },
            ]
          : [200, written(inputs)];
      });

    const { client } = makeClient();
    const outcome = await client.updateCompanies(updates);
    expect(outcome.updated).toEqual(['1', '2']);
    expect(outcome.failed).toEqual([
      {
        id: '3',
        code: 'VALIDATION_ERROR',
        message: 'Required property missing',
      },
    ]);
    // [1,2,3] → [1,2] ✓ + [3] ✗
    expect(outcome.calls).toBe(3);
  });

  it('reports ids HubSpot could not find (207) and writes 100 per call', async () => {
    const many = Array.from({ length: 250 }, (_, index) => ({
      id: String(index + 1),
      properties: { kam_score: '50' },
    }));
    const sizes: number[] = [];
    nock(BASE)
      .post('/crm/v3/objects/companies/batch/update')
      .times(3)
      .reply(async (request: Request) => {
        const { inputs } = await bodyOf(request);
        sizes.push(inputs.length);
        const missing = inputs.filter((input) => input.id === '250');
        return [
          missing.length > 0 ? 207 : 200,
          {
            ...written(inputs.filter((input) => input.id !== '250')),
            ...(missing.length > 0
              ? {
                  numErrors: 1,
                  errors: [
                    {
                      status: 'error',
                      category: 'OBJECT_NOT_FOUND',
                      message: 'Could not update COMPANY 250',
                      context: { ids: ['250'] },
                    },
                  ],
                }
              : {}),
          },
        ];
      });
    const { client } = makeClient();
    const outcome = await client.updateCompanies(many);
    expect(sizes).toEqual([100, 100, 50]);
    expect(outcome.updated).toHaveLength(249);
    expect(outcome.failed).toEqual([
      { id: '250', code: 'OBJECT_NOT_FOUND', message: 'Could not update COMPANY 250' },
    ]);
    expect(outcome.calls).toBe(3);
  });
});

/** The app's properties as HubSpot would answer them after creating them. */
function asHubSpotHolds(definitions = KAM_PROPERTIES) {
  return definitions.map((definition) => ({
    ...definition,
    options: definition.options.map((option) => ({ ...option, hidden: false })),
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: false,
    formField: true,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    archived: false,
  }));
}

describe('readProductLineLabels', () => {
  const stage = (id: string, label: string, displayOrder: number) => ({
    id,
    label,
    displayOrder,
    metadata: { isClosed: 'false', probability: '0.2' },
    archived: false,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2020-01-01T00:00:00Z',
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  });

  it("names each pipeline by its label when the product line is the deal's pipeline", async () => {
    const scope = nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(200, {
        results: [
          {
            id: 'default',
            label: 'Sales Pipeline',
            displayOrder: 0,
            archived: false,
            createdAt: '2020-01-01T00:00:00Z',
            updatedAt: '2020-01-01T00:00:00Z',
            stages: [stage('appointmentscheduled', 'Appointment Scheduled', 0)],
          },
          {
            id: '81723',
            label: 'Renewals',
            displayOrder: 1,
            archived: false,
            createdAt: '2024-03-01T00:00:00Z',
            updatedAt: '2024-03-01T00:00:00Z',
            stages: [stage('81724', 'Renewal due', 0)],
          },
        ],
      });
    const { client, calls } = makeClient();
    expect(await client.readProductLineLabels('pipeline')).toEqual({
      default: 'Sales Pipeline',
      '81723': 'Renewals',
    });
    expect(scope.isDone()).toBe(true);
    expect(calls).toEqual([{ route: 'GET /crm/v3/pipelines/deals', status: 200 }]);
  });

  it("names each value by its option's label when the product line is another deal property", async () => {
    const scope = nock(BASE)
      .get('/crm/v3/properties/deals/product_family')
      .reply(200, {
        name: 'product_family',
        label: 'Product family',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'dealinformation',
        options: [
          { value: 'hw', label: 'Hardware', displayOrder: 0, hidden: false },
          { value: 'svc', label: 'Field services', displayOrder: 1, hidden: true },
        ],
      });
    const { client } = makeClient();
    expect(await client.readProductLineLabels('product_family')).toEqual({
      hw: 'Hardware',
      svc: 'Field services',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('answers no labels for a property without options (free text holds its own names)', async () => {
    nock(BASE).get('/crm/v3/properties/deals/line_name').reply(200, {
      name: 'line_name',
      label: 'Line',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
      options: [],
    });
    nock(BASE).get('/crm/v3/properties/deals/line_code').reply(200, {
      name: 'line_code',
      label: 'Line code',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
    });
    const { client } = makeClient();
    expect(await client.readProductLineLabels('line_name')).toEqual({});
    expect(await client.readProductLineLabels('line_code')).toEqual({});
  });

  it.each([
    ['pipeline', '/crm/v3/pipelines/deals', 403, 'MISSING_SCOPES'],
    ['product_family', '/crm/v3/properties/deals/product_family', 404, 'OBJECT_NOT_FOUND'],
    ['product_family', '/crm/v3/properties/deals/product_family', 403, 'MISSING_SCOPES'],
  ])(
    'answers no labels, not an error, when %s is refused (%s %i)',
    async (property, path, status, category) => {
      const scope = nock(BASE)
        .get(path)
        .reply(status, { status: 'error', category, message: 'refused', correlationId: 'c-1' });
      const { client, sleeps } = makeClient();
      expect(await client.readProductLineLabels(property)).toEqual({});
      expect(scope.isDone()).toBe(true);
      expect(sleeps).toEqual([]);
    },
  );

  it('surfaces other errors and answers that are not HubSpot-shaped', async () => {
    nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(400, { status: 'error', category: 'VALIDATION_ERROR', message: 'bad object type' });
    nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(200, { results: [{ id: 'default' }] });
    const { client } = makeClient();
    await expect(client.readProductLineLabels('pipeline')).rejects.toThrow(HubSpotApiError);
    await expect(client.readProductLineLabels('pipeline')).rejects.toThrow(/label/);
  });
});

describe('ensureKamProperties', () => {
  const builtIn = {
    name: 'name',
    label: 'Name',
    type: 'string',
    fieldType: 'text',
    groupName: 'companyinformation',
  };

  it('first run creates the group and every property', async () => {
    let createdInputs: { name: string; options: { value: string }[] }[] = [];
    nock(BASE)
      .get('/crm/v3/properties/companies/groups')
      .reply(200, { results: [{ name: 'companyinformation', label: 'Company information' }] })
      .post('/crm/v3/properties/companies/groups', KAM_PROPERTY_GROUP)
      .reply(201, { ...KAM_PROPERTY_GROUP, displayOrder: -1, archived: false })
      .get('/crm/v3/properties/companies')
      .reply(200, { results: [builtIn] })
      .post('/crm/v3/properties/companies/batch/create')
      .reply(201, async (request: Request) => {
        createdInputs = ((await request.json()) as { inputs: typeof createdInputs }).inputs;
        return { status: 'COMPLETE', results: asHubSpotHolds() };
      });

    const { client } = makeClient();
    const outcome = await client.ensureKamProperties();
    expect(outcome.groupCreated).toBe(true);
    expect(outcome.created).toEqual(KAM_PROPERTIES.map((definition) => definition.name));
    expect(outcome.updated).toEqual([]);
    const tier = createdInputs.find((input) => input.name === 'kam_tier');
    expect(tier).toMatchObject({
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'key_account_management',
    });
    expect(tier?.options.map((option) => option.value)).toEqual([
      'strategic',
      'key',
      'standard',
      'transactional',
      'unrated',
    ]);
  });

  it('second run makes no change (only the two reads)', async () => {
    const scope = nock(BASE)
      .get('/crm/v3/properties/companies/groups')
      .reply(200, { results: [{ ...KAM_PROPERTY_GROUP, displayOrder: -1, archived: false }] })
      .get('/crm/v3/properties/companies')
      .reply(200, { results: [builtIn, ...asHubSpotHolds()] });

    const { client, calls } = makeClient();
    const outcome = await client.ensureKamProperties();
    expect(scope.isDone()).toBe(true);
    expect(calls.map((call) => call.route)).toEqual([
      'GET /crm/v3/properties/companies/groups',
      'GET /crm/v3/properties/companies',
    ]);
    expect(outcome).toEqual({
      groupCreated: false,
      created: [],
      updated: [],
      unchanged: KAM_PROPERTIES.map((definition) => definition.name),
    });
  });

  it('patches a property whose option list changed, in place', async () => {
    const held = asHubSpotHolds().map((definition) =>
      definition.name === 'kam_segment'
        ? { ...definition, options: definition.options.filter((o) => o.value !== 'low_value') }
        : definition,
    );
    let patched: unknown;
    nock(BASE)
      .get('/crm/v3/properties/companies/groups')
      .reply(200, { results: [KAM_PROPERTY_GROUP] })
      .get('/crm/v3/properties/companies')
      .reply(200, { results: held })
      .patch('/crm/v3/properties/companies/kam_segment')
      .reply(200, async (request: Request) => {
        patched = await request.json();
        return patched as nock.Body;
      });

    const { client } = makeClient();
    const outcome = await client.ensureKamProperties();
    expect(outcome.updated).toEqual(['kam_segment']);
    expect(patched).toEqual({
      options: [
        { value: 'core', label: 'Core', displayOrder: 0 },
        { value: 'at_risk', label: 'At risk', displayOrder: 1 },
        { value: 'rising_star', label: 'Rising star', displayOrder: 2 },
        { value: 'low_value', label: 'Low value', displayOrder: 3 },
      ],
    });
  });
});

describe('tasks', () => {
  it('creates a task due on the date, owned, associated with the company (type 192)', async () => {
    let sent: unknown;
    nock(BASE)
      .post('/crm/v3/objects/tasks')
      .reply(201, async (request: Request) => {
        sent = await request.json();
        return {
          id: '77',
          properties: {
            hs_task_subject: 'Plan QBR',
            hs_task_status: 'NOT_STARTED',
            hs_timestamp: '2026-12-01T00:00:00Z',
            hubspot_owner_id: '501',
          },
        };
      });
    const { client } = makeClient();
    const task = await client.createTask({
      companyId: '10',
      subject: 'Plan QBR',
      body: 'Strategic account without a plan',
      dueDate: '2026-12-01',
      priority: 'HIGH',
      ownerId: '501',
    });
    expect(sent).toEqual({
      properties: {
        hs_timestamp: '2026-12-01T00:00:00.000Z',
        hs_task_subject: 'Plan QBR',
        hs_task_body: 'Strategic account without a plan',
        hs_task_priority: 'HIGH',
        hs_task_status: 'NOT_STARTED',
        hubspot_owner_id: '501',
      },
      associations: [
        {
          to: { id: '10' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }],
        },
      ],
    });
    expect(task).toEqual({
      id: '77',
      subject: 'Plan QBR',
      status: 'NOT_STARTED',
      dueDate: '2026-12-01',
      ownerId: '501',
    });
  });

  it('does not retry a create after a 5xx (it may have been written)', async () => {
    const scope = nock(BASE).post('/crm/v3/objects/tasks').reply(502, { message: 'Bad gateway' });
    const { client } = makeClient();
    await expect(
      client.createTask({
        companyId: '10',
        subject: 's',
        body: 'b',
        dueDate: '2026-12-01',
        priority: 'LOW',
        ownerId: null,
      }),
    ).rejects.toMatchObject({ status: 502 });
    expect(scope.isDone()).toBe(true);
  });

  it('reads tasks by id, missing ones left out', async () => {
    nock(BASE)
      .post('/crm/v3/objects/tasks/batch/read', {
        inputs: [{ id: '77' }, { id: '78' }],
        properties: ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'],
      })
      .reply(207, {
        status: 'COMPLETE',
        results: [
          {
            id: '77',
            properties: {
              hs_task_subject: 'Plan QBR',
              hs_task_status: 'COMPLETED',
              hs_timestamp: '1796083200000',
              hubspot_owner_id: '',
            },
          },
        ],
        errors: [{ category: 'OBJECT_NOT_FOUND', message: 'missing', context: { ids: ['78'] } }],
      });
    const { client } = makeClient();
    expect(await client.readTasks(['77', '78'])).toEqual([
      { id: '77', subject: 'Plan QBR', status: 'COMPLETED', dueDate: '2026-12-01', ownerId: null },
    ]);
  });
});

describe('rate limits, retries and authentication', () => {
  const page = { results: [{ id: '10', properties: { name: 'Acme' } }] };
  const rateLimitBody = {
    status: 'error',
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: 'c-429',
    policyName: 'TEN_SECONDLY_ROLLING',
  };
  const readOnce = async (client: ReturnType<typeof makeClient>['client']) =>
    client.forEachCompanyPage(['name'], () => undefined);

  it('honours a 429: pauses the portal for the interval HubSpot names, retries, counts it', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(429, rateLimitBody, {
        'X-HubSpot-RateLimit-Max': '110',
        'X-HubSpot-RateLimit-Remaining': '0',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      })
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, page);

    const { client, record, calls, sleeps } = makeClient();
    await readOnce(client);
    expect(record.pauses).toEqual([10_000]);
    expect(sleeps).toEqual([]);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(record.acquired).toBe(2);
    expect(record.completed).toBe(2);
    expect(client.stats()).toMatchObject({ calls: 2, rateLimited: 1 });
  });

  it.each([
    [{ 'Retry-After': '2' }, rateLimitBody, 2_000],
    [{}, { ...rateLimitBody, policyName: 'SECONDLY' }, 1_000],
    [{}, rateLimitBody, 10_000],
  ])('pauses per Retry-After / policy (%j) for the right time', async (headers, body, expected) => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(429, body, headers)
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, page);
    const { client, record } = makeClient();
    await readOnce(client);
    expect(record.pauses).toEqual([expected]);
  });

  it('gives up after too many 429s in a row', async () => {
    nock(BASE).get('/crm/v3/objects/companies').query(true).times(3).reply(429, rateLimitBody);
    const { client } = makeClient({ retry: { max429s: 2 } });
    await expect(readOnce(client)).rejects.toMatchObject({ status: 429, category: 'RATE_LIMIT' });
  });

  it('retries 5xx with growing, jittered back-off, then succeeds', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(503, { message: 'unavailable' })
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(502, 'Bad gateway')
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, page);
    const { client, sleeps } = makeClient({ retry: { baseDelayMs: 100 } });
    await readOnce(client);
    // random 0.5: 3/4 of 100·2^n.
    expect(sleeps).toEqual([75, 150]);
    expect(client.stats()).toMatchObject({ calls: 3, retried: 2, rateLimited: 0 });
  });

  it('stops after the bounded number of attempts and surfaces the 5xx', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .times(3)
      .reply(500, { message: 'boom', correlationId: 'c-5' });
    const { client } = makeClient({ retry: { maxAttempts: 3 } });
    const error: unknown = await readOnce(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 500, correlationId: 'c-5' });
  });

  it('retries a reset connection and a timeout', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get('/crm/v3/objects/companies')
      .query(true)
      .delay(300)
      .reply(200, page)
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, page);
    const { client, calls } = makeClient({ retry: { timeoutMs: 100 } });
    await readOnce(client);
    expect(calls.map((call) => call.status)).toEqual([0, 0, 200]);
  });

  it('asks for a fresh token once after a 401 and retries with it', async () => {
    nock(BASE, { reqheaders: { authorization: 'Bearer token-1' } })
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(401, { status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'expired' });
    nock(BASE, { reqheaders: { authorization: 'Bearer token-2' } })
      .get('/crm/v3/objects/companies')
      .query(true)
      .reply(200, page);
    const onAuthFailure = vi.fn(() => Promise.resolve('token-2'));
    const { client } = makeClient({ onAuthFailure });
    await readOnce(client);
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('fails after the fresh token is refused too, without asking again', async () => {
    nock(BASE)
      .get('/crm/v3/objects/companies')
      .query(true)
      .times(2)
      .reply(401, { status: 'error', category: 'INVALID_AUTHENTICATION', message: 'no' });
    const onAuthFailure = vi.fn(() => Promise.resolve('token-2'));
    const { client } = makeClient({ onAuthFailure });
    await expect(readOnce(client)).rejects.toMatchObject({
      status: 401,
      category: 'INVALID_AUTHENTICATION',
    });
    expect(onAuthFailure).toHaveBeenCalledTimes(1);
  });

  it('throws other 4xx as HubSpotApiError at once, without the token in the message', async () => {
    nock(BASE).get('/crm/v3/objects/companies').query(true).reply(403, {
      status: 'error',
      category: 'MISSING_SCOPES',
      correlationId: 'c-403',
      message: 'This app hasn\u0027t been granted all required scopes',
    });
    const { client, calls } = makeClient();
    const error: unknown = await readOnce(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({
      status: 403,
      category: 'MISSING_SCOPES',
      correlationId: 'c-403',
    });
    expect(String(error)).not.toContain('token-1');
    expect(calls).toHaveLength(1);
  });
});

describe('contacts, meetings and owners (kam-model.md §9, §10)', () => {
  const contact = (id: string, companyId: string, paging?: unknown) => ({
    id,
    properties: { hs_buying_role: 'CHAMPION', jobtitle: 'CFO' },
    associations: {
      companies: {
        results: [{ id: companyId, type: 'contact_to_company' }],
        ...(paging === undefined ? {} : { paging }),
      },
    },
  });
  const meeting = (id: string) => ({
    id,
    properties: {
      hs_meeting_start_time: '2026-06-01T10:00:00.000Z',
      hs_meeting_outcome: 'COMPLETED',
    },
  });

  it('pages through contacts with their companies, completing cut-off associations from v4', async () => {
    const properties = 'hs_buying_role,jobtitle';
    const scope = nock(BASE)
      .get('/crm/v3/objects/contacts')
      .query({ limit: '100', properties, associations: 'companies' })
      .reply(200, {
        results: [contact('60', '10'), contact('61', '11', { next: { after: 'x' } })],
        paging: { next: { after: '62' } },
      })
      .post('/crm/v4/associations/contacts/companies/batch/read', { inputs: [{ id: '61' }] })
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '61' }, to: v4To(['11', '12']) }] })
      .get('/crm/v3/objects/contacts')
      .query({ limit: '100', properties, associations: 'companies', after: '62' })
      .reply(200, { results: [contact('62', '12')] });
    const { client } = makeClient();
    const pages: string[][] = [];
    await client.forEachContactPage(properties.split(','), (contacts) => {
      pages.push(
        contacts.map(
          (one) =>
            `${one.id}>${(one.associations?.companies?.results ?? [])
              .map((link) => ('id' in link ? link.id : link.toObjectId))
              .join('+')}`,
        ),
      );
    });
    expect(pages).toEqual([['60>10', '61>11+12'], ['62>12']]);
    expect(scope.isDone()).toBe(true);
  });

  it('searches the meetings since a date, 200 a page, goes on past 10,000 from the last id, and reads their companies once per 1,000', async () => {
    const bodies: unknown[] = [];
    const scope = nock(BASE)
      .post('/crm/v3/objects/meetings/search', (body: unknown) => {
        bodies.push(body);
        return true;
      })
      .reply(200, {
        total: 5,
        results: [meeting('71'), meeting('72')],
        paging: { next: { after: '9800' } },
      })
      .post('/crm/v3/objects/meetings/search', (body: unknown) => {
        bodies.push(body);
        return true;
      })
      // The 10,000th result: HubSpot offers no next page past it.
      .reply(200, { total: 5, results: [meeting('73'), meeting('74')] })
      .post('/crm/v3/objects/meetings/search', (body: unknown) => {
        bodies.push(body);
        return true;
      })
      .reply(200, { total: 1, results: [meeting('75')] })
      .post('/crm/v4/associations/meetings/companies/batch/read', {
        inputs: ['71', '72', '73', '74', '75'].map((id) => ({ id })),
      })
      .reply(207, {
        status: 'COMPLETE',
        results: [
          { from: { id: '71' }, to: v4To(['10']) },
          { from: { id: '75' }, to: v4To(['11']) },
        ],
      });
    const { client, record } = makeClient();
    const since = Date.parse('2025-10-01T00:00:00Z');
    const seen: string[] = [];
    await client.forEachMeetingPage(['hs_meeting_outcome'], since, (meetings) => {
      for (const one of meetings)
        seen.push(`${one.id}>${one.associations?.companies?.results.length ?? 0}`);
    });
    expect(seen).toEqual(['71>1', '72>0', '73>0', '74>0', '75>1']);
    expect(scope.isDone()).toBe(true);
    const filters = (body: unknown) =>
      (body as { filterGroups: { filters: unknown[] }[] }).filterGroups[0]?.filters;
    expect(filters(bodies[0])).toEqual([
      { propertyName: 'hs_meeting_start_time', operator: 'GTE', value: String(since) },
    ]);
    expect(bodies[0]).toMatchObject({
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 200,
      properties: ['hs_meeting_outcome'],
    });
    expect(bodies[1]).toMatchObject({ after: '9800' });
    // A new query from the last id read, not an `after` past 10,000.
    expect(filters(bodies[2])).toContainEqual({
      propertyName: 'hs_object_id',
      operator: 'GT',
      value: '74',
    });
    expect(bodies[2]).not.toHaveProperty('after');
    // Each search also takes a slot of the 10-second limit, which counts it too.
    expect(record.buckets).toEqual([
      ...['search', 'default', 'search', 'default', 'search', 'default'],
      'default',
    ]);
    expect(record.completed).toBe(7);
  });

  it("reads each company's meetings and leaves out those before the window", async () => {
    nock(BASE)
      .post('/crm/v4/associations/companies/meetings/batch/read')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '10' }, to: v4To(['71', '72']) }] })
      .post('/crm/v3/objects/meetings/batch/read')
      .reply(200, {
        status: 'COMPLETE',
        results: [
          meeting('71'),
          { id: '72', properties: { hs_meeting_start_time: '2024-01-01T10:00:00.000Z' } },
        ],
      });
    const { client } = makeClient();
    const byCompany = await client.readMeetingsOfCompanies(
      ['10'],
      ['hs_meeting_outcome'],
      Date.parse('2025-10-01T00:00:00Z'),
    );
    expect(byCompany.get('10')?.map((one) => one.id)).toEqual(['71']);
  });

  it('lists the active owners page by page, and answers null without the owners scope', async () => {
    nock(BASE)
      .get('/crm/v3/owners')
      .query({ limit: '500' })
      .reply(200, {
        results: [{ id: '1', firstName: 'Ann', lastName: 'Lee', email: 'ann@x.com', userId: 5 }],
        paging: { next: { after: '1' } },
      })
      .get('/crm/v3/owners')
      .query({ limit: '500', after: '1' })
      .reply(200, {
        results: [{ id: '2', firstName: 'Old', lastName: 'Rep', email: null, archived: true }],
      });
    const { client } = makeClient();
    expect((await client.readOwners())?.map((owner) => owner.id)).toEqual(['1']);

    nock(BASE).get('/crm/v3/owners').query(true).reply(403, {
      status: 'error',
      category: 'MISSING_SCOPES',
      message: 'no',
      correlationId: 'c',
    });
    expect(await makeClient().client.readOwners()).toBeNull();
  });
});

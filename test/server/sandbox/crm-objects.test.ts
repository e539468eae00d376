import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmObjectSchema, linkedCompanies } from '../../../src/hubspot-objects.ts';
import {
  batchResponseSchema,
  collectionResponseSchema,
  errorBodySchema,
  searchResponseSchema,
  simplePublicObjectSchema,
  v4BatchResultSchema,
} from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});

afterAll(async () => {
  await t.close();
});

interface ApiError {
  readonly code: number;
  readonly body: unknown;
}

function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && 'code' in error && 'body' in error;
}

async function sdkError(call: () => Promise<unknown>): Promise<ApiError> {
  try {
    await call();
  } catch (error) {
    if (isApiError(error)) return error;
    throw error;
  }
  throw new Error('expected the SDK call to fail');
}

describe('CRM objects through HubSpot SDK', () => {
  it('pages through every deal with its companies inline, as the full recompute does', async () => {
    const deals = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await t.client.crm.deals.basicApi.getPage(
        100,
        after,
        ['amount', 'dealstage'],
        undefined,
        ['companies'],
      );
      deals.push(...page.results);
      after = page.paging?.next?.after;
      pages += 1;
    } while (after !== undefined);
    expect(deals).toHaveLength(250);
    expect(pages).toBe(3);
    expect(new Set(deals.map((deal) => deal.id)).size).toBe(250);
    const withPrimary = deals.find((deal) =>
      deal.associations?.companies?.results.some((result) => result.type === 'deal_to_company'),
    );
    // The primary company is listed twice: labelled and unlabelled.
    const results = withPrimary?.associations?.companies?.results ?? [];
    const primaryId = results.find((result) => result.type === 'deal_to_company')?.id;
    expect(
      results
        .filter((result) => result.id === primaryId)
        .map((result) => result.type)
        .sort(),
    ).toEqual(['deal_to_company', 'deal_to_company_unlabeled']);
    expect(linkedCompanies(results)).toContainEqual({ companyId: primaryId, primary: true });
  });

  it('answers the list in HubSpot shape: requested properties plus the defaults, a next link', async () => {
    const raw = await t.call(
      '/crm/v3/objects/deals?limit=3&properties=amount,nonexistent&associations=companies',
    );
    expect(raw.status).toBe(200);
    const page = collectionResponseSchema.parse(raw.body);
    expect(page.results).toHaveLength(3);
    const [first] = page.results;
    expect(Object.keys(first?.properties ?? {}).sort()).toEqual([
      'amount',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
    ]);
    expect(page.paging?.next?.link).toContain('after=');
    // The shared model's schema reads the sandbox's objects as HubSpot's.
    expect(() => crmObjectSchema.parse(first)).not.toThrow();
    const defaults = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/companies?limit=1')).body,
    );
    expect(Object.keys(defaults.results[0]?.properties ?? {}).sort()).toEqual([
      'createdate',
      'domain',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
  });

  it('caps list pages at 100 records', async () => {
    const page = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/deals?limit=500')).body,
    );
    expect(page.results).toHaveLength(100);
  });

  it('reads one record with property history and associations', async () => {
    const deal = await t.client.crm.deals.basicApi.getById(
      '5000000',
      ['amount'],
      ['dealstage'],
      ['companies'],
    );
    expect(deal.id).toBe('5000000');
    expect(deal.createdAt).toBeInstanceOf(Date);
    expect(deal.propertiesWithHistory?.dealstage?.[0]?.sourceType).toBe('IMPORT');
    const raw = await t.call('/crm/v3/objects/deals/5000000?propertiesWithHistory=dealstage');
    simplePublicObjectSchema.parse(raw.body);
    const missing = await t.call('/crm/v3/objects/deals/123');
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(missing.body).category).toBe('OBJECT_NOT_FOUND');
  });

  it('batch-reads up to 100 records without associations and reports missing ids with a 207', async () => {
    const read = await t.client.crm.companies.batchApi.read({
      inputs: [{ id: '1000' }, { id: '1001' }],
      properties: ['name', 'annualrevenue'],
      propertiesWithHistory: [],
    });
    expect(read.results.map((company) => company.id).sort()).toEqual(['1000', '1001']);
    const raw = await t.call('/crm/v3/objects/companies/batch/read', {
      method: 'POST',
      body: {
        inputs: [{ id: '1000' }, { id: '999999' }],
        properties: ['name'],
        propertiesWithHistory: [],
      },
    });
    expect(raw.status).toBe(207);
    const body = batchResponseSchema(simplePublicObjectSchema).parse(raw.body);
    expect(body.results[0]?.associations).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { ids: ['999999'] },
    });
    const tooMany = await t.call('/crm/v3/objects/companies/batch/read', {
      method: 'POST',
      body: {
        inputs: Array.from({ length: 101 }, (_, index) => ({ id: String(1000 + index) })),
        properties: [],
      },
    });
    expect(tooMany.status).toBe(400);
    expect(errorBodySchema.parse(tooMany.body).category).toBe('VALIDATION_ERROR');
  });

  it('batch-updates companies and records the write in the property history', async () => {
    const updated = await t.client.crm.companies.batchApi.update({
      inputs: [
        { id: '1002', properties: { annualrevenue: '123456' } },
        { id: '1003', properties: { annualrevenue: '654321' } },
      ],
    });
    expect(updated.results.map((company) => company.properties.annualrevenue).sort()).toEqual([
      '123456',
      '654321',
    ]);
    const company = await t.client.crm.companies.basicApi.getById(
      '1002',
      ['annualrevenue'],
      ['annualrevenue'],
    );
    expect(company.properties.annualrevenue).toBe('123456');
    const [latest] = company.propertiesWithHistory?.annualrevenue ?? [];
    expect(latest).toMatchObject({
      value: '123456',
      sourceType: 'INTEGRATION',
      sourceId: 'private-app',
    });
  });

  it('creates a task associated with a company (HUBSPOT_DEFINED 192), visible from both sides in v4', async () => {
    const task = await t.client.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: '2026-11-15T09:00:00.000Z',
        hs_task_subject: 'Plan the QBR',
        hs_task_priority: 'HIGH',
        hs_task_status: 'NOT_STARTED',
      },
      associations: [
        {
          to: { id: '1000' },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 192,
            },
          ],
        },
      ],
    });
    expect(task.properties.hs_task_subject).toBe('Plan the QBR');
    const fromTask = await t.client.crm.associations.v4.batchApi.getPage('tasks', 'companies', {
      inputs: [{ id: task.id }],
    });
    expect(fromTask.results[0]?.to[0]?.associationTypes).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 192, label: null },
    ]);
    const raw = await t.call('/crm/v4/associations/companies/tasks/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: '1000' }] },
    });
    const body = batchResponseSchema(v4BatchResultSchema).parse(raw.body);
    expect(body.results[0]?.to).toContainEqual({
      toObjectId: Number(task.id),
      associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 191, label: null }],
    });
    const missingDue = await t.call('/crm/v3/objects/tasks', {
      method: 'POST',
      body: { properties: { hs_task_subject: 'no due date' } },
    });
    expect(missingDue.status).toBe(400);
  });

  it('reads deal→company associations in v4 with the primary type 5 and the unlabelled 341', async () => {
    const deals = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/deals?limit=100&associations=companies')).body,
    ).results;
    const ids = deals.map((deal) => deal.id);
    const page = await t.client.crm.associations.v4.batchApi.getPage('deals', 'companies', {
      inputs: ids.map((id) => ({ id })),
    });
    const allTypes = page.results.flatMap((result) =>
      result.to.flatMap((to) => to.associationTypes),
    );
    expect(allTypes).toContainEqual({ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' });
    expect(allTypes).toContainEqual({ category: 'HUBSPOT_DEFINED', typeId: 341, label: null });
    const withoutCompany = await t.client.crm.deals.basicApi.create({
      properties: { dealname: 'No company yet', dealstage: 'appointmentscheduled' },
      associations: [],
    });
    const raw = await t.call('/crm/v4/associations/deals/companies/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: withoutCompany.id }, { id: ids[0] }] },
    });
    expect(raw.status).toBe(207);
    const body = batchResponseSchema(v4BatchResultSchema).parse(raw.body);
    expect(body.errors?.[0]).toMatchObject({
      subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
      context: { fromObjectId: [withoutCompany.id] },
    });
  });

  it('searches with documented operators, sorts and pages, and caps at 10,000 results', async () => {
    const found = await t.client.crm.deals.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'dealstage', operator: FilterOperatorEnum.In, values: ['closedwon'] },
            { propertyName: 'amount', operator: FilterOperatorEnum.Gte, value: '1000' },
          ],
        },
      ],
      sorts: ['-amount'],
      properties: ['amount', 'dealstage'],
      limit: 5,
      after: '0',
    });
    expect(found.total).toBeGreaterThan(5);
    const amounts = found.results.map((deal) => Number(deal.properties.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(found.results.every((deal) => deal.properties.dealstage === 'closedwon')).toBe(true);
    expect(found.paging?.next?.after).toBe('5');

    const byCompany = await t.call('/crm/v3/objects/deals/search', {
      method: 'POST',
      body: {
        filterGroups: [
          { filters: [{ propertyName: 'associations.company', operator: 'EQ', value: '1000' }] },
        ],
        limit: 200,
      },
    });
    const page = searchResponseSchema.parse(byCompany.body);
    expect(page.total).toBeGreaterThan(0);

    const tooLarge = await t.call('/crm/v3/objects/deals/search', {
      method: 'POST',
      body: { limit: 201 },
    });
    expect(tooLarge.status).toBe(400);
    const beyondCap = await t.call('/crm/v3/objects/deals/search', {
      method: 'POST',
      body: { after: '10000' },
    });
    expect(errorBodySchema.parse(beyondCap.body).category).toBe('VALIDATION_ERROR');
  });

  it('archives a deal: gone from reads, listed with archived=true', async () => {
    await t.client.crm.deals.basicApi.archive('5000001');
    expect((await t.call('/crm/v3/objects/deals/5000001')).status).toBe(404);
    const archived = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/deals?archived=true')).body,
    );
    expect(archived.results.map((deal) => deal.id)).toContain('5000001');
    expect(archived.results[0]?.archivedAt).toBeDefined();
  });

  it('rejects unknown object types and serves tickets read-only', async () => {
    const unknown = await t.call('/crm/v3/objects/widgets');
    expect(errorBodySchema.parse(unknown.body).message).toBe(
      'Unable to infer object type from: widgets',
    );
    const tickets = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/tickets?limit=2')).body,
    );
    expect(tickets.results).toHaveLength(2);
    const write = await t.call('/crm/v3/objects/tickets', {
      method: 'POST',
      body: { properties: { subject: 'x' } },
    });
    expect(write.status).toBe(405);
  });

  it("lets a user open and close a ticket in HubSpot's UI: closed state and date follow the status", () => {
    const admin = t.sandbox.admin;
    const ticket = admin.createObject(t.portalId, 'tickets', {
      properties: { subject: 'Delivery delayed', hs_pipeline: '0', hs_pipeline_stage: '1' },
    });
    expect(ticket.properties.hs_is_closed).toBe('false');
    expect(ticket.properties.closed_date).toBeUndefined();
    const closed = admin.updateObject(t.portalId, 'tickets', ticket.id, { hs_pipeline_stage: '4' });
    expect(closed.properties.hs_is_closed).toBe('true');
    expect(Number.isNaN(Date.parse(closed.properties.closed_date ?? ''))).toBe(false);
    const reopened = admin.updateObject(t.portalId, 'tickets', ticket.id, {
      hs_pipeline_stage: '3',
    });
    expect(reopened.properties.hs_is_closed).toBe('false');
    expect(reopened.properties.closed_date).toBeUndefined();
    // The calculated flag itself is not a user's to set.
    expect(() =>
      admin.updateObject(t.portalId, 'tickets', ticket.id, { hs_is_closed: 'true' }),
    ).toThrow(/hs_is_closed/);
  });

  it('serves at most 50 records per request when property history is asked for', async () => {
    const page = collectionResponseSchema.parse(
      (await t.call('/crm/v3/objects/deals?limit=100&propertiesWithHistory=amount')).body,
    );
    expect(page.results).toHaveLength(50);
    const raw = await t.call('/crm/v3/objects/deals/batch/read', {
      method: 'POST',
      body: {
        inputs: Array.from({ length: 51 }, (_, index) => ({ id: String(5_000_000 + index) })),
        properties: [],
        propertiesWithHistory: ['amount'],
      },
    });
    expect(raw.status).toBe(400);
    expect(errorBodySchema.parse(raw.body).message).toContain('property histories is 50');
  });

  it('serves the date-versioned 2026-03 paths with the same shapes', async () => {
    const page = collectionResponseSchema.parse(
      (await t.call('/crm/objects/2026-03/deals?limit=2&associations=companies')).body,
    );
    expect(page.paging?.next?.link).toContain('/crm/objects/2026-03/deals?');
    const raw = await t.call('/crm/associations/2026-03/deals/companies/batch/read', {
      method: 'POST',
      body: { inputs: page.results.map((deal) => ({ id: deal.id })) },
    });
    batchResponseSchema(v4BatchResultSchema).parse(raw.body);
    const property = await t.call('/crm/properties/2026-03/deals/amount');
    expect(property.status).toBe(200);
  });

  it('surfaces SDK errors with HubSpot bodies', async () => {
    const error = await sdkError(() => t.client.crm.deals.basicApi.getById('42'));
    expect(error.code).toBe(404);
  });
});

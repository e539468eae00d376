import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAL_STAGES, PIPELINES } from '../../../server/sandbox/deal-pipelines.ts';
import { OBJECT_TYPE_INFO } from '../../../server/sandbox/object-types.ts';
import {
  errorBodySchema,
  pipelineListSchema,
  pipelineSchema,
  propertySchema,
} from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});

afterAll(async () => {
  await t.close();
});

describe('deal pipelines', () => {
  it('lists every pipeline with its label and stages, as the SDK reads them', async () => {
    const { results } = await t.client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(results.map((pipeline) => [pipeline.id, pipeline.label])).toEqual([
      ['default', 'Sales Pipeline'],
      ['services', 'Services'],
      ['subscriptions', 'Subscriptions'],
      ['hardware', 'Hardware'],
    ]);
    const raw = pipelineListSchema.parse((await t.call('/crm/v3/pipelines/deals')).body);
    const [sales] = raw.results;
    expect(sales?.stages.map((stage) => stage.id)).toEqual(DEAL_STAGES.map((stage) => stage.id));
    expect(sales?.stages.find((stage) => stage.id === 'closedwon')?.metadata).toEqual({
      isClosed: 'true',
      probability: '1',
    });
  });

  it('reads one pipeline by id, and answers 404 for one the portal does not have', async () => {
    const hardware = await t.client.crm.pipelines.pipelinesApi.getById('deals', 'hardware');
    expect(hardware.label).toBe('Hardware');
    expect(hardware.displayOrder).toBe(PIPELINES.findIndex((entry) => entry.id === 'hardware'));

    const missing = await t.call('/crm/v3/pipelines/deals/renewals');
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(missing.body)).toMatchObject({
      category: 'OBJECT_NOT_FOUND',
      context: { id: ['renewals'] },
    });
  });

  it('serves the date-versioned 2026-03 path with the same shape', async () => {
    const versioned = await t.call('/crm/pipelines/2026-03/deals/default');
    expect(pipelineSchema.parse(versioned.body).label).toBe('Sales Pipeline');
  });

  it('needs a token with a deals read scope, and counts against the rate limit', async () => {
    const anonymous = await t.call('/crm/v3/pipelines/deals', { token: 'not-a-token' });
    expect(anonymous.status).toBe(401);

    const companiesOnly = t.sandbox.context.oauth.addPrivateToken(t.portalId, [
      'crm.objects.companies.read',
    ]);
    const refused = await t.call('/crm/v3/pipelines/deals', { token: companiesOnly });
    expect(refused.status).toBe(403);
    expect(errorBodySchema.parse(refused.body).errors?.[0]?.context).toEqual({
      requiredGranularScopes: OBJECT_TYPE_INFO.deals.readScopes,
    });

    const remaining = async () =>
      Number(
        (await t.call('/crm/v3/pipelines/deals')).headers.get('x-hubspot-ratelimit-remaining'),
      );
    const first = await remaining();
    expect(await remaining()).toBe(first - 1);
  });
});

describe('closed_lost_reason', () => {
  it('is a HubSpot-defined multi-line text property of deals, readable and writable', async () => {
    const definition = propertySchema.parse(
      (await t.call('/crm/v3/properties/deals/closed_lost_reason')).body,
    );
    expect(definition).toMatchObject({
      type: 'string',
      fieldType: 'textarea',
      groupName: 'dealinformation',
      hubspotDefined: true,
    });
    const [dealId] = t.sandbox.context.portals.get(t.portalId)?.sortedIds('deals') ?? [];
    if (dealId === undefined) throw new Error('no deal seeded');
    const updated = await t.client.crm.deals.basicApi.update(dealId, {
      properties: { closed_lost_reason: 'Went with Globex: cheaper\nNo local support' },
    });
    expect(updated.properties.closed_lost_reason).toBe(
      'Went with Globex: cheaper\nNo local support',
    );
  });
});

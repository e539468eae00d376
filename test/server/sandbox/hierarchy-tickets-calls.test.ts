import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../../../server/sandbox/default-subscriptions.ts';
import { TICKET_PIPELINES } from '../../../server/sandbox/ticket-pipeline.ts';
import {
  pipelineListSchema,
  v4BatchResultSchema,
  webhookEventSchema,
  type WebhookEventBody,
} from './hubspot-schemas.ts';
import { startTestSandbox, TEST_AS_OF, type TestSandbox } from './sandbox-fixture.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

let t: TestSandbox | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await t?.close();
  await receiver?.close();
  t = undefined;
  receiver = undefined;
});

/** A sandbox of 100 companies (four groups and the cycle) with the app's webhooks delivered. */
async function setUp(): Promise<{ t: TestSandbox; receiver: Receiver }> {
  receiver = await startReceiver();
  t = await startTestSandbox(
    { webhooks: { batchWindowMs: 20, retryBaseMs: 20, timeoutMs: 1_000, maxAttempts: 3 } },
    { companies: 100, deals: 500 },
  );
  const app = t.sandbox.admin.registerApp({
    clientSecret: 'webhook-secret',
    targetUrl: receiver.url,
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
  });
  t.sandbox.admin.installApp(app.appId, t.portalId);
  return { t, receiver };
}

function events(from: Receiver): WebhookEventBody[] {
  return from.requests.flatMap((request) =>
    (JSON.parse(request.body) as unknown[]).map((event) => webhookEventSchema.parse(event)),
  );
}

describe('ticket pipelines', () => {
  it('lists the support and complaints pipelines with open and closed stages, as the SDK reads them', async () => {
    const { t } = await setUp();
    const { results } = await t.client.crm.pipelines.pipelinesApi.getAll('tickets');
    expect(results.map((pipeline) => [pipeline.id, pipeline.label])).toEqual([
      ['0', 'Support Pipeline'],
      ['84512331', 'Complaints'],
    ]);
    const raw = pipelineListSchema.parse((await t.call('/crm/v3/pipelines/tickets')).body);
    expect(raw.results[1]?.stages.map((stage) => stage.metadata)).toEqual([
      { ticketState: 'OPEN', isClosed: 'false' },
      { ticketState: 'OPEN', isClosed: 'false' },
      { ticketState: 'CLOSED', isClosed: 'true' },
    ]);
    expect((await t.call('/crm/v3/pipelines/tickets/84512331')).status).toBe(200);
    expect((await t.call('/crm/v3/pipelines/tickets/1')).status).toBe(404);
  });

  it('seeds tickets with a pipeline, a stage of it, a priority, a category, and a close date when closed', async () => {
    const { t } = await setUp();
    const tickets = [...t.sandbox.admin.portal(t.portalId).objects.tickets.values()];
    expect(tickets.length).toBeGreaterThan(0);
    for (const ticket of tickets) {
      const pipeline = TICKET_PIPELINES.find((one) => one.id === ticket.properties.hs_pipeline);
      const stage = pipeline?.stages.find((one) => one.id === ticket.properties.hs_pipeline_stage);
      expect(stage?.isClosed).toBe(ticket.properties.hs_is_closed === 'true');
      expect(['LOW', 'MEDIUM', 'HIGH', 'URGENT']).toContain(ticket.properties.hs_ticket_priority);
      expect(ticket.properties.hs_ticket_category).toBeDefined();
      if (stage?.isClosed === true) {
        const closed = Date.parse(ticket.properties.closed_date ?? '');
        expect(closed).toBeGreaterThanOrEqual(Date.parse(ticket.properties.createdate ?? ''));
        expect(closed).toBeLessThanOrEqual(Date.parse(TEST_AS_OF));
      }
    }
  });
});

describe('the company hierarchy', () => {
  it('seeds groups of 2–20 and one cycle, hs_parent_company_id agreeing with the type-14 association', async () => {
    const { t } = await setUp();
    const portal = t.sandbox.admin.portal(t.portalId);
    const parentOf = new Map<string, string>();
    for (const company of portal.objects.companies.values()) {
      const parent = company.properties.hs_parent_company_id;
      const edges = portal.associations.list('companies', company.id, 'companies');
      const parents = edges.filter((edge) => edge.typeIds.includes(14)).map((edge) => edge.toId);
      expect(parents).toEqual(parent === undefined ? [] : [parent]);
      if (parent !== undefined) parentOf.set(company.id, parent);
    }
    const top = (id: string): string => {
      const seen = new Set<string>();
      let current = id;
      while (parentOf.has(current) && !seen.has(current)) {
        seen.add(current);
        current = parentOf.get(current) ?? current;
      }
      return current;
    };
    const cycles = [...parentOf].filter(([child, parent]) => parentOf.get(parent) === child);
    expect(cycles).toHaveLength(2);
    const sizes = new Map<string, number>();
    for (const id of portal.objects.companies.keys()) {
      if (cycles.some(([child]) => child === id)) continue;
      const root = top(id);
      sizes.set(root, (sizes.get(root) ?? 0) + 1);
    }
    const groups = [...sizes.values()].filter((size) => size > 1);
    expect(groups).toHaveLength(4);
    for (const size of groups) expect(size).toBeGreaterThanOrEqual(2);
    for (const size of groups) expect(size).toBeLessThanOrEqual(20);

    // v4 reads name the hierarchy with HubSpot's ids.
    const [child, parent] = [...parentOf][0] ?? [];
    const read = await t.call('/crm/v4/associations/companies/companies/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: child }] },
    });
    const [result] = (read.body as { results: unknown[] }).results.map((one) =>
      v4BatchResultSchema.parse(one),
    );
    expect(result?.to).toContainEqual({
      toObjectId: Number(parent),
      associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 14, label: null }],
    });
  });

  it('moves a company to a new parent as HubSpot does: one parent, hs_parent_company_id, events on both sides', async () => {
    const { t, receiver } = await setUp();
    const portal = t.sandbox.admin.portal(t.portalId);
    const child = [...portal.objects.companies.values()].find(
      (company) => company.properties.hs_parent_company_id !== undefined,
    );
    const oldParent = child?.properties.hs_parent_company_id;
    const newParent = [...portal.objects.companies.values()].find(
      (company) =>
        company.properties.hs_parent_company_id === undefined &&
        portal.associations.list('companies', company.id, 'companies').length === 0,
    );
    if (child === undefined || oldParent === undefined || newParent === undefined)
      throw new Error('the seeded portal has a child and a standalone company');
    t.sandbox.admin.associate(t.portalId, 'companies', newParent.id, child.id, 13);
    await t.sandbox.webhooksIdle();

    expect(child.properties.hs_parent_company_id).toBe(newParent.id);
    expect(portal.associations.list('companies', child.id, 'companies')).toEqual([
      { toId: newParent.id, typeIds: [14] },
    ]);
    const hierarchy = events(receiver).flatMap((event) =>
      event.subscriptionType === 'object.associationChange' ? [event] : [],
    );
    expect(
      hierarchy.map((event) => [
        event.associationType,
        String(event.fromObjectId),
        String(event.toObjectId),
        event.associationRemoved,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['CHILD_TO_PARENT_COMPANY', child.id, oldParent, true],
        ['PARENT_TO_CHILD_COMPANY', oldParent, child.id, true],
        ['PARENT_TO_CHILD_COMPANY', newParent.id, child.id, false],
        ['CHILD_TO_PARENT_COMPANY', child.id, newParent.id, false],
      ]),
    );
    for (const event of hierarchy) expect(event.fromObjectTypeId).toBe('0-2');
  });
});

describe('calls', () => {
  it('creates, associates and batch-reads a call; logging it moves the company’s last activity, delivered as a change', async () => {
    const { t, receiver } = await setUp();
    const companyId = '1003';
    const loggedAt = '2026-10-31T09:30:00.000Z';
    const created = await t.call('/crm/v3/objects/calls', {
      method: 'POST',
      body: {
        properties: {
          hs_timestamp: loggedAt,
          hs_call_status: 'COMPLETED',
          hs_call_title: 'Follow-up',
        },
        associations: [
          {
            to: { id: companyId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 182 }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const callId = (created.body as { id: string }).id;

    const linked = await t.call('/crm/v4/associations/companies/calls/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: companyId }] },
    });
    const [result] = (linked.body as { results: unknown[] }).results.map((one) =>
      v4BatchResultSchema.parse(one),
    );
    expect(result?.to.map((to) => String(to.toObjectId))).toContain(callId);

    const read = await t.call('/crm/v3/objects/calls/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: callId }], properties: ['hs_timestamp', 'hs_call_status'] },
    });
    expect(
      (read.body as { results: { properties: Record<string, string> }[] }).results[0]?.properties,
    ).toMatchObject({
      hs_timestamp: loggedAt,
      hs_call_status: 'COMPLETED',
    });

    await t.sandbox.webhooksIdle();
    const company = t.sandbox.admin.portal(t.portalId).live('companies', companyId);
    expect(company?.properties.notes_last_updated).toBe(loggedAt);
    expect(
      events(receiver).some(
        (event) =>
          event.subscriptionType === 'object.propertyChange' &&
          event.propertyName === 'notes_last_updated' &&
          String(event.objectId) === companyId,
      ),
    ).toBe(true);
  });

  it('gates calls behind the contacts scopes, as HubSpot gates engagements', async () => {
    const { t } = await setUp();
    const installed = t.sandbox.admin.installApp(
      t.sandbox.admin.registerApp({ clientSecret: 's', targetUrl: 'http://127.0.0.1:9/' }).appId,
      t.portalId,
      ['crm.objects.companies.read'],
    );
    const refused = await t.call('/crm/v3/objects/calls/batch/read', {
      method: 'POST',
      body: { inputs: [{ id: '1' }], properties: ['hs_call_status'] },
      token: installed.access_token,
    });
    expect(refused.status).toBe(403);
  });
});

describe('seeded calls', () => {
  it('follow up some complaints closed in the last 14 days, after their closing, with their company', async () => {
    const { t } = await setUp();
    const portal = t.sandbox.admin.portal(t.portalId);
    const calls = [...portal.objects.calls.values()];
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const [company] = portal.associations.list('calls', call.id, 'companies');
      expect(company?.typeIds).toEqual([182]);
      const closings = portal.associations
        .list('companies', company?.toId ?? '', 'tickets')
        .map((edge) => Date.parse(portal.get('tickets', edge.toId)?.properties.closed_date ?? ''));
      const called = Date.parse(call.properties.hs_timestamp ?? '');
      expect(closings.some((closed) => closed < called)).toBe(true);
      expect(called).toBeLessThan(Date.parse(TEST_AS_OF));
    }
  });
});

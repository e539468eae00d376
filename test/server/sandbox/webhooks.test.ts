import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isSignatureV3Valid } from '../../../server/hubspot/request-signature.ts';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../../../server/sandbox/default-subscriptions.ts';
import type { AppRegistration, RegisteredApp } from '../../../server/sandbox/oauth.ts';
import { webhookEventSchema, type WebhookEventBody } from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';
import { startReceiver, type ReceivedRequest, type Receiver } from './webhook-receiver.ts';

let t: TestSandbox | undefined;
let receiver: Receiver | undefined;

afterEach(async () => {
  await t?.close();
  await receiver?.close();
  t = undefined;
  receiver = undefined;
});

interface Setup {
  readonly t: TestSandbox;
  readonly receiver: Receiver;
  readonly app: RegisteredApp;
}

/** A sandbox with the KAM app installed in its portal and a receiver at the app's targetUrl. */
async function setUp(
  webhooks: { maxAttempts?: number; timeoutMs?: number } = {},
  registration: Partial<AppRegistration> = {},
): Promise<Setup> {
  receiver = await startReceiver();
  t = await startTestSandbox(
    {
      webhooks: {
        batchWindowMs: 20,
        retryBaseMs: 20,
        timeoutMs: 1_000,
        maxAttempts: 10,
        ...webhooks,
      },
    },
    { companies: 20, deals: 200 },
  );
  const app = t.sandbox.admin.registerApp({
    clientSecret: 'webhook-secret',
    targetUrl: receiver.url,
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
    ...registration,
  });
  t.sandbox.admin.installApp(app.appId, t.portalId);
  return { t, receiver, app };
}

function eventsOf(request: ReceivedRequest): WebhookEventBody[] {
  const parsed: unknown = JSON.parse(request.body);
  if (!Array.isArray(parsed)) throw new Error('a delivery is a JSON array');
  return parsed.map((event) => webhookEventSchema.parse(event));
}

function verifies(request: ReceivedRequest, receiverUrl: string, secret: string): boolean {
  return isSignatureV3Valid({
    method: request.method,
    url: `${new URL(receiverUrl).origin}${request.url}`,
    body: request.body,
    timestamp: String(request.headers['x-hubspot-request-timestamp']),
    signature: String(request.headers['x-hubspot-signature-v3']),
    clientSecret: secret,
    now: Date.now(),
  });
}

describe('webhooks', () => {
  it('delivers a user’s deal change as signed v3 propertyChange events', async () => {
    const { t, receiver, app } = await setUp();
    const open = [...t.sandbox.admin.portal(t.portalId).objects.deals.values()].find(
      (deal) => deal.properties.hs_is_closed === 'false',
    );
    if (open === undefined) throw new Error('the seeded portal has open deals');
    t.sandbox.admin.updateObject(t.portalId, 'deals', open.id, {
      amount: '98765',
      dealstage: 'closedwon',
    });
    await t.sandbox.webhooksIdle();
    expect(receiver.requests).toHaveLength(1);
    const [delivery] = receiver.requests;
    if (delivery === undefined) throw new Error('no delivery');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(verifies(delivery, receiver.url, 'webhook-secret')).toBe(true);
    expect(verifies(delivery, receiver.url, 'wrong-secret')).toBe(false);
    const events = eventsOf(delivery);
    const amount = events.find(
      (event) => 'propertyName' in event && event.propertyName === 'amount',
    );
    expect(amount).toMatchObject({
      subscriptionType: 'object.propertyChange',
      portalId: t.portalId,
      appId: app.appId,
      objectId: Number(open.id),
      objectTypeId: '0-3',
      propertyValue: '98765',
      changeSource: 'CRM_UI',
      attemptNumber: 0,
    });
    // HubSpot recalculates the stage-derived properties; those changes are delivered too.
    const names = events.flatMap((event) => ('propertyName' in event ? [event.propertyName] : []));
    expect(names).toEqual(
      expect.arrayContaining(['dealstage', 'hs_is_closed_won', 'amount_in_home_currency']),
    );
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it('delivers API creations with their associations, and deletions', async () => {
    const { t, receiver } = await setUp();
    const created = await t.client.crm.deals.basicApi.create({
      properties: {
        dealname: 'Expansion',
        dealstage: 'qualifiedtobuy',
        pipeline: 'default',
        amount: '5000',
      },
      associations: [
        {
          to: { id: '1001' },
          types: [
            {
              associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
              associationTypeId: 5,
            },
          ],
        },
      ],
    });
    await t.client.crm.deals.basicApi.archive(created.id);
    await t.sandbox.webhooksIdle();
    const events = receiver.requests.flatMap(eventsOf);
    const types = events.map((event) => event.subscriptionType);
    expect(types).toContain('object.creation');
    expect(types).toContain('object.deletion');
    const associations = events.filter(
      (event) => event.subscriptionType === 'object.associationChange',
    );
    expect(associations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          associationType: 'DEAL_TO_COMPANY',
          associationTypeId: 5,
          fromObjectId: Number(created.id),
          toObjectId: 1001,
          associationRemoved: false,
          isPrimaryAssociation: true,
        }),
        expect.objectContaining({ associationTypeId: 341, isPrimaryAssociation: false }),
      ]),
    );
    // Changes the app makes itself are delivered too, marked with its source.
    expect(events.every((event) => event.changeSource === 'INTEGRATION')).toBe(true);
  });

  it('delivers changes of the app-owned company inputs only', async () => {
    const { t, receiver } = await setUp();
    await t.client.crm.properties.coreApi.create('companies', {
      name: 'kam_tier_override',
      label: 'Tier override',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'companyinformation',
    });
    t.sandbox.admin.updateObject(t.portalId, 'companies', '1003', {
      kam_tier_override: 'key',
      name: 'Renamed',
    });
    await t.sandbox.webhooksIdle();
    const events = receiver.requests.flatMap(eventsOf);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      objectTypeId: '0-2',
      propertyName: 'kam_tier_override',
      propertyValue: 'key',
    });
  });

  it('sends at most 100 events per request', async () => {
    const { t, receiver } = await setUp(
      {},
      {
        subscriptions: [
          {
            subscriptionType: 'object.propertyChange',
            objectType: 'deal',
            propertyName: 'dealname',
          },
        ],
      },
    );
    const ids = [...t.sandbox.admin.portal(t.portalId).objects.deals.keys()].slice(0, 150);
    for (let start = 0; start < ids.length; start += 100) {
      await t.client.crm.deals.batchApi.update({
        inputs: ids
          .slice(start, start + 100)
          .map((id) => ({ id, properties: { dealname: `Deal ${id}` } })),
      });
    }
    await t.sandbox.webhooksIdle();
    const sizes = receiver.requests.map((request) => eventsOf(request).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(150);
    expect(sizes).toContain(100);
  });

  it('retries a failed delivery with back-off, counting attemptNumber up, until it succeeds', async () => {
    const { t, receiver } = await setUp();
    receiver.respondWith(500, 503);
    t.sandbox.admin.updateObject(t.portalId, 'deals', '5000003', {
      closedate: '2026-01-03T00:00:00.000Z',
    });
    await t.sandbox.webhooksIdle();
    expect(receiver.requests).toHaveLength(3);
    const attempts = receiver.requests.map((request) =>
      eventsOf(request).map((event) => event.attemptNumber),
    );
    expect(attempts).toEqual([[0], [1], [2]]);
    const eventIds = receiver.requests.map((request) => eventsOf(request)[0]?.eventId);
    expect(new Set(eventIds).size).toBe(1);
    expect(
      receiver.requests.every((request) => verifies(request, receiver.url, 'webhook-secret')),
    ).toBe(true);
    expect(t.sandbox.stats().webhooks).toMatchObject({
      retries: 2,
      batchesDelivered: 1,
    });
  });

  it('treats a slow answer as a failure and gives up after the configured attempts', async () => {
    const { t, receiver } = await setUp({ maxAttempts: 2, timeoutMs: 100 });
    receiver.delayMs = 300;
    t.sandbox.admin.updateObject(t.portalId, 'deals', '5000004', {
      closedate: '2026-01-04T00:00:00.000Z',
    });
    await t.sandbox.webhooksIdle();
    expect(receiver.requests).toHaveLength(2);
    expect(t.sandbox.stats().webhooks).toMatchObject({
      failedAttempts: 2,
      abandoned: 1,
    });
  });

  it('drops deliveries when told to (fault injection)', async () => {
    const { t, receiver } = await setUp();
    t.sandbox.faults.update({ webhookDropRate: 1 });
    t.sandbox.admin.updateObject(t.portalId, 'deals', '5000005', {
      closedate: '2026-01-05T00:00:00.000Z',
    });
    await t.sandbox.webhooksIdle();
    expect(receiver.requests).toHaveLength(0);
    expect(t.sandbox.stats().webhooks.dropped).toBe(1);
  });

  it('sends nothing for portals the app is not installed in', async () => {
    const { t, receiver } = await setUp();
    const other = t.sandbox.admin.createPortal({ companies: 5, deals: 10 });
    t.sandbox.admin.updateObject(other.portalId, 'deals', '5000000', {
      closedate: '2026-01-01T00:00:00.000Z',
    });
    await t.sandbox.webhooksIdle();
    expect(receiver.requests).toHaveLength(0);
  });
});

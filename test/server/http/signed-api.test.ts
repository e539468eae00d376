import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/http/app.ts';
import { createSuperAdminCheck } from '../../../server/http/super-admin.ts';
import { createOwnerDirectory } from '../../../server/http/owner-directory.ts';
import { createUserNames } from '../../../server/http/user-names.ts';
import { signatureV3 } from '../../../server/hubspot/request-signature.ts';
import type {
  CompanyRecomputeJob,
  FullRecomputeJob,
} from '../../../server/jobs/recompute-queue.ts';
import type { RecomputeQueue } from '../../../server/jobs/recompute-queue.ts';
import { ANY_CHANGE, createRecomputeQueue } from '../../../server/jobs/recompute-queue.ts';
import { createRecomputeStatusStore } from '../../../server/jobs/recompute-status.ts';
import { createSettingsStore } from '../../../server/settings-store.ts';
import type { AssociationIndex } from '../../../server/recompute/association-index.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import { createSnapshotStore } from '../../../server/recompute/snapshot-store.ts';
import { createPinStore } from '../../../server/pins/pin-store.ts';
import { createTaskStore } from '../../../server/tasks/task-store.ts';
import { createTokenStore } from '../../../server/tokens/token-store.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const SECRET = 'client-secret-for-tests';
let redis: TestRedis;
let server: Server;
let base: string;
const INSTALLED = 701;
const REAUTH = 702;
/** The one super admin the stand-in users API knows. */
const ADMIN = '7';
const queued: string[] = [];
let associationIndex: AssociationIndex;
let recomputeQueue: RecomputeQueue;
/** Companies queued with their tickets to re-read. */
/** The portal's owners, as HubSpot's owners API would list them. */
const OWNERS = [
  { id: '71000001', firstName: 'Alice', lastName: 'Morgan', email: 'alice@example.com' },
  { id: '71000002', firstName: '', lastName: '', email: 'bo@example.com' },
];
const activityMarks: string[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  const connection = redis.connect();
  const tokens = createTokenStore({
    redis: connection,
    key: randomBytes(32),
    refresh: () => Promise.reject(new Error('not used')),
  });
  await tokens.save(INSTALLED, {
    accessToken: 'a',
    refreshToken: 'r',
    expiresAt: Date.now() + 3_600_000,
    scopes: [],
  });
  await connection.set(`kam:portal:${REAUTH}:status`, 'needs_reauth');
  associationIndex = createAssociationIndex(connection);
  recomputeQueue = createRecomputeQueue({ url: redis.url }, connection);
  await associationIndex.addDeals(INSTALLED, [
    {
      id: '5001',
      properties: {},
      associations: {
        companies: {
          results: [
            { id: '1001', type: 'deal_to_company_unlabeled' },
            { id: '1002', type: 'deal_to_company_unlabeled' },
          ],
        },
      },
    },
  ]);
  const app = createApp({
    redis: connection,
    logger: pino({ level: 'silent' }),
    clientSecret: SECRET,
    publicBaseUrl: 'https://kam.example.com',
    now: () => Date.now(),
    oauth: null,
    webhooks: {
      associationIndex,
      queue: {
        // The real marks (and event memory) in Redis; the passes are not worked here.
        markChanged: async (portalId, companyIds, change, event) => {
          const marked = await recomputeQueue.markChanged(portalId, companyIds, change, event);
          if (marked) {
            queued.push(...companyIds.map((companyId) => `company-${portalId}-${companyId}`));
            if (change.activity) activityMarks.push(...companyIds);
          }
          return marked;
        },
        companies: () => Promise.resolve(),
      },
      debounceMs: 0,
    },
    companyInputs: {
      now: () => Date.now(),
      pinStore: createPinStore(connection),
    },
    cards: {
      tokens,
      snapshots: createSnapshotStore(connection),
      status: createRecomputeStatusStore(connection),
      queue: {
        full: (job: FullRecomputeJob) => {
          queued.push(`full-${job.portalId}`);
          return Promise.resolve();
        },
        company: (job: CompanyRecomputeJob, _debounceMs: number, change = ANY_CHANGE) => {
          queued.push(`company-${job.portalId}-${job.companyId}`);
          if (change.activity) activityMarks.push(job.companyId);
          return Promise.resolve();
        },
        settled: () => Promise.resolve(true),
      },
      clientFor: () => Promise.reject(new Error('HubSpot is not needed in these tests')),
      tasks: createTaskStore(connection),
      settings: createSettingsStore(connection),
      pins: createPinStore(connection),
      admins: createSuperAdminCheck({
        redis: connection,
        readAccess: (_portalId, userId) =>
          Promise.resolve(userId === ADMIN ? 'super_admin' : 'user'),
      }),
      userNames: createUserNames({
        redis: connection,
        readName: () => Promise.reject(new Error('HubSpot is not needed in these tests')),
      }),
      owners: createOwnerDirectory({
        redis: connection,
        clientFor: () => Promise.resolve({ readOwners: () => Promise.resolve(OWNERS) }),
      }),
    },
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await recomputeQueue.close();
  await redis.stop();
});

/** Calls the app the way HubSpot's proxy does: the signature covers the public URL. */
async function signed(
  method: string,
  path: string,
  options: { body?: string; timestamp?: number; secret?: string; tamper?: boolean } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Date.now();
  const body = options.body ?? '';
  const signature = signatureV3({
    method,
    url: `https://kam.example.com${path}`,
    body,
    timestamp,
    clientSecret: options.secret ?? SECRET,
  });
  return fetch(`${base}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      'X-HubSpot-Signature-v3':
        options.tamper === true
          ? `${signature.startsWith('x') ? 'y' : 'x'}${signature.slice(1)}`
          : signature,
      'X-HubSpot-Request-Timestamp': String(timestamp),
    },
    ...(body === '' ? {} : { body }),
  });
}

describe('signed card API', () => {
  it('answers health and readiness without a signature', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('asks browsers for https only when the public origin is https (Strict-Transport-Security)', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['no signature', () => fetch(`${base}/api/v1/recompute/status?portalId=${INSTALLED}`)],
    [
      'a tampered signature',
      () => signed('GET', `/api/v1/recompute/status?portalId=${INSTALLED}`, { tamper: true }),
    ],
    [
      'the wrong secret',
      () => signed('GET', `/api/v1/recompute/status?portalId=${INSTALLED}`, { secret: 'other' }),
    ],
    [
      'a stale timestamp',
      () =>
        signed('GET', `/api/v1/recompute/status?portalId=${INSTALLED}`, {
          timestamp: Date.now() - 6 * 60_000,
        }),
    ],
    [
      'a far-future timestamp',
      () =>
        signed('GET', `/api/v1/recompute/status?portalId=${INSTALLED}`, {
          timestamp: Date.now() + 6 * 60_000,
        }),
    ],
  ])('refuses %s with 401 and does nothing', async (_case, call) => {
    const response = await call();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a signed request whose portal was swapped after signing', async () => {
    const timestamp = Date.now();
    const signature = signatureV3({
      method: 'POST',
      url: `https://kam.example.com/api/v1/recompute?portalId=${INSTALLED}`,
      body: '',
      timestamp,
      clientSecret: SECRET,
    });
    const response = await fetch(`${base}/api/v1/recompute?portalId=999`, {
      method: 'POST',
      headers: {
        'X-HubSpot-Signature-v3': signature,
        'X-HubSpot-Request-Timestamp': String(timestamp),
      },
    });
    expect(response.status).toBe(401);
    expect(queued).not.toContain('full-999');
  });

  it('serves a signed request for an installed portal', async () => {
    const response = await signed('GET', `/api/v1/recompute/status?portalId=${INSTALLED}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'idle' });
  });

  it("lists the portal's owners by name for the settings page", async () => {
    const response = await signed('GET', `/api/v1/owners?portalId=${INSTALLED}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      owners: [
        { id: '71000001', name: 'Alice Morgan', email: 'alice@example.com' },
        // No name in HubSpot: the email stands in.
        { id: '71000002', name: 'bo@example.com', email: 'bo@example.com' },
      ],
      ownersScope: true,
    });
  });

  it('queues a full recompute for the signed portal only', async () => {
    const response = await signed(
      'POST',
      `/api/v1/recompute?portalId=${INSTALLED}&userId=${ADMIN}`,
    );
    expect(response.status).toBe(202);
    expect(queued).toContain(`full-${INSTALLED}`);
  });

  it('says needs_reauth (409) for a portal whose refresh was refused, 404 for an unknown one', async () => {
    const reauth = await signed('GET', `/api/v1/recompute/status?portalId=${REAUTH}`);
    expect(reauth.status).toBe(409);
    expect(await reauth.json()).toMatchObject({ error: { code: 'needs_reauth' } });
    const unknown = await signed('GET', '/api/v1/recompute/status?portalId=703');
    expect(unknown.status).toBe(404);
  });

  it('names the field of a bad company id, and refuses malformed JSON', async () => {
    const bad = await signed('POST', `/api/v1/companies/abc/recompute?portalId=${INSTALLED}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', field: 'id' } });
    const malformed = await signed('POST', `/api/v1/recompute?portalId=${INSTALLED}`, {
      body: '{"oops',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'validation_failed', field: 'body' },
    });
  });

  it('refuses a body over 1 MB', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(1_100_000) });
    const response = await signed('POST', `/api/v1/recompute?portalId=${INSTALLED}`, { body });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: 'payload_too_large', field: 'body' },
    });
  });
});

describe('webhook intake', () => {
  const event = (eventId: number, fields: Record<string, unknown>) => ({
    eventId,
    subscriptionId: 1,
    portalId: INSTALLED,
    appId: 3,
    occurredAt: Date.now(),
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    ...fields,
  });
  /** An association added or removed between `from` and `to`, each `[objectTypeId, id]`. */
  const associationChange = (
    eventId: number,
    [fromObjectTypeId, fromObjectId]: [string, number],
    [toObjectTypeId, toObjectId]: [string, number],
    associationRemoved: boolean,
  ) =>
    event(eventId, {
      subscriptionType: 'object.associationChange',
      fromObjectTypeId,
      fromObjectId,
      toObjectTypeId,
      toObjectId,
      associationRemoved,
    });
  const deliver = (events: unknown[], options: { tamper?: boolean } = {}) =>
    signed('POST', '/webhooks/hubspot', { body: JSON.stringify(events), ...options });

  it('turns a deal property change into a recompute of each of its companies', async () => {
    queued.length = 0;
    activityMarks.length = 0;
    const response = await deliver([
      event(1, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-3',
        objectId: 5001,
        propertyName: 'amount',
        propertyValue: '900',
      }),
    ]);
    expect(response.status).toBe(200);
    expect(queued.sort()).toEqual([`company-${INSTALLED}-1001`, `company-${INSTALLED}-1002`]);
    expect(activityMarks).toEqual([]); // a deal change leaves the tickets unread
  });

  it("names a changed deal to its companies' pass, and has them read every deal once a deal comes or goes", async () => {
    const settleAll = async () =>
      recomputeQueue.settleCompanies(
        INSTALLED,
        await recomputeQueue.pendingCompanies(INSTALLED, 1_000),
      );
    const dealsChanged = async () =>
      Object.fromEntries((await recomputeQueue.pendingCompanies(INSTALLED, 1_000)).dealsChanged);
    await settleAll();
    await deliver([
      event(51, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-3',
        objectId: 5001,
        propertyName: 'amount',
      }),
      event(52, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-2',
        objectId: 1003,
        propertyName: 'name',
      }),
    ]);
    expect(await dealsChanged()).toEqual({ '1001': ['5001'], '1002': ['5001'], '1003': [] });
    await deliver([
      associationChange(53, ['0-3', 5009], ['0-2', 1002], false),
      event(54, { subscriptionType: 'object.creation', objectTypeId: '0-2', objectId: 1003 }),
    ]);
    // 1002 gained a deal and 1003 is new: every deal of theirs is read.
    expect(await dealsChanged()).toEqual({ '1001': ['5001'] });
    await settleAll();
    await associationIndex.unlink(INSTALLED, 'deal', '5009', '1002');
  });

  it('works a redelivered event once', async () => {
    queued.length = 0;
    const change = event(2, {
      subscriptionType: 'object.propertyChange',
      objectTypeId: '0-2',
      objectId: 1003,
      propertyName: 'kam_survey_date',
    });
    await deliver([change]);
    await deliver([{ ...change, attemptNumber: 1 }]);
    expect(queued).toEqual([`company-${INSTALLED}-1003`]);
  });

  it('follows association changes: a new company of a deal is recomputed and remembered', async () => {
    queued.length = 0;
    await deliver([associationChange(3, ['0-3', 5002], ['0-2', 1004], false)]);
    expect(queued).toEqual([`company-${INSTALLED}-1004`]);
    expect(await associationIndex.companiesOf(INSTALLED, 'deal', '5002')).toEqual(['1004']);
    queued.length = 0;
    await deliver([
      event(4, { subscriptionType: 'object.deletion', objectTypeId: '0-3', objectId: 5002 }),
    ]);
    expect(queued).toEqual([`company-${INSTALLED}-1004`]);
    expect(await associationIndex.companiesOf(INSTALLED, 'deal', '5002')).toEqual([]);
  });

  it('follows tickets: a complaint linked to a company, closed, unlinked and deleted recomputes that company', async () => {
    queued.length = 0;
    activityMarks.length = 0;
    await deliver([associationChange(7, ['0-5', 7001], ['0-2', 1005], false)]);
    expect(queued).toEqual([`company-${INSTALLED}-1005`]);
    expect(activityMarks).toEqual(['1005']);
    expect(await associationIndex.companiesOf(INSTALLED, 'ticket', '7001')).toEqual(['1005']);
    // Tickets and deals have ids of their own: the same number names another object.
    expect(await associationIndex.companiesOf(INSTALLED, 'deal', '7001')).toEqual([]);

    queued.length = 0;
    await deliver([
      event(8, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-5',
        objectId: 7001,
        propertyName: 'hs_is_closed',
        propertyValue: 'true',
      }),
    ]);
    expect(queued).toEqual([`company-${INSTALLED}-1005`]);

    queued.length = 0;
    await deliver([
      associationChange(9, ['0-2', 1005], ['0-5', 7001], true),
      event(10, { subscriptionType: 'object.deletion', objectTypeId: '0-5', objectId: 7001 }),
    ]);
    // The unlink recomputes the company it left; the deletion then finds no company.
    expect(queued).toEqual([`company-${INSTALLED}-1005`]);
    expect(await associationIndex.companiesOf(INSTALLED, 'ticket', '7001')).toEqual([]);
  });

  it('follows contacts and meetings: a buying role or a meeting re-reads the activity of its company', async () => {
    queued.length = 0;
    activityMarks.length = 0;
    await deliver([
      associationChange(21, ['0-1', 6001], ['0-2', 1005], false),
      associationChange(22, ['0-47', 7501], ['0-2', 1006], false),
    ]);
    expect(queued).toEqual([`company-${INSTALLED}-1005`, `company-${INSTALLED}-1006`]);
    expect(activityMarks).toEqual(['1005', '1006']);
    expect(await associationIndex.companiesOf(INSTALLED, 'contact', '6001')).toEqual(['1005']);
    expect(await associationIndex.companiesOf(INSTALLED, 'meeting', '7501')).toEqual(['1006']);

    queued.length = 0;
    activityMarks.length = 0;
    await deliver([
      event(23, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        objectId: 6001,
        propertyName: 'hs_buying_role',
        propertyValue: 'DECISION_MAKER',
      }),
      event(24, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-47',
        objectId: 7501,
        propertyName: 'hs_meeting_outcome',
        propertyValue: 'COMPLETED',
      }),
    ]);
    expect(queued).toEqual([`company-${INSTALLED}-1005`, `company-${INSTALLED}-1006`]);
    expect(activityMarks).toEqual(['1005', '1006']);
  });

  it("re-reads a company's activity when its last activity moves (a logged call), not when its name does", async () => {
    queued.length = 0;
    activityMarks.length = 0;
    await deliver([
      event(31, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-2',
        objectId: 1007,
        propertyName: 'name',
        propertyValue: 'Renamed AB',
      }),
    ]);
    expect(queued).toEqual([`company-${INSTALLED}-1007`]);
    expect(activityMarks).toEqual([]);
    await deliver([
      event(32, {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-2',
        objectId: 1008,
        propertyName: 'notes_last_updated',
        propertyValue: '2026-12-01T10:00:00.000Z',
      }),
    ]);
    expect(activityMarks).toEqual(['1008']);
  });

  it('ignores event types it does not use, and refuses what is not a delivery', async () => {
    queued.length = 0;
    const unknown = await deliver([
      event(5, { subscriptionType: 'object.merge', objectTypeId: '0-1', objectId: 9 }),
    ]);
    expect(unknown.status).toBe(200);
    expect(queued).toEqual([]);
    const notArray = await signed('POST', '/webhooks/hubspot', { body: '{"eventId": 1}' });
    expect(notArray.status).toBe(400);
    const tooMany = await deliver(
      Array.from({ length: 101 }, (_, index) =>
        event(100 + index, {
          subscriptionType: 'object.creation',
          objectTypeId: '0-3',
          objectId: 1,
        }),
      ),
    );
    expect(tooMany.status).toBe(400);
    const tampered = await deliver(
      [event(6, { subscriptionType: 'object.creation', objectTypeId: '0-3', objectId: 5001 })],
      { tamper: true },
    );
    expect(tampered.status).toBe(401);
    expect(queued).toEqual([]);
  });
});

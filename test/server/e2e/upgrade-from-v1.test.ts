/**
 * kam-model.md §8 (v2): a portal installed with model v1 is upgraded in
 * place. Its `kam_relationship_stage` enumeration still has v1's options
 * (`developing` among them) and its companies hold v1's values; installing
 * v2 updates the options and the first full recompute rewrites every value,
 * with no manual step.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import { KAM_PROPERTY_GROUP } from '../../../server/hubspot/kam-properties.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import { sendCardRequest } from '../../../server/sandbox/card-request.ts';
import { SEGMENTS, STAGES } from '../../../src/index.ts';
import { until } from '../../support/installed-backend.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';
import { listAll } from '../../support/sandbox-reads.ts';

const V1_STAGES = ['new', 'lapsed', 'partner', 'developing'];

let redis: TestRedis;
let sandbox: Sandbox;
let app: Awaited<ReturnType<typeof startAppOnSandbox>>;
let portalId: number;
let token: string;

async function hubspot(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const enumeration = (name: string, values: readonly string[]) => ({
  name,
  label: name,
  type: 'enumeration',
  fieldType: 'select',
  groupName: KAM_PROPERTY_GROUP.name,
  options: values.map((value, displayOrder) => ({ value, label: value, displayOrder })),
});

async function optionsOf(name: string): Promise<string[]> {
  const property = (await hubspot('GET', `/crm/v3/properties/companies/${name}`)) as {
    options: { value: string }[];
  };
  return property.options.map((option) => option.value);
}

beforeAll(async () => {
  const now = Date.now();
  redis = await startTestRedis();
  sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ companies: 40, deals: 400, seed: 5, asOf: new Date(now).toISOString() }],
    webhooks: { batchWindowMs: 50 },
  });
  portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  token = sandbox.initialPortals[0]?.accessToken ?? '';

  // What v1 left in the portal: its enumerations, and every company `developing`
  // with a segment (v1 gave one to never-won companies too).
  await hubspot('POST', '/crm/v3/properties/companies/groups', KAM_PROPERTY_GROUP);
  await hubspot(
    'POST',
    '/crm/v3/properties/companies',
    enumeration('kam_relationship_stage', V1_STAGES),
  );
  await hubspot('POST', '/crm/v3/properties/companies', enumeration('kam_segment', SEGMENTS));
  const companies = await listAll(sandbox.url, token, 'companies', ['name']);
  for (let start = 0; start < companies.length; start += 100) {
    await hubspot('POST', '/crm/v3/objects/companies/batch/update', {
      inputs: companies.slice(start, start + 100).map((company) => ({
        id: company.id,
        properties: { kam_relationship_stage: 'developing', kam_segment: 'low_value' },
      })),
    });
  }
  expect(await optionsOf('kam_relationship_stage')).toEqual(V1_STAGES);

  app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: pino({ level: 'silent' }),
    now: () => now,
    debounceMs: 100,
  });
  await app.install();
  await until(
    () => app.backend.stores.status.get(portalId),
    recomputeFinished,
    'the first full recompute after the upgrade',
  );
});

afterAll(async () => {
  await app.backend.stop();
  await sandbox.close();
  await redis.stop();
});

describe('upgrade in place from a v1-provisioned portal', () => {
  it("updates the stage enumeration's options to v2's", async () => {
    expect(await optionsOf('kam_relationship_stage')).toEqual([...STAGES]);
  });

  it('rewrites every stage value, and clears the segment of companies loyalty cannot yet measure', async () => {
    const companies = await listAll(sandbox.url, token, 'companies', [
      'kam_relationship_stage',
      'kam_segment',
      'kam_loyalty',
    ]);
    expect(companies.length).toBe(40);
    const stages = companies.map((company) => company.properties.kam_relationship_stage);
    expect(stages.filter((stage) => !(STAGES as readonly unknown[]).includes(stage))).toEqual([]);
    const unmeasured = companies.filter((company) => !company.properties.kam_loyalty);
    expect(unmeasured.length).toBeGreaterThan(0);
    for (const company of unmeasured) expect(company.properties.kam_segment ?? '').toBe('');
  });

  it('replaces a snapshot of model v1 when a rep opens a card, instead of misreading it', async () => {
    const { snapshots } = app.backend.stores;
    const redisClient = redis.connect();
    const frameKey = `kam:portal:${portalId}:frame`;
    const stored = JSON.parse((await redisClient.get(frameKey)) ?? '{}') as Record<string, unknown>;
    // What v1 stored: no model version, product lines instead of the context.
    await redisClient.set(
      frameKey,
      JSON.stringify({ ...stored, modelVersion: undefined, context: undefined, productLines: [] }),
    );
    await redisClient.incr(`kam:snapshot-version:${portalId}`);
    expect(await snapshots.frame(portalId)).toBeNull();

    const [company] = await listAll(sandbox.url, token, 'companies', ['name']);
    const card = await sendCardRequest({
      url: `${app.publicBaseUrl}/api/v1/companies/${company?.id ?? ''}/scorecard`,
      method: 'GET',
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId: app.appId,
      clientSecret: app.clientSecret,
    });
    expect(card.status).toBe(200);
    // The app's clock stands still in this test: the new snapshot is the sign.
    const frame = await until(
      () => snapshots.frame(portalId),
      (current) => current !== null,
      'the full recompute the card queued',
    );
    expect(frame?.context.productLines.length).toBeGreaterThan(0);
    redisClient.disconnect();
  });
});

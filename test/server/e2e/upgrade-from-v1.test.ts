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
import { SEGMENTS, STAGES } from '../../../src/index.ts';
import { until } from '../../support/installed-backend.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';
import { listAll } from '../../support/sandbox-reads.ts';

const V1_STAGES = ['new', 'lapsed', 'partner', 'developing'];

let redis: TestRedis;
let sandbox: Sandbox;
let stop: () => Promise<void>;
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

  const app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: pino({ level: 'silent' }),
    now: () => now,
    debounceMs: 100,
  });
  stop = () => app.backend.stop();
  await app.install();
  await until(
    () => app.backend.stores.status.get(portalId),
    recomputeFinished,
    'the first full recompute after the upgrade',
  );
});

afterAll(async () => {
  await stop();
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
});

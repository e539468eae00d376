import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyScore, CrmObject } from '../../../src/index.ts';
import { COMPANY_INPUT_PROPERTIES } from '../../../src/index.ts';
import { TICKET_PIPELINES } from '../../../server/sandbox/ticket-pipeline.ts';
import { differingProperties, portalReads } from '../../support/full-recompute-differences.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { kam } from '../../support/kam-cli.ts';
import { listAll } from '../../support/sandbox-reads.ts';

/**
 * Issue 13 end to end on the sandbox: groups (§11), complaints and their
 * follow-up calls (§12) and the account plan (§13), read from HubSpot,
 * written back, and kept current by webhooks.
 */
let installed: InstalledBackend;
let dir: string;
/** What a pass may take from HubSpot's change to the written value (the incremental target). */
const INCREMENTAL_WINDOW_MS = 10_000;

const read = (
  type: 'companies' | 'deals' | 'tickets' | 'calls' | 'contacts',
  properties: readonly string[],
) => listAll(installed.sandbox.url, installed.privateToken, type, properties);

beforeAll(async () => {
  installed = await startInstalledBackend(
    { companies: 60, deals: 600, seed: 13 },
    { sandboxLagMs: 60_000 },
  );
  dir = await mkdtemp(join(tmpdir(), 'kam-h13-'));
}, 120_000);

afterAll(async () => {
  await installed.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `kam score` (the CLI, another process) on an export of the portal as it is now. */
async function kamScore(): Promise<{ companies: CompanyScore[]; written: Map<string, CrmObject> }> {
  const read = await portalReads(installed).portalInput();
  const portal = {
    ...read,
    companies: read.companies.map(({ id, properties }) => ({
      id,
      properties: Object.fromEntries(
        COMPANY_INPUT_PROPERTIES.map((name) => [name, properties[name] ?? null]),
      ),
    })),
  };
  const input = join(dir, 'portal.json');
  await writeFile(input, JSON.stringify(portal));
  const asOf = new Date(installed.now).toISOString();
  const outcome = await kam('score', '--input', input, '--as-of', asOf, '--format', 'json');
  expect(outcome.stderr).toBe('');
  const scored = JSON.parse(outcome.stdout) as { companies: CompanyScore[] };
  return {
    companies: scored.companies,
    written: new Map(read.companies.map((company) => [company.id, company])),
  };
}

/** Every written property that differs from `kam score` on the same data. */
async function differences(): Promise<string[]> {
  const { companies, written } = await kamScore();
  return differingProperties(companies, [...written.values()]);
}

async function companyProperties(id: string, names: readonly string[]) {
  return (await read('companies', names)).find((company) => company.id === id)?.properties ?? {};
}

async function actionKeys(companyId: string): Promise<string[]> {
  const response = await installed.card('GET', `/api/v1/companies/${companyId}/scorecard`);
  expect(response.status).toBe(200);
  const { company } = (await response.json()) as { company: CompanyScore | null };
  return (company?.actions ?? []).map((action) => action.ruleId);
}

describe('groups, complaints and plans written as kam score computes them', () => {
  it('writes kam_group_*, the complaint counts and plan attainment equal to kam score', async () => {
    const { companies } = await kamScore();
    // The portal has what the properties describe: a group, complaints.
    expect(companies.some((company) => company.group.size > 1)).toBe(true);
    expect(companies.some((company) => company.complaints.last12Months > 0)).toBe(true);
    expect(await differences()).toEqual([]);
  });

  it('a plan entered in HubSpot reaches kam_plan_attainment through its webhook', async () => {
    const { companies } = await kamScore();
    const buyer = companies.find((company) => company.metrics.revenueTtm > 0);
    if (buyer === undefined) throw new Error('the portal has a buying company');
    const goalDate = new Date(installed.now + 90 * 86_400_000).toISOString().slice(0, 10);
    installed.sandbox.admin.updateObject(installed.portalId, 'companies', buyer.id, {
      kam_plan_objective: 'Become their first supplier',
      kam_plan_goal_revenue: String(Math.round(buyer.metrics.revenueTtm * 2)),
      kam_plan_goal_date: goalDate,
    });
    const written = await until(
      () => companyProperties(buyer.id, ['kam_plan_attainment']),
      (properties) => (properties.kam_plan_attainment ?? '') !== '',
      'the plan attainment',
    );
    expect(Number(written.kam_plan_attainment)).toBeGreaterThan(0);
    expect(await differences()).toEqual([]);
  });
});

describe('a complaint closed in HubSpot and its follow-up call (§12, incremental)', () => {
  it('shows A15 within the incremental window, and a completed call after the closing clears it', async () => {
    const portal = installed.sandbox.admin.portal(installed.portalId);
    const calledCompanies = new Set(
      [...portal.objects.calls.keys()].flatMap((id) =>
        portal.associations.list('calls', id, 'companies').map((edge) => edge.toId),
      ),
    );
    const open = [...portal.objects.tickets.values()].find((ticket) => {
      const [company] = portal.associations.list('tickets', ticket.id, 'companies');
      return (
        ticket.properties.hs_is_closed === 'false' &&
        company !== undefined &&
        !calledCompanies.has(company.toId)
      );
    });
    const companyId = portal.associations.list('tickets', open?.id ?? '', 'companies')[0]?.toId;
    if (open === undefined || companyId === undefined) throw new Error('an open complaint');
    expect(await actionKeys(companyId)).not.toContain('A15');

    const pipeline = TICKET_PIPELINES.find((one) => one.id === open.properties.hs_pipeline);
    const closedStage = pipeline?.stages.find((stage) => stage.isClosed)?.id ?? '';
    const closedAt = Date.now();
    installed.sandbox.admin.updateObject(installed.portalId, 'tickets', open.id, {
      hs_pipeline_stage: closedStage,
    });
    await until(
      () => actionKeys(companyId),
      (keys) => keys.includes('A15'),
      'A15 on the company',
      INCREMENTAL_WINDOW_MS,
    );
    expect(Date.now() - closedAt).toBeLessThan(INCREMENTAL_WINDOW_MS);
    expect(await differences()).toEqual([]);

    // A rep logs the follow-up call, after the closing, as completed.
    const closedDate = Date.parse(portal.get('tickets', open.id)?.properties.closed_date ?? '');
    const logged = await fetch(`${installed.sandbox.url}/crm/v3/objects/calls`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${installed.privateToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        properties: {
          hs_timestamp: new Date(closedDate + 1_000).toISOString(),
          hs_call_status: 'COMPLETED',
          hs_call_title: 'Complaint follow-up',
        },
        associations: [
          {
            to: { id: companyId },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 182 }],
          },
        ],
      }),
    });
    expect(logged.status).toBe(201);
    const calledAt = Date.now();
    await until(
      () => actionKeys(companyId),
      (keys) => !keys.includes('A15'),
      'A15 cleared by the call',
      INCREMENTAL_WINDOW_MS,
    );
    expect(Date.now() - calledAt).toBeLessThan(INCREMENTAL_WINDOW_MS);
    expect(await differences()).toEqual([]);
  });
});

describe('a company moved to another parent (§11, incremental)', () => {
  it('moves it between groups, and both groups are rewritten', async () => {
    const portal = installed.sandbox.admin.portal(installed.portalId);
    const parentOf = (id: string) => portal.get('companies', id)?.properties.hs_parent_company_id;
    const hasChildren = (id: string) =>
      portal.associations
        .list('companies', id, 'companies')
        .some((edge) => edge.typeIds.includes(13));
    const leaf = [...portal.objects.companies.values()].find((company) => {
      const parent = parentOf(company.id);
      return parent !== undefined && parentOf(parent) !== company.id && !hasChildren(company.id);
    });
    const standalone = [...portal.objects.companies.values()].find(
      (company) => parentOf(company.id) === undefined && !hasChildren(company.id),
    );
    if (leaf === undefined || standalone === undefined)
      throw new Error('the seeded portal has a group member and a standalone company');
    const groupProperties = ['kam_group_id', 'kam_group_size', 'kam_group_revenue_ttm'];
    const before = await companyProperties(leaf.id, groupProperties);
    const oldGroup = before.kam_group_id ?? '';
    const oldSize = Number(before.kam_group_size);
    expect(oldSize).toBeGreaterThan(1);

    installed.sandbox.admin.associate(installed.portalId, 'companies', standalone.id, leaf.id, 13);
    const moved = await until(
      () => companyProperties(leaf.id, groupProperties),
      (properties) => properties.kam_group_id === standalone.id,
      'the company in its new group',
      INCREMENTAL_WINDOW_MS,
    );
    expect(moved.kam_group_size).toBe('2');
    expect((await companyProperties(standalone.id, groupProperties)).kam_group_size).toBe('2');
    // The other members of both groups follow in the pass that re-ranks: the
    // same one when no other change waits, else the next.
    await until(
      async () => (await differences()).length,
      (count) => count === 0,
      'both groups rewritten',
      INCREMENTAL_WINDOW_MS,
    );
    expect(Number((await companyProperties(oldGroup, groupProperties)).kam_group_size)).toBe(
      oldSize - 1,
    );
  });
});

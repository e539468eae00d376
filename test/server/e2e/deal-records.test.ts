import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmObject } from '../../../src/index.ts';
import { DEFAULT_SETTINGS, dealInputProperties, linkedCompanies } from '../../../src/index.ts';
import { createDealRecords } from '../../../server/recompute/deal-records.ts';
import { portalReads } from '../../support/full-recompute-differences.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';

/**
 * Companies with more than 10 deals have them recorded (DEAL_RECORDS_ABOVE):
 * a change of one of their deals re-reads that deal alone, and a deal that
 * comes or goes has every deal of its companies read again.
 */
const RECORDED_ABOVE = 10;
const PROPERTIES = dealInputProperties(DEFAULT_SETTINGS);
const COMPANIES_TO_DEALS = 'POST /crm/v4/associations/companies/deals/batch/read';
const DEALS_BATCH_READ = 'POST /crm/v3/objects/deals/batch/read';
/** HubSpot's deal-to-company association types: primary, and unlabeled. */
const PRIMARY_COMPANY = 5;

let installed: InstalledBackend;
let reads: ReturnType<typeof portalReads>;

beforeAll(async () => {
  installed = await startInstalledBackend(
    { companies: 40, deals: 800, seed: 13 },
    { env: { DEAL_RECORDS_ABOVE: String(RECORDED_ABOVE) } },
  );
  reads = portalReads(installed);
});

afterAll(async () => {
  await installed.stop();
});

const calls = (route: string): number =>
  installed.sandbox.stats().portals[String(installed.portalId)]?.byRoute[route] ?? 0;

/** Each company's deals, by the companies each deal is associated with. */
function dealsByCompany(deals: readonly CrmObject[]): Map<string, CrmObject[]> {
  const byCompany = new Map<string, CrmObject[]>();
  for (const deal of deals) {
    for (const { companyId } of linkedCompanies(deal.associations?.companies?.results ?? [])) {
      byCompany.set(companyId, [...(byCompany.get(companyId) ?? []), deal]);
    }
  }
  return byCompany;
}

/** The deal ids the app has recorded for a company, or null when it has no record. */
async function recordedDealIds(companyId: string): Promise<string[] | null> {
  const connection = installed.redis.connect();
  try {
    const records = createDealRecords(connection, 'kam', RECORDED_ABOVE);
    const recorded = await records.read(installed.portalId, [companyId], PROPERTIES);
    return (
      recorded
        .get(companyId)
        ?.map((deal) => deal.id)
        .sort() ?? null
    );
  } finally {
    connection.disconnect();
  }
}

/** A large company (recorded) and one of its won deals that no other company shares. */
async function largeCompanyDeal(): Promise<{ companyId: string; deal: CrmObject }> {
  const byCompany = dealsByCompany(await reads.read('deals', PROPERTIES));
  for (const [companyId, deals] of byCompany) {
    if (deals.length <= RECORDED_ABOVE) continue;
    const deal = deals.find(
      (candidate) =>
        candidate.properties.hs_is_closed_won === 'true' &&
        linkedCompanies(candidate.associations?.companies?.results ?? []).length === 1,
    );
    if (deal !== undefined) return { companyId, deal };
  }
  throw new Error('no large company with a won deal of its own');
}

const settled = () =>
  until(
    async () => (await reads.differences()).length,
    (count) => count === 0,
    'every company to be as a full recompute leaves it',
  );

describe('the deals of large companies, recorded', () => {
  it('are recorded by the full recompute for every company above the threshold, and only those', async () => {
    const byCompany = dealsByCompany(await reads.read('deals', PROPERTIES));
    const large = [...byCompany].filter(([, deals]) => deals.length > RECORDED_ABOVE);
    const small = [...byCompany].filter(([, deals]) => deals.length <= RECORDED_ABOVE);
    expect(large.length).toBeGreaterThan(0);
    expect(small.length).toBeGreaterThan(0);
    for (const [companyId, deals] of large)
      expect(await recordedDealIds(companyId)).toEqual(deals.map((deal) => deal.id).sort());
    for (const [companyId] of small) expect(await recordedDealIds(companyId)).toBeNull();
  });

  it('re-read only the deal that changed, and leave the company as a full recompute would', async () => {
    expect(await reads.differences()).toEqual([]);
    const { companyId, deal } = await largeCompanyDeal();
    const associationReads = calls(COMPANIES_TO_DEALS);
    const dealReads = calls(DEALS_BATCH_READ);
    installed.sandbox.admin.updateObject(installed.portalId, 'deals', deal.id, {
      amount: '75000000',
      closedate: new Date(installed.now - 86_400_000).toISOString(),
    });
    await settled();
    expect(calls(COMPANIES_TO_DEALS) - associationReads).toBe(0);
    expect(calls(DEALS_BATCH_READ) - dealReads).toBe(1);
    // The record holds the deal as it is now, for the next change.
    const connection = installed.redis.connect();
    const recorded = await createDealRecords(connection, 'kam', RECORDED_ABOVE).read(
      installed.portalId,
      [companyId],
      PROPERTIES,
    );
    connection.disconnect();
    const kept = recorded.get(companyId)?.find((candidate) => candidate.id === deal.id);
    expect(kept?.properties.amount).toBe('75000000');
  });

  it('read every deal of a company that gained or lost one, and record what they read', async () => {
    const { companyId, deal } = await largeCompanyDeal();
    const associationReads = calls(COMPANIES_TO_DEALS);
    const created = installed.sandbox.admin.createObject(installed.portalId, 'deals', {
      properties: {
        dealname: 'A new order',
        amount: '64000000',
        dealstage: 'closedwon',
        pipeline: 'default',
        closedate: new Date(installed.now - 2 * 86_400_000).toISOString(),
      },
    });
    installed.sandbox.admin.associate(
      installed.portalId,
      'deals',
      created.id,
      companyId,
      PRIMARY_COMPANY,
    );
    await settled();
    expect(calls(COMPANIES_TO_DEALS)).toBeGreaterThan(associationReads);
    expect(await recordedDealIds(companyId)).toContain(created.id);

    installed.sandbox.admin.archiveObject(installed.portalId, 'deals', deal.id);
    await settled();
    const after = await recordedDealIds(companyId);
    expect(after).toContain(created.id);
    expect(after).not.toContain(deal.id);
  });
});

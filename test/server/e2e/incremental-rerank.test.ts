import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyScore, CrmObject } from '../../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  scorePortal,
  TICKET_INPUT_PROPERTIES,
} from '../../../src/index.ts';
import { KAM_OUTPUT_PROPERTIES } from '../../../server/recompute/kam-property-values.ts';
import { ANY_CHANGE, createRecomputeQueue } from '../../../server/jobs/recompute-queue.ts';
import { portalReads } from '../../support/full-recompute-differences.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { primaryCompany, writeOrderOfATopChange } from '../../support/write-order.ts';

let installed: InstalledBackend;
let read: ReturnType<typeof portalReads>['read'];
let pipelineLabels: ReturnType<typeof portalReads>['pipelineLabels'];
let differences: ReturnType<typeof portalReads>['differences'];

beforeAll(async () => {
  installed = await startInstalledBackend({ companies: 150, deals: 1500, seed: 5 });
  ({ read, pipelineLabels, differences } = portalReads(installed));
});

afterAll(async () => {
  await installed.stop();
});

describe('re-rank after deal changes (end to end on the sandbox)', () => {
  it('leaves every company as a full recompute would, with few HubSpot calls', async () => {
    expect(await differences()).toEqual([]);
    const deals = await read('deals', dealInputProperties(DEFAULT_SETTINGS));
    const won = deals.filter(
      (deal) => deal.properties.hs_is_closed_won === 'true' && primaryCompany(deal) !== undefined,
    );
    // Six companies change at once: one jumps to the top (others move down a
    // rank and tier), the rest gain or lose a little.
    const changed = won.filter(
      (deal, index, all) =>
        all.findIndex((other) => primaryCompany(other) === primaryCompany(deal)) === index,
    );
    const targets = changed.slice(0, 6);
    expect(targets).toHaveLength(6);
    // The app's calls: everything but the list reads this test makes itself.
    const calls = () =>
      Object.entries(installed.sandbox.stats().portals[String(installed.portalId)]?.byRoute ?? {})
        .filter(([route]) => !route.startsWith('GET '))
        .reduce((sum, [, count]) => sum + count, 0);
    const snapshots = installed.backend.stores.snapshots;
    const revenueOf = async (deal: CrmObject) =>
      (await snapshots.account(installed.portalId, primaryCompany(deal) ?? ''))?.fact.metrics
        .revenueTtm;
    const revenueBefore = await Promise.all(targets.map(revenueOf));
    const before = calls();
    const yesterday = new Date(installed.now - 86_400_000).toISOString();
    targets.forEach((deal, index) => {
      installed.sandbox.admin.updateObject(installed.portalId, 'deals', deal.id, {
        amount: index === 0 ? '90000000' : String(Number(deal.properties.amount ?? 0) * 1.5 + 1),
        closedate: yesterday,
      });
    });

    // Settled: every changed company's new facts are in the snapshot and none waits.
    const redis = installed.redis.connect();
    await until(
      async () => ({
        waiting: await redis.zcard(`kam:portal:${installed.portalId}:changed-companies`),
        updated: await Promise.all(
          targets.map(async (deal, index) => (await revenueOf(deal)) !== revenueBefore[index]),
        ),
      }),
      (state) => state.waiting === 0 && state.updated.every(Boolean),
      'the re-rank of the changed companies',
    );
    redis.disconnect();
    const remaining = await differences();
    expect(remaining).toEqual([]);
    // Reading 6 companies' deals is 3 calls per 100 companies, plus the writes:
    // far below one call per company of the portal.
    expect(calls() - before).toBeLessThanOrEqual(6 * 4);

    const frame = await installed.backend.stores.snapshots.frame(installed.portalId);
    const companies = await read('companies', COMPANY_INPUT_PROPERTIES);
    const tickets = await read('tickets', TICKET_INPUT_PROPERTIES);
    const expected = scorePortal(
      {
        companies,
        deals: await read('deals', dealInputProperties(DEFAULT_SETTINGS)),
        tickets,
        productLineLabels: await pipelineLabels(),
      },
      DEFAULT_SETTINGS,
      installed.now,
    ).portfolio;
    expect(frame?.summary.tierCounts).toEqual(expected.tierCounts);
    expect(frame?.summary.matrixCounts).toEqual(expected.matrixCounts);
    expect(frame?.summary.segmentCounts).toEqual(expected.segmentCounts);
    expect(frame?.summary.strategyCounts).toEqual(expected.strategyCounts);
    expect(frame?.summary.top20Share).toBeCloseTo(expected.top20Share ?? 0, 12);
  });

  it('writes the changed company before the accounts its change moved', async () => {
    // Every HubSpot call answers 300 ms late: a second write call is seen apart.
    installed.sandbox.faults.update({ latencyMs: 300 });
    try {
      const { gapMs } = await writeOrderOfATopChange(installed);
      expect(gapMs).toBeGreaterThanOrEqual(300);
    } finally {
      installed.sandbox.faults.update({ latencyMs: 0 });
    }
    await until(
      async () => (await differences()).length,
      (count) => count === 0,
      'every account to settle',
    );
  });

  it('leaves the re-rank to the next pass while changes wait, and that pass re-ranks every account', async () => {
    const admin = installed.sandbox.admin;
    const portalId = installed.portalId;
    const redis = installed.redis.connect();
    const queue = createRecomputeQueue({ url: installed.redis.url }, redis);
    const deferred = `kam:portal:${portalId}:rerank-deferred`;
    const deals = await read('deals', dealInputProperties(DEFAULT_SETTINGS));
    const companies = await read('companies', KAM_OUTPUT_PROPERTIES);
    const standard = new Set(
      companies
        .filter((company) => company.properties.kam_tier === 'standard')
        .map((company) => company.id),
    );
    const deal = deals.find(
      (candidate) =>
        candidate.properties.hs_is_closed_won === 'true' &&
        standard.has(primaryCompany(candidate) ?? ''),
    );
    const changedId = deal === undefined ? undefined : primaryCompany(deal);
    const other = companies.find((company) => company.id !== changedId);
    if (deal === undefined || other === undefined) throw new Error('no standard account');
    const batchReads = () =>
      installed.sandbox.stats().portals[String(portalId)]?.byRoute[
        'POST /crm/v3/objects/companies/batch/read'
      ] ?? 0;
    const readsBefore = batchReads();
    // Every HubSpot call answers 300 ms late: a pass lasts long enough for
    // another change to come while it runs.
    installed.sandbox.faults.update({ latencyMs: 300 });
    try {
      admin.updateObject(portalId, 'deals', deal.id, {
        amount: '1200000000',
        closedate: new Date(installed.now - 86_400_000).toISOString(),
      });
      await until(
        () => Promise.resolve(batchReads()),
        (reads) => reads > readsBefore,
        'the pass to read the changed company',
      );
      await queue.markChanged(portalId, [other.id], ANY_CHANGE);
      await until(
        () => redis.exists(deferred),
        (exists) => exists === 1,
        'the pass to leave the re-rank to the next one',
      );
    } finally {
      installed.sandbox.faults.update({ latencyMs: 0 });
    }
    await until(
      () => redis.exists(deferred),
      (exists) => exists === 0,
      'the next pass to re-rank',
    );
    await until(
      async () => (await differences()).length,
      (count) => count === 0,
      'every account to settle',
    );
    await queue.close();
    redis.disconnect();
  });

  it('counts a complaint ticket opened on a company, then closed, within seconds', async () => {
    const snapshots = installed.backend.stores.snapshots;
    const complaints = async (companyId: string) =>
      (await snapshots.account(installed.portalId, companyId))?.fact.openComplaints;
    const companies = await read('companies', COMPANY_INPUT_PROPERTIES);
    let target: string | undefined;
    for (const company of companies) {
      if ((await complaints(company.id)) === 0) {
        target = company.id;
        break;
      }
    }
    if (target === undefined) throw new Error('every company has an open complaint');
    const companyId = target;

    const ticket = installed.sandbox.admin.createObject(installed.portalId, 'tickets', {
      properties: { subject: 'Delivery delayed', hs_pipeline: '0', hs_pipeline_stage: '1' },
    });
    installed.sandbox.admin.associate(installed.portalId, 'tickets', ticket.id, companyId, 26);
    await until(
      () => complaints(companyId),
      (open) => open === 1,
      'the open complaint to reach the company',
    );
    expect(await differences()).toEqual([]);

    installed.sandbox.admin.updateObject(installed.portalId, 'tickets', ticket.id, {
      hs_pipeline_stage: '4', // Closed: HubSpot sets hs_is_closed and closed_date
    });
    await until(
      () => complaints(companyId),
      (open) => open === 0,
      'the closed complaint to leave the company',
    );
    expect(await differences()).toEqual([]);
  });

  it('a buying role set on a contact, and a meeting held, reach the company within seconds', async () => {
    const snapshots = installed.backend.stores.snapshots;
    const scoredOf = async (companyId: string) => {
      const card = await installed.card('GET', `/api/v1/companies/${companyId}/scorecard`);
      return ((await card.json()) as { company: CompanyScore | null }).company;
    };
    const contacts = await read('contacts', CONTACT_INPUT_PROPERTIES);
    // A company whose contacts hold no budget holder yet.
    let target: { contactId: string; companyId: string } | undefined;
    for (const contact of contacts) {
      const link = contact.associations?.companies?.results[0];
      const companyId = link !== undefined && 'id' in link ? link.id : undefined;
      if (companyId === undefined) continue;
      const account = await snapshots.account(installed.portalId, companyId);
      if (account === null) continue;
      const scored = await scoredOf(companyId);
      if (scored !== null && !scored.buyingCentre.covered.includes('BUDGET_HOLDER')) {
        target = { contactId: contact.id, companyId };
        break;
      }
    }
    if (target === undefined) throw new Error('every company has a budget holder');
    const { contactId, companyId } = target;
    installed.sandbox.admin.updateObject(installed.portalId, 'contacts', contactId, {
      hs_buying_role: 'BUDGET_HOLDER',
    });
    await until(
      () => scoredOf(companyId),
      (scored) => scored?.buyingCentre.covered.includes('BUDGET_HOLDER') === true,
      'the budget holder to reach the company',
    );
    expect(await differences()).toEqual([]);

    // A meeting logged today and held: the visit resets the days since the last one.
    const today = new Date(installed.now - 60 * 60 * 1000).toISOString();
    const meeting = installed.sandbox.admin.createObject(installed.portalId, 'meetings', {
      properties: {
        hs_timestamp: today,
        hs_meeting_start_time: today,
        hs_meeting_title: 'Quarterly business review',
        hs_meeting_outcome: 'SCHEDULED',
      },
    });
    installed.sandbox.admin.associate(installed.portalId, 'meetings', meeting.id, companyId, 188);
    installed.sandbox.admin.updateObject(installed.portalId, 'meetings', meeting.id, {
      hs_meeting_outcome: 'COMPLETED',
    });
    await until(
      () => scoredOf(companyId),
      (scored) => scored?.visits.daysSinceVisit === 0 && scored.visits.lastReview !== null,
      'the held meeting to reach the company',
    );
    expect(await differences()).toEqual([]);
  });
});

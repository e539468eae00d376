import type { AccountFacts, CrmObject, PropertyMap, Settings } from '../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  dealInputProperties,
  MEETING_INPUT_PROPERTIES,
  paretoCurve,
  scorePortfolioSteps,
  summaryEntry,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import type { CompanyUpdate, PortalClient } from '../hubspot/portal-client.ts';
import { changedKamProperties, kamPropertyValues } from './kam-property-values.ts';
import { KAM_WRITTEN_PROPERTIES } from '../hubspot/kam-properties.ts';
import type { AssociationIndex } from './association-index.ts';
import type { DealRecords } from './deal-records.ts';
import { createBoundedFactsCollector } from './bounded-facts.ts';
import { meetingWindowStart } from './meeting-window.ts';
import type { FollowUpCallsRead } from './follow-up-calls.ts';
import { createFollowUpCompanies, readFollowUpCalls } from './follow-up-calls.ts';
import type { SnapshotCache } from './snapshot-cache.ts';
import type {
  AccountSnapshot,
  SnapshotFrame,
  SnapshotStore,
  TierMovement,
} from './snapshot-store.ts';
import { writeFailures } from './snapshot-store.ts';
import { timeSlicer } from './time-slice.ts';

export interface RecomputeProgress {
  readonly phase: 'companies' | 'deals' | 'scoring' | 'writing' | 'done';
  readonly pagesRead: number;
  readonly companiesScored: number;
  readonly companiesWritten: number;
  readonly companiesTotal: number;
}

export interface RecomputeReport {
  readonly companies: number;
  readonly deals: number;
  readonly written: number;
  readonly unchanged: number;
  readonly failed: readonly {
    readonly id: string;
    readonly code: string;
    readonly message: string;
  }[];
  /** The calls read for complaint follow-ups, apart from the floor of pages and writes. */
  readonly followUpCalls: FollowUpCallsRead;
}

export interface FullRecomputeInput {
  readonly client: PortalClient;
  readonly snapshots: SnapshotStore;
  /** Kept warm with the new snapshot, so the first re-rank after the run need not read it. */
  readonly cache: SnapshotCache;
  readonly associationIndex: AssociationIndex;
  readonly dealRecords: DealRecords;
  readonly settings: Settings;
  readonly asOfMs: number;
  readonly onProgress?: (progress: RecomputeProgress) => void | Promise<void>;
}

/**
 * Recomputes a whole portal: reads every company and every deal (deals
 * stream through, page by page), scores the portfolio, writes back only the
 * companies whose values changed, then swaps in the new snapshot. Writes are
 * absolute values, so running it twice, or again after a crash, is safe.
 */
export async function recomputePortfolio(input: FullRecomputeInput): Promise<RecomputeReport> {
  const { client, settings, asOfMs } = input;
  let progress: RecomputeProgress = {
    phase: 'companies',
    pagesRead: 0,
    companiesScored: 0,
    companiesWritten: 0,
    companiesTotal: 0,
  };
  const report = async (change: Partial<RecomputeProgress>): Promise<void> => {
    progress = { ...progress, ...change };
    await input.onProgress?.(progress);
  };

  const companies: CrmObject[] = [];
  await client.forEachCompanyPage(
    [...COMPANY_INPUT_PROPERTIES, ...KAM_WRITTEN_PROPERTIES],
    async (page) => {
      companies.push(...page);
      await report({ pagesRead: progress.pagesRead + 1, companiesTotal: companies.length });
    },
  );
  // Only the values the app wrote: the inputs are in the collector's facts.
  const current = new Map<string, PropertyMap>(
    companies.map((company) => [
      company.id,
      Object.fromEntries(KAM_WRITTEN_PROPERTIES.map((name) => [name, company.properties[name]])),
    ]),
  );

  await report({ phase: 'deals' });
  const collector = createBoundedFactsCollector(companies, settings, asOfMs);
  companies.length = 0; // the collector keeps what it needs; let the rest go
  const index = await input.associationIndex.beginRebuild(client.portalId);
  const dealProperties = dealInputProperties(settings);
  const dealRecords = await input.dealRecords.beginRebuild(client.portalId, dealProperties);
  await client.forEachDealPage(dealProperties, async (deals) => {
    collector.addDeals(deals);
    await index.addPage('deal', deals);
    await dealRecords.addPage(deals);
    await report({ pagesRead: progress.pagesRead + 1 });
  });

  const followUps = createFollowUpCompanies(settings, asOfMs);
  await client.forEachTicketPage(TICKET_INPUT_PROPERTIES, async (tickets) => {
    collector.addTickets(tickets);
    followUps.addTickets(tickets);
    await index.addPage('ticket', tickets);
    await report({ pagesRead: progress.pagesRead + 1 });
  });
  // Calls only of the companies whose complaint closed in the follow-up window (§12).
  const followUpCalls = await readFollowUpCalls(client, followUps.companyIds(), (calls) => {
    collector.addCalls(calls);
  });

  // The buying centre (§9) and the visits of the last 400 days (§10).
  await client.forEachContactPage(CONTACT_INPUT_PROPERTIES, async (contacts) => {
    collector.addContacts(contacts);
    await index.addPage('contact', contacts);
    await report({ pagesRead: progress.pagesRead + 1 });
  });
  await client.forEachMeetingPage(
    MEETING_INPUT_PROPERTIES,
    meetingWindowStart(asOfMs),
    async (meetings) => {
      collector.addMeetings(meetings);
      await index.addPage('meeting', meetings);
      await report({ pagesRead: progress.pagesRead + 1 });
    },
  );

  // One call: sentences name product lines as people do (a pipeline's name, not its id).
  const productLineLabels = await client.readProductLineLabels(settings.productLineProperty);
  await report({ phase: 'scoring' });
  const { facts, dealCounts } = collector.finish();
  const previousTiers = await input.snapshots.tiers(client.portalId);
  const movements: TierMovement[] = [];
  const scoredAt = new Date(asOfMs).toISOString();
  const updates: CompanyUpdate[] = [];
  const accounts: AccountSnapshot[] = [];
  const steps = scorePortfolioSteps(facts, settings, asOfMs, dealCounts, productLineLabels);
  const pause = timeSlicer();
  let step = steps.next();
  for (; step.done !== true; step = steps.next()) {
    const { company, standing } = step.value;
    const fact = facts[accounts.length];
    if (fact !== undefined) accounts.push({ fact, standing, entry: summaryEntry(company) });
    const before = previousTiers.get(company.id);
    if (before !== undefined && before !== company.tier) {
      movements.push({ companyId: company.id, name: company.name, from: before, to: company.tier });
    }
    const changed = changedKamProperties(
      current.get(company.id) ?? {},
      kamPropertyValues(company),
      scoredAt,
    );
    if (changed !== null) updates.push({ id: company.id, properties: changed });
    // 100,000 accounts score in seconds: other portals' passes run between slices.
    await pause();
  }
  const { summary, context } = step.value;
  await report({ companiesScored: facts.length });

  await report({ phase: 'writing' });
  const outcome = await client.updateCompanies(updates);
  await input.snapshots.forgetHistory(client.portalId, outcome.updated);
  const failures = writeFailures(outcome.failed, scoredAt);
  await report({ companiesWritten: outcome.updated.length });

  const version = await input.snapshots.replace(
    client.portalId,
    accounts,
    {
      context,
      settings,
      asOfMs,
      summary,
      paretoCurve: paretoCurve(facts.map((fact) => fact.metrics.revenueTtm)),
      ...largestMovements(movements, facts),
    },
    failures,
  );
  input.cache.rememberFull(client.portalId, {
    version,
    accounts: new Map(accounts.map((account) => [account.fact.companyId, account])),
  });
  await index.commit();
  await dealRecords.commit();
  await report({ phase: 'done' });
  return {
    companies: facts.length,
    deals: dealCounts.deals,
    written: outcome.updated.length,
    unchanged: facts.length - updates.length,
    failed: outcome.failed,
    followUpCalls,
  };
}

/** How many tier movements a portfolio keeps to show (the largest accounts first). */
const MOVEMENTS_SHOWN = 200;

function largestMovements(
  movements: readonly TierMovement[],
  facts: readonly AccountFacts[],
): Pick<SnapshotFrame, 'movements' | 'movementsTotal'> {
  const revenue = new Map(facts.map((fact) => [fact.companyId, fact.metrics.revenueTtm]));
  const sorted = [...movements].sort(
    (a, b) => (revenue.get(b.companyId) ?? 0) - (revenue.get(a.companyId) ?? 0),
  );
  return { movements: sorted.slice(0, MOVEMENTS_SHOWN), movementsTotal: movements.length };
}

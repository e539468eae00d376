import { performance } from 'node:perf_hooks';
import type {
  AccountFacts,
  AccountStanding,
  CompanyScore,
  CrmObject,
  Settings,
} from '../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  contextScoringKey,
  dealInputProperties,
  dueDateCache,
  MEETING_INPUT_PROPERTIES,
  paretoCurve,
  percentilesShowAlike,
  portfolioContext,
  portfolioStandings,
  scoreAccount,
  standingsIndex,
  summarizeGroups,
  summarizePortfolio,
  summaryEntry,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import type { CompanyUpdate, PortalClient, UpdateOutcome } from '../hubspot/portal-client.ts';
import { changedKamProperties, kamPropertyValues } from './kam-property-values.ts';
import { KAM_WRITTEN_PROPERTIES } from '../hubspot/kam-properties.ts';
import type { AssociationIndex } from './association-index.ts';
import type { DealRecords } from './deal-records.ts';
import { createBoundedFactsCollector } from './bounded-facts.ts';
import { meetingWindowStart } from './meeting-window.ts';
import { timeSlicer } from './time-slice.ts';
import { createFollowUpCompanies, readFollowUpCalls } from './follow-up-calls.ts';
import type { SnapshotCache } from './snapshot-cache.ts';
import type { AccountSnapshot, SnapshotFrame, SnapshotStore } from './snapshot-store.ts';
import { writeFailures } from './snapshot-store.ts';

export interface CompanyRecomputeInput {
  readonly client: PortalClient;
  readonly snapshots: SnapshotStore;
  readonly cache: SnapshotCache;
  readonly associationIndex: AssociationIndex;
  readonly dealRecords: DealRecords;
  readonly settings: Settings;
  readonly companyIds: readonly string[];
  /** Companies whose tickets, contacts or meetings changed: those are re-read. */
  readonly activityChanged: ReadonlySet<string>;
  /**
   * Companies whose changes named the deals they moved, with those deals;
   * the others may have gained or lost deals, and every deal is read.
   */
  readonly dealsChanged: ReadonlyMap<string, readonly string[]>;
  readonly asOfMs: number;
  /**
   * Asked once the changed companies are written, with the portfolio's
   * size: whether to re-rank the whole portfolio now (the other accounts,
   * the summary), or leave that to a later pass.
   */
  readonly reRankNow: (companies: number) => Promise<boolean>;
}

export type CompanyRecomputeOutcome =
  | { readonly kind: 'no_snapshot' }
  | {
      readonly kind: 'recomputed';
      /** Companies whose facts were re-read. */
      readonly reread: number;
      /** Other companies rescored because the re-rank moved them. */
      readonly rescored: number;
      /** False when the pass wrote the changed companies and left the re-rank to a later one. */
      readonly reRanked: boolean;
      readonly written: readonly string[];
      readonly failed: readonly {
        readonly id: string;
        readonly code: string;
        readonly message: string;
      }[];
      readonly phases: PassPhases;
    };

/** Where a pass's time went, in ms, for the log and the benchmark (in the order they run). */
export interface PassPhases {
  /** Reading the changed companies from HubSpot and building their facts. */
  readonly readMs: number;
  /** From the pass's start until the changed companies were written. */
  readonly changedWrittenMs: number;
  /** Then re-ranking the whole portfolio. */
  readonly rankMs: number;
  /** Comparing every other account and rescoring those the re-rank moved. */
  readonly rescoreMs: number;
  /** Writing the moved accounts' changes to HubSpot. */
  readonly neighboursWriteMs: number;
  /** The portfolio summary and the snapshot write. */
  readonly storeMs: number;
}

/**
 * Recomputes after some companies' deals or tickets changed, without
 * re-reading the portal: re-reads those companies, their deals and their
 * tickets, ranks and writes those companies first, then (unless
 * `reRankNow` leaves it to a later pass) re-ranks the portfolio from the
 * snapshot (tiers and percentiles are relative), rescores only the accounts
 * whose standing moved in a way their properties or the summary can show,
 * and writes only what changed, to HubSpot and to the snapshot. Due dates,
 * days since the last visit and survey staleness of the other accounts
 * follow the clock, not the change, and are left to the nightly recompute,
 * so a change at noon does not rewrite every account.
 *
 * The caller holds the portal's snapshot lock.
 */
export async function recomputeCompanies(
  input: CompanyRecomputeInput,
): Promise<CompanyRecomputeOutcome> {
  const { client, snapshots, settings, asOfMs } = input;
  const portalId = client.portalId;
  const started = performance.now();
  const frame = await snapshots.frame(portalId);
  if (frame === null) return { kind: 'no_snapshot' };
  const previous = await input.cache.accounts(portalId);

  // Side by side: a rep waits for both, and a deleted company has no deals to read.
  const [companyList, dealsOf] = await Promise.all([
    client.readCompanies(input.companyIds, [
      ...COMPANY_INPUT_PROPERTIES,
      ...KAM_WRITTEN_PROPERTIES,
    ]),
    readChangedDeals(input),
  ]);
  const companies = new Map<string, CrmObject>(companyList.map((company) => [company.id, company]));
  // Tickets, contacts and meetings of the companies an event about them
  // named (a logged call names its company through its last activity), and
  // of companies new to the snapshot; the others keep the complaints,
  // buying centre and visits they had (no calls). A deal's change reads its
  // companies' deals alone: at 100,000 companies a stream of them would
  // otherwise spend HubSpot's rate limit on activity that did not move.
  const activityReads = [...companies.keys()].filter(
    (id) => input.activityChanged.has(id) || !previous.accounts.has(id),
  );
  const [ticketsOf, contactsOf, meetingsOf] =
    activityReads.length === 0
      ? [null, null, null]
      : await Promise.all([
          client.readTicketsOfCompanies(activityReads, TICKET_INPUT_PROPERTIES),
          client.readContactsOfCompanies(activityReads, CONTACT_INPUT_PROPERTIES),
          client.readMeetingsOfCompanies(
            activityReads,
            MEETING_INPUT_PROPERTIES,
            meetingWindowStart(asOfMs),
          ),
        ]);
  // Their calls when a complaint of theirs closed within the follow-up window.
  const followUps = createFollowUpCompanies(settings, asOfMs);
  for (const [companyId, tickets] of ticketsOf ?? [])
    followUps.addTickets(ofCompany(tickets, companyId) ?? []);
  const calls: CrmObject[] = [];
  await readFollowUpCalls(
    client,
    followUps.companyIds().filter((id) => ticketsOf?.has(id) === true),
    (read) => calls.push(...read),
  );
  const fresh = new Map<string, AccountFacts>();
  for (const company of companies.values()) {
    const deals = dealsOf.get(company.id) ?? [];
    await input.associationIndex.addDeals(portalId, deals);
    // null: not re-read, or no tickets scope
    const tickets = ofCompany(ticketsOf?.get(company.id) ?? undefined, company.id) ?? null;
    for (const ticket of tickets ?? [])
      await input.associationIndex.link(portalId, 'ticket', ticket.id, company.id);
    const contacts = ofCompany(contactsOf?.get(company.id), company.id);
    const meetings = ofCompany(meetingsOf?.get(company.id), company.id);
    for (const contact of contacts ?? [])
      await input.associationIndex.link(portalId, 'contact', contact.id, company.id);
    for (const meeting of meetings ?? [])
      await input.associationIndex.link(portalId, 'meeting', meeting.id, company.id);
    const fact = factsOf(
      company,
      { deals, tickets, contacts, meetings, calls: tickets === null ? [] : calls },
      input,
      previous.accounts.get(company.id),
    );
    if (fact !== null) fresh.set(company.id, fact);
  }
  const removed = new Set(
    input.companyIds.filter((id) => !fresh.has(id) && previous.accounts.has(id)), // deleted, merged away
  );

  const facts: AccountFacts[] = [];
  for (const [id, account] of previous.accounts) {
    if (!removed.has(id)) facts.push(fresh.get(id) ?? account.fact);
  }
  for (const [id, fact] of fresh) if (!previous.accounts.has(id)) facts.push(fact);

  const readDone = performance.now();
  const scoredAt = new Date(asOfMs).toISOString();
  const dueDate = dueDateCache(asOfMs);

  // The changed companies first, ranked on their own and scored in the
  // portfolio's context as it stood: a rep who changed a deal waits for that
  // company's values, not for the whole portfolio's ranking or the accounts
  // the change moved.
  const freshIndices: number[] = [];
  facts.forEach((fact, index) => {
    if (fresh.has(fact.companyId)) freshIndices.push(index);
  });
  const firstFrame = { context: frame.context, settings, asOfMs, dueDate };
  // Rescored accounts by position; the others keep their stored placement.
  const placed = new Array<AccountSnapshot | undefined>(facts.length);
  // What the changed companies were given first, by position.
  const firstValues = new Map<number, Record<string, string>>();
  const changedUpdates: CompanyUpdate[] = [];
  // The portfolio's ranking as the last pass left it, moved to this pass's
  // changes (built anew when companies came or went, or none was kept).
  const kept = input.cache.takeStandingsIndex(previous);
  const ranking = kept?.move(facts, freshIndices) === true ? kept : standingsIndex(facts);
  const freshStandings = ranking.standingsOf(facts, freshIndices, settings);
  freshIndices.forEach((index, at) => {
    const fact = facts[index] as AccountFacts;
    const standing = freshStandings[at] as AccountStanding;
    const scored = scoreAccount(fact, standing, firstFrame);
    placed[index] = { fact, standing, entry: summaryEntry(scored) };
    const values = kamPropertyValues(scored);
    firstValues.set(index, values);
    const current = companies.get(fact.companyId)?.properties ?? {};
    const changed = changedKamProperties(current, values, scoredAt);
    if (changed !== null) changedUpdates.push({ id: fact.companyId, properties: changed });
  });
  const changedWrite = await client.updateCompanies(changedUpdates);
  const changedWritten = performance.now();

  /** Stores what the pass placed, with the frame it leaves, and says what it did. */
  const finish = async (
    stored: {
      /** The accounts as stored, built once the store has succeeded. */
      readonly accounts: () => Map<string, AccountSnapshot>;
      readonly placements: readonly AccountSnapshot[];
      readonly frame: SnapshotFrame;
    },
    outcome: Pick<UpdateOutcome, 'updated' | 'failed'>,
    done: { readonly rescored: number; readonly reRanked: boolean },
    phases: Omit<PassPhases, 'storeMs'>,
    storeStarted: number,
  ): Promise<CompanyRecomputeOutcome> => {
    await snapshots.forgetHistory(portalId, outcome.updated);
    const version = await snapshots.update(portalId, {
      facts: [...fresh.values()],
      placements: stored.placements,
      removed: [...removed],
      frame: stored.frame,
      written: outcome.updated,
      failures: writeFailures(outcome.failed, scoredAt),
    });
    input.cache.remember(portalId, { version, accounts: stored.accounts() }, ranking);
    return {
      kind: 'recomputed',
      reread: fresh.size,
      ...done,
      written: outcome.updated,
      failed: outcome.failed,
      phases: { ...phases, storeMs: Math.round(performance.now() - storeStarted) },
    };
  };

  if (!(await input.reRankNow(facts.length))) {
    // Left for later (more changes wait, or a large portfolio waits for a
    // quiet portal): the pass that re-ranks compares everything against the
    // stored standings, so it covers what this one and any other moved.
    const changedPlacements = freshIndices.map((index) => placed[index] as AccountSnapshot);
    const moveAccounts = (): Map<string, AccountSnapshot> => {
      const accounts = previous.accounts;
      for (const id of removed) accounts.delete(id);
      for (const account of changedPlacements) accounts.set(account.fact.companyId, account);
      return accounts;
    };
    return finish(
      { accounts: moveAccounts, placements: changedPlacements, frame },
      changedWrite,
      { rescored: 0, reRanked: false },
      {
        readMs: Math.round(readDone - started),
        changedWrittenMs: Math.round(changedWritten - started),
        rankMs: 0,
        rescoreMs: 0,
        neighboursWriteMs: 0,
      },
      changedWritten,
    );
  }

  const ranked = portfolioStandings(facts, settings);
  // Labels are read by the full recompute; a change of them waits for the next one.
  const context = portfolioContext(
    facts,
    facts.map((_, index) => ranked.tierAt(index)),
    frame.context.productLineLabels,
  );
  // A change of tier peers' lines (O3) or of the median sales cycle (loyalty)
  // moves every account, the changed ones too; so do new settings. Peers'
  // counts alone move only O3's wording, which the cards take from the new context.
  const rescoreAll =
    contextScoringKey(context) !== contextScoringKey(frame.context) ||
    JSON.stringify(settings) !== JSON.stringify(frame.settings);
  const newFrame = { context, settings, asOfMs, dueDate };
  const oldFrame = { ...frame, dueDate: dueDateCache(frame.asOfMs) };
  const rankDone = performance.now();

  const place = (index: number, fact: AccountFacts, standing: AccountStanding): CompanyScore => {
    const scored = scoreAccount(fact, standing, newFrame);
    placed[index] = { fact, standing, entry: summaryEntry(scored) };
    return scored;
  };
  const showsAlike = (index: number, fact: AccountFacts, before: AccountStanding): boolean =>
    ranked.showsAlike(index, before) ||
    (ranked.alikeButPercentiles(index, before) &&
      percentilesShowAlike(fact, before.percentiles, ranked.percentilesAt(index), newFrame));
  const updates: CompanyUpdate[] = [];
  let rescored = 0;
  const accounts = new Map<string, AccountSnapshot>();
  // A re-rank compares every account of the portfolio (100,000 in the
  // largest): other portals' passes run between its slices.
  const pause = timeSlicer();
  for (const [index, fact] of facts.entries()) {
    await pause();
    const id = fact.companyId;
    const first = firstValues.get(index);
    if (first !== undefined) {
      // Changed, and written above; again if the context it was scored in moved.
      const standing = (placed[index] as AccountSnapshot).standing;
      const changed = rescoreAll
        ? changedKamProperties(first, kamPropertyValues(place(index, fact, standing)), scoredAt)
        : null;
      if (changed !== null) updates.push({ id, properties: changed });
      accounts.set(id, placed[index] as AccountSnapshot);
      continue;
    }
    const before = previous.accounts.get(id);
    if (before === undefined) throw new Error(`internal: company ${id} was never scored`);
    if (!rescoreAll && showsAlike(index, fact, before.standing)) {
      // Not moved in any way its properties show: it keeps its stored
      // standing (exact share, percentiles and sentences catch up at the
      // nightly recompute), so a pass writes what it rescored, not the portfolio.
      accounts.set(id, before);
      continue;
    }
    rescored += 1;
    const scored = place(index, fact, ranked.standingAt(index));
    const changed = changedAlongsideRerank(before, scored, oldFrame, scoredAt);
    if (changed !== null) updates.push({ id, properties: changed });
    accounts.set(id, placed[index] as AccountSnapshot);
  }
  const rescoreDone = performance.now();
  const neighboursWrite = await client.updateCompanies(updates);
  const outcome = {
    updated: [...changedWrite.updated, ...neighboursWrite.updated],
    failed: [...changedWrite.failed, ...neighboursWrite.failed],
  };
  const neighboursWritten = performance.now();

  const summary = summarizePortfolio(
    [...accounts.values()].map((account) => account.entry),
    ranked.ranking,
    context.productLines,
    frame.summary.dataQuality,
    settings,
    summarizeGroups(ranked.groups),
  );
  return finish(
    {
      accounts: () => accounts,
      placements: placed.filter((account) => account !== undefined),
      frame: {
        ...frame,
        context,
        settings,
        summary,
        paretoCurve: paretoCurve(facts.map((fact) => fact.metrics.revenueTtm)),
      },
    },
    outcome,
    { rescored, reRanked: true },
    {
      readMs: Math.round(readDone - started),
      changedWrittenMs: Math.round(changedWritten - started),
      rankMs: Math.round(rankDone - changedWritten),
      rescoreMs: Math.round(rescoreDone - rankDone),
      neighboursWriteMs: Math.round(neighboursWritten - rescoreDone),
    },
    neighboursWritten,
  );
}

/**
 * The deals of the changed companies, by company. A large company (its
 * deals recorded) whose changes named the deals they moved has only those
 * read again, 100 to a call for the whole pass: at 100,000 companies a
 * stream of deal changes would otherwise re-read every deal of every
 * account it touches (hundreds for a large one) and wait on HubSpot's rate
 * limit. The others, and a record missing a named deal (it came since),
 * are read whole. What was read is recorded for the next pass.
 */
async function readChangedDeals(
  input: Pick<
    CompanyRecomputeInput,
    'client' | 'dealRecords' | 'settings' | 'companyIds' | 'dealsChanged'
  >,
): Promise<Map<string, CrmObject[]>> {
  const { client, dealRecords, dealsChanged } = input;
  const properties = dealInputProperties(input.settings);
  const recorded = await dealRecords.read(
    client.portalId,
    input.companyIds.filter((id) => dealsChanged.has(id)),
    properties,
  );
  for (const [companyId, deals] of recorded) {
    const held = new Set(deals.map((deal) => deal.id));
    if ((dealsChanged.get(companyId) ?? []).some((id) => !held.has(id))) recorded.delete(companyId);
  }
  const named = [...recorded.keys()].flatMap((companyId) => dealsChanged.get(companyId) ?? []);
  const whole = input.companyIds.filter((id) => !recorded.has(id));
  const [dealsOf, reread] = await Promise.all([
    whole.length === 0
      ? new Map<string, CrmObject[]>()
      : client.readDealsOfCompanies(whole, properties),
    named.length === 0 ? [] : client.readDeals([...new Set(named)], properties),
  ]);
  const readNow = new Map(reread.map((deal) => [deal.id, deal]));
  const updated = new Map(dealsOf);
  for (const [companyId, deals] of recorded) {
    const changed = new Set(dealsChanged.get(companyId));
    const current = deals.flatMap((deal) => {
      if (!changed.has(deal.id)) return [deal];
      const now = readNow.get(deal.id);
      // Not returned: deleted since.
      return now === undefined ? [] : [{ ...now, associations: deal.associations }];
    });
    dealsOf.set(companyId, current);
    if (changed.size > 0) updated.set(companyId, current);
  }
  await dealRecords.write(client.portalId, updated, properties);
  return dealsOf;
}

/**
 * Objects a batch read returned for one company, linked to it as a list
 * read would have them (batch reads return no associations); undefined
 * when they were not re-read.
 */
function ofCompany(objects: readonly CrmObject[] | undefined, companyId: string) {
  return objects?.map((object) => ({
    ...object,
    associations: { companies: { results: [{ id: companyId, type: 'unlabeled' }] } },
  }));
}

/** What a company pass read of one company; null or undefined: not re-read. */
interface CompanyReads {
  readonly deals: readonly CrmObject[];
  /** Null also without the `tickets` scope. */
  readonly tickets: readonly CrmObject[] | null;
  readonly contacts: readonly CrmObject[] | undefined;
  readonly meetings: readonly CrmObject[] | undefined;
  /** Follow-up calls of a company whose tickets were re-read (§12 A15). */
  readonly calls: readonly CrmObject[];
}

/**
 * One company's facts from what HubSpot has now; null when it has no place
 * in the model. What was not re-read (tickets, contacts, meetings) it keeps
 * from before.
 */
function factsOf(
  company: CrmObject,
  reads: CompanyReads,
  input: Pick<CompanyRecomputeInput, 'settings' | 'asOfMs'>,
  before: AccountSnapshot | undefined,
): AccountFacts | null {
  // Its own collector: a deal shared with another changed company is credited once to each.
  const collector = createBoundedFactsCollector([company], input.settings, input.asOfMs);
  collector.addDeals(reads.deals);
  if (reads.tickets !== null) {
    collector.addTickets(reads.tickets);
    collector.addCalls(reads.calls);
  }
  collector.addContacts(reads.contacts ?? []);
  collector.addMeetings(reads.meetings ?? []);
  const [fact] = collector.finish().facts;
  if (fact === undefined) return null;
  if (before === undefined) return fact;
  // What was not re-read stays as it was.
  return {
    ...fact,
    ...(reads.contacts === undefined ? { contacts: before.fact.contacts } : {}),
    ...(reads.meetings === undefined ? { meetings: before.fact.meetings } : {}),
    ...(reads.tickets === null
      ? {
          openComplaints: before.fact.openComplaints,
          openMajorComplaints: before.fact.openMajorComplaints,
          complaints: before.fact.complaints,
        }
      : {}),
  };
}

/**
 * What changed for an account another company's change moved: its values
 * now against its values before, rather than against HubSpot (which this
 * run did not read). Its due date moves only with its next action; its
 * days since the last visit follow the clock, which the nightly recompute
 * writes for every account.
 */
function changedAlongsideRerank(
  before: AccountSnapshot,
  scored: CompanyScore,
  oldFrame: Parameters<typeof scoreAccount>[2],
  scoredAt: string,
): Record<string, string> | null {
  const values = kamPropertyValues(scored);
  const old = kamPropertyValues(scoreAccount(before.fact, before.standing, oldFrame));
  const comparable = {
    ...values,
    kam_next_action_due: old.kam_next_action_due,
    kam_days_since_visit: old.kam_days_since_visit,
  };
  if (values.kam_next_action !== old.kam_next_action)
    comparable.kam_next_action_due = values.kam_next_action_due;
  return changedKamProperties(old, comparable, scoredAt);
}

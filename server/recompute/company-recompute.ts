import type { AccountFacts, CompanyScore, CrmObject, Settings } from '../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  contextScoringKey,
  dealInputProperties,
  dueDateCache,
  MEETING_INPUT_PROPERTIES,
  paretoCurve,
  portfolioContext,
  portfolioStandings,
  scoreAccount,
  summarizeGroups,
  summarizePortfolio,
  summaryEntry,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import type { CompanyUpdate, PortalClient } from '../hubspot/portal-client.ts';
import { changedKamProperties, kamPropertyValues } from './kam-property-values.ts';
import { KAM_WRITTEN_PROPERTIES } from '../hubspot/kam-properties.ts';
import type { AssociationIndex } from './association-index.ts';
import { createBoundedFactsCollector } from './bounded-facts.ts';
import { meetingWindowStart } from './meeting-window.ts';
import { createFollowUpCompanies, inFollowUpWindow, readFollowUpCalls } from './follow-up-calls.ts';
import type { SnapshotCache } from './snapshot-cache.ts';
import type { AccountSnapshot, SnapshotStore } from './snapshot-store.ts';
import { writeFailures } from './snapshot-store.ts';

export interface CompanyRecomputeInput {
  readonly client: PortalClient;
  readonly snapshots: SnapshotStore;
  readonly cache: SnapshotCache;
  readonly associationIndex: AssociationIndex;
  readonly settings: Settings;
  readonly companyIds: readonly string[];
  /** Companies whose tickets, contacts or meetings changed: those are re-read. */
  readonly activityChanged: ReadonlySet<string>;
  readonly asOfMs: number;
}

export type CompanyRecomputeOutcome =
  | { readonly kind: 'no_snapshot' }
  | {
      readonly kind: 'recomputed';
      /** Companies whose facts were re-read. */
      readonly reread: number;
      /** Other companies rescored because the re-rank moved them. */
      readonly rescored: number;
      readonly written: readonly string[];
      readonly failed: readonly {
        readonly id: string;
        readonly code: string;
        readonly message: string;
      }[];
    };

/**
 * Recomputes after some companies' deals or tickets changed, without
 * re-reading the portal: re-reads those companies, their deals and their
 * tickets, re-ranks the portfolio from the snapshot (tiers and percentiles
 * are relative), rescores only the accounts whose standing moved in a way
 * their properties can show, and writes only what changed, to HubSpot and
 * to the snapshot. Due dates and survey staleness of the other accounts
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
  const frame = await snapshots.frame(portalId);
  if (frame === null) return { kind: 'no_snapshot' };
  const previous = await input.cache.accounts(portalId);

  const companies = new Map<string, CrmObject>(
    (
      await client.readCompanies(input.companyIds, [
        ...COMPANY_INPUT_PROPERTIES,
        ...KAM_WRITTEN_PROPERTIES,
      ])
    ).map((company) => [company.id, company]),
  );
  const dealsOf = await client.readDealsOfCompanies(
    [...companies.keys()],
    dealInputProperties(settings),
  );
  // Tickets, contacts and meetings of the companies an event about them
  // named, of companies new to the snapshot, and of those a follow-up call
  // may be owed by (a logged call marks its company through its last
  // activity); the others keep the complaints, buying centre and visits
  // they had (no calls).
  const activityReads = [...companies.keys()].filter(
    (id) =>
      input.activityChanged.has(id) ||
      !previous.accounts.has(id) ||
      awaitsFollowUp(previous.accounts.get(id)?.fact, asOfMs),
  );
  const ticketsOf =
    activityReads.length === 0
      ? null
      : await client.readTicketsOfCompanies(activityReads, TICKET_INPUT_PROPERTIES);
  const contactsOf =
    activityReads.length === 0
      ? null
      : await client.readContactsOfCompanies(activityReads, CONTACT_INPUT_PROPERTIES);
  const meetingsOf =
    activityReads.length === 0
      ? null
      : await client.readMeetingsOfCompanies(
          activityReads,
          MEETING_INPUT_PROPERTIES,
          meetingWindowStart(asOfMs),
        );
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

  const ranked = portfolioStandings(facts, settings);
  // Labels are read by the full recompute; a change of them waits for the next one.
  const context = portfolioContext(
    facts,
    facts.map((_, index) => ranked.tierAt(index)),
    frame.context.productLineLabels,
  );
  // A change of tier peers' lines (O3) or of the median sales cycle (loyalty)
  // moves every account; so do new settings. Peers' counts alone move only
  // O3's wording, which the cards take from the new context.
  const rescoreAll =
    contextScoringKey(context) !== contextScoringKey(frame.context) ||
    JSON.stringify(settings) !== JSON.stringify(frame.settings);
  const newFrame = { context, settings, asOfMs, dueDate: dueDateCache(asOfMs) };
  const oldFrame = { ...frame, dueDate: dueDateCache(frame.asOfMs) };
  const scoredAt = new Date(asOfMs).toISOString();

  const updates: CompanyUpdate[] = [];
  const accounts = new Map<string, AccountSnapshot>();
  const placements: AccountSnapshot[] = [];
  let rescored = 0;
  facts.forEach((fact, index) => {
    const id = fact.companyId;
    const before = previous.accounts.get(id);
    const company = companies.get(id);
    const isFresh = fresh.has(id) && company !== undefined;
    if (
      !isFresh &&
      before !== undefined &&
      !rescoreAll &&
      ranked.showsAlike(index, before.standing)
    ) {
      // Not moved in any way its properties show: it keeps its stored
      // standing (exact share and tier sentence catch up at the nightly
      // recompute), so a pass writes what it rescored, not the portfolio.
      accounts.set(id, before);
      return;
    }
    const standing = ranked.standingAt(index);
    const scored = scoreAccount(fact, standing, newFrame);
    let changed: Record<string, string> | null;
    if (isFresh) {
      changed = changedKamProperties(company.properties, kamPropertyValues(scored), scoredAt);
    } else if (before !== undefined) {
      rescored += 1;
      changed = changedAlongsideRerank(before, scored, oldFrame, scoredAt);
    } else {
      throw new Error(`internal: company ${id} was never scored`);
    }
    if (changed !== null) updates.push({ id, properties: changed });
    const account: AccountSnapshot = { fact, standing, entry: summaryEntry(scored) };
    accounts.set(id, account);
    placements.push(account);
  });

  const outcome = await client.updateCompanies(updates);
  await snapshots.forgetHistory(portalId, outcome.updated);
  const summary = summarizePortfolio(
    [...accounts.values()].map((account) => account.entry),
    ranked.ranking,
    context.productLines,
    frame.summary.dataQuality,
    settings,
    summarizeGroups(ranked.groups),
  );
  const version = await snapshots.update(portalId, {
    facts: [...fresh.values()],
    placements,
    removed: [...removed],
    frame: {
      ...frame,
      context,
      settings,
      summary,
      paretoCurve: paretoCurve(facts.map((fact) => fact.metrics.revenueTtm)),
    },
    written: outcome.updated,
    failures: writeFailures(outcome.failed, scoredAt),
  });
  input.cache.remember(portalId, { version, accounts });
  return {
    kind: 'recomputed',
    reread: fresh.size,
    rescored,
    written: outcome.updated,
    failed: outcome.failed,
  };
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

/** Whether a follow-up call may still be owed: a complaint closed within the window (§12). */
function awaitsFollowUp(fact: AccountFacts | undefined, asOfMs: number): boolean {
  const closed = fact?.complaints.lastClosed;
  return closed != null && inFollowUpWindow(closed.closedMs, asOfMs);
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
 * run did not read). Its due date moves only with its next action.
 */
function changedAlongsideRerank(
  before: AccountSnapshot,
  scored: CompanyScore,
  oldFrame: Parameters<typeof scoreAccount>[2],
  scoredAt: string,
): Record<string, string> | null {
  const values = kamPropertyValues(scored);
  const old = kamPropertyValues(scoreAccount(before.fact, before.standing, oldFrame));
  const comparable = { ...values, kam_next_action_due: old.kam_next_action_due };
  if (values.kam_next_action !== old.kam_next_action)
    comparable.kam_next_action_due = values.kam_next_action_due;
  return changedKamProperties(old, comparable, scoredAt);
}

import { Queue } from 'bullmq';
import type { CrmObject, Settings } from '../../src/index.ts';
import {
  CALL_INPUT_PROPERTIES,
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  dealInputProperties,
  MEETING_INPUT_PROPERTIES,
  scorePortal,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import { RECOMPUTE_QUEUES } from '../../server/jobs/recompute-queue.ts';
import { listAll, listPipelineLabels, recentMeetings } from './sandbox-reads.ts';
import {
  KAM_OUTPUT_PROPERTIES,
  kamPropertyValues,
  SCORED_AT_PROPERTY,
} from '../../server/recompute/kam-property-values.ts';

export const KAM_READ = [...KAM_OUTPUT_PROPERTIES, SCORED_AT_PROPERTY] as const;

/** The portal as HubSpot holds it now: inputs for scoring, and the kam_* values written. */
export interface PortalState {
  readonly companies: readonly CrmObject[];
  readonly deals: readonly CrmObject[];
  readonly tickets: readonly CrmObject[];
  readonly calls: readonly CrmObject[];
  readonly contacts: readonly CrmObject[];
  /** Every meeting; a clean run at asOf reads those of its 400-day window. */
  readonly meetings: readonly CrmObject[];
  /** The deal pipelines' labels: product lines are named by them. */
  readonly productLineLabels: Readonly<Record<string, string>>;
  /** Company id → its kam_* output values and kam_scored_at ('' when unset). */
  readonly written: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export async function readPortal(
  sandboxUrl: string,
  token: string,
  settings: Settings,
): Promise<PortalState> {
  const companies = await listAll(sandboxUrl, token, 'companies', [
    ...COMPANY_INPUT_PROPERTIES,
    ...KAM_READ,
  ]);
  const deals = await listAll(sandboxUrl, token, 'deals', dealInputProperties(settings));
  const tickets = await listAll(sandboxUrl, token, 'tickets', TICKET_INPUT_PROPERTIES);
  const calls = await listAll(sandboxUrl, token, 'calls', CALL_INPUT_PROPERTIES);
  const contacts = await listAll(sandboxUrl, token, 'contacts', CONTACT_INPUT_PROPERTIES);
  const meetings = await listAll(sandboxUrl, token, 'meetings', MEETING_INPUT_PROPERTIES);
  const written = new Map(
    companies.map((company) => [
      company.id,
      Object.fromEntries(KAM_READ.map((name) => [name, company.properties[name] ?? ''])),
    ]),
  );
  const productLineLabels = await listPipelineLabels(sandboxUrl, token);
  return { companies, deals, tickets, calls, contacts, meetings, productLineLabels, written };
}

/** What `kam score` computes for every company of that data at `asOfMs`: a clean run. */
export function cleanRunValues(
  state: PortalState,
  settings: Settings,
  asOfMs: number,
): Map<string, Record<string, string>> {
  const scored = scorePortal(
    {
      companies: [...state.companies],
      deals: [...state.deals],
      tickets: [...state.tickets],
      calls: [...state.calls],
      contacts: [...state.contacts],
      meetings: recentMeetings(state.meetings, asOfMs),
      productLineLabels: state.productLineLabels,
    },
    settings,
    asOfMs,
  );
  return new Map(
    scored.companies.map((company) => [company.id, { ...kamPropertyValues(company) }]),
  );
}

/** The kam_* output properties of a company that differ from `expected` (the clean run's). */
export function differences(
  written: Readonly<Record<string, string>> | undefined,
  expected: Readonly<Record<string, string>> | undefined,
): string[] {
  return KAM_OUTPUT_PROPERTIES.filter(
    (name) => (written?.[name] ?? '') !== (expected?.[name] ?? ''),
  );
}

/** Companies whose written kam_* values differ from the clean run's. */
export function staleCompanies(
  state: PortalState,
  expected: ReadonlyMap<string, Readonly<Record<string, string>>>,
): string[] {
  return state.companies
    .map((company) => company.id)
    .filter((id) => differences(state.written.get(id), expected.get(id)).length > 0);
}

/** Jobs still to be worked (the nightly scheduler's next run, due at 03:00, does not count). */
export async function pendingJobs(redisUrl: string): Promise<string[]> {
  const pending: string[] = [];
  for (const name of RECOMPUTE_QUEUES) {
    const queue = new Queue(name, { connection: { url: redisUrl } });
    try {
      const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      for (const job of jobs) {
        if (job.repeatJobKey === undefined) pending.push(`${job.name}:${job.id ?? '?'}`);
      }
    } finally {
      await queue.close();
    }
  }
  return pending;
}

/** Every HubSpot call the backend made, by status ('0' = no answer in time), from its `/metrics`. */
export async function hubSpotCallsByStatus(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const byStatus = new Map<string, number>();
  for (const match of text.matchAll(
    /^kam_hubspot_calls_total\{[^}]*status="(\d+)"[^}]*\} (\d+(?:\.\d+)?)$/gm,
  )) {
    const status = match[1] ?? '';
    byStatus.set(status, (byStatus.get(status) ?? 0) + Number(match[2]));
  }
  return byStatus;
}

import type { CrmObject } from '../../src/index.ts';
import { MEETING_INPUT_PROPERTIES, parseInstantProperty } from '../../src/index.ts';
import { meetingWindowStart } from '../../server/recompute/meeting-window.ts';

const RATE_LIMIT_PAUSE_MS = 1_000;

let ownRateLimited = 0;

/**
 * How many 429s these reads met: they share the portal's limit with the
 * app, so a test that counts the app's 429s at the sandbox leaves these out.
 */
export function rateLimitedTestReads(): number {
  return ownRateLimited;
}

/** Reads a sandbox portal the way HubSpot's list endpoint serves it, apart from the app's code. */
export async function listAll(
  sandboxUrl: string,
  token: string,
  type: 'companies' | 'deals' | 'tickets' | 'calls' | 'contacts' | 'meetings',
  properties: readonly string[],
): Promise<CrmObject[]> {
  const objects: CrmObject[] = [];
  let after: string | undefined;
  for (;;) {
    const url = new URL(`${sandboxUrl}/crm/v3/objects/${type}`);
    url.searchParams.set('limit', '100');
    url.searchParams.set('properties', properties.join(','));
    if (type !== 'companies') url.searchParams.set('associations', 'companies');
    if (after !== undefined) url.searchParams.set('after', after);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 429) {
      ownRateLimited += 1;
      // The test's own reads share the portal's limit with the app: wait, as HubSpot asks.
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_PAUSE_MS));
      continue;
    }
    if (!response.ok) throw new Error(`listing ${type}: ${response.status}`);
    const page = (await response.json()) as {
      results: CrmObject[];
      paging?: { next?: { after: string } };
    };
    objects.push(...page.results);
    after = page.paging?.next?.after;
    if (after === undefined) break;
  }
  return objects;
}

/** The deal pipelines' labels by id, as `kam score` takes them (`productLineLabels`). */
export async function listPipelineLabels(
  sandboxUrl: string,
  token: string,
): Promise<Record<string, string>> {
  const response = await fetch(`${sandboxUrl}/crm/v3/pipelines/deals`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new Error(`listing deal pipelines: ${response.status}`);
  const { results } = (await response.json()) as { results: { id: string; label: string }[] };
  return Object.fromEntries(results.map((pipeline) => [pipeline.id, pipeline.label]));
}

/** Of `meetings`, those the app reads at `asOfMs`: started in its 400-day window. */
export function recentMeetings(meetings: readonly CrmObject[], asOfMs: number): CrmObject[] {
  const since = meetingWindowStart(asOfMs);
  return meetings.filter(
    (meeting) => (parseInstantProperty(meeting.properties.hs_meeting_start_time) ?? 0) >= since,
  );
}

/** The meetings the app reads at `asOfMs`, as HubSpot lists them. */
export async function listRecentMeetings(
  sandboxUrl: string,
  token: string,
  asOfMs: number,
): Promise<CrmObject[]> {
  return recentMeetings(
    await listAll(sandboxUrl, token, 'meetings', MEETING_INPUT_PROPERTIES),
    asOfMs,
  );
}

import { z } from 'zod';
import type { Association, CrmObject } from '../../src/index.ts';
import { crmObjectSchema } from '../../src/index.ts';
import type { HubSpotTransport } from './hubspot-transport.ts';

/** HubSpot's search serves 200 a page and no query past its 10,000th result. */
const SEARCH_PAGE_SIZE = 200;
const SEARCH_MAX_RESULTS = 10_000;
/** Associations v4 batch read takes 1,000 inputs: one call per five search pages. */
const ASSOCIATION_BATCH_SIZE = 1_000;

const searchPageSchema = z.object({
  total: z.number().int().nonnegative(),
  results: z.array(crmObjectSchema),
  paging: z
    .object({ next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }) })
    .partial()
    .optional(),
});

export type ReadAssociations = (
  fromType: string,
  toType: string,
  ids: readonly string[],
) => Promise<Map<string, Association[]>>;

/**
 * Every meeting that started at or after `sinceMs`, with its companies, in
 * pages of up to 1,000: search (200 a page, the search limit of 5 a second)
 * sorted by id, then one associations v4 call per 1,000 meetings, because
 * search returns no associations. A query stops at 10,000 results, so the
 * next one goes on from the last id seen. Cheaper than listing every
 * meeting the portal ever had (100 a page, associations inline) as soon as
 * a fifth of them are older than the window.
 */
export async function forEachRecentMeeting(
  send: HubSpotTransport['send'],
  readAssociations: ReadAssociations,
  properties: readonly string[],
  sinceMs: number,
  onPage: (meetings: CrmObject[]) => Promise<void> | void,
): Promise<void> {
  let buffer: CrmObject[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const companies = await readAssociations(
      'meetings',
      'companies',
      buffer.map((meeting) => meeting.id),
    );
    const page = buffer.map((meeting) => ({
      ...meeting,
      associations: { companies: { results: companies.get(meeting.id) ?? [] } },
    }));
    buffer = [];
    await onPage(page);
  };

  let afterId: string | undefined;
  let after: string | undefined;
  let readInQuery = 0;
  for (;;) {
    const response = await send({
      route: 'POST /crm/v3/objects/meetings/search',
      method: 'POST',
      path: '/crm/v3/objects/meetings/search',
      bucket: 'search',
      body: {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_meeting_start_time', operator: 'GTE', value: String(sinceMs) },
              ...(afterId === undefined
                ? []
                : [{ propertyName: 'hs_object_id', operator: 'GT', value: afterId }]),
            ],
          },
        ],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties,
        limit: SEARCH_PAGE_SIZE,
        ...(after === undefined ? {} : { after }),
      },
    });
    const page = searchPageSchema.parse(response.body);
    buffer.push(...page.results);
    readInQuery += page.results.length;
    if (buffer.length >= ASSOCIATION_BATCH_SIZE) await flush();
    const next = page.paging?.next?.after;
    const last = page.results.at(-1);
    if (last === undefined) break;
    if (next !== undefined && Number(next) < SEARCH_MAX_RESULTS) after = next;
    else if (readInQuery < page.total) {
      // The query's first 10,000 are read: a new one goes on from the last id.
      afterId = last.id;
      after = undefined;
      readInQuery = 0;
    } else break;
  }
  await flush();
}

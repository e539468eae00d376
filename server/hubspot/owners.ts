import { z } from 'zod';
import type { HubSpotOwner } from '../../src/index.ts';
import { hubSpotOwnerSchema } from '../../src/index.ts';
import type { HubSpotTransport } from './hubspot-transport.ts';

/** HubSpot's owners API serves up to 500 a page. */
const OWNERS_PAGE_SIZE = 500;

const ownerPageSchema = z.object({
  results: z.array(hubSpotOwnerSchema),
  paging: z
    .object({ next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }) })
    .partial()
    .optional(),
});

/**
 * The portal's active owners (`GET /crm/v3/owners`, 500 a page: one call in
 * all but the largest portals), for names on the cards and the executives
 * picker; null, never an error, when the portal did not grant the optional
 * `crm.objects.owners.read` scope (403).
 *
 * @example
 * await readOwners(send); // [{ id: '71000001', firstName: 'Alice', … }]
 */
export async function readOwners(send: HubSpotTransport['send']): Promise<HubSpotOwner[] | null> {
  const owners: HubSpotOwner[] = [];
  let after: string | undefined;
  do {
    const response = await send({
      route: 'GET /crm/v3/owners',
      method: 'GET',
      path: '/crm/v3/owners',
      query: { limit: String(OWNERS_PAGE_SIZE), ...(after === undefined ? {} : { after }) },
      accept: [403],
    });
    if (response.status === 403) return null;
    const page = ownerPageSchema.parse(response.body);
    owners.push(...page.results.filter((owner) => owner.archived !== true));
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return owners;
}

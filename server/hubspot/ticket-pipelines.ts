import { z } from 'zod';
import type { HubSpotTransport } from './hubspot-transport.ts';
import type { TicketPipeline } from './portal-client.ts';

/** `GET /crm/v3/pipelines/tickets`: only what the picker needs. */
const ticketPipelineListSchema = z.object({
  results: z.array(
    z.object({ id: z.string(), label: z.string(), archived: z.boolean().optional() }).loose(),
  ),
});

/**
 * The portal's ticket pipelines in one call, archived ones left out; null
 * when the portal did not grant the optional `tickets` scope (403).
 *
 * @example
 * await readTicketPipelines(send); // [{ id: '0', label: 'Support Pipeline' }, …]
 */
export async function readTicketPipelines(
  send: HubSpotTransport['send'],
): Promise<TicketPipeline[] | null> {
  const response = await send({
    route: 'GET /crm/v3/pipelines/tickets',
    method: 'GET',
    path: '/crm/v3/pipelines/tickets',
    accept: [403],
  });
  if (response.status === 403) return null;
  return ticketPipelineListSchema
    .parse(response.body)
    .results.filter((pipeline) => pipeline.archived !== true)
    .map(({ id, label }) => ({ id, label }));
}

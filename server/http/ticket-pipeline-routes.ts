import { Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { PortalClient, TicketPipeline } from '../hubspot/portal-client.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { cachedJson } from './cached-json.ts';
import { installedPortal } from './card-routes.ts';
import { signedPortalId } from './signed-request.ts';

export interface TicketPipelineRoutesDeps {
  readonly redis: Redis;
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly clientFor: (portalId: number) => Promise<Pick<PortalClient, 'readTicketPipelines'>>;
  /** How long the list is kept: an admin adding a pipeline sees it this much later at worst. */
  readonly ttlSeconds?: number;
}

/** What the settings page's picker gets; `ticketsScope` false says why the list is empty. */
export interface TicketPipelinesResponse {
  readonly pipelines: readonly TicketPipeline[];
  readonly ticketsScope: boolean;
}

const cachedSchema = z.object({
  pipelines: z.array(z.object({ id: z.string(), label: z.string() })),
  ticketsScope: z.boolean(),
});

/**
 * `GET /api/v1/ticket-pipelines` (signed): the portal's ticket pipelines for
 * the `complaintPipelines` picker (kam-model.md §12), asked of HubSpot at
 * most once per `ttlSeconds` (5 minutes) per portal. Without the optional
 * `tickets` scope the list is empty, never an error.
 */
export function ticketPipelineRoutes(deps: TicketPipelineRoutesDeps): Router {
  const router = Router();
  const ttlSeconds = deps.ttlSeconds ?? 300;
  // Under the portal's keys, so removing the portal's data removes this too.
  const key = (portalId: number): string => `kam:portal:${portalId}:ticket-pipelines`;

  router.get('/api/v1/ticket-pipelines', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const body: TicketPipelinesResponse = await cachedJson(
      deps.redis,
      key(portalId),
      ttlSeconds,
      cachedSchema,
      async () => {
        const pipelines = await (await deps.clientFor(portalId)).readTicketPipelines();
        return { pipelines: pipelines ?? [], ticketsScope: pipelines !== null };
      },
    );
    response.json(body);
  });
  return router;
}

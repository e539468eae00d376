import { Router } from 'express';
import { requireScopes } from '../api-middleware.ts';
import { dealPipelineViews } from '../deal-pipelines.ts';
import { objectNotFound } from '../errors.ts';
import { OBJECT_TYPE_INFO } from '../object-types.ts';
import { ticketPipelineViews } from '../ticket-pipeline.ts';

/**
 * `/crm/v3/pipelines/deals` and `/tickets`: the portal's pipelines and their
 * stages, which name the product lines (kam-model.md §1) and the complaint
 * pipelines (§12). Reading them takes the object type's read scope, as in
 * HubSpot.
 */
export function pipelinesRoutes(): Router {
  const router = Router();
  servePipelines(router, 'deals', dealPipelineViews);
  // Ticket pipelines take the tickets scope, as in HubSpot.
  servePipelines(router, 'tickets', ticketPipelineViews);
  return router;
}

/** The list and one-by-id routes of an object type's pipelines, behind its read scopes. */
function servePipelines(
  router: Router,
  objectType: 'deals' | 'tickets',
  views: () => readonly { readonly id: string }[],
): void {
  router.get(`/crm/v3/pipelines/${objectType}`, (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO[objectType].readScopes);
    response.json({ results: views() });
  });

  router.get(`/crm/v3/pipelines/${objectType}/:pipelineId`, (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO[objectType].readScopes);
    const id = String(request.params.pipelineId);
    const pipeline = views().find((candidate) => candidate.id === id);
    if (pipeline === undefined) throw objectNotFound(`Unable to find pipeline ${id}.`, [id]);
    response.json(pipeline);
  });
}

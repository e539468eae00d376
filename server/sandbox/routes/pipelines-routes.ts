import { Router } from 'express';
import { requireScopes } from '../api-middleware.ts';
import { dealPipelineViews } from '../deal-pipelines.ts';
import { objectNotFound } from '../errors.ts';
import { OBJECT_TYPE_INFO } from '../object-types.ts';
import { ticketPipelineViews } from '../ticket-pipeline.ts';

/**
 * `/crm/v3/pipelines/deals` and `/tickets`: the portal's pipelines and their stages,
 * which name the product lines (kam-model.md §1). Reading them takes the
 * deals read scope, as in HubSpot.
 */
export function pipelinesRoutes(): Router {
  const router = Router();

  router.get('/crm/v3/pipelines/deals', (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO.deals.readScopes);
    response.json({ results: dealPipelineViews() });
  });

  router.get('/crm/v3/pipelines/deals/:pipelineId', (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO.deals.readScopes);
    const id = String(request.params.pipelineId);
    const pipeline = dealPipelineViews().find((candidate) => candidate.id === id);
    if (pipeline === undefined) throw objectNotFound(`Unable to find pipeline ${id}.`, [id]);
    response.json(pipeline);
  });

  // Ticket pipelines take the tickets scope, as in HubSpot.
  router.get('/crm/v3/pipelines/tickets', (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO.tickets.readScopes);
    response.json({ results: ticketPipelineViews() });
  });

  router.get('/crm/v3/pipelines/tickets/:pipelineId', (request, response) => {
    requireScopes(request, OBJECT_TYPE_INFO.tickets.readScopes);
    const id = String(request.params.pipelineId);
    const pipeline = ticketPipelineViews().find((candidate) => candidate.id === id);
    if (pipeline === undefined) throw objectNotFound(`Unable to find pipeline ${id}.`, [id]);
    response.json(pipeline);
  });

  return router;
}

import { Router } from 'express';
import { requireScopes } from '../api-middleware.ts';
import { dealPipelineViews } from '../deal-pipelines.ts';
import { objectNotFound } from '../errors.ts';
import { OBJECT_TYPE_INFO } from '../object-types.ts';

/**
 * `/crm/v3/pipelines/deals`: the portal's deal pipelines and their stages,
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

  return router;
}

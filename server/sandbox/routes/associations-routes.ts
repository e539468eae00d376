import { Router } from 'express';
import { portalOf, requireScopes } from '../api-middleware.ts';
import type { SandboxContext } from '../context.ts';
import { v4AssociationTypes } from '../object-view.ts';
import { OBJECT_TYPE_INFO, parseObjectType } from '../object-types.ts';
import { associationsBatchReadSchema, checkBatchSize, parseBody } from '../request-schemas.ts';

/** Associations v4 batch read takes up to 1,000 objects per call. */
const ASSOCIATION_BATCH_LIMIT = 1_000;
/** Each object lists at most this many associations per page. */
const ASSOCIATIONS_PER_OBJECT = 500;

/** `POST /crm/v4/associations/{from}/{to}/batch/read`. */
export function associationsRoutes(context: SandboxContext): Router {
  const router = Router();

  router.post(
    '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
    (request, response) => {
      const fromType = parseObjectType(String(request.params.fromObjectType));
      const toType = parseObjectType(String(request.params.toObjectType));
      requireScopes(request, OBJECT_TYPE_INFO[fromType].readScopes);
      requireScopes(request, OBJECT_TYPE_INFO[toType].readScopes);
      const portal = portalOf(context, request);
      const startedAt = new Date(context.now()).toISOString();
      const { inputs } = parseBody(associationsBatchReadSchema, request.body);
      checkBatchSize(inputs.length, ASSOCIATION_BATCH_LIMIT);
      const results: Record<string, unknown>[] = [];
      const errors: Record<string, unknown>[] = [];
      for (const input of inputs) {
        const edges = portal.associations
          .list(fromType, input.id, toType)
          .filter((edge) => portal.live(toType, edge.toId) !== undefined)
          .filter((edge) => input.after === undefined || Number(edge.toId) >= Number(input.after));
        if (portal.live(fromType, input.id) === undefined || edges.length === 0) {
          errors.push({
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
            message: `No ${OBJECT_TYPE_INFO[toType].singular} is associated with ${OBJECT_TYPE_INFO[fromType].singular} ${input.id}.`,
            context: { fromObjectId: [input.id] },
          });
          continue;
        }
        const page = edges.slice(0, ASSOCIATIONS_PER_OBJECT);
        const next = edges[ASSOCIATIONS_PER_OBJECT];
        results.push({
          from: { id: input.id },
          to: page.map((edge) => ({
            toObjectId: Number(edge.toId),
            associationTypes: v4AssociationTypes(fromType, edge.typeIds),
          })),
          ...(next === undefined ? {} : { paging: { next: { after: next.toId } } }),
        });
      }
      response.status(errors.length > 0 ? 207 : 200).json({
        status: 'COMPLETE',
        results,
        ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
        startedAt,
        completedAt: new Date(context.now()).toISOString(),
      });
    },
  );

  return router;
}

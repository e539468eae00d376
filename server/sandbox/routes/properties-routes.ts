import { Router, type Request } from 'express';
import { z } from 'zod';
import { portalOf, requireScopes } from '../api-middleware.ts';
import type { SandboxContext } from '../context.ts';
import { conflict, HubSpotError, type HubSpotErrorDetail } from '../errors.ts';
import { OBJECT_TYPE_INFO, parseObjectType, type ObjectType } from '../object-types.ts';
import { createProperty, updateProperty } from '../property-writes.ts';
import type { PropertyDefinition } from '../property-definitions.ts';
import {
  checkBatchSize,
  groupCreateSchema,
  parseBody,
  propertyCreateSchema,
  propertyUpdateSchema,
  stringParameter,
} from '../request-schemas.ts';

function readType(request: Request): ObjectType {
  const type = parseObjectType(String(request.params.objectType));
  const info = OBJECT_TYPE_INFO[type];
  requireScopes(request, [...info.readScopes, ...info.schemaWriteScopes]);
  return type;
}

function schemaWriteType(request: Request): ObjectType {
  const type = parseObjectType(String(request.params.objectType));
  requireScopes(request, OBJECT_TYPE_INFO[type].schemaWriteScopes);
  return type;
}

function propertyNotFound(name: string): HubSpotError {
  return new HubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name}.`);
}

/** `/crm/v3/properties/{type}`: definitions and groups. */
export function propertiesRoutes(context: SandboxContext): Router {
  const router = Router();

  // Groups first: `/groups` would otherwise match `/:propertyName`.
  router.get('/crm/v3/properties/:objectType/groups', (request, response) => {
    const type = readType(request);
    response.json({ results: [...portalOf(context, request).groups[type].values()] });
  });

  router.post('/crm/v3/properties/:objectType/groups', (request, response) => {
    const type = schemaWriteType(request);
    const portal = portalOf(context, request);
    const input = parseBody(groupCreateSchema, request.body);
    if (portal.groups[type].has(input.name))
      throw conflict(`Property group named '${input.name}' already exists.`);
    const group = { ...input, archived: false };
    portal.defineGroup(type, group);
    response.status(201).json(group);
  });

  router.get('/crm/v3/properties/:objectType', (request, response) => {
    const type = readType(request);
    const archived = stringParameter(request.query.archived) === 'true';
    const results = [...portalOf(context, request).properties[type].values()].filter(
      (definition) => definition.archived === archived,
    );
    response.json({ results });
  });

  router.post('/crm/v3/properties/:objectType', (request, response) => {
    const type = schemaWriteType(request);
    const input = parseBody(propertyCreateSchema, request.body);
    response.status(201).json(createProperty(portalOf(context, request), type, input));
  });

  router.post('/crm/v3/properties/:objectType/batch/create', (request, response) => {
    const type = schemaWriteType(request);
    const portal = portalOf(context, request);
    const startedAt = new Date(context.now()).toISOString();
    const { inputs } = parseBody(z.object({ inputs: z.array(propertyCreateSchema) }), request.body);
    checkBatchSize(inputs.length);
    const results: PropertyDefinition[] = [];
    const errors: (HubSpotErrorDetail & { status: string; category: string })[] = [];
    for (const input of inputs) {
      try {
        results.push(createProperty(portal, type, input));
      } catch (error) {
        // One bad definition does not stop the others; HubSpot reports it per input.
        if (!(error instanceof HubSpotError)) throw error;
        errors.push({
          status: 'error',
          category: error.category,
          message: error.message,
          context: { name: [input.name] },
        });
      }
    }
    response.status(errors.length > 0 ? 207 : 201).json({
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
      startedAt,
      completedAt: new Date(context.now()).toISOString(),
    });
  });

  router.get('/crm/v3/properties/:objectType/:propertyName', (request, response) => {
    const type = readType(request);
    const name = String(request.params.propertyName);
    const definition = portalOf(context, request).properties[type].get(name);
    if (definition === undefined) throw propertyNotFound(name);
    response.json(definition);
  });

  router.patch('/crm/v3/properties/:objectType/:propertyName', (request, response) => {
    const type = schemaWriteType(request);
    const portal = portalOf(context, request);
    const name = String(request.params.propertyName);
    const existing = portal.properties[type].get(name);
    if (existing === undefined) throw propertyNotFound(name);
    response.json(
      updateProperty(portal, type, existing, parseBody(propertyUpdateSchema, request.body)),
    );
  });

  return router;
}

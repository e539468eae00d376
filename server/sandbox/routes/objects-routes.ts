import { Router, type Request } from 'express';
import { z } from 'zod';
import { enforceSearchLimit, portalOf, principalOf, requireScopes } from '../api-middleware.ts';
import type { SandboxContext } from '../context.ts';
import { createObjects, findObject, updateObjects, type WriteContext } from '../crm-writes.ts';
import { objectNotFound, validationError } from '../errors.ts';
import { renderObject } from '../object-view.ts';
import {
  ALWAYS_RETURNED,
  OBJECT_TYPE_INFO,
  parseObjectType,
  type ObjectType,
} from '../object-types.ts';
import {
  batchReadSchema,
  checkBatchSize,
  createInputSchema,
  listParameter,
  parseBody,
  propertyValuesSchema,
  searchRequestSchema,
  stringParameter,
  updateInputSchema,
} from '../request-schemas.ts';
import { searchObjects } from '../search.ts';

/** The list endpoint pages by at most 100 records. */
const LIST_PAGE_LIMIT = 100;
/** With property history HubSpot serves at most 50 records per list page or batch read. */
const HISTORY_PAGE_LIMIT = 50;

function readType(request: Request): ObjectType {
  const type = parseObjectType(String(request.params.objectType));
  requireScopes(request, OBJECT_TYPE_INFO[type].readScopes);
  return type;
}

function writeType(request: Request): ObjectType {
  const type = parseObjectType(String(request.params.objectType));
  requireScopes(request, OBJECT_TYPE_INFO[type].writeScopes ?? OBJECT_TYPE_INFO[type].readScopes);
  return type;
}

/** API writes are made by the calling app (or private app), as HubSpot's history records them. */
function apiWriter(request: Request): WriteContext {
  const principal = principalOf(request);
  return {
    source: {
      sourceType: 'INTEGRATION',
      sourceId: principal.appId === null ? 'private-app' : String(principal.appId),
    },
    allowReadOnly: false,
  };
}

function associationTypes(request: Request): ObjectType[] {
  return (listParameter(request.query.associations) ?? []).flatMap((name) => {
    try {
      return [parseObjectType(name)];
    } catch {
      // HubSpot ignores association types it does not know on reads.
      return [];
    }
  });
}

function nowIso(context: SandboxContext): string {
  return new Date(context.now()).toISOString();
}

function pageLimit(raw: unknown, withHistory: boolean): number {
  const text = stringParameter(raw);
  if (text === undefined) return 10;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1)
    throw validationError(`limit must be a positive integer; was ${text}.`);
  return Math.min(limit, withHistory ? HISTORY_PAGE_LIMIT : LIST_PAGE_LIMIT);
}

/** The objects' `paging.next.link`: this request's URL with the next cursor. */
function nextLink(request: Request, after: string): string {
  const url = new URL(
    `${request.protocol}://${request.get('host') ?? 'localhost'}${request.originalUrl}`,
  );
  url.searchParams.set('after', after);
  return url.toString();
}

/** `GET|POST|PATCH|DELETE /crm/v3/objects/...`: records, their batches and search. */
export function objectsRoutes(context: SandboxContext): Router {
  const router = Router();

  router.get('/crm/v3/objects/:objectType', (request, response) => {
    const type = readType(request);
    const portal = portalOf(context, request);
    const propertiesWithHistory = listParameter(request.query.propertiesWithHistory);
    const limit = pageLimit(request.query.limit, (propertiesWithHistory ?? []).length > 0);
    const archived = stringParameter(request.query.archived) === 'true';
    const after = stringParameter(request.query.after);
    const ids = portal.sortedIds(type);
    let start = 0;
    if (after !== undefined && after !== '') {
      const cursor = Number(after);
      if (!Number.isFinite(cursor)) throw validationError(`Invalid after cursor: ${after}`);
      // Binary search: the first id at or past the cursor.
      let high = ids.length;
      while (start < high) {
        const middle = (start + high) >>> 1;
        if (Number(ids[middle]) < cursor) start = middle + 1;
        else high = middle;
      }
    }
    const options = {
      properties: listParameter(request.query.properties),
      propertiesWithHistory,
      associations: associationTypes(request),
    };
    const results: Record<string, unknown>[] = [];
    let next: string | undefined;
    for (let index = start; index < ids.length; index += 1) {
      const stored = portal.get(type, ids[index] as string);
      if (stored === undefined || stored.archived !== archived) continue;
      if (results.length === limit) {
        next = stored.id;
        break;
      }
      results.push(renderObject(portal, type, stored, options));
    }
    response.json({
      results,
      ...(next === undefined
        ? {}
        : { paging: { next: { after: next, link: nextLink(request, next) } } }),
    });
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (request, response) => {
    const type = readType(request);
    const portal = portalOf(context, request);
    const id = String(request.params.objectId);
    const archived = stringParameter(request.query.archived) === 'true';
    const idProperty = stringParameter(request.query.idProperty);
    const stored = archived ? portal.get(type, id) : findObject(portal, type, id, idProperty);
    if (stored === undefined || stored.archived !== archived) {
      throw objectNotFound('Object not found.  objectId are usually numeric.', [id]);
    }
    response.json(
      renderObject(portal, type, stored, {
        properties: listParameter(request.query.properties),
        propertiesWithHistory: listParameter(request.query.propertiesWithHistory),
        associations: associationTypes(request),
      }),
    );
  });

  router.post('/crm/v3/objects/:objectType', (request, response) => {
    const type = writeType(request);
    const portal = portalOf(context, request);
    const input = parseBody(createInputSchema, request.body);
    const [created] = createObjects(portal, type, [input], apiWriter(request), false);
    if (created === undefined) throw new Error('create returned nothing');
    response.status(201).json(
      renderObject(portal, type, created, {
        properties: [...Object.keys(input.properties), ...ALWAYS_RETURNED],
      }),
    );
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (request, response) => {
    const type = writeType(request);
    const portal = portalOf(context, request);
    const { properties } = parseBody(z.object({ properties: propertyValuesSchema }), request.body);
    const id = String(request.params.objectId);
    const idProperty = stringParameter(request.query.idProperty);
    const { updated } = updateObjects(
      portal,
      type,
      [{ id, properties }],
      apiWriter(request),
      false,
      idProperty,
    );
    const [stored] = updated;
    if (stored === undefined)
      throw objectNotFound('Object not found.  objectId are usually numeric.', [id]);
    response.json(
      renderObject(portal, type, stored, {
        properties: [...Object.keys(properties), ...ALWAYS_RETURNED],
      }),
    );
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (request, response) => {
    const type = writeType(request);
    const portal = portalOf(context, request);
    const stored = portal.live(type, String(request.params.objectId));
    if (stored !== undefined) portal.archive(type, stored, apiWriter(request).source);
    // HubSpot answers 204 whether or not the record existed.
    response.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (request, response) => {
    const type = readType(request);
    const portal = portalOf(context, request);
    const startedAt = nowIso(context);
    const body = parseBody(batchReadSchema, request.body);
    checkBatchSize(body.inputs.length);
    if ((body.propertiesWithHistory ?? []).length > 0 && body.inputs.length > HISTORY_PAGE_LIMIT) {
      throw validationError(
        `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_PAGE_LIMIT}. Please reduce the number of items and try again`,
      );
    }
    const archived = stringParameter(request.query.archived) === 'true';
    const ids = [...new Set(body.inputs.map((input) => input.id))];
    const results: Record<string, unknown>[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const stored = archived
        ? portal.get(type, id)
        : findObject(portal, type, id, body.idProperty);
      if (stored === undefined || stored.archived !== archived) missing.push(id);
      // Batch read never inlines associations.
      else results.push(renderObject(portal, type, stored, body));
    }
    const singular = OBJECT_TYPE_INFO[type].singular.toUpperCase();
    response.status(missing.length > 0 ? 207 : 200).json({
      status: 'COMPLETE',
      results,
      ...(missing.length > 0
        ? {
            numErrors: 1,
            errors: [
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message: `Could not get some ${singular} objects, they may be deleted or not exist. Check that ids are valid.`,
                context: { ids: missing },
              },
            ],
          }
        : {}),
      startedAt,
      completedAt: nowIso(context),
    });
  });

  router.post('/crm/v3/objects/:objectType/batch/create', (request, response) => {
    const type = writeType(request);
    const portal = portalOf(context, request);
    const startedAt = nowIso(context);
    const { inputs } = parseBody(z.object({ inputs: z.array(createInputSchema) }), request.body);
    checkBatchSize(inputs.length);
    const created = createObjects(portal, type, inputs, apiWriter(request), true);
    response.status(201).json({
      status: 'COMPLETE',
      results: created.map((stored, index) =>
        renderObject(portal, type, stored, {
          properties: [...Object.keys(inputs[index]?.properties ?? {}), ...ALWAYS_RETURNED],
        }),
      ),
      startedAt,
      completedAt: nowIso(context),
    });
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (request, response) => {
    const type = writeType(request);
    const portal = portalOf(context, request);
    const startedAt = nowIso(context);
    const { inputs } = parseBody(z.object({ inputs: z.array(updateInputSchema) }), request.body);
    checkBatchSize(inputs.length);
    const idProperty = stringParameter(request.query.idProperty);
    const { updated, missing } = updateObjects(
      portal,
      type,
      inputs,
      apiWriter(request),
      true,
      idProperty,
    );
    const written = new Map(inputs.map((input) => [input.id, Object.keys(input.properties)]));
    const singular = OBJECT_TYPE_INFO[type].singular.toUpperCase();
    response.status(missing.length > 0 ? 207 : 200).json({
      status: 'COMPLETE',
      results: updated.map((stored) =>
        renderObject(portal, type, stored, {
          properties: [...(written.get(stored.id) ?? []), ...ALWAYS_RETURNED],
        }),
      ),
      ...(missing.length > 0
        ? {
            numErrors: missing.length,
            errors: missing.map((id) => ({
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not update ${singular} ${id}: it may be deleted or not exist.`,
              context: { ids: [id] },
            })),
          }
        : {}),
      startedAt,
      completedAt: nowIso(context),
    });
  });

  router.post(
    '/crm/v3/objects/:objectType/search',
    enforceSearchLimit(context),
    (request, response) => {
      const type = readType(request);
      const portal = portalOf(context, request);
      const body = parseBody(searchRequestSchema, request.body);
      const page = searchObjects(portal, type, body);
      response.json({
        total: page.total,
        results: page.results.map((stored) =>
          renderObject(portal, type, stored, { properties: body.properties }),
        ),
        ...(page.nextAfter === undefined ? {} : { paging: { next: { after: page.nextAfter } } }),
      });
    },
  );

  return router;
}

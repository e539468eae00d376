import type { RequestHandler } from 'express';

/**
 * `/crm/objects/2026-03/...` → `/crm/v3/objects/...`, and likewise for
 * properties, pipelines and associations (v4).
 */
const DATE_VERSIONED = /^\/crm\/(objects|properties|pipelines|associations)\/2026-03\//;

/**
 * HubSpot's date-versioned 2026-03 paths serve the endpoints the sandbox
 * implements with the same request and response shapes as v3 (objects,
 * properties, pipelines) and v4 (associations), so they are served by the same routes.
 * Stats still count them under the path the client called.
 */
export const serveDateVersionedPaths: RequestHandler = (request, _response, next) => {
  const match = DATE_VERSIONED.exec(request.url);
  if (match !== null) {
    const api = match[1] === 'associations' ? 'v4' : 'v3';
    request.url = request.url.replace(DATE_VERSIONED, `/crm/${api}/${match[1]}/`);
  }
  next();
};

import { Router, type Request } from 'express';
import { z } from 'zod';
import type { SandboxAdmin } from '../admin.ts';
import type { SandboxContext } from '../context.ts';
import { faultChangeSchema } from '../faults.ts';
import { renderObject } from '../object-view.ts';
import { parseObjectType } from '../object-types.ts';
import { SUBSCRIPTION_TYPES } from '../oauth.ts';
import { createInputSchema, parseBody, propertyValuesSchema } from '../request-schemas.ts';

/** The sandbox's own prefix: clearly not one of HubSpot's paths. */
export const ADMIN_PREFIX = '/__sandbox';

const portalSpecSchema = z.strictObject({
  portalId: z.number().int().positive().optional(),
  companies: z.number().int().min(0).max(100_000).optional(),
  deals: z.number().int().min(0).max(1_000_000).optional(),
  seed: z.number().int().optional(),
  asOf: z.iso.datetime({ offset: true }).optional(),
  accessToken: z.string().min(8).optional(),
});

const appSchema = z.strictObject({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  redirectUrls: z.array(z.url()).default([]),
  targetUrl: z.url().optional(),
  subscriptions: z
    .array(
      z.object({
        subscriptionType: z.enum(SUBSCRIPTION_TYPES),
        objectType: z.string().min(1),
        propertyName: z.string().optional(),
      }),
    )
    .optional(),
});

function portalIdOf(request: Request): number {
  return Number(request.params.portalId);
}

/**
 * `/__sandbox/...`: seed portals, register apps, act as a user, inject
 * faults, read stats. No authentication: the sandbox is a local test tool.
 */
export function adminRoutes(
  context: SandboxContext,
  admin: SandboxAdmin,
  save: () => Promise<void>,
): Router {
  const router = Router();

  router.get(`${ADMIN_PREFIX}/stats`, (_request, response) => {
    response.json(context.stats.snapshot());
  });

  router.post(`${ADMIN_PREFIX}/reset`, (request, response) => {
    const { reseed } = parseBody(z.object({ reseed: z.boolean().default(false) }), request.body);
    admin.resetCounters();
    if (reseed)
      for (const portal of [...context.portals.values()])
        if (portal.seed !== null) admin.reseedPortal(portal.portalId);
    response.status(204).end();
  });

  router.get(`${ADMIN_PREFIX}/portals`, (_request, response) => {
    response.json({
      results: [...context.portals.values()].map((portal) => ({
        portalId: portal.portalId,
        seed: portal.seed,
      })),
    });
  });

  router.post(`${ADMIN_PREFIX}/portals`, (request, response) => {
    response.status(201).json(admin.createPortal(parseBody(portalSpecSchema, request.body)));
  });

  router.post(`${ADMIN_PREFIX}/apps`, (request, response) => {
    response.status(201).json(admin.registerApp(parseBody(appSchema, request.body)));
  });

  router.post(`${ADMIN_PREFIX}/apps/:appId/installs`, (request, response) => {
    const body = parseBody(
      z.object({ portalId: z.number().int(), scopes: z.array(z.string()).optional() }),
      request.body,
    );
    response
      .status(201)
      .json(admin.installApp(Number(request.params.appId), body.portalId, body.scopes));
  });

  router.post(`${ADMIN_PREFIX}/portals/:portalId/objects/:objectType`, (request, response) => {
    const type = parseObjectType(String(request.params.objectType));
    const portalId = portalIdOf(request);
    const created = admin.createObject(portalId, type, parseBody(createInputSchema, request.body));
    response.status(201).json(renderObject(admin.portal(portalId), type, created, {}));
  });

  router.patch(
    `${ADMIN_PREFIX}/portals/:portalId/objects/:objectType/:objectId`,
    (request, response) => {
      const type = parseObjectType(String(request.params.objectType));
      const portalId = portalIdOf(request);
      const { properties } = parseBody(
        z.object({ properties: propertyValuesSchema }),
        request.body,
      );
      const updated = admin.updateObject(
        portalId,
        type,
        String(request.params.objectId),
        properties,
      );
      response.json(
        renderObject(admin.portal(portalId), type, updated, {
          properties: Object.keys(properties),
        }),
      );
    },
  );

  router.delete(
    `${ADMIN_PREFIX}/portals/:portalId/objects/:objectType/:objectId`,
    (request, response) => {
      admin.archiveObject(
        portalIdOf(request),
        parseObjectType(String(request.params.objectType)),
        String(request.params.objectId),
      );
      response.status(204).end();
    },
  );

  router.put(
    `${ADMIN_PREFIX}/portals/:portalId/associations/:fromType/:fromId/:toType/:toId`,
    (request, response) => {
      const { associationTypeId } = parseBody(
        z.object({ associationTypeId: z.number().int() }),
        request.body,
      );
      admin.associate(
        portalIdOf(request),
        parseObjectType(String(request.params.fromType)),
        String(request.params.fromId),
        String(request.params.toId),
        associationTypeId,
      );
      response.status(204).end();
    },
  );

  router.delete(
    `${ADMIN_PREFIX}/portals/:portalId/associations/:fromType/:fromId/:toType/:toId`,
    (request, response) => {
      admin.disassociate(
        portalIdOf(request),
        parseObjectType(String(request.params.fromType)),
        String(request.params.fromId),
        parseObjectType(String(request.params.toType)),
        String(request.params.toId),
      );
      response.status(204).end();
    },
  );

  router.get(`${ADMIN_PREFIX}/faults`, (_request, response) => {
    response.json(context.faults.settings);
  });

  router.put(`${ADMIN_PREFIX}/faults`, (request, response) => {
    response.json(context.faults.update(parseBody(faultChangeSchema, request.body)));
  });

  router.post(`${ADMIN_PREFIX}/webhooks/idle`, async (_request, response) => {
    await context.webhooks.idle();
    response.json(context.stats.snapshot().webhooks);
  });

  router.post(`${ADMIN_PREFIX}/save`, async (_request, response) => {
    await save();
    response.status(204).end();
  });

  return router;
}

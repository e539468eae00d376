import { Router } from 'express';
import { SYNTHETIC_OWNERS } from '../../synthetic/contacts-meetings.ts';
import { portalOf, requireScopes } from '../api-middleware.ts';
import type { SandboxContext } from '../context.ts';
import { validationError } from '../errors.ts';
import { stringParameter } from '../request-schemas.ts';

/** HubSpot's owners API pages 100 by default, at most 500. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
/** When the seeded owners were created, as HubSpot reports `createdAt`. */
const CREATED_AT = '2024-01-15T09:00:00.000Z';

/**
 * `GET /crm/v3/owners`, scope `crm.objects.owners.read`: the portal's owners
 * (the users records are assigned to), paged with `limit` and `after` like
 * HubSpot, optionally filtered by `email`; `archived=true` lists the
 * archived ones (none in the sandbox).
 */
export function ownersRoutes(context: SandboxContext): Router {
  const router = Router();
  router.get('/crm/v3/owners', (request, response) => {
    requireScopes(request, ['crm.objects.owners.read']);
    portalOf(context, request);
    const limitText = stringParameter(request.query.limit) ?? String(DEFAULT_LIMIT);
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1)
      throw validationError(`limit must be a positive integer; was ${limitText}.`);
    const afterText = stringParameter(request.query.after) ?? '0';
    const start = Number(afterText);
    if (!Number.isInteger(start) || start < 0)
      throw validationError(`after must be a paging cursor; was ${afterText}.`);
    const email = stringParameter(request.query.email)?.toLowerCase();
    const archived = stringParameter(request.query.archived) === 'true';
    const owners = archived
      ? []
      : SYNTHETIC_OWNERS.filter((owner) => email === undefined || owner.email === email);
    const page = owners.slice(start, start + Math.min(limit, MAX_LIMIT));
    const next = start + page.length;
    response.json({
      results: page.map((owner) => ({
        id: owner.id,
        email: owner.email,
        type: 'PERSON',
        firstName: owner.firstName,
        lastName: owner.lastName,
        userId: owner.userId,
        userIdIncludingInactive: owner.userId,
        createdAt: CREATED_AT,
        updatedAt: CREATED_AT,
        archived: false,
        teams: [],
      })),
      ...(next < owners.length ? { paging: { next: { after: String(next) } } } : {}),
    });
  });
  return router;
}

import { Router } from 'express';
import type { TokenStore } from '../tokens/token-store.ts';
import { installedPortal } from './card-routes.ts';
import type { OwnerDirectory } from './owner-directory.ts';
import { signedPortalId } from './signed-request.ts';

export interface OwnerRoutesDeps {
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly owners: OwnerDirectory;
}

/**
 * `GET /api/v1/owners` (signed): the portal's owners, for the executives
 * picker on the settings page (kam-model.md §10) and names on the cards.
 * Without the optional `crm.objects.owners.read` scope the list is empty,
 * never an error.
 */
export function ownerRoutes(deps: OwnerRoutesDeps): Router {
  const router = Router();
  router.get('/api/v1/owners', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    response.json(await deps.owners.owners(portalId));
  });
  return router;
}

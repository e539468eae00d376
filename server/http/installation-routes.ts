import { Router } from 'express';
import type { TokenStore } from '../tokens/token-store.ts';
import { installedPortal } from './card-routes.ts';
import { signedPortalId } from './signed-request.ts';
import type { SuperAdminCheck } from './super-admin.ts';
import { requireSuperAdmin } from './super-admin.ts';

export interface InstallationRoutesDeps {
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly remove: (portalId: number) => Promise<void>;
  readonly admins: SuperAdminCheck;
}

/** DELETE /api/v1/installation: the settings page's "uninstall and forget this portal". */
export function installationRoutes(deps: InstallationRoutesDeps): Router {
  const router = Router();
  router.delete('/api/v1/installation', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    await requireSuperAdmin(deps.admins, portalId, request);
    await deps.remove(portalId);
    response.json({ removed: true, portalId });
  });
  return router;
}

import { Router } from 'express';
import { principalOf } from '../api-middleware.ts';

/**
 * `GET /account-info/2026-03/details` (and the older `v3` path): which
 * portal a token belongs to, as HubSpot answers it. Single-portal mode asks
 * this once at start to learn its portal id.
 */
export function accountRoutes(): Router {
  const router = Router();
  router.get(['/account-info/2026-03/details', '/account-info/v3/details'], (request, response) => {
    const { portalId } = principalOf(request);
    response.json({
      portalId,
      accountType: 'STANDARD',
      timeZone: 'UTC',
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: '+00:00',
      utcOffsetMilliseconds: 0,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    });
  });
  return router;
}

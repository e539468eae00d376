import { z } from 'zod';
import type { HubSpotTransport } from './hubspot-transport.ts';

const detailsSchema = z.looseObject({ portalId: z.number().int().positive() });

/** The token was refused, or HubSpot did not say which portal it belongs to. */
export class AccountInfoError extends Error {
  override readonly name = 'AccountInfoError';
}

/**
 * Which portal a private-app or service-key token belongs to:
 * `GET /account-info/2026-03/details`. Single-portal mode asks once at start.
 */
export async function portalIdOfToken(baseUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(`${baseUrl}/account-info/2026-03/details`, {
    headers: { Authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status === 401 || response.status === 403) {
    throw new AccountInfoError(`HubSpot refused HUBSPOT_ACCESS_TOKEN (${response.status})`);
  }
  if (!response.ok) {
    throw new AccountInfoError(`HubSpot's account details answered ${response.status}; try again`);
  }
  const details = detailsSchema.safeParse(await response.json());
  if (!details.success) throw new AccountInfoError('HubSpot’s account details named no portalId');
  return details.data.portalId;
}

const timeZoneSchema = z.looseObject({ timeZone: z.string().optional() });

/**
 * The portal's time zone as its account details name it (`timeZone`, an
 * IANA name such as `Europe/Berlin`), or null when they name none.
 */
export async function readTimeZone(send: HubSpotTransport['send']): Promise<string | null> {
  const response = await send({
    route: 'GET /account-info/v3/details',
    method: 'GET',
    path: '/account-info/v3/details',
  });
  const details = timeZoneSchema.safeParse(response.body);
  return details.success ? (details.data.timeZone ?? null) : null;
}

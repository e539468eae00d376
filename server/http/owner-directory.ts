import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { HubSpotOwner } from '../../src/index.ts';
import type { PortalClient } from '../hubspot/portal-client.ts';
import { cachedJson } from './cached-json.ts';

/** An owner as the cards and the settings page show it. */
export interface OwnerEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** What `GET /api/v1/owners` answers; `ownersScope` false says why the list is empty. */
export interface OwnersResponse {
  readonly owners: readonly OwnerEntry[];
  readonly ownersScope: boolean;
}

const cachedSchema = z.object({
  owners: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable() })),
  ownersScope: z.boolean(),
});

export interface OwnerDirectoryOptions {
  readonly redis: Redis;
  readonly clientFor: (portalId: number) => Promise<Pick<PortalClient, 'readOwners'>>;
  /** How long the list is kept: a rep added in HubSpot shows by name this much later at worst. */
  readonly ttlSeconds?: number;
}

/** A portal's owners, asked of HubSpot at most once per `ttlSeconds` (an hour) per portal. */
export interface OwnerDirectory {
  owners(portalId: number): Promise<OwnersResponse>;
}

/** The names of the given owner ids that the list knows; the others are left out. */
export function ownerNames(
  list: OwnersResponse,
  ids: Iterable<string | null>,
): Record<string, string> {
  const wanted = new Set(ids);
  return Object.fromEntries(
    list.owners.filter((owner) => wanted.has(owner.id)).map((owner) => [owner.id, owner.name]),
  );
}

function ownerName(owner: HubSpotOwner): string {
  const name = [owner.firstName, owner.lastName]
    .filter((part) => part != null && part !== '')
    .join(' ');
  return name !== '' ? name : (owner.email ?? owner.id);
}

export function createOwnerDirectory(options: OwnerDirectoryOptions): OwnerDirectory {
  const ttlSeconds = options.ttlSeconds ?? 3_600;
  // Under the portal's keys, so removing the portal's data removes this too.
  const key = (portalId: number): string => `kam:portal:${portalId}:owners`;
  return {
    owners: (portalId) =>
      cachedJson(options.redis, key(portalId), ttlSeconds, cachedSchema, async () => {
        const read = await (await options.clientFor(portalId)).readOwners();
        return {
          owners: (read ?? [])
            .map((owner) => ({ id: owner.id, name: ownerName(owner), email: owner.email ?? null }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          ownersScope: read !== null,
        };
      }),
  };
}

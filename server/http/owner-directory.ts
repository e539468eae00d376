import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { HubSpotOwner } from '../../src/index.ts';
import type { PortalClient } from '../hubspot/portal-client.ts';
import { setRecent } from '../recent-map.ts';
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
  /** How long this process reuses the list it last read, before asking Redis again. */
  readonly localMs?: number;
  readonly now?: () => number;
}

/** Portals whose list a process keeps at once (a few KB each). */
const LOCAL_PORTALS = 1_000;

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
  const localMs = options.localMs ?? 10_000;
  const now = options.now ?? Date.now;
  const read = (portalId: number): Promise<OwnersResponse> =>
    cachedJson(options.redis, key(portalId), ttlSeconds, cachedSchema, async () => {
      const listed = await (await options.clientFor(portalId)).readOwners();
      return {
        owners: (listed ?? [])
          .map((owner) => ({ id: owner.id, name: ownerName(owner), email: owner.email ?? null }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        ownersScope: listed !== null,
      };
    });
  // Every scorecard names owners: the list a process read a moment ago saves
  // each warm card a Redis round trip and a parse, and cards asking at once
  // for a list not cached share one read (one HubSpot call, not one each).
  const local = new Map<
    number,
    { readonly until: number; readonly list: Promise<OwnersResponse> }
  >();
  return {
    owners(portalId) {
      const kept = local.get(portalId);
      if (kept !== undefined && kept.until > now()) return kept.list;
      const list = read(portalId);
      setRecent(local, portalId, { until: now() + localMs, list }, LOCAL_PORTALS);
      // A failed read is not kept: the next card asks again.
      list.catch(() => {
        if (local.get(portalId)?.list === list) local.delete(portalId);
      });
      return list;
    },
  };
}

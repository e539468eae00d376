import type { Redis } from 'ioredis';

/** Who pinned a company's tier from the card, and when. */
export interface PinRecord {
  readonly userId: string;
  readonly at: string;
}

/**
 * HubSpot's property history credits a pin written through the API to the
 * app, not to the rep who clicked; the card's signed request says who it
 * was, so the app keeps that itself.
 */
export function createPinStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:pins`;
  return {
    async set(portalId: number, companyId: string, pin: PinRecord | null): Promise<void> {
      if (pin === null) await redis.hdel(key(portalId), companyId);
      else await redis.hset(key(portalId), companyId, JSON.stringify(pin));
    },
    async get(portalId: number, companyId: string): Promise<PinRecord | null> {
      const json = await redis.hget(key(portalId), companyId);
      return json === null ? null : (JSON.parse(json) as PinRecord);
    },
    async remove(portalId: number): Promise<void> {
      await redis.del(key(portalId));
    },
  };
}

export type PinStore = ReturnType<typeof createPinStore>;

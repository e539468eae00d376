import type { Redis } from 'ioredis';

export interface UserNamesOptions {
  readonly redis: Redis;
  /** Asks HubSpot's users API with the portal's token; null for no such user (or no scope). */
  readonly readName: (portalId: number, userId: string) => Promise<string | null>;
  /** How long a name is kept (names change rarely; a card reads it on every view). */
  readonly ttlSeconds?: number;
}

/** Names of a portal's HubSpot users, asked of HubSpot at most once a day per user. */
export interface UserNames {
  name(portalId: number, userId: string): Promise<string | null>;
}

export function createUserNames(options: UserNamesOptions): UserNames {
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  // Under the portal's keys, so removing the portal's data removes these too.
  const key = (portalId: number, userId: string): string =>
    `kam:portal:${portalId}:user-name:${userId}`;
  return {
    async name(portalId, userId) {
      const cached = await options.redis.get(key(portalId, userId));
      // '' remembers that HubSpot named nobody, so a card does not ask again.
      if (cached !== null) return cached === '' ? null : cached;
      const name = await options.readName(portalId, userId);
      await options.redis.set(key(portalId, userId), name ?? '', 'EX', ttlSeconds);
      return name;
    },
  };
}

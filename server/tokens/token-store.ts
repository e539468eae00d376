import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openSecret, sealSecret } from './token-cipher.ts';

/** A portal's OAuth tokens. Never logged, never in a job payload. */
export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms when the access token stops working. */
  readonly expiresAt: number;
  readonly scopes: readonly string[];
}

export type PortalStatus = 'active' | 'needs_reauth' | 'not_installed';

/** HubSpot refused the refresh token (revoked, uninstalled): only a reinstall helps. */
export class TokenRefreshRefusedError extends Error {
  override readonly name = 'TokenRefreshRefusedError';
}

/** The portal must reinstall the app; its jobs stop until then. */
export class NeedsReauthError extends Error {
  override readonly name = 'NeedsReauthError';
  readonly portalId: number;

  constructor(portalId: number) {
    super(`portal ${portalId} needs to reinstall the app (its token refresh was refused)`);
    this.portalId = portalId;
  }
}

export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
}

export interface TokenStoreOptions {
  readonly redis: Redis;
  readonly key: Buffer;
  /** Exchanges a refresh token; throws TokenRefreshRefusedError when HubSpot refuses it. */
  readonly refresh: (refreshToken: string) => Promise<TokenSet>;
  readonly now?: () => number;
  /** Refresh this long before expiry (a 401 alone is not a reliable signal). */
  readonly marginMs?: number;
  /** How long one process may hold the refresh lock. */
  readonly lockMs?: number;
  readonly prefix?: string;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * OAuth tokens per portal, sealed at rest. `accessToken()` refreshes before
 * expiry, once per portal across every process (a Redis lock; the others
 * wait for the new token), and in-process callers share one promise.
 */
export function createTokenStore(options: TokenStoreOptions) {
  const { redis, key } = options;
  const now = options.now ?? Date.now;
  const marginMs = options.marginMs ?? 5 * 60_000;
  const lockMs = options.lockMs ?? 15_000;
  const prefix = options.prefix ?? 'kam';
  const tokensKey = (portalId: number): string => `${prefix}:portal:${portalId}:tokens`;
  const statusKey = (portalId: number): string => `${prefix}:portal:${portalId}:status`;
  const lockKey = (portalId: number): string => `${prefix}:portal:${portalId}:refresh-lock`;
  const inFlight = new Map<number, { readonly force: boolean; readonly token: Promise<string> }>();

  async function load(portalId: number): Promise<TokenSet | null> {
    const sealed = await redis.get(tokensKey(portalId));
    return sealed === null ? null : (JSON.parse(openSecret(sealed, key, portalId)) as TokenSet);
  }

  async function save(portalId: number, tokens: TokenSet): Promise<void> {
    await redis
      .multi()
      .set(tokensKey(portalId), sealSecret(JSON.stringify(tokens), key, portalId))
      .set(statusKey(portalId), 'active')
      .sadd(`${prefix}:portals`, String(portalId))
      .exec();
  }

  async function status(portalId: number): Promise<PortalStatus> {
    const value = await redis.get(statusKey(portalId));
    return value === 'active' || value === 'needs_reauth' ? value : 'not_installed';
  }

  async function freshToken(portalId: number, force: boolean): Promise<string> {
    const deadline = now() + lockMs * 2;
    for (;;) {
      const tokens = await load(portalId);
      if (tokens === null) {
        if ((await status(portalId)) === 'needs_reauth') throw new NeedsReauthError(portalId);
        throw new NotInstalledError(`portal ${portalId} has not installed the app`);
      }
      if (!force && tokens.expiresAt - now() > marginMs) return tokens.accessToken;
      const owner = randomUUID();
      if ((await redis.set(lockKey(portalId), owner, 'PX', lockMs, 'NX')) === 'OK') {
        try {
          const refreshed = await options.refresh(tokens.refreshToken);
          await save(portalId, refreshed);
          return refreshed.accessToken;
        } catch (error) {
          if (!(error instanceof TokenRefreshRefusedError)) throw error;
          // Refused for good: stop, mark, and never try again until reinstall.
          await redis
            .multi()
            .del(tokensKey(portalId))
            .set(statusKey(portalId), 'needs_reauth')
            .exec();
          throw new NeedsReauthError(portalId);
        } finally {
          await redis.eval(RELEASE_LOCK, 1, lockKey(portalId), owner);
        }
      }
      // Another process is refreshing: wait for its token instead of refreshing twice.
      force = false;
      if (now() > deadline)
        throw new Error(`portal ${portalId}: token refresh did not finish in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  // A forced refresh joins only a forced one in flight: a plain read under
  // way would hand back the very token HubSpot just refused.
  function shared(portalId: number, force: boolean): Promise<string> {
    const running = inFlight.get(portalId);
    if (running !== undefined && (running.force || !force)) return running.token;
    const token = (running?.token.catch(() => undefined) ?? Promise.resolve())
      .then(() => freshToken(portalId, force))
      .finally(() => {
        if (inFlight.get(portalId)?.token === token) inFlight.delete(portalId);
      });
    inFlight.set(portalId, { force, token });
    return token;
  }

  return {
    save,
    status,
    /** A valid access token, refreshed first when it is about to expire. */
    accessToken: (portalId: number): Promise<string> => shared(portalId, false),
    /** After a 401: refresh now (still once per portal). */
    refreshNow: (portalId: number): Promise<string> => shared(portalId, true),
    /** Uninstall: forget the tokens and the status; returns them so they can be revoked. */
    async remove(portalId: number): Promise<TokenSet | null> {
      const tokens = await load(portalId).catch(() => null);
      await redis
        .multi()
        .del(tokensKey(portalId), statusKey(portalId))
        .srem(`${prefix}:portals`, String(portalId))
        .exec();
      return tokens;
    },
    async installedPortals(): Promise<number[]> {
      return (await redis.smembers(`${prefix}:portals`)).map(Number);
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;

/** What the rest of the backend needs of a portal's token, whichever mode supplies it. */
export type PortalTokens = Pick<TokenStore, 'status' | 'accessToken' | 'refreshNow'>;

/**
 * Single-portal mode: one private-app or service-key token for one portal.
 * Nothing to refresh; a token HubSpot rejects means the admin must replace it.
 */
export function createStaticTokens(portalId: number, accessToken: string): PortalTokens {
  const only = (asked: number): void => {
    if (asked !== portalId)
      throw new NotInstalledError(`this backend serves portal ${portalId} only`);
  };
  return {
    status: (asked) => Promise.resolve(asked === portalId ? 'active' : 'not_installed'),
    accessToken: (asked) => {
      only(asked);
      return Promise.resolve(accessToken);
    },
    refreshNow: (asked) => Promise.reject(new NeedsReauthError(asked)),
  };
}

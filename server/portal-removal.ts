import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { OAuthClient } from './hubspot/oauth-client.ts';
import type { RecomputeQueue } from './jobs/recompute-queue.ts';
import type { TokenStore } from './tokens/token-store.ts';

export interface PortalRemovalDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly queue: Pick<RecomputeQueue, 'unscheduleNightly'>;
  /** Null in single-portal mode (the admin owns that token). */
  readonly tokenStore: TokenStore | null;
  readonly oauth: OAuthClient | null;
}

/**
 * Uninstall: revoke the portal's refresh token at HubSpot, stop its nightly
 * recompute and delete everything the app kept about it (tokens, settings,
 * snapshot, tasks, pins, indexes, status). The company properties in HubSpot
 * stay: they are the portal's data.
 */
export async function removePortal(portalId: number, deps: PortalRemovalDeps): Promise<void> {
  const tokens = await deps.tokenStore?.remove(portalId);
  if (tokens != null && deps.oauth !== null) {
    // Best effort: the state goes either way; a failed revoke only leaves a dead token at HubSpot.
    await deps.oauth.revoke(tokens.refreshToken).catch((error: unknown) => {
      deps.logger.warn(
        { portalId, err: error instanceof Error ? error.message : String(error) },
        'token revoke failed',
      );
    });
  }
  await deps.queue.unscheduleNightly(portalId);
  let cursor = '0';
  do {
    const [next, keys] = await deps.redis.scan(
      cursor,
      'MATCH',
      `kam:portal:${portalId}:*`,
      'COUNT',
      1000,
    );
    // Freed in Redis's background thread: a large portal's keys hold millions of fields.
    if (keys.length > 0) await deps.redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  deps.logger.info({ portalId }, 'portal removed');
}

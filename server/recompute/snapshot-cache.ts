import type { SnapshotAccounts, SnapshotStore } from './snapshot-store.ts';

/** Enough for a few large portals in one process (about 3 KB an account). */
const DEFAULT_MAX_ACCOUNTS = 250_000;

/**
 * The accounts of recently re-ranked portals, parsed, in this process: a
 * re-rank after a deal change then reads one number from Redis (the
 * snapshot's version) instead of every account. Any writer bumps the
 * version, so a stale copy is never used. Least recently used portals go
 * first when the cap is reached.
 */
export function createSnapshotCache(
  store: Pick<SnapshotStore, 'version' | 'accounts'>,
  maxAccounts = DEFAULT_MAX_ACCOUNTS,
) {
  const cached = new Map<number, SnapshotAccounts>();

  const remember = (portalId: number, snapshot: SnapshotAccounts): void => {
    cached.delete(portalId);
    cached.set(portalId, snapshot);
    let total = 0;
    for (const entry of cached.values()) total += entry.accounts.size;
    for (const [id, entry] of cached) {
      if (total <= maxAccounts || id === portalId) break;
      cached.delete(id);
      total -= entry.accounts.size;
    }
  };

  return {
    async accounts(portalId: number): Promise<SnapshotAccounts> {
      const version = await store.version(portalId);
      const hit = cached.get(portalId);
      if (hit !== undefined && hit.version === version) {
        remember(portalId, hit);
        return hit;
      }
      const fresh = await store.accounts(portalId);
      remember(portalId, fresh);
      return fresh;
    },
    /** Keeps what this process just wrote, at the version the write returned. */
    remember,
  };
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>;

import type { StandingsIndex } from '../../src/index.ts';
import type { SnapshotAccounts, SnapshotStore } from './snapshot-store.ts';

/** Enough for the largest portal (100,000 companies) and the recent passes of others. */
const DEFAULT_MAX_ACCOUNTS = 150_000;

/**
 * A full recompute keeps what it wrote only for a portal this large: a
 * smaller one is read again at its first pass (a 10,000-company portal in
 * well under a second), and a night of 200 portals kept them all (85,000
 * accounts a worker in the herd bench).
 */
const KEEP_AFTER_FULL = 20_000;

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
  keepAfterFull = KEEP_AFTER_FULL,
) {
  const cached = new Map<number, SnapshotAccounts>();
  // The ranking a pass left, with the accounts it ranked: it goes when they do.
  const indices = new WeakMap<SnapshotAccounts, StandingsIndex>();

  const remember = (portalId: number, snapshot: SnapshotAccounts, index?: StandingsIndex): void => {
    if (index !== undefined) indices.set(snapshot, index);
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
    /**
     * Keeps what this process's pass just wrote, at the version the write
     * returned, with the pass's ranking of those accounts.
     */
    remember,
    /**
     * The ranking kept with `snapshot` (as `accounts` returned it), taken
     * out: the pass that takes it moves it to its changes, and gives it back
     * with what it stores. Null when none is kept.
     */
    takeStandingsIndex(snapshot: SnapshotAccounts): StandingsIndex | null {
      const index = indices.get(snapshot) ?? null;
      indices.delete(snapshot);
      return index;
    },
    /** The same after a full recompute, for a large portal only (KEEP_AFTER_FULL). */
    rememberFull(portalId: number, snapshot: SnapshotAccounts): void {
      if (snapshot.accounts.size >= keepAfterFull) remember(portalId, snapshot);
      else cached.delete(portalId);
    },
  };
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>;

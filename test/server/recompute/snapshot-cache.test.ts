import { describe, expect, it } from 'vitest';
import { standingsIndex } from '../../../src/index.ts';
import { createSnapshotCache } from '../../../server/recompute/snapshot-cache.ts';
import type {
  AccountSnapshot,
  SnapshotAccounts,
} from '../../../server/recompute/snapshot-store.ts';

/** A portal of `size` accounts at `version` (the accounts' contents do not matter here). */
function snapshot(size: number, version = 1): SnapshotAccounts {
  const accounts = new Map<string, AccountSnapshot>();
  for (let index = 0; index < size; index += 1) {
    accounts.set(String(index), {} as AccountSnapshot);
  }
  return { version, accounts };
}

/** A store whose reads are counted; every portal is at version 1. */
function countingStore() {
  const reads: number[] = [];
  return {
    reads,
    store: {
      version: () => Promise.resolve(1),
      accounts: (portalId: number) => {
        reads.push(portalId);
        return Promise.resolve(snapshot(3));
      },
    },
  };
}

describe('the process cache of re-ranked portals', () => {
  it('keeps what a full recompute wrote for a large portal only; a small one is read at its first pass', async () => {
    const { reads, store } = countingStore();
    const cache = createSnapshotCache(store, 1_000, 100);
    cache.rememberFull(1, snapshot(100));
    cache.rememberFull(2, snapshot(99));
    await cache.accounts(1);
    await cache.accounts(2);
    expect(reads).toEqual([2]);
    // A pass keeps what it read, whatever the size.
    await cache.accounts(2);
    expect(reads).toEqual([2]);
  });

  it('a small portal’s full recompute drops what a pass had kept of it', async () => {
    const { reads, store } = countingStore();
    const cache = createSnapshotCache(store, 1_000, 100);
    cache.remember(5, snapshot(3));
    cache.rememberFull(5, snapshot(3));
    await cache.accounts(5);
    expect(reads).toEqual([5]);
  });

  it('lets the least recently used portals go past the cap', async () => {
    const { reads, store } = countingStore();
    const cache = createSnapshotCache(store, 250, 100);
    cache.rememberFull(1, snapshot(100));
    cache.rememberFull(2, snapshot(100));
    await cache.accounts(1); // 1 is now the most recently used
    cache.rememberFull(3, snapshot(100));
    await cache.accounts(1);
    await cache.accounts(2);
    expect(reads).toEqual([2]);
  });

  it('hands the ranking a pass kept to the next pass once, and only with the accounts it ranked', async () => {
    const { store } = countingStore();
    const cache = createSnapshotCache(store, 1_000, 100);
    const index = standingsIndex([]);
    const kept = snapshot(3, 1);
    cache.remember(7, kept, index);
    const read = await cache.accounts(7);
    expect(read).toBe(kept);
    expect(cache.takeStandingsIndex(read)).toBe(index);
    // Taken: a pass that fails after moving it leaves none behind.
    expect(cache.takeStandingsIndex(read)).toBeNull();
    // Accounts read again from the store (another writer) come without one.
    cache.remember(7, kept, index);
    cache.rememberFull(7, snapshot(100, 2));
    expect(cache.takeStandingsIndex(await cache.accounts(7))).toBeNull();
  });
});

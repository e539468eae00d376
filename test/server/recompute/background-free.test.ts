import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmObject } from '../../../src/index.ts';
import { DEFAULT_SETTINGS } from '../../../src/index.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import type { AccountSnapshot, SnapshotFrame } from '../../../server/recompute/snapshot-store.ts';
import { createSnapshotStore } from '../../../server/recompute/snapshot-store.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

// A full recompute swaps a large portal's new snapshot and association
// index in over the old ones. RENAME over an existing key frees the old
// value on Redis's one thread (a million-field hash stalls every portal's
// commands for a while); UNLINK first frees it in the background. The
// tests read what reached Redis from MONITOR, scoped to their own prefix.

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** The commands (lower-case name and arguments) naming `prefix` that reach Redis while `work` runs. */
async function commandsDuring(prefix: string, work: () => Promise<void>): Promise<string[][]> {
  const monitor = await redis.connect().monitor();
  const seen: string[][] = [];
  const end = `${prefix}:end`;
  // MONITOR's feed trails the replies: a PING naming `end`, sent after the
  // work, arrives in it after everything the work sent.
  const ended = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.includes(end)) resolve();
      else if (args.some((arg) => arg.startsWith(`${prefix}:`))) {
        seen.push([String(args[0]).toLowerCase(), ...args.slice(1)]);
      }
    });
  });
  await work();
  await redis.connect().ping(end);
  await ended;
  monitor.disconnect();
  return seen;
}

/** Whether every RENAME onto `key` comes after an UNLINK of it. */
function unlinkedBeforeRenamed(commands: readonly string[][], key: string): boolean {
  const renames = commands.flatMap((command, index) =>
    command[0] === 'rename' && command[2] === key ? [index] : [],
  );
  return (
    renames.length > 0 &&
    renames.every((at) =>
      commands.slice(0, at).some((command) => command[0] === 'unlink' && command.includes(key)),
    )
  );
}

const account = (companyId: string): AccountSnapshot =>
  ({
    fact: { companyId },
    standing: { tier: { tier: 'B' } },
    entry: {},
  }) as unknown as AccountSnapshot;

describe('a full recompute’s swap frees what it replaces in the background', () => {
  it('the snapshot: the old facts, placements and tiers are unlinked, then the staged ones renamed over them', async () => {
    const store = createSnapshotStore(redis.connect(), 'free-snapshot');
    const frame = { settings: DEFAULT_SETTINGS, asOfMs: 0 } as unknown as SnapshotFrame;
    const accounts = Array.from({ length: 3 }, (_, index) => account(String(100 + index)));
    await store.replace(1, accounts, frame, new Map());
    const commands = await commandsDuring('free-snapshot', async () => {
      await store.replace(1, accounts, frame, new Map());
    });
    for (const part of ['facts', 'placements', 'tiers']) {
      expect(unlinkedBeforeRenamed(commands, `free-snapshot:portal:1:${part}`), part).toBe(true);
    }
    expect(commands.filter((command) => command[0] === 'del')).toEqual([]);
    expect(await store.version(1)).toBe(2);
  });

  it('the association index: the old index is unlinked, then the staged one renamed over it; an unread kind is unlinked', async () => {
    const connection = redis.connect();
    const index = createAssociationIndex(connection, 'free-index');
    const deal: CrmObject = {
      id: '7',
      properties: {},
      associations: { companies: { results: [{ id: '100', type: 'deal_to_company' }] } },
    };
    const first = await index.beginRebuild(1);
    await first.addPage('deal', [deal]);
    await first.commit();
    const second = await index.beginRebuild(1);
    await second.addPage('deal', [deal]);
    const commands = await commandsDuring('free-index', () => second.commit());
    expect(unlinkedBeforeRenamed(commands, 'free-index:portal:1:deal-companies')).toBe(true);
    expect(commands).toContainEqual(['unlink', 'free-index:portal:1:ticket-companies']);
    expect(commands.filter((command) => command[0] === 'del')).toEqual([]);
    expect(await index.companiesOf(1, 'deal', '7')).toEqual(['100']);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalInput } from '../../../src/index.ts';
import {
  collectAccountFacts,
  DEFAULT_SETTINGS,
  portalInputSchema,
  scorePortfolioStream,
  summaryEntry,
} from '../../../src/index.ts';
import type { AccountSnapshot, SnapshotFrame } from '../../../server/recompute/snapshot-store.ts';
import { createSnapshotStore } from '../../../server/recompute/snapshot-store.ts';
import type { Redis } from 'ioredis';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const AS_OF = Date.parse('2026-11-01T00:00:00Z');
const sample: PortalInput = portalInputSchema.parse(
  JSON.parse(
    readFileSync(new URL('../../../examples/sample-portal.json', import.meta.url), 'utf8'),
  ),
);

/** The sample portal's accounts and frame, as a full recompute stores them. */
function snapshotOf(input: PortalInput): { accounts: AccountSnapshot[]; frame: SnapshotFrame } {
  const { facts, dealCounts } = collectAccountFacts(input, DEFAULT_SETTINGS, AS_OF);
  const accounts: AccountSnapshot[] = [];
  const { summary, context } = scorePortfolioStream(
    facts,
    DEFAULT_SETTINGS,
    AS_OF,
    dealCounts,
    (company, standing) => {
      const fact = facts.find((candidate) => candidate.companyId === company.id);
      if (fact !== undefined) accounts.push({ fact, standing, entry: summaryEntry(company) });
    },
  );
  const frame: SnapshotFrame = {
    context,
    settings: DEFAULT_SETTINGS,
    asOfMs: AS_OF,
    summary,
    paretoCurve: [],
    movements: [],
    movementsTotal: 0,
  };
  return { accounts, frame };
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('snapshot store: accounts the cards read', () => {
  const { accounts, frame } = snapshotOf(sample);
  const [first, second, third] = accounts;
  const idOf = (account: AccountSnapshot | undefined): string => account?.fact.companyId ?? '';

  it('parses an account once per version, and reads it again after any write', async () => {
    const store = createSnapshotStore(redis.connect(), 'kam-cache-1');
    await store.replace(1, accounts, frame, new Map());
    const read = await store.account(1, idOf(first));
    expect(read).toEqual(first);
    expect(await store.account(1, idOf(first))).toBe(read);

    // Another process re-ranks: a new version, so this process reads the new placement.
    const writer = createSnapshotStore(redis.connect(), 'kam-cache-1');
    const moved = { ...first, standing: { ...first!.standing, share: 0.5 } } as AccountSnapshot;
    await writer.update(1, {
      facts: [],
      placements: [moved],
      removed: [],
      frame,
      written: [],
      failures: new Map(),
    });
    const reread = await store.account(1, idOf(first));
    expect(reread).not.toBe(read);
    expect(reread?.standing.share).toBe(0.5);
  });

  it('reads a snapshot an earlier model wrote (v1, no model version) as none, so a full recompute replaces it', async () => {
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-cache-v1');
    await store.replace(4, accounts, frame, new Map());
    expect((await store.frame(4))?.context).toEqual(frame.context);
    // What model v1 stored: the same frame with its product lines, without a model version.
    await connection.set(
      'kam-cache-v1:portal:4:frame',
      JSON.stringify({ ...frame, context: undefined, productLines: [] }),
    );
    await connection.incr('kam-cache-v1:snapshot-version:4');
    expect(await store.frame(4)).toBeNull();
  });

  it('stores each account compressed, at under half its JSON, and reads it back whole', async () => {
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-packed');
    await store.replace(5, accounts, frame, new Map());
    let stored = 0;
    let json = 0;
    for (const account of accounts) {
      const id = idOf(account);
      stored += (await connection.hstrlen('kam-packed:portal:5:facts', id)) ?? 0;
      stored += (await connection.hstrlen('kam-packed:portal:5:placements', id)) ?? 0;
      const { fact, ...placement } = account;
      json += JSON.stringify(fact).length + JSON.stringify(placement).length;
    }
    expect(stored).toBeLessThan(json / 2);
    expect((await store.accounts(5)).accounts).toEqual(
      new Map(accounts.map((account) => [idOf(account), account])),
    );
  });

  it('reads the plain JSON accounts an earlier release stored, beside compressed ones', async () => {
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-plain');
    await store.replace(6, accounts, frame, new Map());
    // The first account as the release before compression wrote it.
    const { fact, ...placement } = first!;
    await connection.hset('kam-plain:portal:6:facts', idOf(first), JSON.stringify(fact));
    await connection.hset('kam-plain:portal:6:placements', idOf(first), JSON.stringify(placement));
    await connection.incr('kam-plain:snapshot-version:6');
    expect(await store.account(6, idOf(first))).toEqual(first);
    expect(await store.account(6, idOf(second))).toEqual(second);
    expect((await store.accounts(6)).accounts.get(idOf(first))).toEqual(first);
  });

  it('never serves the old snapshot after an uninstall and a reinstall', async () => {
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-cache-2');
    await store.replace(2, accounts, frame, new Map());
    const before = await store.version(2);
    expect((await store.account(2, idOf(second)))?.fact.companyId).toBe(idOf(second));

    // The uninstall deletes every key of the portal; the reinstall's portal lacks that company.
    const portalKeys = await connection.keys('kam-cache-2:portal:2:*');
    await connection.del(...portalKeys);
    await store.replace(
      2,
      accounts.filter((account) => account !== second),
      frame,
      new Map(),
    );
    expect(await store.version(2)).toBeGreaterThan(before);
    expect(await store.account(2, idOf(second))).toBeNull();
  });

  it('keeps at most the accounts it is allowed to, least recently read first out', async () => {
    const store = createSnapshotStore(redis.connect(), 'kam-cache-3', 2);
    await store.replace(3, accounts, frame, new Map());
    const a = await store.account(3, idOf(first));
    const b = await store.account(3, idOf(second));
    expect(await store.account(3, idOf(first))).toBe(a); // first is now the most recent
    await store.account(3, idOf(third)); // pushes out second
    expect(await store.account(3, idOf(first))).toBe(a);
    const bAgain = await store.account(3, idOf(second));
    expect(bAgain).toEqual(b);
    expect(bAgain).not.toBe(b);
  });

  /**
   * The connection a store writes through, with `prepare` run on the real
   * one before each pipeline's, transaction's or script's commands: a way to
   * make one of them refuse, as Redis does at run time (a transaction is not
   * rolled back).
   */
  function withFault(
    connection: Redis,
    kind: 'pipeline' | 'multi' | 'eval',
    prepare: (real: Redis) => Promise<unknown>,
  ): Redis {
    return new Proxy(connection, {
      get(target, property) {
        if (property === 'eval') {
          if (kind !== 'eval') return target.eval.bind(target);
          return async (...args: Parameters<Redis['eval']>) => {
            await prepare(target);
            return target.eval(...args);
          };
        }
        if (property !== kind) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          return (value as (...args: unknown[]) => unknown).bind(target);
        }
        return () => {
          const chain = target[kind === 'pipeline' ? 'pipeline' : 'multi']();
          const exec = chain.exec.bind(chain);
          chain.exec = async () => {
            await prepare(target);
            return exec();
          };
          return chain;
        };
      },
    });
  }

  it('refuses a swap whose staged snapshot is gone, keeping the live one whole', async () => {
    const failure = { code: 'VALIDATION_ERROR', message: 'kam_tier: not an option', at: 'then' };
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-swap-1');
    await store.replace(4, accounts, frame, new Map([['1', failure]]));
    const before = await store.version(4);
    const live = await store.account(4, idOf(first));
    // The staged facts are gone by the time the swap runs (another process removed them).
    const faulty = createSnapshotStore(
      withFault(connection, 'eval', (real) => real.unlink('kam-swap-1:portal:4:facts-staging')),
      'kam-swap-1',
    );
    // The job fails (and is retried, which stages again) rather than
    // reporting a finished recompute, and the cards keep the last snapshot.
    await expect(faulty.replace(4, accounts, frame, new Map())).rejects.toThrow(
      /facts-staging is gone; the live snapshot is kept/,
    );
    expect(await store.version(4)).toBe(before);
    const reader = createSnapshotStore(connection, 'kam-swap-1');
    expect(await reader.account(4, idOf(first))).toEqual(live);
    expect(await reader.writeFailure(4, '1')).toEqual(failure);
  });

  it('fails a replace whose staging write is refused, before the live snapshot is touched', async () => {
    const connection = redis.connect();
    const store = createSnapshotStore(connection, 'kam-swap-2');
    await store.replace(5, accounts, frame, new Map());
    const before = await store.version(5);
    const live = await store.account(5, idOf(first));
    const faulty = createSnapshotStore(
      withFault(connection, 'pipeline', (real) =>
        real.set('kam-swap-2:portal:5:facts-staging', 'not a hash'),
      ),
      'kam-swap-2',
    );
    await expect(faulty.replace(5, accounts, frame, new Map())).rejects.toThrow(/WRONGTYPE/);
    expect(await store.version(5)).toBe(before);
    expect(await createSnapshotStore(connection, 'kam-swap-2').account(5, idOf(first))).toEqual(
      live,
    );
  });
});

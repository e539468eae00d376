import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSet } from '../../../server/tokens/token-store.ts';
import {
  createTokenStore,
  NeedsReauthError,
  NotInstalledError,
  TokenRefreshRefusedError,
} from '../../../server/tokens/token-store.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

const key = randomBytes(32);
let portalSeq = 100;
const HOUR = 3_600_000;

function tokens(label: string, expiresAt: number): TokenSet {
  return {
    accessToken: `access-${label}-${randomBytes(8).toString('hex')}`,
    refreshToken: `refresh-${label}-${randomBytes(8).toString('hex')}`,
    expiresAt,
    scopes: ['oauth', 'crm.objects.companies.read'],
  };
}

describe('token store', () => {
  it('keeps no token bytes readable in Redis', async () => {
    const connection = redis.connect();
    const store = createTokenStore({
      redis: connection,
      key,
      refresh: () => Promise.reject(new Error('unused')),
    });
    const portalId = (portalSeq += 1);
    const saved = tokens('plain', Date.now() + HOUR);
    await store.save(portalId, saved);
    for (const name of await connection.keys(`kam:portal:${portalId}:*`)) {
      const type = await connection.type(name);
      const value = type === 'string' ? ((await connection.get(name)) ?? '') : '';
      expect(value).not.toContain(saved.accessToken);
      expect(value).not.toContain(saved.refreshToken);
    }
    expect(await store.accessToken(portalId)).toBe(saved.accessToken);
    expect(await store.status(portalId)).toBe('active');
    expect(await store.installedPortals()).toContain(portalId);
  });

  it('refreshes once when many callers in two processes ask near expiry', async () => {
    const portalId = (portalSeq += 1);
    let refreshes = 0;
    const refresh = async (): Promise<TokenSet> => {
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return tokens('new', Date.now() + HOUR);
    };
    // Two stores on two connections stand for two worker processes.
    const first = createTokenStore({ redis: redis.connect(), key, refresh });
    const second = createTokenStore({ redis: redis.connect(), key, refresh });
    await first.save(portalId, tokens('old', Date.now() + 60_000)); // inside the 5-min margin
    const got = await Promise.all([
      ...Array.from({ length: 5 }, () => first.accessToken(portalId)),
      ...Array.from({ length: 5 }, () => second.accessToken(portalId)),
    ]);
    expect(refreshes).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(got[0]).toMatch(/^access-new-/);
  });

  it('marks the portal needs_reauth when HubSpot refuses the refresh, and does not retry', async () => {
    const portalId = (portalSeq += 1);
    let refreshes = 0;
    const store = createTokenStore({
      redis: redis.connect(),
      key,
      refresh: () => {
        refreshes += 1;
        return Promise.reject(new TokenRefreshRefusedError('invalid_grant'));
      },
    });
    await store.save(portalId, tokens('expired', Date.now() - 1));
    await expect(store.accessToken(portalId)).rejects.toBeInstanceOf(NeedsReauthError);
    await expect(store.accessToken(portalId)).rejects.toBeInstanceOf(NeedsReauthError);
    expect(refreshes).toBe(1);
    expect(await store.status(portalId)).toBe('needs_reauth');
  });

  /** A portal with a valid token, in a store whose refresh hands out `access-forced-…`. */
  async function portalToRefresh() {
    const portalId = (portalSeq += 1);
    const store = createTokenStore({
      redis: redis.connect(),
      key,
      refresh: () => Promise.resolve(tokens('forced', Date.now() + HOUR)),
    });
    const saved = tokens('valid', Date.now() + HOUR);
    await store.save(portalId, saved);
    return { portalId, store, saved };
  }

  it('refreshNow replaces a token HubSpot rejected with 401', async () => {
    const { portalId, store } = await portalToRefresh();
    expect(await store.refreshNow(portalId)).toMatch(/^access-forced-/);
  });

  it('refreshNow during a plain read of the token still refreshes', async () => {
    const { portalId, store, saved } = await portalToRefresh();
    const read = store.accessToken(portalId); // in flight when the 401 comes back
    const forced = store.refreshNow(portalId);
    expect(await read).toBe(saved.accessToken);
    expect(await forced).toMatch(/^access-forced-/);
  });

  it('forgets a portal on uninstall', async () => {
    const portalId = (portalSeq += 1);
    const store = createTokenStore({
      redis: redis.connect(),
      key,
      refresh: () => Promise.reject(new Error('unused')),
    });
    await store.save(portalId, tokens('gone', Date.now() + HOUR));
    await store.remove(portalId);
    await expect(store.accessToken(portalId)).rejects.toBeInstanceOf(NotInstalledError);
    expect(await store.status(portalId)).toBe('not_installed');
    expect(await store.installedPortals()).not.toContain(portalId);
  });
});

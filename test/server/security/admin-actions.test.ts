/**
 * Issue 14, security round 2, item 6: admin actions — saving settings,
 * recomputing the whole portal, removing the app's data — are for the
 * portal's super admins, as HubSpot's users API says (asked at most once a
 * minute per user); anyone else gets 403 `forbidden` and nothing changes.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../server/http/api-error.ts';
import { createSuperAdminCheck, requireSuperAdmin } from '../../../server/http/super-admin.ts';
import { SANDBOX_USER } from '../../../server/sandbox/oauth.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { appState, jobIds, sendSigned } from './support.ts';

const USERS_ROUTE = 'GET /settings/v3/users/{id}';
const MANAGER = 2_000_002; // a user of the portal, not a super admin
const REP = 2_000_003;
const STRANGER = 1; // not a user of the portal at all

let installed: InstalledBackend;
let redis: Redis;

beforeAll(async () => {
  installed = await startInstalledBackend({ companies: 20, deals: 120, seed: 61 });
  redis = installed.redis.connect();
}, 60_000);

afterAll(async () => {
  await installed.stop();
});

const usersCalls = (): number =>
  installed.sandbox.stats().portals[String(installed.portalId)]?.byRoute[USERS_ROUTE] ?? 0;

/** The app's state apart from the cached answers of the users API. */
async function state(): Promise<Record<string, string>> {
  const all = await appState(redis);
  return Object.fromEntries(Object.entries(all).filter(([key]) => !key.includes(':user-access:')));
}

const idle = () =>
  until(
    () => installed.backend.stores.status.get(installed.portalId),
    (status) => status.state === 'idle',
    'an idle recompute',
  );

const ADMIN_ACTIONS: [string, string, unknown][] = [
  ['PUT', '/api/v1/settings', { settings: { loyaltyThreshold: 75 } }],
  ['POST', '/api/v1/recompute', undefined],
  ['DELETE', '/api/v1/installation', undefined],
];

describe('admin actions', () => {
  it.each(ADMIN_ACTIONS)(
    '%s %s by a user who is not a super admin is 403 forbidden, and nothing changes',
    async (method, path, body) => {
      await idle();
      const before = await state();
      const jobs = await jobIds(redis);
      for (const userId of [MANAGER, REP, STRANGER]) {
        const response = await installed.cardAs(userId, method, path, body);
        expect(response.status).toBe(403);
        expect(await response.json()).toEqual({
          error: {
            code: 'forbidden',
            message: 'only a super admin of this HubSpot account may do this',
          },
        });
      }
      expect(await state()).toEqual(before);
      expect(await jobIds(redis)).toEqual(jobs);
      expect(await installed.backend.stores.tokens.status(installed.portalId)).toBe('active');
    },
  );

  it('a signed request that names no user is 403, naming userId', async () => {
    const response = await sendSigned(installed, {
      method: 'POST',
      path: `/api/v1/recompute?portalId=${installed.portalId}`,
      timestamp: Date.now(),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden', field: 'userId' } });
  });

  it('GET settings tells the page whether the user may edit', async () => {
    const canEdit = async (userId: number): Promise<unknown> =>
      (
        (await (await installed.cardAs(userId, 'GET', '/api/v1/settings')).json()) as {
          canEdit: unknown;
        }
      ).canEdit;
    expect(await canEdit(SANDBOX_USER.id)).toBe(true);
    expect(await canEdit(MANAGER)).toBe(false);
    expect(await canEdit(STRANGER)).toBe(false);
  });

  it('the super admin saves settings and recomputes; HubSpot is asked once a minute per user', async () => {
    await idle();
    // Forget what earlier tests learnt, so the first ask is visible.
    await redis.del(`kam:portal:${installed.portalId}:user-access:${SANDBOX_USER.id}`);
    const calls = usersCalls();
    const saved = await installed.card('PUT', '/api/v1/settings', {
      settings: { loyaltyThreshold: 75 },
    });
    expect(saved.status).toBe(200);
    await idle();
    const recompute = await installed.card('POST', '/api/v1/recompute');
    expect(recompute.status).toBe(202);
    await idle();
    expect(await installed.card('GET', '/api/v1/settings')).toHaveProperty('status', 200);
    expect(usersCalls() - calls).toBe(1);
    const ttl = await redis.ttl(`kam:portal:${installed.portalId}:user-access:${SANDBOX_USER.id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('the super admin removes the app’s data, the cached answers with it', async () => {
    await idle();
    const response = await installed.card('DELETE', '/api/v1/installation');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ removed: true, portalId: installed.portalId });
    expect(await redis.keys(`kam:portal:${installed.portalId}:*`)).toEqual([]);
  });
});

describe('a portal that did not grant settings.users.read', () => {
  it('refuses admin actions, saying how to grant it', async () => {
    const check = createSuperAdminCheck({ redis, readAccess: () => Promise.resolve('no_scope') });
    const request = { query: { userId: '42' } } as unknown as Parameters<
      typeof requireSuperAdmin
    >[2];
    const error = await requireSuperAdmin(check, 77, request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    expect((error as Error).message).toContain('settings.users.read');
  });
});

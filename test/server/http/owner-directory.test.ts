import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotOwner } from '../../../src/index.ts';
import { createOwnerDirectory } from '../../../server/http/owner-directory.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

const OWNERS: HubSpotOwner[] = [
  { id: '7', firstName: 'Mia', lastName: 'Manager', email: 'mia@example.com' },
  { id: '8', firstName: null, lastName: null, email: 'rep@example.com' },
];

describe('owner directory (names on every scorecard)', () => {
  it('shares one read among cards asking at once, and reuses it for a moment without Redis', async () => {
    const connection = redis.connect();
    let clock = 1_000;
    let hubspotReads = 0;
    let fail = false;
    const directory = createOwnerDirectory({
      redis: connection,
      localMs: 10_000,
      now: () => clock,
      clientFor: () =>
        Promise.resolve({
          readOwners: () => {
            hubspotReads += 1;
            return fail ? Promise.reject(new Error('HubSpot 503')) : Promise.resolve(OWNERS);
          },
        }),
    });
    const lists = await Promise.all(Array.from({ length: 20 }, () => directory.owners(41)));
    expect(hubspotReads).toBe(1);
    expect(lists[19]).toEqual({
      owners: [
        { id: '7', name: 'Mia Manager', email: 'mia@example.com' },
        { id: '8', name: 'rep@example.com', email: 'rep@example.com' },
      ],
      ownersScope: true,
    });

    // Within the moment the process does not ask Redis: a list deleted there still shows.
    await connection.del('kam:portal:41:owners');
    clock += 9_000;
    expect((await directory.owners(41)).owners).toHaveLength(2);
    expect(hubspotReads).toBe(1);
    // After it, Redis (and, the key gone, HubSpot) again.
    clock += 2_000;
    await directory.owners(41);
    expect(hubspotReads).toBe(2);

    // A failed read is not kept: the next card asks again.
    fail = true;
    await expect(directory.owners(42)).rejects.toThrow('HubSpot 503');
    fail = false;
    expect((await directory.owners(42)).ownersScope).toBe(true);
    expect(hubspotReads).toBe(4);
    connection.disconnect();
  });
});

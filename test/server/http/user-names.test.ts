import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserNames } from '../../../server/http/user-names.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe('user names for "Pinned by"', () => {
  it('asks HubSpot once per user, remembers a missing user too, and keeps names a day', async () => {
    const connection = redis.connect();
    const asked: string[] = [];
    const names = createUserNames({
      redis: connection,
      readName: (_portalId, userId) => {
        asked.push(userId);
        return Promise.resolve(userId === '7' ? 'Mia Manager' : null);
      },
    });
    expect(await names.name(1, '7')).toBe('Mia Manager');
    expect(await names.name(1, '7')).toBe('Mia Manager');
    expect(await names.name(1, '8')).toBeNull();
    expect(await names.name(1, '8')).toBeNull();
    expect(asked).toEqual(['7', '8']);
    const ttl = await connection.ttl('kam:portal:1:user-name:7');
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    connection.disconnect();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cachedJson } from '../../../server/http/cached-json.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

const schema = z.object({ names: z.array(z.string()) });

describe('cachedJson (the per-portal lists the cards ask for)', () => {
  it('loads once per lifetime, and reloads over an entry that is not JSON or has an old shape', async () => {
    const connection = redis.connect();
    let loads = 0;
    const load = () => {
      loads += 1;
      return Promise.resolve({ names: [`load ${loads}`] });
    };
    const key = 'kam:portal:1:names';

    expect(await cachedJson(connection, key, 300, schema, load)).toEqual({ names: ['load 1'] });
    expect(await cachedJson(connection, key, 300, schema, load)).toEqual({ names: ['load 1'] });
    expect(loads).toBe(1);
    const ttl = await connection.ttl(key);
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);

    await connection.set(key, '{"names": [');
    expect(await cachedJson(connection, key, 300, schema, load)).toEqual({ names: ['load 2'] });
    await connection.set(key, JSON.stringify({ owners: [] }));
    expect(await cachedJson(connection, key, 300, schema, load)).toEqual({ names: ['load 3'] });
    expect(JSON.parse((await connection.get(key)) ?? '')).toEqual({ names: ['load 3'] });
    connection.disconnect();
  });
});

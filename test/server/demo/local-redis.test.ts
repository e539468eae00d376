import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRedis } from '../../../server/demo/local-redis.ts';
import { ensureRedis, freePort } from '../../../server/demo/local-redis.ts';
import { RedisUnavailableError } from '../../../server/runtime.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

/** PING through a fresh connection; false when nothing answers. */
async function pings(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Runs `use` with the demo's Redis and stops it after, whatever happens. */
async function withEnsured(
  requested: Parameters<typeof ensureRedis>[0],
  use: (redis: LocalRedis) => Promise<void>,
): Promise<void> {
  const redis = await ensureRedis(requested);
  try {
    await use(redis);
  } finally {
    await redis.stop();
  }
}

describe("the demo's Redis", () => {
  let running: TestRedis;
  beforeAll(async () => {
    running = await startTestRedis();
  });
  afterAll(() => running.stop());

  it('uses the Redis that answers at REDIS_URL, and leaves it running', async () => {
    const redis = await ensureRedis({ url: running.url, fromEnv: true });
    await redis.stop();
    expect(redis).toMatchObject({ url: running.url, started: false });
    expect(redis.note).toBe(`Using the Redis at ${running.url} (REDIS_URL)`);
    expect(await pings(running.url)).toBe(true);
  });

  it.each(['127.0.0.1', 'localhost'])(
    'starts a private redis-server at a loopback REDIS_URL (%s) where none answers, and stops it after',
    async (host) => {
      const url = `redis://${host}:${await freePort()}`;
      await withEnsured({ url, fromEnv: true }, async (redis) => {
        expect(redis).toMatchObject({ url, started: true });
        expect(redis.note).toBe(
          `No Redis answers at ${url} (REDIS_URL): started a private redis-server there (persistence off, stopped when the demo ends)`,
        );
        expect(await pings(url)).toBe(true);
      });
      expect(await pings(url)).toBe(false);
    },
  );

  it('without REDIS_URL, starts a private redis-server on a free port and says so', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await withEnsured({ url, fromEnv: false }, async (redis) => {
      expect(redis.started).toBe(true);
      expect(redis.url).not.toBe(url);
      expect(redis.note).toBe(
        `No Redis answers at ${url} (the default; REDIS_URL is not set): started a private redis-server at ${redis.url} (persistence off, stopped when the demo ends)`,
      );
      expect(await pings(redis.url)).toBe(true);
    });
  });

  it.each([
    {
      why: 'not a loopback address',
      url: 'redis://192.0.2.1:6379',
      shown: 'redis://192.0.2.1:6379',
    },
    { why: 'TLS', url: 'rediss://127.0.0.1:1', shown: 'rediss://127.0.0.1:1' },
    {
      why: 'a password',
      url: 'redis://:hunter2@127.0.0.1:1/2',
      shown: 'redis://***@127.0.0.1:1/2',
    },
  ])(
    'stops with a clear error, not another Redis, for a REDIS_URL that does not answer and is $why',
    async ({ url, shown }) => {
      const failure = ensureRedis({ url, fromEnv: true });
      await expect(failure).rejects.toThrow(RedisUnavailableError);
      await expect(failure).rejects.toThrow(
        `Redis does not answer at ${shown} (REDIS_URL), and the demo starts a redis-server of its own only for a redis:// URL on a loopback address`,
      );
    },
  );

  it('says the port is taken when something that is not Redis holds it', async () => {
    const port = await freePort();
    const held: Socket[] = [];
    const squatter: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await expect(
        ensureRedis({ url: `redis://127.0.0.1:${port}`, fromEnv: true }),
      ).rejects.toThrow(
        new RegExp(
          `redis-server on 127\\.0\\.0\\.1:${port} exited with 1: .*Address already in use`,
        ),
      );
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

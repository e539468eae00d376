import { Redis } from 'ioredis';
import type { SpawnedRedis } from '../../server/demo/local-redis.ts';
import { spawnRedisServer } from '../../server/demo/local-redis.ts';

/** A Redis for one test file: `REDIS_URL` when set, otherwise a private redis-server. */
export interface TestRedis {
  readonly url: string;
  /** A new connection; closed by `stop()`. */
  connect(): Redis;
  stop(): Promise<void>;
}

/**
 * Starts a private `redis-server` on a free port with persistence off, in a
 * temporary directory, so tests never touch a shared Redis. With `REDIS_URL`
 * set, that Redis is used instead (tests then isolate themselves by key
 * prefix).
 */
export async function startTestRedis(): Promise<TestRedis> {
  const connections: Redis[] = [];
  const connect = (url: string) => (): Redis => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  const closeConnections = async () => {
    await Promise.all(connections.map((redis) => redis.quit().catch(() => undefined)));
  };

  const shared = process.env.REDIS_URL;
  if (shared !== undefined && shared !== '') {
    return { url: shared, connect: connect(shared), stop: closeConnections };
  }
  const spawned = await spawnRedisServer({
    binary: process.env.REDIS_SERVER_BIN ?? 'redis-server',
  });
  return {
    url: spawned.url,
    connect: connect(spawned.url),
    async stop() {
      await closeConnections();
      await spawned.stop();
    },
  };
}

/**
 * A private `redis-server` that a test stops and starts again on the same
 * port (never the shared `REDIS_URL`), with the append-only file on, as the
 * product's deployment requires: queued jobs and tokens survive the restart.
 */
export async function startRestartableRedis(): Promise<SpawnedRedis> {
  return spawnRedisServer({
    binary: process.env.REDIS_SERVER_BIN ?? 'redis-server',
    appendOnly: true,
  });
}

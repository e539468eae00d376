import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A Redis for one test file: `REDIS_URL` when set, otherwise a private redis-server. */
export interface TestRedis {
  readonly url: string;
  /** A new connection; closed by `stop()`. */
  connect(): Redis;
  stop(): Promise<void>;
}

const REDIS_SERVER_BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with ${child.exitCode}: ${stderr()}`);
    }
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer: ${stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
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

  const dir = await mkdtemp(join(tmpdir(), 'kam-redis-'));
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER_BINARY,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const spawnFailed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => {
      reject(
        new Error(
          `cannot start ${REDIS_SERVER_BINARY} (${error.message}); install it (apt-get install redis-server) or set REDIS_URL`,
        ),
      );
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitUntilReady(url, child, () => stderr), spawnFailed]);

  return {
    url,
    connect: connect(url),
    async stop() {
      await closeConnections();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

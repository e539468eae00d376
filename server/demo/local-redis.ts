import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface LocalRedis {
  readonly url: string;
  /** True when the demo started it (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A private redis-server: a free loopback port, a temporary directory, persistence off unless asked. */
export interface SpawnedRedis {
  readonly url: string;
  /** Stops the server (SIGTERM: the append-only file is written) and starts it on the same port. */
  restart(): Promise<void>;
  /** Stops the server and keeps its directory, so `start()` restores what it persisted. */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SpawnRedisOptions {
  readonly binary?: string;
  /** `--appendonly yes`: what was written survives a restart (BullMQ's jobs, tokens). */
  readonly appendOnly?: boolean;
}

/**
 * Starts a private `redis-server` and waits until it answers. Throws with
 * the install command when the binary is missing.
 */
export async function spawnRedisServer(options: SpawnRedisOptions = {}): Promise<SpawnedRedis> {
  const { binary = 'redis-server', appendOnly = false } = options;
  const dir = await mkdtemp(join(tmpdir(), 'kam-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const started = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        appendOnly ? 'yes' : 'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    child = started;
    const failed = new Promise<never>((_resolve, reject) => {
      started.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'ENOENT'
              ? `${binary} is not installed: run \`sudo apt-get install -y redis-server\` (Debian/Ubuntu) or set REDIS_URL`
              : `cannot start ${binary}: ${error.message}`,
          ),
        );
      });
    });
    const ready = (async () => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        if (started.exitCode !== null) throw new Error(`${binary} exited with ${started.exitCode}`);
        if (await answers(url)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${binary} started but does not answer`);
    })();
    await Promise.race([ready, failed]);
  };

  const halt = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    start,
    halt,
    async restart() {
      await halt();
      await start();
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The Redis the demo uses: the one at `url` when it answers, otherwise a
 * private `redis-server` (persistence off) started for the demo's lifetime.
 */
export async function ensureRedis(url: string): Promise<LocalRedis> {
  if (await answers(url)) return { url, started: false, stop: () => Promise.resolve() };
  const spawned = await spawnRedisServer();
  return { url: spawned.url, started: true, stop: () => spawned.stop() };
}

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redactedRedisUrl, RedisUnavailableError } from '../runtime.ts';
import { endWithParent } from './child-exit.ts';

/** The Redis the demo was asked for: REDIS_URL, or the default when it is not set. */
export interface RequestedRedis {
  readonly url: string;
  readonly fromEnv: boolean;
}

export interface LocalRedis {
  readonly url: string;
  /** True when the demo started it (and so stops it). */
  readonly started: boolean;
  /** Which Redis this is and why, for the user. */
  readonly note: string;
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
    // Something else on the port (not Redis) accepts the connection and never answers.
    commandTimeout: 1_000,
    enableReadyCheck: false,
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

/** A private redis-server: a loopback port, a temporary directory, persistence off unless asked. */
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
  /** A loopback address (`localhost`: both 127.0.0.1 and ::1); 127.0.0.1 unless told. */
  readonly host?: string;
  /** A free port unless told. */
  readonly port?: number;
}

/**
 * Starts a private `redis-server` and waits until it answers. Throws with
 * the install command when the binary is missing.
 */
export async function spawnRedisServer(options: SpawnRedisOptions = {}): Promise<SpawnedRedis> {
  const { binary = 'redis-server', appendOnly = false, host = '127.0.0.1' } = options;
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'kam-redis-'));
  const url = `redis://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // `-`: ::1 only where the machine has IPv6.
  const bind = host === 'localhost' ? ['127.0.0.1', '-::1'] : [host];
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const started = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        ...bind,
        '--save',
        '',
        '--appendonly',
        appendOnly ? 'yes' : 'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    endWithParent(started);
    // Its last words, for the error when it cannot start (a port already taken).
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-1_000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
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
        if (started.exitCode !== null) {
          // Its last two lines, without their `pid:role date time #` prefix.
          const said = output
            .trim()
            .split('\n')
            .slice(-2)
            .map((line) => line.replace(/^.*? [#*.-] /, ''))
            .join('; ');
          throw new Error(`${binary} on ${host}:${port} exited with ${started.exitCode}: ${said}`);
        }
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

  await start().catch(async (error: unknown) => {
    await halt();
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
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
 * Where the demo may start a redis-server for `url`: only a plain redis://
 * URL on a loopback address, without a password; null for any other.
 */
function startableAt(url: string): { host: string; port: number } | null {
  if (!URL.canParse(url)) return null;
  const { protocol, hostname, port, username, password } = new URL(url);
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback =
    host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
  if (protocol !== 'redis:' || username !== '' || password !== '' || !loopback) return null;
  return { host, port: port === '' ? 6379 : Number(port) };
}

/**
 * The Redis the demo uses: the one asked for when it answers. When it does
 * not: REDIS_URL on a loopback address gets a private redis-server
 * (persistence off, for the demo's lifetime) started at that very address,
 * the default a private one on a free port, and a REDIS_URL anywhere else
 * is an error, never silently swapped for another Redis.
 */
export async function ensureRedis(requested: RequestedRedis): Promise<LocalRedis> {
  const { url, fromEnv } = requested;
  const shown = redactedRedisUrl(url);
  const source = fromEnv ? 'REDIS_URL' : 'the default; REDIS_URL is not set';
  if (await answers(url)) {
    return {
      url,
      started: false,
      note: `Using the Redis at ${shown} (${source})`,
      stop: () => Promise.resolve(),
    };
  }
  const lifetime = ' (persistence off, stopped when the demo ends)';
  if (!fromEnv) {
    const spawned = await spawnRedisServer();
    return {
      url: spawned.url,
      started: true,
      note: `No Redis answers at ${shown} (${source}): started a private redis-server at ${spawned.url}${lifetime}`,
      stop: () => spawned.stop(),
    };
  }
  const at = startableAt(url);
  if (at === null) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${shown} (REDIS_URL), and the demo starts a redis-server of its own only for a redis:// URL on a loopback address (127.0.0.1, localhost, [::1]) without a password: start that Redis, or point REDIS_URL at a loopback address`,
    );
  }
  const spawned = await spawnRedisServer(at);
  return {
    url,
    started: true,
    note: `No Redis answers at ${shown} (REDIS_URL): started a private redis-server there${lifetime}`,
    stop: () => spawned.stop(),
  };
}

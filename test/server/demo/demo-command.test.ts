import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../server/demo/local-redis.ts';
import { kamWithEnv } from '../../support/kam-cli.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

/** A portal small enough for a test: the demo's whole path in a few seconds. */
const SMALL = ['demo', '--companies', '20', '--deals', '100', '--rate-limit', '1000', '--json'];
const DEMO_TIMEOUT_MS = 90_000;

/** The pino lines among what the demo wrote to stderr. */
const logLines = (stderr: string): { level: number; msg: string }[] =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });

describe('kam demo', () => {
  let running: TestRedis;
  beforeAll(async () => {
    running = await startTestRedis();
  });
  afterAll(() => running.stop());

  it(
    'honours LOG_LEVEL, and starts its redis-server at the loopback REDIS_URL where none answers, saying so',
    async () => {
      const url = `redis://127.0.0.1:${await freePort()}`;
      const { code, stdout, stderr } = await kamWithEnv(
        { REDIS_URL: url, LOG_LEVEL: 'info' },
        ...SMALL,
      );
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ recompute: { companiesWritten: 20 } });
      expect(stderr).toContain(
        `No Redis answers at ${url} (REDIS_URL): started a private redis-server there`,
      );
      expect(logLines(stderr)).toContainEqual(
        expect.objectContaining({ level: 30, msg: 'full recompute done' }),
      );
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'logs only warnings without LOG_LEVEL, and uses the Redis that answers at REDIS_URL',
    async () => {
      const { code, stderr } = await kamWithEnv(
        { REDIS_URL: running.url, LOG_LEVEL: undefined },
        ...SMALL,
      );
      expect(code).toBe(0);
      expect(stderr).toContain(`Using the Redis at ${running.url} (REDIS_URL)`);
      expect(logLines(stderr).filter((line) => line.level < 40)).toEqual([]);
    },
    DEMO_TIMEOUT_MS,
  );

  it('stops with exit code 2 and says why for a REDIS_URL elsewhere that does not answer', async () => {
    const { code, stdout, stderr } = await kamWithEnv(
      { REDIS_URL: 'redis://192.0.2.1:6379' },
      ...SMALL,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('kam: Redis does not answer at redis://192.0.2.1:6379 (REDIS_URL)');
  });

  it('refuses a LOG_LEVEL pino does not know, naming it', async () => {
    const { code, stderr } = await kamWithEnv({ LOG_LEVEL: 'loud' }, ...SMALL);
    expect(code).toBe(2);
    expect(stderr).toContain('LOG_LEVEL: Invalid option');
  });

  it('documents REDIS_URL and LOG_LEVEL in its help', async () => {
    const { stdout } = await kamWithEnv({}, 'demo', '--help');
    expect(stdout).toMatch(/REDIS_URL +the Redis to use/);
    expect(stdout).toMatch(/LOG_LEVEL +the backend's logs on stderr/);
  });
});

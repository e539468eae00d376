import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One writer at a time per portal snapshot, across every worker process: a
 * full recompute holds it for its whole run (kept alive by a heartbeat, so
 * a killed worker's lock expires), an incremental recompute for its
 * read-modify-write of the snapshot.
 */
export function createPortalLock(redis: Redis, prefix = 'kam', ttlMs = 30_000) {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:snapshot-lock`;

  const hold = (portalId: number, owner: string): HeldLock => {
    const heartbeat = setInterval(() => {
      void redis.eval(EXTEND, 1, key(portalId), owner, String(ttlMs)).catch(() => undefined);
    }, ttlMs / 3);
    heartbeat.unref();
    return {
      async release() {
        clearInterval(heartbeat);
        await redis.eval(RELEASE, 1, key(portalId), owner);
      },
    };
  };

  return {
    /** The lock now, or null when another writer holds it. */
    async tryAcquire(portalId: number): Promise<HeldLock | null> {
      const owner = randomUUID();
      const taken = await redis.set(key(portalId), owner, 'PX', ttlMs, 'NX');
      return taken === 'OK' ? hold(portalId, owner) : null;
    },
    /** Waits for the lock (an incremental recompute holds it for seconds at most). */
    async acquire(portalId: number, pollMs = 100): Promise<HeldLock> {
      for (;;) {
        const lock = await this.tryAcquire(portalId);
        if (lock !== null) return lock;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
  };
}

export type PortalLock = ReturnType<typeof createPortalLock>;

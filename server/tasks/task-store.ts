import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { TaskRecord } from '../hubspot/portal-client.ts';

/** Deletes the lock only if it is still ours (it may have expired and been taken). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * The HubSpot tasks made from next actions, per company: action key → the
 * task as last seen (`kam:portal:<id>:tasks:<companyId>`, a hash, so a
 * scorecard reads its company's in the same round trip as the rest).
 * kam-model.md §7: while the remembered task is open, asking again returns
 * it; once it is completed, a new one may be made (and replaces it here).
 */
export function createTaskStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number, companyId: string): string =>
    `${prefix}:portal:${portalId}:tasks:${companyId}`;
  const lockKey = (portalId: number, actionKey: string): string =>
    `${prefix}:portal:${portalId}:task-lock:${actionKey}`;

  return {
    async get(portalId: number, companyId: string, actionKey: string): Promise<TaskRecord | null> {
      const json = await redis.hget(key(portalId, companyId), actionKey);
      return json === null ? null : (JSON.parse(json) as TaskRecord);
    },

    async remember(
      portalId: number,
      companyId: string,
      actionKey: string,
      task: TaskRecord,
    ): Promise<void> {
      await redis.hset(key(portalId, companyId), actionKey, JSON.stringify(task));
    },

    /**
     * A company's remembered tasks by action key, as last seen, including
     * those of actions no longer current; the scorecard keeps its own. No
     * HubSpot call.
     */
    async tasksOf(portalId: number, companyId: string): Promise<Map<string, TaskRecord>> {
      const stored = await redis.hgetall(key(portalId, companyId));
      return new Map(
        Object.entries(stored).map(([actionKey, json]) => [
          actionKey,
          JSON.parse(json) as TaskRecord,
        ]),
      );
    },

    /**
     * Takes the per-key "creating" lock (SET NX PX) so two clicks never make
     * two tasks; returns the release function, or null when another holds it.
     */
    async lock(
      portalId: number,
      actionKey: string,
      ttlMs: number,
    ): Promise<(() => Promise<void>) | null> {
      const token = randomUUID();
      const taken = await redis.set(lockKey(portalId, actionKey), token, 'PX', ttlMs, 'NX');
      if (taken !== 'OK') return null;
      return async () => {
        await redis.eval(RELEASE_SCRIPT, 1, lockKey(portalId, actionKey), token);
      };
    },
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;

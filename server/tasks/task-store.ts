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
 * The HubSpot tasks made from next actions, per portal: action key → the
 * task as last seen (`kam:portal:<id>:tasks`, a hash). kam-model.md §7: while
 * the remembered task is open, asking again returns it; once it is completed,
 * a new one may be made (and replaces it here).
 */
export function createTaskStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:tasks`;
  const lockKey = (portalId: number, actionKey: string): string =>
    `${prefix}:portal:${portalId}:task-lock:${actionKey}`;

  return {
    async get(portalId: number, actionKey: string): Promise<TaskRecord | null> {
      const json = await redis.hget(key(portalId), actionKey);
      return json === null ? null : (JSON.parse(json) as TaskRecord);
    },

    async remember(portalId: number, actionKey: string, task: TaskRecord): Promise<void> {
      await redis.hset(key(portalId), actionKey, JSON.stringify(task));
    },

    /**
     * The remembered tasks of these action keys (a scorecard's actions), as
     * last seen; keys without one are left out. No HubSpot call.
     */
    async tasksOf(portalId: number, keys: readonly string[]): Promise<Record<string, TaskRecord>> {
      if (keys.length === 0) return {};
      const values = await redis.hmget(key(portalId), ...keys);
      const tasks: Record<string, TaskRecord> = {};
      keys.forEach((actionKey, index) => {
        const json = values[index];
        if (json !== null && json !== undefined) tasks[actionKey] = JSON.parse(json) as TaskRecord;
      });
      return tasks;
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

    /** Forgets a portal's tasks (uninstall); HubSpot keeps the tasks themselves. */
    async remove(portalId: number): Promise<void> {
      await redis.del(key(portalId));
    },
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;

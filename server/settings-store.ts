import type { Redis } from 'ioredis';
import type { Settings, SettingsInput } from '../src/index.ts';
import { settingsSchema } from '../src/index.ts';

/** Each portal's settings; a portal that never saved any gets the defaults. */
export function createSettingsStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:settings`;
  // Every scorecard reads the settings: validate each stored text once per process.
  const parsed = new Map<number, { json: string | null; settings: Settings }>();
  return {
    async get(portalId: number): Promise<Settings> {
      const json = await redis.get(key(portalId));
      const hit = parsed.get(portalId);
      if (hit !== undefined && hit.json === json) return hit.settings;
      const settings = settingsSchema.parse(
        json === null ? {} : (JSON.parse(json) as SettingsInput),
      );
      parsed.set(portalId, { json, settings });
      return settings;
    },
    /** Stores settings already validated with `settingsSchema`. */
    async put(portalId: number, settings: Settings): Promise<void> {
      await redis.set(key(portalId), JSON.stringify(settings));
    },
    async remove(portalId: number): Promise<void> {
      await redis.del(key(portalId));
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

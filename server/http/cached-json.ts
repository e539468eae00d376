import type { Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * The value under `key` if Redis holds one that `schema` accepts, else
 * `load()`'s, kept for `ttlSeconds`. A value that is not JSON or no longer
 * has the schema's shape (an older release wrote it) counts as absent, so a
 * card never fails on a stale cache entry.
 */
export async function cachedJson<Schema extends z.ZodType>(
  redis: Pick<Redis, 'get' | 'set'>,
  key: string,
  ttlSeconds: number,
  schema: Schema,
  load: () => Promise<z.infer<Schema>>,
): Promise<z.infer<Schema>> {
  const cached = await redis.get(key);
  if (cached !== null) {
    const parsed = schema.safeParse(parseJson(cached));
    if (parsed.success) return parsed.data;
  }
  const value = await load();
  await redis.set(key, JSON.stringify(value), 'EX', ttlSeconds);
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

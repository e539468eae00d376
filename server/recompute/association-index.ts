import type { Redis } from 'ioredis';
import type { CrmObject } from '../../src/index.ts';
import { linkedCompanies } from '../../src/index.ts';
import { appliedResults } from './applied-results.ts';

const LINK = `
local current = redis.call('hget', KEYS[1], ARGV[1])
if not current or current == '' then return redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end
for id in string.gmatch(current, '[^,]+') do if id == ARGV[2] then return 0 end end
return redis.call('hset', KEYS[1], ARGV[1], current .. ',' .. ARGV[2])`;

const UNLINK = `
local current = redis.call('hget', KEYS[1], ARGV[1])
if not current then return 0 end
local kept = {}
for id in string.gmatch(current, '[^,]+') do if id ~= ARGV[2] then table.insert(kept, id) end end
if #kept == 0 then return redis.call('hdel', KEYS[1], ARGV[1]) end
return redis.call('hset', KEYS[1], ARGV[1], table.concat(kept, ','))`;

/**
 * The objects whose companies the index keeps: deals (revenue), tickets
 * (complaints), contacts (the buying centre) and meetings (visits).
 */
export type IndexedObject = 'deal' | 'ticket' | 'contact' | 'meeting';
const INDEXED: readonly IndexedObject[] = ['deal', 'ticket', 'contact', 'meeting'];

/**
 * Which companies each deal, ticket, contact and meeting is associated with,
 * per portal, so a webhook about one (property change, deletion) finds its
 * companies without a HubSpot call. The full recompute rebuilds it page by
 * page and swaps it in; association webhooks and re-reads keep it current in
 * between.
 */
export function createAssociationIndex(redis: Redis, prefix = 'kam') {
  const key = (portalId: number, kind: IndexedObject): string =>
    `${prefix}:portal:${portalId}:${kind}-companies`;
  const staging = (portalId: number, kind: IndexedObject): string =>
    `${key(portalId, kind)}-staging`;

  /** Each object's companies from its inline `associations=companies`. */
  const entries = (objects: readonly CrmObject[]): [string, string][] =>
    objects.flatMap((object) => {
      const companies = linkedCompanies(object.associations?.companies?.results ?? []);
      return companies.length === 0
        ? []
        : [[object.id, companies.map((link) => link.companyId).join(',')]];
    });

  return {
    async beginRebuild(portalId: number): Promise<void> {
      await redis.unlink(...INDEXED.map((kind) => staging(portalId, kind)));
    },
    async addPage(
      portalId: number,
      kind: IndexedObject,
      objects: readonly CrmObject[],
    ): Promise<void> {
      const fields = entries(objects);
      if (fields.length > 0) await redis.hset(staging(portalId, kind), Object.fromEntries(fields));
    },
    /**
     * Swaps in what the rebuild read; a kind it read nothing of (no tickets,
     * no scope) is emptied. The old index (a million deals in a large
     * portal) is freed in Redis's background thread: RENAME over it would
     * free it on the thread every portal's commands wait for.
     */
    async commitRebuild(portalId: number): Promise<void> {
      for (const kind of INDEXED) {
        const swap = redis.multi().unlink(key(portalId, kind));
        if ((await redis.exists(staging(portalId, kind))) === 1) {
          swap.rename(staging(portalId, kind), key(portalId, kind));
        }
        appliedResults(await swap.exec(), 'the association index swap');
      }
    },
    /** Records the deals one company was just re-read with (each with all its companies). */
    async addDeals(portalId: number, deals: readonly CrmObject[]): Promise<void> {
      const fields = entries(deals);
      if (fields.length > 0) await redis.hset(key(portalId, 'deal'), Object.fromEntries(fields));
    },
    async link(
      portalId: number,
      kind: IndexedObject,
      objectId: string,
      companyId: string,
    ): Promise<void> {
      await redis.eval(LINK, 1, key(portalId, kind), objectId, companyId);
    },
    async unlink(
      portalId: number,
      kind: IndexedObject,
      objectId: string,
      companyId: string,
    ): Promise<void> {
      await redis.eval(UNLINK, 1, key(portalId, kind), objectId, companyId);
    },
    async companiesOf(portalId: number, kind: IndexedObject, objectId: string): Promise<string[]> {
      const value = await redis.hget(key(portalId, kind), objectId);
      return value === null || value === '' ? [] : value.split(',');
    },
    async forget(portalId: number, kind: IndexedObject, objectId: string): Promise<void> {
      await redis.hdel(key(portalId, kind), objectId);
    },
  };
}

export type AssociationIndex = ReturnType<typeof createAssociationIndex>;

import type { Redis } from 'ioredis';
import type { CrmObject } from '../../src/index.ts';
import { linkedCompanies } from '../../src/index.ts';
import { swapStagedLua } from './staged-swap.ts';

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

/** A full recompute's rebuild of one portal's index (`beginRebuild`). */
export interface AssociationIndexRebuild {
  /** Stages one page of objects, each with its inline `associations=companies`. */
  addPage(kind: IndexedObject, objects: readonly CrmObject[]): Promise<void>;
  /** Swaps in what was staged (`COMMIT_SCRIPT`). */
  commit(): Promise<void>;
}

/**
 * The objects whose companies the index keeps: deals (revenue), tickets
 * (complaints), contacts (the buying centre) and meetings (visits).
 */
export type IndexedObject = 'deal' | 'ticket' | 'contact' | 'meeting';
const INDEXED: readonly IndexedObject[] = ['deal', 'ticket', 'contact', 'meeting'];

/**
 * A rebuild's swap, every kind at once, all or nothing (`swapStagedLua`):
 * a kind the rebuild read nothing of (no tickets, no scope) is emptied, and
 * a staged kind gone refuses the swap, so the live index stays.
 */
const COMMIT_SCRIPT = `${swapStagedLua(INDEXED.length, 'the live index is kept')}
return staged`;

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
    /**
     * Starts a rebuild from the objects a full recompute reads: pages are
     * staged beside the live index, and `commit` swaps them in. Whatever an
     * earlier rebuild left staged (a worker killed before its commit) is
     * dropped first.
     */
    async beginRebuild(portalId: number): Promise<AssociationIndexRebuild> {
      await redis.unlink(...INDEXED.map((kind) => staging(portalId, kind)));
      const staged = new Set<IndexedObject>();
      return {
        async addPage(kind, objects) {
          const fields = entries(objects);
          if (fields.length === 0) return;
          await redis.hset(staging(portalId, kind), Object.fromEntries(fields));
          staged.add(kind);
        },
        async commit() {
          await redis.eval(COMMIT_SCRIPT, INDEXED.length * 2, [
            ...INDEXED.map((kind) => key(portalId, kind)),
            ...INDEXED.map((kind) => staging(portalId, kind)),
            ...INDEXED.map((kind) => (staged.has(kind) ? '1' : '0')),
          ]);
        },
      };
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

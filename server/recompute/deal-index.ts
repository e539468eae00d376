import type { Redis } from 'ioredis';
import type { CrmObject } from '../../src/index.ts';
import { linkedCompanies } from '../../src/index.ts';

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
 * Which companies each deal is associated with, per portal, so a deal
 * webhook (property change, deletion) finds its companies without a HubSpot
 * call. The full recompute rebuilds it page by page and swaps it in;
 * association webhooks keep it current in between.
 */
export function createDealIndex(redis: Redis, prefix = 'kam') {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:deal-companies`;
  const staging = (portalId: number): string =>
    `${prefix}:portal:${portalId}:deal-companies-staging`;

  const entries = (deals: readonly CrmObject[]): [string, string][] =>
    deals.flatMap((deal) => {
      const companies = linkedCompanies(deal.associations?.companies?.results ?? []);
      return companies.length === 0
        ? []
        : [[deal.id, companies.map((link) => link.companyId).join(',')]];
    });

  return {
    async beginRebuild(portalId: number): Promise<void> {
      await redis.del(staging(portalId));
    },
    async addPage(portalId: number, deals: readonly CrmObject[]): Promise<void> {
      const fields = entries(deals);
      if (fields.length > 0) await redis.hset(staging(portalId), Object.fromEntries(fields));
    },
    async commitRebuild(portalId: number): Promise<void> {
      if ((await redis.exists(staging(portalId))) === 1)
        await redis.rename(staging(portalId), key(portalId));
      else await redis.del(key(portalId));
    },
    /** Records the deals one company was just re-read with. */
    async addDeals(portalId: number, deals: readonly CrmObject[]): Promise<void> {
      const fields = entries(deals);
      if (fields.length > 0) await redis.hset(key(portalId), Object.fromEntries(fields));
    },
    async link(portalId: number, dealId: string, companyId: string): Promise<void> {
      await redis.eval(LINK, 1, key(portalId), dealId, companyId);
    },
    async unlink(portalId: number, dealId: string, companyId: string): Promise<void> {
      await redis.eval(UNLINK, 1, key(portalId), dealId, companyId);
    },
    async companiesOf(portalId: number, dealId: string): Promise<string[]> {
      const value = await redis.hget(key(portalId), dealId);
      return value === null || value === '' ? [] : value.split(',');
    },
    async forget(portalId: number, dealId: string): Promise<void> {
      await redis.hdel(key(portalId), dealId);
    },
    async remove(portalId: number): Promise<void> {
      await redis.del(key(portalId), staging(portalId));
    },
  };
}

export type DealIndex = ReturnType<typeof createDealIndex>;

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Association, CrmObject, LinkedCompany } from '../../src/index.ts';
import { DEAL_TO_COMPANY_PRIMARY_V3_TYPE, linkedCompanies } from '../../src/index.ts';
import { appliedResults } from './applied-results.ts';
import { timeSlicer } from './time-slice.ts';

/**
 * A company's deals are kept when it has more than this many: more than one
 * batch read (100 ids a call), so re-reading only its changed deals saves calls.
 */
export const DEAL_RECORDS_ABOVE = 100;

const WRITE = 'the deal records write';

/** The v3 type HubSpot gives a deal's non-primary companies. */
const UNLABELED_V3_TYPE = 'deal_to_company_unlabeled';
/** Deals a committing rebuild reads back per round trip (a few megabytes of JSON). */
const COMMIT_BATCH_DEALS = 10_000;
/**
 * The first byte of a record: its JSON, raw-deflated without a dictionary
 * (a record holds over a hundred deals, which compress well against each
 * other). JSON starts with `{`, so another format can take another byte.
 */
const DEFLATED_V1 = 0x01;
/**
 * Ends the company id, then the deal id, of a staged entry. Ids never hold
 * it and it sorts before every other byte, so the range of company "1"
 * (`1\x00` up to `1\x01`) never takes in company "12".
 */
const SEPARATOR = '\x00';
const AFTER_SEPARATOR = '\x01';
/** A stored link: the company id, with `*` after it when it is the deal's primary company. */
const LINK = /^[^*]+\*?$/;

/**
 * A company's deals as stored: `p` the property names they were read with,
 * `d` one `[dealId, links, values]` per deal, a value (or null) per name.
 * Validated when read back: a corrupt or foreign value reads as no record.
 */
const dealRecordSchema = z
  .object({
    p: z.array(z.string()),
    d: z.array(
      z.tuple([z.string().min(1), z.array(z.string().regex(LINK)), z.array(z.string().nullable())]),
    ),
  })
  .refine((record) => record.d.every(([, , values]) => values.length === record.p.length));

type DealRecord = z.infer<typeof dealRecordSchema>;
type StoredDeal = DealRecord['d'][number];

/** Rebuilds a portal's records from every deal of a full recompute, page by page. */
export interface DealRecordsRebuild {
  /** Stages one page of deals (with their `associations.companies`) in Redis. */
  addPage(deals: readonly CrmObject[]): Promise<void>;
  /** Replaces the live records with the staged ones, in one atomic swap. */
  commit(): Promise<void>;
}

/**
 * The deals of each large company of a portal, as a full recompute or a
 * re-read last saw them, so an incremental pass re-reads from HubSpot only
 * the deals that changed instead of all of the company's (the batch read
 * takes 100 ids a call, out of 110 calls per 10 s for the portal). Small
 * companies are not kept: one call reads them whole anyway.
 */
export function createDealRecords(redis: Redis, prefix = 'kam', storedAbove = DEAL_RECORDS_ABOVE) {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:deal-records`;
  // A rebuild stages deals in a sorted set, builds the new hash beside the
  // live one and renames it over: the worker never holds a portal's deals.
  const staging = (portalId: number): string => `${key(portalId)}-staging`;
  const next = (portalId: number): string => `${key(portalId)}-next`;

  /** Stages every (company, deal) pair of a page, counting each company's deals. */
  const stagePage = async (
    portalId: number,
    deals: readonly CrmObject[],
    properties: readonly string[],
    counts: Map<string, number>,
  ): Promise<void> => {
    const scoredMembers: (number | string)[] = [];
    for (const deal of deals) {
      const companies = linkedCompanies(deal.associations?.companies?.results ?? []);
      const entry = JSON.stringify([companies.map(linkOf), valuesOf(deal, properties)]);
      for (const { companyId } of companies) {
        scoredMembers.push(0, [companyId, deal.id, entry].join(SEPARATOR));
        counts.set(companyId, (counts.get(companyId) ?? 0) + 1);
      }
    }
    if (scoredMembers.length > 0) await redis.zadd(staging(portalId), ...scoredMembers);
  };

  /** Writes the record of each staged company above the threshold into the new hash. */
  const buildRecords = async (
    portalId: number,
    counts: ReadonlyMap<string, number>,
    properties: readonly string[],
  ): Promise<number> => {
    let recorded = 0;
    const pause = timeSlicer();
    for (const companyIds of batchesAbove(counts, storedAbove)) {
      const ranges = redis.pipeline();
      for (const companyId of companyIds) {
        const from = `[${companyId}${SEPARATOR}`;
        ranges.zrangebylex(staging(portalId), from, `(${companyId}${AFTER_SEPARATOR}`);
      }
      const staged = appliedResults(await ranges.exec(), WRITE);
      const writes = redis.pipeline();
      for (const [index, companyId] of companyIds.entries()) {
        // Built on the worker's thread, a company at a time: other portals' work runs between slices.
        await pause();
        const record = stagedRecord(companyId, stringsOf(staged[index]), properties);
        // A deal listed on two pages counted twice: the record, deduplicated, decides.
        if (record.d.length <= storedAbove) continue;
        writes.hset(next(portalId), companyId, packRecord(record));
        recorded += 1;
      }
      if (writes.length > 0) appliedResults(await writes.exec(), WRITE);
    }
    return recorded;
  };

  return {
    /**
     * The kept deals of each company asked for, in one HMGET. A company
     * without a record, or whose record was read with other properties (or
     * in another order), is absent: the caller reads it from HubSpot.
     */
    async read(
      portalId: number,
      companyIds: readonly string[],
      properties: readonly string[],
    ): Promise<Map<string, CrmObject[]>> {
      const dealsByCompany = new Map<string, CrmObject[]>();
      if (companyIds.length === 0) return dealsByCompany;
      const stored = await redis.hmgetBuffer(key(portalId), ...companyIds);
      companyIds.forEach((companyId, index) => {
        const record = unpackRecord(stored[index] ?? null);
        if (record !== null && sameNames(record.p, properties)) {
          dealsByCompany.set(
            companyId,
            record.d.map((deal) => dealOf(deal, properties)),
          );
        }
      });
      return dealsByCompany;
    },

    /**
     * Keeps each company's deals as just read (all of them), in one
     * transaction; a company at or below the threshold — one that shrank —
     * loses its record, so no stale deals outlive it.
     */
    async write(
      portalId: number,
      dealsByCompany: ReadonlyMap<string, readonly CrmObject[]>,
      properties: readonly string[],
    ): Promise<void> {
      if (dealsByCompany.size === 0) return;
      const transaction = redis.multi();
      for (const [companyId, deals] of dealsByCompany) {
        if (deals.length > storedAbove) {
          const record = {
            p: [...properties],
            d: deals.map((deal) => storedDeal(deal, properties)),
          };
          transaction.hset(key(portalId), companyId, packRecord(record));
        } else transaction.hdel(key(portalId), companyId);
      }
      appliedResults(await transaction.exec(), WRITE);
    },

    /**
     * Starts a rebuild from the deals a full recompute streams. Whatever an
     * earlier rebuild left staged (a worker killed before its commit) is
     * dropped first. Only the per-company deal counts stay in memory.
     */
    async beginRebuild(
      portalId: number,
      properties: readonly string[],
    ): Promise<DealRecordsRebuild> {
      await redis.unlink(staging(portalId), next(portalId));
      const counts = new Map<string, number>();
      return {
        addPage: (deals) => stagePage(portalId, deals, properties, counts),
        async commit(): Promise<void> {
          const recorded = await buildRecords(portalId, counts, properties);
          // Companies the rebuild did not keep lose the records they had.
          const swap = redis.multi().unlink(key(portalId));
          if (recorded > 0) swap.rename(next(portalId), key(portalId));
          appliedResults(await swap.unlink(staging(portalId)).exec(), WRITE);
        },
      };
    },
  };
}

export type DealRecords = ReturnType<typeof createDealRecords>;

/** "123", or "123*" when company 123 is the deal's primary one. */
function linkOf(link: LinkedCompany): string {
  return link.primary ? `${link.companyId}*` : link.companyId;
}

/** A stored link back in v3 form, which `linkedCompanies` reads as it read the deal. */
function associationOf(link: string): Association {
  return link.endsWith('*')
    ? { id: link.slice(0, -1), type: DEAL_TO_COMPANY_PRIMARY_V3_TYPE }
    : { id: link, type: UNLABELED_V3_TYPE };
}

/** One value per property name; an absent property is stored as null. */
function valuesOf(deal: CrmObject, properties: readonly string[]): (string | null)[] {
  return properties.map((name) => deal.properties[name] ?? null);
}

function storedDeal(deal: CrmObject, properties: readonly string[]): StoredDeal {
  const companies = linkedCompanies(deal.associations?.companies?.results ?? []);
  return [deal.id, companies.map(linkOf), valuesOf(deal, properties)];
}

/** A stored deal as the HubSpot read would have returned it (with exactly `properties`). */
function dealOf([id, links, values]: StoredDeal, properties: readonly string[]): CrmObject {
  return {
    id,
    properties: Object.fromEntries(properties.map((name, index) => [name, values[index] ?? null])),
    associations: { companies: { results: links.map(associationOf) } },
  };
}

function sameNames(stored: readonly string[], asked: readonly string[]): boolean {
  return stored.length === asked.length && stored.every((name, index) => name === asked[index]);
}

function packRecord(record: DealRecord): Buffer {
  return Buffer.concat([Buffer.of(DEFLATED_V1), deflateRawSync(JSON.stringify(record))]);
}

/** The record stored, or null for none, a foreign format or a corrupt value. */
function unpackRecord(stored: Buffer | null): DealRecord | null {
  if (stored === null || stored[0] !== DEFLATED_V1) return null;
  let json: unknown;
  try {
    json = JSON.parse(inflateRawSync(stored.subarray(1)).toString('utf8'));
  } catch {
    return null;
  }
  const parsed = dealRecordSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/**
 * A company's record from its staged entries (`company\0deal\0[links, values]`,
 * sorted by deal id). A deal staged twice (listed on two pages) is kept once.
 */
function stagedRecord(
  companyId: string,
  entries: readonly string[],
  properties: readonly string[],
): DealRecord {
  const deals: StoredDeal[] = [];
  for (const entry of entries) {
    const rest = entry.slice(companyId.length + SEPARATOR.length);
    const end = rest.indexOf(SEPARATOR);
    const dealId = rest.slice(0, end);
    if (deals.at(-1)?.[0] === dealId) continue;
    // Written by this rebuild moments ago, by `stagePage`: trusted.
    const [links, values] = JSON.parse(rest.slice(end + 1)) as [string[], (string | null)[]];
    deals.push([dealId, links, values]);
  }
  return { p: [...properties], d: deals };
}

/** The companies above the threshold, grouped so each group holds about `COMMIT_BATCH_DEALS` deals. */
function* batchesAbove(
  counts: ReadonlyMap<string, number>,
  storedAbove: number,
): Generator<string[]> {
  let batch: string[] = [];
  let deals = 0;
  for (const [companyId, count] of counts) {
    if (count <= storedAbove) continue;
    batch.push(companyId);
    deals += count;
    if (deals >= COMMIT_BATCH_DEALS) {
      yield batch;
      batch = [];
      deals = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

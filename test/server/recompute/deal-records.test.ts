import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Association, CrmObject } from '../../../src/index.ts';
import { linkedCompanies } from '../../../src/index.ts';
import { createDealRecords } from '../../../server/recompute/deal-records.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const PORTAL = 42;
const PROPERTIES = ['amount', 'closedate', 'dealstage'];

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** A store of its own per test (its own key prefix), keeping companies with more than 2 deals. */
function storeFor(test: string) {
  const connection = redis.connect();
  const prefix = `kam-deal-records-${test}`;
  return {
    connection,
    records: createDealRecords(connection, prefix, 2),
    key: `${prefix}:portal:${PORTAL}:deal-records`,
    prefix,
  };
}

/** A deal as HubSpot's v3 read returns it: the primary company listed labelled and unlabelled. */
function deal(
  id: string,
  primary: string | null,
  others: readonly string[],
  properties: Record<string, string | null> = { amount: `${id}00`, dealstage: 'closedwon' },
): CrmObject {
  const results: Association[] = [
    ...(primary === null
      ? []
      : [
          { id: primary, type: 'deal_to_company' },
          { id: primary, type: 'deal_to_company_unlabeled' },
        ]),
    ...others.map((companyId) => ({ id: companyId, type: 'deal_to_company_unlabeled' })),
  ];
  return { id, properties, associations: { companies: { results } } };
}

const companiesOf = (object: CrmObject) =>
  linkedCompanies(object.associations?.companies?.results ?? []);
const idsOf = (deals: readonly CrmObject[] | undefined): string[] =>
  (deals ?? []).map((object) => object.id).sort();

describe('deal records: write and read', () => {
  it('reads back each deal with its properties and its companies as linkedCompanies saw them', async () => {
    const { records } = storeFor('round-trip');
    const v4: CrmObject = {
      id: '104',
      properties: { amount: '5', closedate: '2026-01-02', dealstage: null },
      associations: {
        companies: {
          results: [
            { toObjectId: '8', associationTypes: [{ typeId: 341 }] },
            { toObjectId: '7', associationTypes: [{ typeId: 341 }, { typeId: 5 }] },
          ],
        },
      },
    };
    const deals = [
      deal('101', '7', ['8'], { amount: '1000', closedate: null, dealstage: 'closedwon' }),
      deal('102', null, ['7']),
      deal('103', '9', ['7']),
      v4,
    ];
    await records.write(PORTAL, new Map([['7', deals]]), PROPERTIES);

    const read = (await records.read(PORTAL, ['7'], PROPERTIES)).get('7');
    expect(read?.map((object) => object.id)).toEqual(['101', '102', '103', '104']);
    expect(read?.[0]).toEqual({
      id: '101',
      properties: { amount: '1000', closedate: null, dealstage: 'closedwon' },
      associations: {
        companies: {
          results: [
            { id: '7', type: 'deal_to_company' },
            { id: '8', type: 'deal_to_company_unlabeled' },
          ],
        },
      },
    });
    // An absent property (closedate of 102) reads as null.
    expect(read?.[1]?.properties).toEqual({
      amount: '10200',
      closedate: null,
      dealstage: 'closedwon',
    });
    expect(read?.[3]?.properties).toEqual({
      amount: '5',
      closedate: '2026-01-02',
      dealstage: null,
    });
    expect(read?.map(companiesOf)).toEqual(deals.map(companiesOf));
    expect(read?.[3] && companiesOf(read[3])).toEqual([
      { companyId: '8', primary: false },
      { companyId: '7', primary: true },
    ]);
  });

  it('keeps only companies above the threshold, and drops the record of one that shrank', async () => {
    const { records, connection, key } = storeFor('threshold');
    const three = [deal('1', '5', []), deal('2', '5', []), deal('3', '5', [])];
    const two = [deal('11', '6', []), deal('12', '6', [])];
    await records.write(
      PORTAL,
      new Map([
        ['5', three],
        ['6', two],
      ]),
      PROPERTIES,
    );
    expect(await connection.hkeys(key)).toEqual(['5']);
    expect([...(await records.read(PORTAL, ['5', '6'], PROPERTIES)).keys()]).toEqual(['5']);

    await records.write(PORTAL, new Map([['5', three.slice(0, 2)]]), PROPERTIES);
    expect(await records.read(PORTAL, ['5'], PROPERTIES)).toEqual(new Map());
    expect(await connection.exists(key)).toBe(0);
  });

  it('reads a record written with other properties, or in another order, as absent', async () => {
    const { records } = storeFor('mismatch');
    const deals = [deal('1', '5', []), deal('2', '5', []), deal('3', '5', [])];
    await records.write(PORTAL, new Map([['5', deals]]), PROPERTIES);

    expect((await records.read(PORTAL, ['5'], PROPERTIES)).has('5')).toBe(true);
    expect((await records.read(PORTAL, ['5'], ['dealstage', 'amount', 'closedate'])).size).toBe(0);
    expect((await records.read(PORTAL, ['5'], ['amount', 'closedate'])).size).toBe(0);
    expect((await records.read(PORTAL, ['5'], [...PROPERTIES, 'pipeline'])).size).toBe(0);
  });

  it('reads a corrupt or foreign stored value as no record, and the others still', async () => {
    const { records, connection, key } = storeFor('corrupt');
    const deals = [deal('1', '5', []), deal('2', '5', []), deal('3', '5', [])];
    await records.write(PORTAL, new Map([['5', deals]]), PROPERTIES);
    const deflated = (json: unknown) =>
      Buffer.concat([Buffer.of(1), deflateRawSync(JSON.stringify(json))]);
    await connection.hset(key, {
      // Not deflate at all.
      '6': Buffer.concat([Buffer.of(1), Buffer.from('not deflate')]),
      // Plain JSON, in no format of the store.
      '7': JSON.stringify({ p: PROPERTIES, d: [] }),
      // Well-formed, but a deal with fewer values than properties.
      '8': deflated({ p: PROPERTIES, d: [['1', ['8*'], ['1']]] }),
      // Well-formed, but a link that is not a company id.
      '9': deflated({ p: PROPERTIES, d: [['1', [''], [null, null, null]]] }),
    });

    const read = await records.read(PORTAL, ['5', '6', '7', '8', '9'], PROPERTIES);
    expect([...read.keys()]).toEqual(['5']);
  });
});

describe('deal records: rebuild from a full recompute', () => {
  it('replaces every live record with those of the streamed deals', async () => {
    const { records, connection, key, prefix } = storeFor('rebuild');
    // Recorded before; not among the rebuilt deals: its record goes.
    await records.write(
      PORTAL,
      new Map([['9', [deal('91', '9', []), deal('92', '9', []), deal('93', '9', [])]]]),
      PROPERTIES,
    );

    const rebuild = await records.beginRebuild(PORTAL, PROPERTIES);
    const pages = [
      [deal('101', '1', []), deal('102', '1', ['12'])],
      [deal('103', '12', ['1']), deal('121', '12', [])],
      [deal('1231', '123', []), deal('104', null, [])],
      [
        deal('105', '1', [], { amount: null, closedate: '2026-03-01', dealstage: 'closedlost' }),
        deal('1232', '123', ['2']),
      ],
    ];
    for (const page of pages) await rebuild.addPage(page);
    await rebuild.commit();

    const read = await records.read(PORTAL, ['1', '12', '123', '2', '9'], PROPERTIES);
    expect([...read.keys()].sort()).toEqual(['1', '12']);
    expect(idsOf(read.get('1'))).toEqual(['101', '102', '103', '105']);
    expect(idsOf(read.get('12'))).toEqual(['102', '103', '121']);
    const streamed = pages.flat();
    for (const object of [...(read.get('1') ?? []), ...(read.get('12') ?? [])]) {
      const original = streamed.find((candidate) => candidate.id === object.id);
      expect(companiesOf(object)).toEqual(original && companiesOf(original));
    }
    expect(read.get('1')?.find((object) => object.id === '105')?.properties).toEqual({
      amount: null,
      closedate: '2026-03-01',
      dealstage: 'closedlost',
    });
    // Only the live hash is left: no staging set, no half-built hash.
    expect(await connection.keys(`${prefix}:*`)).toEqual([key]);
  });

  it('empties the live records when no company is above the threshold', async () => {
    const { records, connection, prefix } = storeFor('rebuild-empty');
    await records.write(
      PORTAL,
      new Map([['9', [deal('91', '9', []), deal('92', '9', []), deal('93', '9', [])]]]),
      PROPERTIES,
    );
    const rebuild = await records.beginRebuild(PORTAL, PROPERTIES);
    await rebuild.addPage([deal('1', '5', []), deal('2', '5', ['6'])]);
    await rebuild.commit();

    expect(await records.read(PORTAL, ['9', '5'], PROPERTIES)).toEqual(new Map());
    expect(await connection.keys(`${prefix}:*`)).toEqual([]);
  });

  it('discards what an unfinished rebuild staged when a new one begins', async () => {
    const { records } = storeFor('restart');
    const abandoned = await records.beginRebuild(PORTAL, PROPERTIES);
    await abandoned.addPage([deal('41', '5', []), deal('42', '5', []), deal('43', '5', [])]);

    const rebuild = await records.beginRebuild(PORTAL, PROPERTIES);
    await rebuild.addPage([deal('51', '5', []), deal('52', '5', [])]);
    await rebuild.addPage([deal('53', '5', [])]);
    await rebuild.commit();

    const read = await records.read(PORTAL, ['5'], PROPERTIES);
    expect(idsOf(read.get('5'))).toEqual(['51', '52', '53']);
  });

  it('keeps a deal listed on two pages once, even if it changed in between', async () => {
    const { records } = storeFor('rebuild-duplicate');
    const rebuild = await records.beginRebuild(PORTAL, PROPERTIES);
    await rebuild.addPage([deal('1', '5', []), deal('2', '5', [])]);
    await rebuild.addPage([deal('2', '5', [], { amount: '7' }), deal('3', '6', [])]);
    await rebuild.commit();

    // Company 5 has two distinct deals: not above the threshold of 2.
    expect(await records.read(PORTAL, ['5'], PROPERTIES)).toEqual(new Map());
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmObject } from '../../../src/index.ts';
import type { IndexedObject } from '../../../server/recompute/association-index.ts';
import { createAssociationIndex } from '../../../server/recompute/association-index.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

const linked = (id: string, companyId: string): CrmObject => ({
  id,
  properties: {},
  associations: { companies: { results: [{ id: companyId, type: 'deal_to_company' }] } },
});

/** A rebuild begun, with `pages` staged in order; the caller commits it (or not). */
async function staged(
  index: ReturnType<typeof createAssociationIndex>,
  pages: readonly [IndexedObject, readonly CrmObject[]][],
) {
  const rebuild = await index.beginRebuild(1);
  for (const [kind, objects] of pages) await rebuild.addPage(kind, objects);
  return rebuild;
}

describe("association index: a full recompute's rebuild", () => {
  it('swaps in every kind it staged and empties the kinds it read nothing of', async () => {
    const index = createAssociationIndex(redis.connect(), 'index-1');
    await (
      await staged(index, [
        ['deal', [linked('7', '100')]],
        ['ticket', [linked('8', '100')]],
      ])
    ).commit();
    // No tickets this time (closed for good, or the scope was taken away).
    const second = await staged(index, [
      ['deal', [linked('7', '200')]],
      ['ticket', []],
    ]);
    expect(await index.companiesOf(1, 'deal', '7')).toEqual(['100']);
    await second.commit();
    expect(await index.companiesOf(1, 'deal', '7')).toEqual(['200']);
    expect(await index.companiesOf(1, 'ticket', '8')).toEqual([]);
  });

  it('refuses a swap whose staged kind is gone, keeping the live index whole', async () => {
    const connection = redis.connect();
    const index = createAssociationIndex(connection, 'index-2');
    await (
      await staged(index, [
        ['deal', [linked('7', '100')]],
        ['contact', [linked('9', '100')]],
      ])
    ).commit();
    const second = await staged(index, [
      ['deal', [linked('7', '200')]],
      ['contact', [linked('9', '200')]],
    ]);
    // Another process removed the staged deals before the commit.
    await connection.unlink('index-2:portal:1:deal-companies-staging');
    await expect(second.commit()).rejects.toThrow(
      /deal-companies-staging is gone; the live index is kept/,
    );
    // No kind was swapped: webhooks still find every object's companies.
    expect(await index.companiesOf(1, 'deal', '7')).toEqual(['100']);
    expect(await index.companiesOf(1, 'contact', '9')).toEqual(['100']);
  });
});

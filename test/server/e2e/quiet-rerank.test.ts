import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmObject } from '../../../src/index.ts';
import { DEFAULT_SETTINGS, dealInputProperties } from '../../../src/index.ts';
import { KAM_OUTPUT_PROPERTIES } from '../../../server/recompute/kam-property-values.ts';
import { listAll } from '../../support/sandbox-reads.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';

/**
 * A portfolio the backend treats as large (RERANK_AT_ONCE_BELOW=0, as for
 * 100,000 companies): a pass writes its changed company and leaves the
 * re-rank until the portal has been quiet for two debounce windows.
 */
let installed: InstalledBackend;
const DEBOUNCE_MS = 100; // startInstalledBackend's

beforeAll(async () => {
  installed = await startInstalledBackend(
    { companies: 60, deals: 600, seed: 11 },
    { env: { RERANK_AT_ONCE_BELOW: '0' } },
  );
});

afterAll(async () => {
  await installed.stop();
});

const read = (type: 'companies' | 'deals', properties: readonly string[]) =>
  listAll(installed.sandbox.url, installed.privateToken, type, properties);

const primaryCompany = (deal: CrmObject): string | undefined => {
  const link = deal.associations?.companies?.results.find(
    (candidate) => 'type' in candidate && candidate.type === 'deal_to_company',
  );
  return link !== undefined && 'id' in link ? link.id : undefined;
};

describe('the re-rank of a large portfolio', () => {
  it('comes once the portal is quiet, after the changed company was written', async () => {
    const { admin } = installed.sandbox;
    const { portalId } = installed;
    const deals = await read('deals', dealInputProperties(DEFAULT_SETTINGS));
    const companies = await read('companies', KAM_OUTPUT_PROPERTIES);
    const tierOf = new Map(companies.map((company) => [company.id, company.properties.kam_tier]));
    // A won deal of a transactional account, which then tops the portfolio and moves others.
    const deal = deals.find(
      (candidate) =>
        candidate.properties.hs_is_closed_won === 'true' &&
        tierOf.get(primaryCompany(candidate) ?? '') === 'transactional',
    );
    const companyId = deal === undefined ? undefined : primaryCompany(deal);
    if (deal === undefined || companyId === undefined) throw new Error('no transactional account');
    const writtenAt = (id: string) =>
      Date.parse(
        admin.propertyHistory(portalId, 'companies', id, 'kam_scored_at')[0]?.timestamp ?? '',
      );
    const changedAt = Date.now();
    admin.updateObject(portalId, 'deals', deal.id, {
      amount: '950000000',
      closedate: new Date(installed.now - 86_400_000).toISOString(),
    });
    const moved = await until(
      () =>
        Promise.resolve(
          companies.filter(
            (company) => company.id !== companyId && writtenAt(company.id) > changedAt,
          ),
        ),
      (written) => written.length > 0 && writtenAt(companyId) > changedAt,
      'the changed company and the accounts it moved to be written',
    );
    const firstMoved = Math.min(...moved.map((company) => writtenAt(company.id)));
    // The pass that wrote the change left the re-rank; a pass of no company took it up.
    expect(firstMoved - writtenAt(companyId)).toBeGreaterThanOrEqual(2 * DEBOUNCE_MS);
    const after = await read('companies', KAM_OUTPUT_PROPERTIES);
    expect(after.find((company) => company.id === companyId)?.properties.kam_tier).toBe(
      'strategic',
    );
    const redis = installed.redis.connect();
    await until(
      () => redis.exists(`kam:portal:${portalId}:rerank-deferred`),
      (exists) => exists === 0,
      'the re-rank left for later to be marked done',
    );
    redis.disconnect();
  });
});

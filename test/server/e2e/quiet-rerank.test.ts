import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAM_OUTPUT_PROPERTIES } from '../../../server/recompute/kam-property-values.ts';
import { listAll } from '../../support/sandbox-reads.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { writeOrderOfATopChange } from '../../support/write-order.ts';

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

describe('the re-rank of a large portfolio', () => {
  it('comes once the portal is quiet, after the changed company was written', async () => {
    const { companyId, gapMs } = await writeOrderOfATopChange(installed);
    // The pass that wrote the change left the re-rank; a pass of no company took it up.
    expect(gapMs).toBeGreaterThanOrEqual(2 * DEBOUNCE_MS);
    const companies = await listAll(
      installed.sandbox.url,
      installed.privateToken,
      'companies',
      KAM_OUTPUT_PROPERTIES,
    );
    expect(companies.find((company) => company.id === companyId)?.properties.kam_tier).toBe(
      'strategic',
    );
    const redis = installed.redis.connect();
    await until(
      () => redis.exists(`kam:portal:${installed.portalId}:rerank-deferred`),
      (exists) => exists === 0,
      'the re-rank left for later to be marked done',
    );
    redis.disconnect();
  });
});

import type { CrmObject } from '../../src/index.ts';
import { DEFAULT_SETTINGS, dealInputProperties } from '../../src/index.ts';
import { KAM_OUTPUT_PROPERTIES } from '../../server/recompute/kam-property-values.ts';
import type { InstalledBackend } from './installed-backend.ts';
import { until } from './installed-backend.ts';
import { listAll } from './sandbox-reads.ts';

/** The company a deal was created under (its primary association). */
export const primaryCompany = (deal: CrmObject): string | undefined => {
  const link = deal.associations?.companies?.results.find(
    (candidate) => 'type' in candidate && candidate.type === 'deal_to_company',
  );
  return link !== undefined && 'id' in link ? link.id : undefined;
};

/**
 * Raises a transactional account's won deal so that it tops the portfolio
 * and moves other accounts; resolves once that company and some account it
 * moved are written, with the time between the two writes (HubSpot's
 * clock: the backend's is fixed).
 */
export async function writeOrderOfATopChange(
  installed: InstalledBackend,
): Promise<{ readonly companyId: string; readonly gapMs: number }> {
  const { admin } = installed.sandbox;
  const { portalId } = installed;
  const read = (type: 'companies' | 'deals', properties: readonly string[]) =>
    listAll(installed.sandbox.url, installed.privateToken, type, properties);
  const deals = await read('deals', dealInputProperties(DEFAULT_SETTINGS));
  const companies = await read('companies', KAM_OUTPUT_PROPERTIES);
  const tierOf = new Map(companies.map((company) => [company.id, company.properties.kam_tier]));
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
  return { companyId, gapMs: firstMoved - writtenAt(companyId) };
}

import { describe, expect, it } from 'vitest';
import { generatePortal } from '../../../server/synthetic/generate-portal.ts';
import type { CrmObject } from '../../../src/index.ts';

const AS_OF = '2026-11-01T00:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const DAY_MS = 86_400_000;
/** Small, as `kam generate` is often run: the rules must have accounts to fire on even here. */
const portal = generatePortal({ companies: 200, deals: 2_000, seed: 7, asOf: AS_OF });

const instant = (value: string | null | undefined): number => Date.parse(value ?? '');
const daysAgo = (value: string | null | undefined): number => (AS_OF_MS - instant(value)) / DAY_MS;
const isWon = (deal: CrmObject): boolean => deal.properties.hs_is_closed_won === 'true';
const isLost = (deal: CrmObject): boolean =>
  deal.properties.hs_is_closed === 'true' && !isWon(deal);
const isOpen = (deal: CrmObject): boolean => deal.properties.hs_is_closed !== 'true';
const amount = (deal: CrmObject): number => Number(deal.properties.amount ?? 0);

/** Each company's deals through its first listed association (the generator's own company). */
const dealsOf = new Map<string, CrmObject[]>();
for (const deal of portal.deals) {
  const [first] = deal.associations?.companies?.results ?? [];
  if (first === undefined || !('id' in first)) continue;
  dealsOf.set(first.id, [...(dealsOf.get(first.id) ?? []), deal]);
}
const companyById = new Map(portal.companies.map((company) => [company.id, company]));
const rivalNames = (company: CrmObject | undefined): string[] =>
  (company?.properties.kam_competitors ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(':')[0]?.trim().toLowerCase() ?? '');
const revenueIn = (deals: readonly CrmObject[], fromDays: number, toDays: number): number =>
  deals
    .filter((deal) => isWon(deal))
    .filter((deal) => daysAgo(deal.properties.closedate) >= fromDays)
    .filter((deal) => daysAgo(deal.properties.closedate) < toDays)
    .reduce((sum, deal) => sum + amount(deal), 0);
/** Companies by revenue in the last year, largest first, as the Pareto tiers rank them. */
const byRevenue = [...portal.companies].sort(
  (a, b) => revenueIn(dealsOf.get(b.id) ?? [], 0, 365) - revenueIn(dealsOf.get(a.id) ?? [], 0, 365),
);

describe('the synthetic portal exercises the v2 rules (kam-model.md v2)', () => {
  it('is the same portal for the same seed, another for another seed', () => {
    const again = generatePortal({ companies: 200, deals: 2_000, seed: 7, asOf: AS_OF });
    expect(again).toEqual(portal);
    const other = generatePortal({ companies: 200, deals: 2_000, seed: 8, asOf: AS_OF });
    expect(other.deals.map((deal) => deal.properties)).not.toEqual(
      portal.deals.map((deal) => deal.properties),
    );
  });

  it('creates every closed deal before it closes, with sales cycles from days to over 200', () => {
    const cycles = portal.deals
      .filter((deal) => !isOpen(deal) && deal.properties.closedate != null)
      .map(
        (deal) =>
          (instant(deal.properties.closedate) - instant(deal.properties.createdate)) / DAY_MS,
      );
    expect(cycles.every((days) => days > 0)).toBe(true);
    expect(cycles.filter((days) => days < 30).length).toBeGreaterThan(cycles.length * 0.1);
    expect(cycles.filter((days) => days > 200).length).toBeGreaterThan(cycles.length * 0.05);
    for (const deal of portal.deals.filter(isOpen)) {
      expect(instant(deal.properties.createdate)).toBeLessThanOrEqual(AS_OF_MS);
      expect(instant(deal.properties.closedate)).toBeGreaterThan(AS_OF_MS);
    }
  });

  it('gives lost deals reasons: rivals the account lists (any case), and generic ones', () => {
    const lost = portal.deals.filter(isLost);
    const reasons = lost.map((deal) => deal.properties.closed_lost_reason ?? null);
    const namingListedRival = lost.filter((deal) => {
      const reason = deal.properties.closed_lost_reason?.toLowerCase() ?? '';
      const [first] = deal.associations?.companies?.results ?? [];
      const company = first !== undefined && 'id' in first ? companyById.get(first.id) : undefined;
      return rivalNames(company).some((name) => reason.includes(name));
    });
    expect(namingListedRival.length).toBeGreaterThan(lost.length * 0.05);
    expect(
      namingListedRival.some((deal) => /[A-Z]{4}/.test(deal.properties.closed_lost_reason ?? '')),
    ).toBe(true);
    expect(reasons).toContain('Budget cut');
    expect(reasons).toContain('No decision');
    expect(reasons).toContain(null);
    expect(
      portal.deals
        .filter((deal) => !isLost(deal))
        .map((deal) => deal.properties.closed_lost_reason),
    ).toEqual(portal.deals.filter((deal) => !isLost(deal)).map(() => undefined));
  });

  it('lists rivals as `Name: strengths | weaknesses`, some large accounts fewer than two', () => {
    const listed = portal.companies.filter((company) => company.properties.kam_competitors != null);
    for (const company of listed) {
      for (const line of (company.properties.kam_competitors ?? '').split('\n')) {
        expect(line).toMatch(/^[A-Z][a-z]+: [^|]+ \| .+$/);
      }
    }
    const key = byRevenue.slice(0, 40);
    expect(key.filter((company) => rivalNames(company).length >= 2).length).toBeGreaterThan(0);
    expect(key.filter((company) => rivalNames(company).length < 2).length).toBeGreaterThan(0);
  });

  it('has long-standing accounts in decline: revenue ≥ 20% below last year, recent losses', () => {
    const declining = portal.companies.filter((company) => {
      const deals = dealsOf.get(company.id) ?? [];
      const thisYear = revenueIn(deals, 0, 365);
      const lastYear = revenueIn(deals, 365, 730);
      const firstWin = Math.max(
        ...deals.filter(isWon).map((deal) => daysAgo(deal.properties.closedate)),
      );
      const recentLosses = deals
        .filter(isLost)
        .filter((deal) => daysAgo(deal.properties.closedate) < 180).length;
      return thisYear > 0 && thisYear <= 0.8 * lastYear && firstWin >= 730 && recentLosses >= 2;
    });
    expect(declining.length).toBeGreaterThanOrEqual(5);
    // Among the accounts that matter (the largest fifth), not only small ones.
    expect(declining.some((company) => byRevenue.slice(0, 40).includes(company))).toBe(true);
  });

  it('has prospects that lost several deals, won none and have none open', () => {
    const prospects = portal.companies.filter((company) => {
      const deals = dealsOf.get(company.id) ?? [];
      return deals.length >= 2 && deals.every(isLost);
    });
    // Chance alone gives a few (a small account's two deals both lost); these are meant.
    expect(prospects.length).toBeGreaterThanOrEqual(10);
  });

  it('has stale surveys (over 365 days old) beside recent ones', () => {
    const ages = portal.companies
      .map((company) => company.properties.kam_survey_date)
      .filter((date) => date != null)
      .map(daysAgo);
    expect(ages.filter((age) => age > 365).length).toBeGreaterThan(0);
    expect(ages.filter((age) => age <= 365).length).toBeGreaterThan(0);
  });

  it('leaves some of the largest accounts without an owner, and every small one owned', () => {
    const largest = byRevenue.slice(0, 10);
    expect(
      largest.filter((company) => company.properties.hubspot_owner_id == null).length,
    ).toBeGreaterThan(0);
    expect(
      largest.filter((company) => company.properties.hubspot_owner_id != null).length,
    ).toBeGreaterThan(0);
    expect(
      byRevenue.slice(20).every((company) => company.properties.hubspot_owner_id != null),
    ).toBe(true);
  });
});

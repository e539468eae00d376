import type { CrmObject, DataQualityFlag, FactsCollector, Settings } from '../../src/index.ts';
import { boundAccountText, createFactsCollector } from '../../src/index.ts';

/**
 * The model's facts collector over companies whose manual text is first cut
 * to kam-model.md §8's bounds: text that reached HubSpot without the card
 * API (an import, an edit in HubSpot) is scored and kept in the snapshot
 * bounded, and the company carries a `text_too_long` flag saying so.
 */
export function createBoundedFactsCollector(
  companies: readonly CrmObject[],
  settings: Settings,
  asOfMs: number,
): FactsCollector {
  const textFlags = new Map<string, readonly DataQualityFlag[]>();
  const bounded = companies.map((company) => {
    const cut = boundAccountText(company);
    if (cut.flags.length > 0) textFlags.set(company.id, cut.flags);
    return cut.company;
  });
  const collector = createFactsCollector(bounded, settings, asOfMs);
  if (textFlags.size === 0) return collector;
  return {
    addDeals: (deals) => collector.addDeals(deals),
    addTickets: (tickets) => collector.addTickets(tickets),
    addCalls: (calls) => collector.addCalls(calls),
    finish() {
      const { facts, dealCounts } = collector.finish();
      return {
        dealCounts,
        facts: facts.map((fact) => {
          const flags = textFlags.get(fact.companyId);
          return flags === undefined ? fact : { ...fact, flags: [...flags, ...fact.flags] };
        }),
      };
    },
  };
}

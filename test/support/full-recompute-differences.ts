import type { CompanyScore, CrmObject } from '../../src/index.ts';
import {
  CALL_INPUT_PROPERTIES,
  COMPANY_INPUT_PROPERTIES,
  CONTACT_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  scorePortal,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import {
  KAM_OUTPUT_PROPERTIES,
  kamPropertyValues,
} from '../../server/recompute/kam-property-values.ts';
import type { InstalledBackend } from './installed-backend.ts';
import { listAll, listPipelineLabels, listRecentMeetings } from './sandbox-reads.ts';

type ListedType = 'companies' | 'deals' | 'tickets' | 'calls' | 'contacts' | 'meetings';

/**
 * Reads of an installed portal as a test makes them, and every company
 * property that differs from `kam score` on the portal as it is now (what a
 * full recompute would write). The pipelines' labels are read once: the
 * test's own reads share the portal's rate limit.
 */
export function portalReads(installed: InstalledBackend) {
  const read = (type: ListedType, properties: readonly string[]) =>
    listAll(installed.sandbox.url, installed.privateToken, type, properties);
  let labels: Record<string, string> | undefined;
  const pipelineLabels = async (): Promise<Record<string, string>> => {
    labels ??= await listPipelineLabels(installed.sandbox.url, installed.privateToken);
    return labels;
  };
  /** Everything the model reads of the portal as it is now; companies with their KAM values too. */
  const portalInput = async () => ({
    companies: await read('companies', [...COMPANY_INPUT_PROPERTIES, ...KAM_OUTPUT_PROPERTIES]),
    deals: await read('deals', dealInputProperties(DEFAULT_SETTINGS)),
    tickets: await read('tickets', TICKET_INPUT_PROPERTIES),
    calls: await read('calls', CALL_INPUT_PROPERTIES),
    contacts: await read('contacts', CONTACT_INPUT_PROPERTIES),
    meetings: await listRecentMeetings(
      installed.sandbox.url,
      installed.privateToken,
      installed.now,
    ),
    productLineLabels: await pipelineLabels(),
  });
  const differences = async (): Promise<string[]> => {
    const input = await portalInput();
    const expected = scorePortal(input, DEFAULT_SETTINGS, installed.now);
    return differingProperties(expected.companies, input.companies);
  };
  return { read, pipelineLabels, portalInput, differences };
}

/** Every KAM property HubSpot holds that differs from what `expected` scores would write. */
export function differingProperties(
  expected: readonly CompanyScore[],
  companies: readonly CrmObject[],
): string[] {
  const written = new Map(companies.map((company) => [company.id, company.properties]));
  const found: string[] = [];
  for (const company of expected) {
    const values = kamPropertyValues(company);
    for (const property of KAM_OUTPUT_PROPERTIES) {
      const value = written.get(company.id)?.[property] ?? '';
      if (value !== values[property])
        found.push(`${company.id}.${property}: ${value} ≠ ${values[property]}`);
    }
  }
  return found;
}

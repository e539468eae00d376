import { readFileSync } from 'node:fs';
import {
  DEFAULT_SETTINGS,
  paretoCurve,
  scorePortal,
  type CompanyScore as ModelCompany,
  type PortalInput,
} from '../../src/index.ts';
import type { CompanyScore, Portfolio } from '../../extension/app/cards/lib/types.ts';

/**
 * The gallery's data, produced by the real model at gallery time from the
 * bundled sample portal (so a model change shows in the pictures): one
 * account per state a rep meets.
 */

export const AS_OF = '2026-11-01T00:00:00.000Z';

export type AccountState = 'strategic' | 'atRisk' | 'prospect' | 'lapsed' | 'grouped';

export interface GalleryData {
  accounts: Record<AccountState, CompanyScore>;
  /** Every account of the portal, as the cards read it. */
  companies: readonly CompanyScore[];
  portfolio: Omit<Portfolio, 'recompute'>;
  /** The portal's own words a card may show in any language: company names, product lines, rivals. */
  portalWords: readonly string[];
  /** `GET /api/v1/owners` and the scorecard's `ownerNames`, from the portal's HubSpot owners. */
  owners: { id: string; name: string; email: string | null }[];
  ownerNames: Record<string, string>;
}

/** A HubSpot owner as `/crm/v3/owners` lists it (the sample portal's optional `owners`). */
interface SampleOwner {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

function pick(
  companies: readonly ModelCompany[],
  what: string,
  ...choices: ((company: ModelCompany) => boolean)[]
): ModelCompany {
  for (const choice of choices) {
    const found = companies.find(choice);
    if (found !== undefined) return found;
  }
  throw new Error(`the sample portal has no ${what} account`);
}

export function galleryData(): GalleryData {
  const input = JSON.parse(
    readFileSync(new URL('../../examples/sample-portal.json', import.meta.url), 'utf8'),
  ) as PortalInput;
  const scored = scorePortal(input, DEFAULT_SETTINGS, Date.parse(AS_OF));
  const companies = scored.companies;
  const hasRule = (company: ModelCompany, rule: string) =>
    company.swot.some((item) => item.ruleId === rule);
  const accounts = {
    strategic: pick(
      companies,
      'strategic',
      (c) => c.tier === 'strategic' && c.segment !== 'at_risk',
      (c) => c.tier === 'strategic',
    ),
    // v2 names at-risk accounts; a v1 model leaves the segment empty, so a
    // shrinking rated account stands in.
    atRisk: pick(
      companies,
      'at-risk',
      (c) => c.segment === 'at_risk',
      (c) => c.tier !== 'unrated' && c.tier !== 'strategic' && hasRule(c, 'T1'),
    ),
    prospect: pick(companies, 'prospect', (c) => c.metrics.wonCount === 0 && c.stage === 'new'),
    lapsed: pick(companies, 'lapsed', (c) => c.stage === 'lapsed'),
  };
  const grouped = groupedAndPlanned(
    input,
    accounts.strategic,
    // Two other buying companies (the at-risk pick may be the strategic one itself).
    companies.filter((c) => c.id !== accounts.strategic.id && c.metrics.revenueTtm > 0).slice(0, 2),
  );
  const revenues = companies.map((c) => c.metrics.revenueTtm).filter((r) => r > 0);
  const cards = JSON.parse(JSON.stringify(companies)) as CompanyScore[];
  const owners = ((input as { owners?: SampleOwner[] }).owners ?? []).map((owner) => ({
    id: owner.id,
    name: [owner.firstName, owner.lastName].filter(Boolean).join(' ') || (owner.email ?? owner.id),
    email: owner.email ?? null,
  }));
  return {
    // The cards read the model's JSON, as the backend serves it.
    accounts: JSON.parse(JSON.stringify({ ...accounts, grouped })) as Record<
      AccountState,
      CompanyScore
    >,
    companies: cards,
    portfolio: JSON.parse(
      JSON.stringify({
        ...scored.portfolio,
        paretoCurve: paretoCurve(
          [...revenues].sort((a, b) => b - a),
          20,
        ),
        movements: [],
      }),
    ) as Omit<Portfolio, 'recompute'>,
    owners,
    ownerNames: Object.fromEntries(owners.map((owner) => [owner.id, owner.name])),
    portalWords: [
      ...Object.values(PLAN_TEXT),
      ...companies.flatMap((c) => (c.name === null ? [] : [c.name])),
      // People's names and job titles are the portal's own words too.
      ...owners.map((owner) => owner.name),
      ...cards.flatMap((c) =>
        (c.buyingCentre?.contacts ?? []).flatMap((contact) =>
          [contact.name, contact.jobTitle].filter((word): word is string => word !== null),
        ),
      ),
      ...scored.portfolio.productLines,
      ...companies.flatMap((c) =>
        c.swot.flatMap((item) =>
          [item.evidence.lines, item.evidence.competitors].filter(
            (value): value is string => typeof value === 'string',
          ),
        ),
      ),
    ],
  };
}

/** The grouped account's plan as its rep typed it: the portal's own words, in any language. */
const PLAN_TEXT = {
  objective: 'Become the sole supplier for the Nordic rollout',
  strategies: 'Bundle service contracts with every line',
  measures: 'Monthly review of orders and open quotes',
};

/**
 * §11–§13 on the cards: the strategic account as the parent of two other
 * sample companies, with a plan (a revenue goal, last reviewed in June, so
 * A18 asks for a review) and complaints (one open and major, one closed a
 * week ago and owed its 回访 call), scored by the real model.
 */
function groupedAndPlanned(
  input: PortalInput,
  parent: ModelCompany,
  members: readonly ModelCompany[],
): ModelCompany {
  const memberIds = new Set(members.map((member) => member.id));
  const companies = input.companies.map((company) => {
    if (memberIds.has(company.id)) {
      return { ...company, properties: { ...company.properties, hs_parent_company_id: parent.id } };
    }
    if (company.id !== parent.id) return company;
    return {
      ...company,
      properties: {
        ...company.properties,
        kam_plan_objective: PLAN_TEXT.objective,
        kam_plan_goal_revenue: String(Math.round(parent.metrics.revenueTtm * 1.5)),
        kam_plan_goal_date: '2027-06-30',
        kam_plan_strategies: PLAN_TEXT.strategies,
        kam_plan_measures: PLAN_TEXT.measures,
        kam_plan_reviewed_at: '2026-06-01',
      },
    };
  });
  const ticket = (id: string, properties: Record<string, string>) => ({
    id,
    properties: { subject: 'Late delivery', createdate: '2026-10-01T00:00:00.000Z', ...properties },
    associations: { companies: { results: [{ id: parent.id, type: 'ticket_to_company' }] } },
  });
  const tickets = [
    ...(input.tickets ?? []),
    ticket('9100001', { hs_is_closed: 'false', hs_ticket_priority: 'HIGH' }),
    ticket('9100002', {
      hs_is_closed: 'true',
      hs_ticket_priority: 'MEDIUM',
      closed_date: '2026-10-25T00:00:00.000Z',
    }),
  ];
  const scored = scorePortal({ ...input, companies, tickets }, DEFAULT_SETTINGS, Date.parse(AS_OF));
  const found = scored.companies.find((company) => company.id === parent.id);
  if (found === undefined) throw new Error('the grouped account is missing');
  return found;
}

export { DEFAULT_SETTINGS };

import type { DataQualityFlag, FlagCode } from './data-quality.ts';
import type { Association, CrmObject } from './hubspot-objects.ts';
import {
  isBlank,
  isPrimaryAssociation,
  linkedCompanies,
  parseBooleanProperty,
  parseInstantProperty,
  parseNumberProperty,
} from './hubspot-objects.ts';
import type { Settings } from './settings.ts';

export type DealState = 'won' | 'lost' | 'open';

/** A deal reduced to what the model reads, numbers parsed, problems flagged. */
export interface NormalizedDeal {
  readonly id: string;
  readonly state: DealState;
  /** Home-currency amount; 0 when missing or unparsable (and flagged). */
  readonly amount: number;
  /** Mapped profit amount; null when no profit property is mapped. */
  readonly profit: number | null;
  /** Close date in epoch ms; null when missing or unparsable (and flagged when closed). */
  readonly closeMs: number | null;
  /** 0–1; open deals without one count 0 (and are flagged). */
  readonly probability: number;
  readonly productLine: string | null;
  /**
   * `createdate` of a won deal as HubSpot sent it (its sales cycle starts
   * there), parsed only if the deal counts in a window; null otherwise.
   */
  readonly createdate: string | null;
  /** `closed_lost_reason` of a lost deal, trimmed; null otherwise or blank. */
  readonly lostReason: string | null;
  readonly flags: readonly DataQualityFlag[];
}

export interface Credit {
  readonly deal: NormalizedDeal;
  /** 1 for the primary company; 1/n when split between n companies. */
  readonly fraction: number;
}

export interface CreditedDeals {
  readonly byCompany: ReadonlyMap<string, readonly Credit[]>;
  readonly dealsWithoutCompany: number;
  readonly dealsWithUnknownCompany: number;
  readonly dealsSplitWithoutPrimary: number;
}

const NO_FLAGS: readonly DataQualityFlag[] = Object.freeze([]);

function dealFlag(code: FlagCode, dealId: string, field: string, message: string): DataQualityFlag {
  return { code, recordType: 'deal', recordId: dealId, field, message };
}

/**
 * Deal state (kam-model.md §1): won if `hs_is_closed_won`, lost if closed
 * and not won, otherwise open.
 */
export function dealState(properties: CrmObject['properties']): DealState {
  if (parseBooleanProperty(properties.hs_is_closed_won)) return 'won';
  return parseBooleanProperty(properties.hs_is_closed) ? 'lost' : 'open';
}

/**
 * Reads one deal: prefers `amount_in_home_currency`, falls back to `amount`;
 * a missing, unparsable or negative amount counts as 0 and is flagged.
 */
export function normalizeDeal(deal: CrmObject, settings: Settings): NormalizedDeal {
  const properties = deal.properties;
  let flags: DataQualityFlag[] | null = null;
  const flag = (code: FlagCode, field: string, message: string): void => {
    (flags ??= []).push(dealFlag(code, deal.id, field, message));
  };

  const state = dealState(properties);
  const homeAmount = parseNumberProperty(properties.amount_in_home_currency);
  const rawAmount =
    homeAmount !== null && !Number.isNaN(homeAmount)
      ? homeAmount
      : parseNumberProperty(properties.amount);
  let amount = 0;
  if (rawAmount === null) {
    flag('missing_amount', 'amount', `deal ${deal.id} has no amount; counted as 0`);
  } else if (Number.isNaN(rawAmount)) {
    flag(
      'invalid_amount',
      'amount',
      `deal ${deal.id} amount "${properties.amount}" is not a number; counted as 0`,
    );
  } else if (rawAmount < 0) {
    // A negative won amount would make a share above 1 for the others (kam-model.md §2).
    flag(
      'invalid_amount',
      'amount',
      `deal ${deal.id} amount ${rawAmount} is negative; counted as 0`,
    );
  } else {
    amount = rawAmount;
  }

  let closeMs = parseInstantProperty(properties.closedate);
  if (closeMs !== null && Number.isNaN(closeMs)) {
    flag(
      'invalid_close_date',
      'closedate',
      `deal ${deal.id} close date "${properties.closedate}" is not a date`,
    );
    closeMs = null;
  } else if (closeMs === null && state !== 'open') {
    flag(
      'missing_close_date',
      'closedate',
      `closed deal ${deal.id} has no close date; left out of time windows`,
    );
  }

  let probability = 0;
  if (state === 'open') {
    const parsed = parseNumberProperty(properties.hs_deal_stage_probability);
    if (parsed === null || Number.isNaN(parsed)) {
      flag(
        'missing_probability',
        'hs_deal_stage_probability',
        `open deal ${deal.id} has no stage probability; weighted as 0`,
      );
    } else {
      probability = Math.min(Math.max(parsed, 0), 1);
    }
  }

  let profit: number | null = null;
  if (settings.profitProperty !== null) {
    const parsed = parseNumberProperty(properties[settings.profitProperty]);
    profit = parsed === null || Number.isNaN(parsed) ? 0 : parsed;
    if (state === 'won' && (parsed === null || Number.isNaN(parsed))) {
      flag(
        'missing_profit',
        settings.profitProperty,
        `won deal ${deal.id} has no usable ${settings.profitProperty}; profit counted as 0`,
      );
    }
  }

  const productLineValue = properties[settings.productLineProperty];
  // Kept only where a rule reads them: a portal has a million deals.
  const createdate = state === 'won' ? (properties.createdate ?? null) : null;
  const lostReasonValue = state === 'lost' ? properties.closed_lost_reason : null;
  return {
    id: deal.id,
    state,
    amount,
    profit,
    closeMs,
    probability,
    productLine: isBlank(productLineValue) ? null : productLineValue.trim(),
    createdate,
    lostReason: isBlank(lostReasonValue) ? null : lostReasonValue.trim(),
    flags: flags ?? NO_FLAGS,
  };
}

/** Where a deal's amount goes (kam-model.md §1). */
export type DealCrediting =
  | {
      readonly outcome: 'credited';
      readonly companyIds: readonly string[];
      /** The share each of them gets: 1, or 1/n of the n associated companies. */
      readonly fraction: number;
    }
  | { readonly outcome: 'no_company' | 'unknown_company' };

/**
 * All of a deal to its primary company; split equally between all its
 * companies when none is primary (a company missing from the portfolio keeps
 * its share out of it); nothing when it has no company, or none that is in
 * the portfolio.
 */
export function creditDeal(deal: CrmObject, companyIds: ReadonlySet<string>): DealCrediting {
  const links = linkedCompanies(deal.associations?.companies?.results ?? []);
  if (links.length === 0) return { outcome: 'no_company' };
  const known: string[] = [];
  for (const link of links) {
    if (link.primary) {
      return companyIds.has(link.companyId)
        ? { outcome: 'credited', companyIds: [link.companyId], fraction: 1 }
        : { outcome: 'unknown_company' };
    }
    if (companyIds.has(link.companyId)) known.push(link.companyId);
  }
  if (known.length === 0) return { outcome: 'unknown_company' };
  return { outcome: 'credited', companyIds: known, fraction: 1 / links.length };
}

/** Running counts of what crediting did, for the run's data-quality report. */
export interface CreditCounts {
  deals: number;
  dealsWithoutCompany: number;
  dealsWithUnknownCompany: number;
  dealsSplitWithoutPrimary: number;
}

export function newCreditCounts(): CreditCounts {
  return {
    deals: 0,
    dealsWithoutCompany: 0,
    dealsWithUnknownCompany: 0,
    dealsSplitWithoutPrimary: 0,
  };
}

/**
 * Credits each deal and hands every (company, deal, fraction) to `onCredit`;
 * nothing is kept, so a whole portal can stream through page by page.
 * `accountOf` says whether a company is in the portfolio by giving what the
 * caller keeps for it (undefined when it is not), so the caller looks each
 * company up once.
 *
 * Same outcome as `creditDeal` for every deal, read straight off the
 * association list: a portal has millions of deals, and building the
 * `linkedCompanies` list and a `DealCrediting` for each cost more than
 * crediting it.
 */
export function forEachCredit<Account>(
  deals: readonly CrmObject[],
  accountOf: (companyId: string) => Account | undefined,
  settings: Settings,
  counts: CreditCounts,
  onCredit: (account: Account, deal: NormalizedDeal, fraction: number) => void,
): void {
  for (const deal of deals) {
    counts.deals += 1;
    const results = deal.associations?.companies?.results;
    if (results === undefined || results.length === 0) {
      counts.dealsWithoutCompany += 1;
      continue;
    }
    const primary = primaryLinkIndex(results);
    if (primary !== -1) {
      const account = accountOf(associatedId(results[primary] as Association));
      if (account !== undefined) onCredit(account, normalizeDeal(deal, settings), 1);
      else counts.dealsWithUnknownCompany += 1;
      continue;
    }
    // No primary: an equal share to each distinct company, kept for those in the portfolio.
    let companies = 0;
    let known = 0;
    for (let index = 0; index < results.length; index += 1) {
      if (!firstMention(results, index)) continue;
      companies += 1;
      if (accountOf(associatedId(results[index] as Association)) !== undefined) known += 1;
    }
    if (known === 0) {
      counts.dealsWithUnknownCompany += 1;
      continue;
    }
    if (companies > 1) counts.dealsSplitWithoutPrimary += 1;
    const normalized = normalizeDeal(deal, settings);
    const fraction = 1 / companies;
    for (let index = 0; index < results.length; index += 1) {
      if (!firstMention(results, index)) continue;
      const account = accountOf(associatedId(results[index] as Association));
      if (account !== undefined) onCredit(account, normalized, fraction);
    }
  }
}

function associatedId(association: Association): string {
  return 'toObjectId' in association ? association.toObjectId : association.id;
}

/** Whether `results[index]` is the first association naming its company. */
function firstMention(results: readonly Association[], index: number): boolean {
  const companyId = associatedId(results[index] as Association);
  for (let earlier = 0; earlier < index; earlier += 1) {
    if (associatedId(results[earlier] as Association) === companyId) return false;
  }
  return true;
}

/**
 * The index of the first mention of the company `linkedCompanies` would
 * mark primary first (any of its associations is primary), or -1 when none
 * is: quadratic, for the 1–3 associations a deal has.
 */
function primaryLinkIndex(results: readonly Association[]): number {
  for (let index = 0; index < results.length; index += 1) {
    if (!firstMention(results, index)) continue;
    const companyId = associatedId(results[index] as Association);
    for (let later = index; later < results.length; later += 1) {
      const association = results[later] as Association;
      if (associatedId(association) === companyId && isPrimaryAssociation(association)) {
        return index;
      }
    }
  }
  return -1;
}

/** The deals credited to each company, e.g. to recompute one company after a change. */
export function creditDeals(
  deals: readonly CrmObject[],
  companyIds: ReadonlySet<string>,
  settings: Settings,
): CreditedDeals {
  const byCompany = new Map<string, Credit[]>();
  const counts = newCreditCounts();
  const companyOf = (companyId: string): string | undefined =>
    companyIds.has(companyId) ? companyId : undefined;
  forEachCredit(deals, companyOf, settings, counts, (companyId, deal, fraction) => {
    const list = byCompany.get(companyId);
    if (list) list.push({ deal, fraction });
    else byCompany.set(companyId, [{ deal, fraction }]);
  });
  return {
    byCompany,
    dealsWithoutCompany: counts.dealsWithoutCompany,
    dealsWithUnknownCompany: counts.dealsWithUnknownCompany,
    dealsSplitWithoutPrimary: counts.dealsSplitWithoutPrimary,
  };
}

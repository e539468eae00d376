import { lines, SWOT_PROPERTY } from './account-inputs.ts';
import type { DataQualityFlag } from './data-quality.ts';
import type { CrmObject } from './hubspot-objects.ts';

/**
 * kam-model.md §8: text typed in by people is bounded — the API refuses
 * more, and text that reaches HubSpot another way (an import, an edit in
 * HubSpot) is cut to these bounds before it is scored or kept.
 */
export const TEXT_BOUNDS = Object.freeze({
  /** Characters of one item of a list (a SWOT item, a competitor). */
  itemChars: 500,
  /** Items of one list. */
  listItems: 50,
  /** Characters of one account-plan field. */
  planChars: 5_000,
});

/** The one-item-per-line list properties of §8. */
const LIST_PROPERTIES: readonly string[] = [...Object.values(SWOT_PROPERTY), 'kam_competitors'];
/** The plan's text fields: v1's account plan and §13's OGSM texts. */
const PLAN_PROPERTIES: readonly string[] = [
  'kam_account_plan',
  'kam_plan_objective',
  'kam_plan_strategies',
  'kam_plan_measures',
];

/** The first `max` UTF-16 units of `text`, without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * A company with its list and plan properties cut to TEXT_BOUNDS, and a
 * `text_too_long` flag for each property that was cut (the same object
 * when nothing was). Items are the lines `lines` reads.
 *
 * @example
 * boundAccountText({ id: '1', properties: { kam_account_plan: 'x'.repeat(6_000) } })
 * // => { company: { …, kam_account_plan: 5,000 × 'x' }, flags: [{ code: 'text_too_long', field: 'kam_account_plan', … }] }
 */
export function boundAccountText(company: CrmObject): {
  company: CrmObject;
  flags: DataQualityFlag[];
} {
  let properties: Record<string, string | null | undefined> | null = null;
  const flags: DataQualityFlag[] = [];
  const replace = (field: string, value: string, message: string): void => {
    properties ??= { ...company.properties };
    properties[field] = value;
    flags.push({
      code: 'text_too_long',
      recordType: 'company',
      recordId: company.id,
      field,
      message,
    });
  };
  for (const field of LIST_PROPERTIES) {
    const items = lines(company.properties[field]);
    const bounded = items
      .slice(0, TEXT_BOUNDS.listItems)
      .map((item) => cut(item, TEXT_BOUNDS.itemChars));
    if (items.length > bounded.length || bounded.some((item, index) => item !== items[index])) {
      replace(
        field,
        bounded.join('\n'),
        `${field} has ${items.length} items; the first ${TEXT_BOUNDS.listItems}, each cut to ${TEXT_BOUNDS.itemChars} characters, are scored`,
      );
    }
  }
  for (const field of PLAN_PROPERTIES) {
    const text = company.properties[field];
    if (text != null && text.length > TEXT_BOUNDS.planChars) {
      replace(
        field,
        cut(text, TEXT_BOUNDS.planChars),
        `${field} has ${text.length} characters; the first ${TEXT_BOUNDS.planChars} are scored`,
      );
    }
  }
  return properties === null ? { company, flags } : { company: { ...company, properties }, flags };
}

import { z } from 'zod';
import { DAY_MS, daysFromCivil, daysInMonth } from './time.ts';

/**
 * HubSpot CRM objects as the v3 list and read endpoints return them:
 * `{id, properties: {name: "value"}, associations?: {companies: {results}}}`.
 * Property values arrive as strings (numbers, booleans and dates included);
 * numbers and booleans are accepted too and kept as strings so the model
 * parses one form only.
 */
export const propertiesSchema = z
  .record(z.string(), z.unknown())
  .transform((raw, ctx): Record<string, string | null | undefined> => {
    // One pass per record instead of a union per value: portals have millions.
    const properties: Record<string, string | null | undefined> = {};
    for (const key in raw) {
      const value = raw[key];
      if (value === null || value === undefined) properties[key] = null;
      else if (typeof value === 'string') properties[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean')
        properties[key] = String(value);
      else
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'expected a string, number, boolean or null',
        });
    }
    return properties;
  });

/** v3 form: `{id, type}`; the primary company appears as `deal_to_company`. */
const v3AssociationSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
});

/** v4 form: `{toObjectId, associationTypes: [{category, typeId, label}]}`. */
const v4AssociationSchema = z.object({
  toObjectId: z.union([z.string(), z.number()]).transform(String),
  associationTypes: z.array(
    z.object({
      category: z.string().optional(),
      typeId: z.number().int(),
      label: z.string().nullable().optional(),
    }),
  ),
});

export const associationSchema = z.union([v3AssociationSchema, v4AssociationSchema]);

const associationListSchema = z.object({
  results: z.array(associationSchema),
  paging: z.unknown().optional(),
});

export const crmObjectSchema = z.object({
  id: z.union([z.string().min(1), z.number().int()]).transform(String),
  properties: propertiesSchema,
  associations: z.record(z.string(), associationListSchema).optional(),
});

export const portalInputSchema = z.strictObject({
  companies: z.array(crmObjectSchema),
  deals: z.array(crmObjectSchema),
  tickets: z.array(crmObjectSchema).optional(),
  /** Calls (kam-model.md §12: a completed call after a complaint's closing is its follow-up). */
  calls: z.array(crmObjectSchema).optional(),
  /** Product-line labels by value (a pipeline's name by its id); lines without one show their value. */
  productLineLabels: z.record(z.string(), z.string()).optional(),
});

export type PropertyMap = Readonly<Record<string, string | null | undefined>>;
export type Association = z.infer<typeof associationSchema>;
export type CrmObject = z.infer<typeof crmObjectSchema>;
export type PortalInput = z.infer<typeof portalInputSchema>;

/** HubSpot's association type ids between deals and companies. */
export const DEAL_TO_COMPANY_PRIMARY_TYPE_ID = 5;
export const DEAL_TO_COMPANY_TYPE_ID = 341;
/** The v3 label of the primary association (the unlabelled one is `deal_to_company_unlabeled`). */
export const DEAL_TO_COMPANY_PRIMARY_V3_TYPE = 'deal_to_company';

/** A company linked to a deal, with duplicates (labelled + unlabelled) collapsed. */
export interface LinkedCompany {
  readonly companyId: string;
  readonly primary: boolean;
}

/** The id of the object at the other end of an association (v3 `id`, v4 `toObjectId`). */
export function associatedId(association: Association): string {
  return 'toObjectId' in association ? association.toObjectId : association.id;
}

/**
 * The companies a deal is associated with, primary first-class.
 * HubSpot's v3 form lists the primary company twice (labelled and unlabelled);
 * the v4 form lists it once with type id 5 among its association types.
 *
 * @example
 * linkedCompanies([{id: '7', type: 'deal_to_company'}, {id: '7', type: 'deal_to_company_unlabeled'}])
 * // => [{companyId: '7', primary: true}]
 */
export function linkedCompanies(results: readonly Association[]): LinkedCompany[] {
  // Runs once per deal of a portal: plain loops, no Map, for the usual 1–3 links.
  const links: LinkedCompany[] = [];
  for (const association of results) {
    const companyId = associatedId(association);
    const primary = isPrimaryAssociation(association);
    const seen = links.findIndex((link) => link.companyId === companyId);
    if (seen === -1) links.push({ companyId, primary });
    else if (primary) links[seen] = { companyId, primary };
  }
  return links;
}

/** Whether one association (v3 or v4 form) marks its company as the deal's primary one. */
export function isPrimaryAssociation(association: Association): boolean {
  if (!('toObjectId' in association)) return association.type === DEAL_TO_COMPANY_PRIMARY_V3_TYPE;
  for (const type of association.associationTypes) {
    if (type.typeId === DEAL_TO_COMPANY_PRIMARY_TYPE_ID) return true;
  }
  return false;
}

const EPOCH_MILLIS = /^-?\d{9,}$/;

/** A property value that is absent or blank. */
export function isBlank(value: string | null | undefined): value is null | undefined | '' {
  return value == null || value.trim() === '';
}

/**
 * Parses a HubSpot number property. `null` when blank, `NaN` when unparsable
 * (the caller turns that into a data-quality flag).
 */
export function parseNumberProperty(value: string | null | undefined): number | null {
  if (isBlank(value)) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

/**
 * Parses a HubSpot date or datetime property (ISO 8601 or epoch milliseconds)
 * to epoch milliseconds. `null` when blank, `NaN` when unparsable.
 *
 * @example
 * parseInstantProperty('1704067200000') === parseInstantProperty('2024-01-01T00:00:00Z') // true
 */
export function parseInstantProperty(value: string | null | undefined): number | null {
  if (isBlank(value)) return null;
  const trimmed = value.trim();
  const utc = parseUtcInstant(trimmed);
  if (utc !== null) return utc;
  return EPOCH_MILLIS.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
}

const DIGIT_0 = 48;

/** The number written by the `length` ASCII digits at `start`, or -1 if one is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index += 1) {
    const digit = text.charCodeAt(index) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The three shapes HubSpot sends dates in — `YYYY-MM-DD`,
 * `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ` — read without
 * `Date.parse`, which costs more than the rest of a deal's crediting. Gives
 * exactly what `Date.parse` gives; `null` for any other text (and for
 * out-of-range fields), which `Date.parse` then reads.
 */
function parseUtcInstant(text: string): number | null {
  const length = text.length;
  if (length !== 10 && length !== 20 && length !== 24) return null;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null; // '-'
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  const midnight = daysFromCivil(year, month, day) * DAY_MS;
  if (length === 10) return midnight;
  if (
    text.charCodeAt(10) !== 84 || // 'T'
    text.charCodeAt(13) !== 58 || // ':'
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(length - 1) !== 90 // 'Z'
  ) {
    return null;
  }
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return null;
  }
  let millisecond = 0;
  if (length === 24) {
    if (text.charCodeAt(19) !== 46) return null; // '.'
    millisecond = digitsAt(text, 20, 3);
    if (millisecond < 0) return null;
  }
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/**
 * HubSpot booleans are the strings "true" and "false".
 * (The exact strings are checked first: they are nearly all there is.)
 */
export function parseBooleanProperty(value: string | null | undefined): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value != null && value.trim().toLowerCase() === 'true';
}

import { validationError } from './errors.ts';
import { propertyValue } from './object-view.ts';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, type ObjectType } from './object-types.ts';
import type { Portal, StoredObject } from './portal.ts';
import type { PropertyType } from './property-definitions.ts';
import type { SearchFilter, SearchRequest, SearchSort } from './request-schemas.ts';

/** HubSpot's documented search limits. */
export const SEARCH_LIMITS = {
  maxPageSize: 200,
  maxResults: 10_000,
  maxFilterGroups: 5,
  maxFiltersPerGroup: 6,
  maxFilters: 18,
} as const;

export interface SearchPage {
  readonly total: number;
  readonly results: readonly StoredObject[];
  readonly nextAfter?: string;
}

const EPOCH_MILLIS = /^-?\d+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** How a property's values compare: numbers and instants numerically, the rest as text. */
type Comparable = 'number' | 'instant' | 'text';

function comparableKind(type: PropertyType | undefined): Comparable {
  if (type === 'number') return 'number';
  if (type === 'date' || type === 'datetime') return 'instant';
  return 'text';
}

function toComparable(kind: Comparable, raw: string): number | string {
  switch (kind) {
    case 'number':
      return Number(raw);
    case 'instant': {
      const trimmed = raw.trim();
      if (EPOCH_MILLIS.test(trimmed)) return Number(trimmed);
      return Date.parse(DATE_ONLY.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
    }
    case 'text':
      // HubSpot's text comparisons ignore case.
      return raw.toLowerCase();
  }
}

function compare(left: number | string, right: number | string): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  return String(left).localeCompare(String(right));
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._-]+/u)
    .filter((token) => token !== '');
}

/** CONTAINS_TOKEN: a whole token matches; `*` is a wildcard inside the token. */
function containsToken(text: string, pattern: string): boolean {
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const matcher = new RegExp(`^${escaped}$`, 'u');
  return tokens(text).some((token) => matcher.test(token)) || matcher.test(text.toLowerCase());
}

interface ResolvedFilter {
  readonly filter: SearchFilter;
  readonly kind: Comparable;
  readonly values: (stored: StoredObject) => readonly string[];
}

function resolveFilter(portal: Portal, type: ObjectType, filter: SearchFilter): ResolvedFilter {
  const name = filter.propertyName;
  // `associations.company` filters by associated record id, as HubSpot allows.
  if (name.startsWith('associations.')) {
    const singular = name.slice('associations.'.length);
    const toType = OBJECT_TYPES.find(
      (candidate) => OBJECT_TYPE_INFO[candidate].singular === singular,
    );
    if (toType === undefined) throw validationError(`Unknown association filter ${name}`);
    return {
      filter,
      kind: 'text',
      values: (stored) =>
        portal.associations.list(type, stored.id, toType).map((edge) => edge.toId),
    };
  }
  const definition = portal.properties[type].get(name);
  if (definition === undefined) {
    throw validationError(`There was a problem with the request: property ${name} does not exist.`);
  }
  return {
    filter,
    kind: comparableKind(definition.type),
    values: (stored) => {
      const value = propertyValue(type, stored, name);
      return value === undefined || value === '' ? [] : [value];
    },
  };
}

function matches(resolved: ResolvedFilter, stored: StoredObject): boolean {
  const { filter, kind } = resolved;
  const present = resolved.values(stored);
  const requireValue = (): string => {
    if (filter.value === undefined)
      throw validationError(`Filter ${filter.operator} on ${filter.propertyName} needs a value.`);
    return filter.value;
  };
  const any = (test: (value: number | string) => boolean) =>
    present.some((value) => test(toComparable(kind, value)));
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return present.length > 0;
    case 'NOT_HAS_PROPERTY':
      return present.length === 0;
    case 'EQ': {
      const target = toComparable(kind, requireValue());
      return any((value) => compare(value, target) === 0);
    }
    case 'NEQ': {
      const target = toComparable(kind, requireValue());
      return !any((value) => compare(value, target) === 0);
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const target = toComparable(kind, requireValue());
      return any((value) => {
        const order = compare(value, target);
        if (filter.operator === 'LT') return order < 0;
        if (filter.operator === 'LTE') return order <= 0;
        if (filter.operator === 'GT') return order > 0;
        return order >= 0;
      });
    }
    case 'BETWEEN': {
      if (filter.highValue === undefined)
        throw validationError('BETWEEN needs value and highValue.');
      const low = toComparable(kind, requireValue());
      const high = toComparable(kind, filter.highValue);
      return any((value) => compare(value, low) >= 0 && compare(value, high) <= 0);
    }
    case 'IN':
    case 'NOT_IN': {
      if (filter.values === undefined) throw validationError(`${filter.operator} needs values.`);
      const targets = filter.values.map((value) => toComparable(kind, value));
      const found = any((value) => targets.some((target) => compare(value, target) === 0));
      return filter.operator === 'IN' ? found : !found;
    }
    case 'CONTAINS_TOKEN':
      return present.some((value) => containsToken(value, requireValue()));
    case 'NOT_CONTAINS_TOKEN':
      return !present.some((value) => containsToken(value, requireValue()));
  }
}

function sortObjects(
  portal: Portal,
  type: ObjectType,
  objects: StoredObject[],
  sorts: readonly SearchSort[],
): StoredObject[] {
  if (sorts.length === 0) return objects;
  const keys = sorts.map((sort) => {
    const kind = comparableKind(portal.properties[type].get(sort.propertyName)?.type);
    const sign = sort.direction === 'DESCENDING' ? -1 : 1;
    return { name: sort.propertyName, kind, sign };
  });
  return objects.sort((left, right) => {
    for (const key of keys) {
      const a = propertyValue(type, left, key.name);
      const b = propertyValue(type, right, key.name);
      if (a === b) continue;
      // Records without a value sort last either way.
      if (a === undefined) return 1;
      if (b === undefined) return -1;
      const order = compare(toComparable(key.kind, a), toComparable(key.kind, b));
      if (order !== 0) return order * key.sign;
    }
    return Number(left.id) - Number(right.id);
  });
}

function checkLimits(request: SearchRequest): { limit: number; offset: number } {
  const filters = request.filterGroups.reduce((sum, group) => sum + group.filters.length, 0);
  if (
    request.filterGroups.length > SEARCH_LIMITS.maxFilterGroups ||
    request.filterGroups.some((group) => group.filters.length > SEARCH_LIMITS.maxFiltersPerGroup) ||
    filters > SEARCH_LIMITS.maxFilters
  ) {
    throw validationError(
      `Search allows ${SEARCH_LIMITS.maxFilterGroups} filter groups of ${SEARCH_LIMITS.maxFiltersPerGroup} filters, ${SEARCH_LIMITS.maxFilters} filters in total.`,
    );
  }
  if (request.limit > SEARCH_LIMITS.maxPageSize) {
    throw validationError(
      `limit must be at most ${SEARCH_LIMITS.maxPageSize}; was ${request.limit}.`,
    );
  }
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0)
    throw validationError(`Invalid after: ${request.after}`);
  if (offset >= SEARCH_LIMITS.maxResults) {
    throw validationError(
      `The search API returns at most ${SEARCH_LIMITS.maxResults} results per query; after=${offset} is beyond it.`,
    );
  }
  return { limit: request.limit, offset };
}

/**
 * Runs `POST /crm/v3/objects/{type}/search`: filter groups are ORed, the
 * filters in a group ANDed; `query` matches the type's searchable text
 * properties; pages are offsets, and no query reaches past 10,000 results
 * (`total` still counts them all).
 */
export function searchObjects(
  portal: Portal,
  type: ObjectType,
  request: SearchRequest,
): SearchPage {
  const { limit, offset } = checkLimits(request);
  const groups = request.filterGroups.map((group) =>
    group.filters.map((filter) => resolveFilter(portal, type, filter)),
  );
  const query = request.query?.trim();
  const candidates: StoredObject[] = [];
  for (const id of portal.sortedIds(type)) {
    const stored = portal.live(type, id);
    if (stored === undefined) continue;
    if (
      groups.length > 0 &&
      !groups.some((group) => group.every((filter) => matches(filter, stored)))
    )
      continue;
    if (
      query !== undefined &&
      query !== '' &&
      !OBJECT_TYPE_INFO[type].searchableProperties.some((name) =>
        containsToken(stored.properties[name] ?? '', `*${query}*`),
      )
    ) {
      continue;
    }
    candidates.push(stored);
  }
  const sorted = sortObjects(portal, type, candidates, request.sorts);
  const end = Math.min(offset + limit, sorted.length, SEARCH_LIMITS.maxResults);
  const results = sorted.slice(offset, end);
  const hasMore = end < Math.min(sorted.length, SEARCH_LIMITS.maxResults);
  return { total: sorted.length, results, ...(hasMore ? { nextAfter: String(end) } : {}) };
}

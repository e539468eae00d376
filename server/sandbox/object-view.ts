import { ASSOCIATION_TYPES, associationTypeById, HUBSPOT_DEFINED } from './associations.ts';
import { ALWAYS_RETURNED, OBJECT_TYPE_INFO, type ObjectType } from './object-types.ts';
import { seededHistoryEntry, type HistoryEntry, type Portal, type StoredObject } from './portal.ts';

/** Which parts of an object a read asks for. */
export interface ObjectReadOptions {
  /** Property names asked for; `undefined` means the type's defaults. */
  readonly properties?: readonly string[];
  readonly propertiesWithHistory?: readonly string[];
  /** Object types whose associations to inline (v3 list and single reads only). */
  readonly associations?: readonly ObjectType[];
}

/** HubSpot inlines at most this many associations per type on a read. */
const INLINE_ASSOCIATION_LIMIT = 100;

/** A property's current value, including the values HubSpot computes from the record. */
export function propertyValue(
  type: ObjectType,
  stored: StoredObject,
  name: string,
): string | undefined {
  if (name === 'hs_object_id') return stored.id;
  if (name === 'hs_lastmodifieddate') return stored.updatedAt;
  if (name === OBJECT_TYPE_INFO[type].createdateProperty) {
    return stored.properties[name] ?? stored.createdAt;
  }
  return stored.properties[name];
}

function selectedProperties(
  portal: Portal,
  type: ObjectType,
  requested: readonly string[] | undefined,
): string[] {
  if (requested === undefined || requested.length === 0)
    return [...OBJECT_TYPE_INFO[type].defaultProperties];
  const names = new Set([
    ...requested,
    ...ALWAYS_RETURNED,
    OBJECT_TYPE_INFO[type].createdateProperty,
  ]);
  // HubSpot ignores requested properties that do not exist.
  return [...names].filter((name) => portal.properties[type].has(name));
}

function inlineAssociations(
  portal: Portal,
  type: ObjectType,
  stored: StoredObject,
  toTypes: readonly ObjectType[],
): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const toType of toTypes) {
    const results: { id: string; type: string }[] = [];
    for (const edge of portal.associations.list(type, stored.id, toType)) {
      if (portal.live(toType, edge.toId) === undefined) continue;
      // v3 lists one entry per association type: the primary company twice.
      for (const typeId of edge.typeIds) {
        const definition = associationTypeById(type, typeId);
        if (definition !== undefined) results.push({ id: edge.toId, type: definition.v3Name });
      }
    }
    if (results.length === 0) continue;
    const page = results.slice(0, INLINE_ASSOCIATION_LIMIT);
    const next = results[INLINE_ASSOCIATION_LIMIT];
    result[toType] =
      next === undefined
        ? { results: page }
        : { results: page, paging: { next: { after: next.id, link: `?after=${next.id}` } } };
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A property's versions, newest first: written, seeded, or calculated from the record. */
export function historyOf(
  type: ObjectType,
  stored: StoredObject,
  name: string,
): readonly HistoryEntry[] {
  const history = stored.history[name];
  if (history !== undefined) return history;
  const seeded = stored.properties[name];
  if (seeded !== undefined) return [seededHistoryEntry(stored, seeded)];
  const calculated = propertyValue(type, stored, name);
  return calculated === undefined
    ? []
    : [{ value: calculated, timestamp: stored.updatedAt, sourceType: 'CALCULATED' }];
}

/**
 * An object in HubSpot's v3 response shape: `{id, properties,
 * propertiesWithHistory?, createdAt, updatedAt, archived, archivedAt?,
 * associations?}`; every value a string, requested but empty properties null.
 */
export function renderObject(
  portal: Portal,
  type: ObjectType,
  stored: StoredObject,
  options: ObjectReadOptions,
): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of selectedProperties(portal, type, options.properties)) {
    properties[name] = propertyValue(type, stored, name) ?? null;
  }
  const rendered: Record<string, unknown> = { id: stored.id, properties };
  const withHistory = (options.propertiesWithHistory ?? []).filter((name) =>
    portal.properties[type].has(name),
  );
  if (withHistory.length > 0) {
    rendered.propertiesWithHistory = Object.fromEntries(
      withHistory.map((name) => [name, historyOf(type, stored, name)]),
    );
  }
  rendered.createdAt = stored.createdAt;
  rendered.updatedAt = stored.updatedAt;
  rendered.archived = stored.archived;
  if (stored.archivedAt !== undefined) rendered.archivedAt = stored.archivedAt;
  const associations = inlineAssociations(portal, type, stored, options.associations ?? []);
  if (associations !== undefined) rendered.associations = associations;
  return rendered;
}

/** v4 association types of one edge: `[{category, typeId, label}]`. */
export function v4AssociationTypes(
  fromType: ObjectType,
  typeIds: readonly number[],
): { category: string; typeId: number; label: string | null }[] {
  return typeIds.flatMap((typeId) => {
    const definition = ASSOCIATION_TYPES.find(
      (type) => type.fromType === fromType && type.typeId === typeId,
    );
    return definition === undefined
      ? []
      : [{ category: HUBSPOT_DEFINED, typeId, label: definition.label }];
  });
}

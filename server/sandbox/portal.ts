import type { CrmObject } from '../../src/hubspot-objects.ts';
import { createPortalGenerator } from '../synthetic/generate-portal.ts';
import {
  ASSOCIATION_TYPES,
  AssociationStore,
  CHILD_TO_PARENT_COMPANY_TYPE_ID,
  PARENT_TO_CHILD_COMPANY_TYPE_ID,
  type AssociationChange,
  type AssociationTypeDefinition,
} from './associations.ts';
import { derivedDealProperties } from './deal-pipelines.ts';
import { derivedTicketProperties } from './ticket-pipeline.ts';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, type ObjectType } from './object-types.ts';
import {
  builtInGroups,
  builtInProperties,
  type PropertyDefinition,
  type PropertyGroup,
} from './property-definitions.ts';

/** Who made a change, as property history and webhooks report it. */
export interface ChangeSource {
  /** `INTEGRATION` for apps, `CRM_UI` for users, `IMPORT` for seeded data. */
  readonly sourceType: 'INTEGRATION' | 'CRM_UI' | 'IMPORT';
  readonly sourceId?: string;
  readonly updatedByUserId?: number;
}

/** One version of a property value, as `propertiesWithHistory` returns it. */
export interface HistoryEntry {
  readonly value: string;
  readonly timestamp: string;
  readonly sourceType: string;
  readonly sourceId?: string;
  readonly updatedByUserId?: number;
}

export interface StoredObject {
  readonly id: string;
  /** Current values; a cleared property has no entry. */
  properties: Record<string, string>;
  /**
   * Every write per property, newest first. Seeded values have no entry
   * until their first write: `seededHistoryEntry` stands in for them, which
   * keeps a 100,000-deal portal's memory and start-up small.
   */
  history: Record<string, HistoryEntry[]>;
  readonly createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/** A change to a portal's data, which webhooks turn into events. */
export type PortalChange =
  | {
      readonly kind: 'creation' | 'deletion';
      readonly objectType: ObjectType;
      readonly objectId: string;
      readonly occurredAt: number;
      readonly source: ChangeSource;
    }
  | {
      readonly kind: 'propertyChange';
      readonly objectType: ObjectType;
      readonly objectId: string;
      readonly propertyName: string;
      readonly propertyValue: string;
      readonly occurredAt: number;
      readonly source: ChangeSource;
    }
  | {
      readonly kind: 'associationChange';
      readonly association: AssociationChange;
      readonly occurredAt: number;
      readonly source: ChangeSource;
    };

/** The child and the parent an association between two companies names; null for any other. */
function childAndParent(
  fromType: ObjectType,
  toType: ObjectType,
  typeId: number,
  fromId: string,
  toId: string,
): { readonly child: string; readonly parent: string } | null {
  if (fromType !== 'companies' || toType !== 'companies') return null;
  if (typeId === CHILD_TO_PARENT_COMPANY_TYPE_ID) return { child: fromId, parent: toId };
  if (typeId === PARENT_TO_CHILD_COMPANY_TYPE_ID) return { child: toId, parent: fromId };
  return null;
}

/** Where seeded values come from, in history and webhooks. */
const SEED_SOURCE: ChangeSource = { sourceType: 'IMPORT', sourceId: 'sandbox-seed' };

/** The history entry of a seeded value that was never written since. */
export function seededHistoryEntry(stored: StoredObject, value: string): HistoryEntry {
  return { value, timestamp: stored.createdAt, ...SEED_SOURCE };
}

/** How a portal was seeded, kept so a reset can regenerate the same data. */
export interface PortalSeed {
  readonly companies: number;
  readonly deals: number;
  readonly seed: number;
  readonly asOf: string;
}

/** The JSON form of a portal in the state file. */
export interface SerialisedPortal {
  readonly portalId: number;
  readonly seed: PortalSeed | null;
  readonly nextId: number;
  readonly objects: Record<ObjectType, StoredObject[]>;
  readonly associations: ReturnType<AssociationStore['toJSON']>;
  readonly properties: Record<ObjectType, PropertyDefinition[]>;
  readonly groups: Record<ObjectType, PropertyGroup[]>;
}

function perType<T>(make: (type: ObjectType) => T): Record<ObjectType, T> {
  return Object.fromEntries(OBJECT_TYPES.map((type) => [type, make(type)])) as Record<
    ObjectType,
    T
  >;
}

/** New ids start above every seeded id so they never collide and keep id order. */
const FIRST_CREATED_ID = 10_000_000_001;

/**
 * One HubSpot portal (hub): its records, their property history, the
 * associations between them, and the property definitions and groups.
 * Values written here are already validated; every change is announced to
 * the listeners (webhooks).
 */
export class Portal {
  readonly portalId: number;
  readonly seed: PortalSeed | null;
  readonly objects: Record<ObjectType, Map<string, StoredObject>>;
  readonly properties: Record<ObjectType, Map<string, PropertyDefinition>>;
  readonly groups: Record<ObjectType, Map<string, PropertyGroup>>;
  associations: AssociationStore;
  #nextId = FIRST_CREATED_ID;
  readonly #now: () => number;
  readonly #listeners: ((change: PortalChange) => void)[] = [];
  /** Ids in ascending order per type, rebuilt lazily after creations. */
  readonly #sortedIds = new Map<ObjectType, string[]>();

  constructor(portalId: number, now: () => number, seed: PortalSeed | null = null) {
    this.portalId = portalId;
    this.seed = seed;
    this.#now = now;
    this.objects = perType(() => new Map());
    this.properties = perType(
      (type) => new Map(builtInProperties(type).map((definition) => [definition.name, definition])),
    );
    this.groups = perType(
      (type) => new Map(builtInGroups(type).map((group) => [group.name, group])),
    );
    this.associations = new AssociationStore();
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  onChange(listener: (change: PortalChange) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }

  #emit(change: PortalChange): void {
    for (const listener of this.#listeners) listener(change);
  }

  now(): number {
    return this.#now();
  }

  /** Ids of a type in ascending numeric order (HubSpot's list order). */
  sortedIds(type: ObjectType): readonly string[] {
    let ids = this.#sortedIds.get(type);
    if (ids === undefined) {
      ids = [...this.objects[type].keys()].sort((a, b) => Number(a) - Number(b));
      this.#sortedIds.set(type, ids);
    }
    return ids;
  }

  get(type: ObjectType, id: string): StoredObject | undefined {
    return this.objects[type].get(id);
  }

  /** A live (not archived) object. */
  live(type: ObjectType, id: string): StoredObject | undefined {
    const stored = this.objects[type].get(id);
    return stored === undefined || stored.archived ? undefined : stored;
  }

  #writeValues(
    type: ObjectType,
    stored: StoredObject,
    values: Readonly<Record<string, string>>,
    source: ChangeSource,
    at: number,
    announce: boolean,
  ): void {
    const all: Record<string, string> = { ...values };
    if (type === 'deals') {
      for (const [name, value] of Object.entries(derivedDealProperties(values)))
        all[name] = value ?? '';
    }
    if (type === 'tickets')
      Object.assign(all, derivedTicketProperties(values, stored.properties, at));
    const timestamp = new Date(at).toISOString();
    for (const [name, value] of Object.entries(all)) {
      const previous = stored.properties[name] ?? '';
      // HubSpot records every write in the history, changed or not.
      const entry: HistoryEntry = { value, timestamp, ...source };
      const history = (stored.history[name] ??=
        previous === '' ? [] : [seededHistoryEntry(stored, previous)]);
      history.unshift(entry);
      if (value === '') delete stored.properties[name];
      else stored.properties[name] = value;
      if (announce && previous !== value) {
        this.#emit({
          kind: 'propertyChange',
          objectType: type,
          objectId: stored.id,
          propertyName: name,
          propertyValue: value,
          occurredAt: at,
          source,
        });
      }
    }
    stored.updatedAt = timestamp;
  }

  /** Creates an object with validated values and associations. */
  create(
    type: ObjectType,
    values: Readonly<Record<string, string>>,
    associations: readonly { readonly type: AssociationTypeDefinition; readonly toId: string }[],
    source: ChangeSource,
  ): StoredObject {
    const at = this.#now();
    const id = String(this.#nextId++);
    const createdateProperty = OBJECT_TYPE_INFO[type].createdateProperty;
    const createdAt = new Date(at).toISOString();
    const stored: StoredObject = {
      id,
      properties: {},
      history: {},
      createdAt,
      updatedAt: createdAt,
      archived: false,
    };
    this.objects[type].set(id, stored);
    this.#sortedIds.delete(type);
    this.#writeValues(
      type,
      stored,
      { [createdateProperty]: createdAt, ...values },
      source,
      at,
      false,
    );
    this.#emit({ kind: 'creation', objectType: type, objectId: id, occurredAt: at, source });
    for (const association of associations)
      this.associate(association.type, id, association.toId, source);
    return stored;
  }

  /** Writes validated values to an existing object. */
  update(
    type: ObjectType,
    stored: StoredObject,
    values: Readonly<Record<string, string>>,
    source: ChangeSource,
  ): StoredObject {
    this.#writeValues(type, stored, values, source, this.#now(), true);
    return stored;
  }

  /** Archives (HubSpot's delete) an object; it stays readable with `archived=true`. */
  archive(type: ObjectType, stored: StoredObject, source: ChangeSource): void {
    if (stored.archived) return;
    const at = this.#now();
    stored.archived = true;
    stored.archivedAt = new Date(at).toISOString();
    this.#emit({ kind: 'deletion', objectType: type, objectId: stored.id, occurredAt: at, source });
  }

  associate(
    type: AssociationTypeDefinition,
    fromId: string,
    toId: string,
    source: ChangeSource,
  ): void {
    const at = this.#now();
    const hierarchy = childAndParent(type.fromType, type.toType, type.typeId, fromId, toId);
    // A company has one parent: a new one replaces the old, as in HubSpot's UI.
    if (hierarchy !== null) {
      for (const edge of this.associations.list('companies', hierarchy.child, 'companies')) {
        if (
          edge.toId !== hierarchy.parent &&
          edge.typeIds.includes(CHILD_TO_PARENT_COMPANY_TYPE_ID)
        )
          this.disassociate('companies', hierarchy.child, 'companies', edge.toId, source);
      }
    }
    const changes = this.associations.add(type, fromId, toId);
    for (const association of changes) {
      this.#emit({ kind: 'associationChange', association, occurredAt: at, source });
    }
    for (const association of changes) this.#rollUp(association, source, at);
  }

  /**
   * What HubSpot calculates on a company from its associations: the parent
   * (`hs_parent_company_id`, from the child→parent association), the number
   * of its contacts (`num_associated_contacts`) and the last activity date
   * (`notes_last_updated`), which a logged call or meeting moves.
   */
  #rollUp(association: AssociationChange, source: ChangeSource, at: number): void {
    const hierarchy = childAndParent(
      association.fromType,
      association.toType,
      association.typeId,
      association.fromId,
      association.toId,
    );
    if (hierarchy !== null) {
      const child = this.live('companies', hierarchy.child);
      if (child === undefined) return;
      if (!association.removed) {
        this.#writeValues(
          'companies',
          child,
          { hs_parent_company_id: hierarchy.parent },
          source,
          at,
          true,
        );
      } else if (child.properties.hs_parent_company_id === hierarchy.parent) {
        this.#writeValues('companies', child, { hs_parent_company_id: '' }, source, at, true);
      }
      return;
    }
    if (association.fromType === 'contacts' && association.toType === 'companies') {
      const company = this.live('companies', association.toId);
      if (company === undefined) return;
      const count = this.associations.list('companies', company.id, 'contacts').length;
      this.#writeValues(
        'companies',
        company,
        { num_associated_contacts: String(count) },
        source,
        at,
        true,
      );
      return;
    }
    if (
      association.removed ||
      (association.fromType !== 'calls' && association.fromType !== 'meetings') ||
      association.toType !== 'companies'
    )
      return;
    const engagement = this.live(association.fromType, association.fromId);
    const company = this.live('companies', association.toId);
    const loggedAt = Date.parse(engagement?.properties.hs_timestamp ?? '');
    if (company === undefined || !Number.isFinite(loggedAt)) return;
    const last = Date.parse(company.properties.notes_last_updated ?? '');
    if (Number.isFinite(last) && last >= loggedAt) return;
    const value = new Date(loggedAt).toISOString();
    this.#writeValues('companies', company, { notes_last_updated: value }, source, at, true);
  }

  disassociate(
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    toId: string,
    source: ChangeSource,
  ): void {
    const at = this.#now();
    const changes = this.associations.removeAll(fromType, fromId, toType, toId);
    for (const association of changes) {
      this.#emit({ kind: 'associationChange', association, occurredAt: at, source });
    }
    for (const association of changes) this.#rollUp(association, source, at);
  }

  /** Adds or replaces a property definition. */
  defineProperty(type: ObjectType, definition: PropertyDefinition): void {
    this.properties[type].set(definition.name, definition);
  }

  defineGroup(type: ObjectType, group: PropertyGroup): void {
    this.groups[type].set(group.name, group);
  }

  toJSON(): SerialisedPortal {
    return {
      portalId: this.portalId,
      seed: this.seed,
      nextId: this.#nextId,
      objects: perType((type) => [...this.objects[type].values()]),
      associations: this.associations.toJSON(),
      properties: perType((type) => [...this.properties[type].values()]),
      groups: perType((type) => [...this.groups[type].values()]),
    };
  }

  static fromJSON(data: SerialisedPortal, now: () => number): Portal {
    const portal = new Portal(data.portalId, now, data.seed);
    portal.#nextId = data.nextId;
    for (const type of OBJECT_TYPES) {
      portal.objects[type] = new Map(data.objects[type].map((stored) => [stored.id, stored]));
      portal.properties[type] = new Map(
        data.properties[type].map((definition) => [definition.name, definition]),
      );
      portal.groups[type] = new Map(data.groups[type].map((group) => [group.name, group]));
    }
    portal.associations = AssociationStore.fromJSON(data.associations);
    return portal;
  }

  /**
   * A portal filled with the synthetic data of `createPortalGenerator`. Seeded
   * values skip validation: values of properties the portal does not define
   * yet (the app's `kam_*` inputs) are kept but stay invisible until the
   * property is created, as if an earlier install had left them behind.
   */
  static seeded(portalId: number, seed: PortalSeed, now: () => number): Portal {
    const portal = new Portal(portalId, now, seed);
    const data = createPortalGenerator(seed);
    const asOfMs = Date.parse(seed.asOf);
    portal.#load('companies', data.companies, asOfMs);
    for (const page of data.dealPages(1_000)) portal.#load('deals', page, asOfMs);
    portal.#load('tickets', data.tickets, asOfMs);
    portal.#load('calls', data.calls, asOfMs);
    portal.#load('contacts', data.contacts, asOfMs);
    portal.#load('meetings', data.meetings, asOfMs);
    return portal;
  }

  #load(type: ObjectType, records: readonly CrmObject[], asOfMs: number): void {
    const createdateProperty = OBJECT_TYPE_INFO[type].createdateProperty;
    for (const record of records) {
      const properties: Record<string, string> = {};
      for (const [name, value] of Object.entries(record.properties)) {
        if (value != null && value !== '') properties[name] = value;
      }
      const createdMs = Date.parse(properties[createdateProperty] ?? '') || asOfMs;
      const closedMs = Date.parse(properties.closedate ?? '');
      const updatedMs =
        Number.isFinite(closedMs) && closedMs <= asOfMs ? Math.max(createdMs, closedMs) : createdMs;
      const createdAt = new Date(createdMs).toISOString();
      properties[createdateProperty] = createdAt;
      this.objects[type].set(record.id, {
        id: record.id,
        properties,
        history: {},
        createdAt,
        updatedAt: new Date(updatedMs).toISOString(),
        archived: false,
      });
      this.#nextId = Math.max(this.#nextId, Number(record.id) + 1);
      for (const [toTypeName, list] of Object.entries(record.associations ?? {})) {
        for (const association of list.results) {
          const v3Name = 'type' in association ? association.type : undefined;
          const definition = ASSOCIATION_TYPES.find(
            (candidate) =>
              candidate.fromType === type &&
              candidate.toType === toTypeName &&
              candidate.v3Name === v3Name,
          );
          const toId = 'id' in association ? association.id : association.toObjectId;
          if (definition !== undefined) this.associations.add(definition, record.id, toId);
        }
      }
    }
    this.#sortedIds.delete(type);
  }
}

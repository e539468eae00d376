import {
  DEAL_TO_COMPANY_PRIMARY_TYPE_ID,
  DEAL_TO_COMPANY_TYPE_ID,
} from '../../src/hubspot-objects.ts';
import type { ObjectType } from './object-types.ts';

/** One HubSpot-defined association type, seen from its `fromType` side. */
export interface AssociationTypeDefinition {
  readonly fromType: ObjectType;
  readonly toType: ObjectType;
  readonly typeId: number;
  /** v4 label: "Primary" for the primary association, null for the unlabelled one. */
  readonly label: string | null;
  /** The name v3 inline associations use (`deal_to_company`, `deal_to_company_unlabeled`). */
  readonly v3Name: string;
  readonly inverseTypeId: number;
  readonly primary: boolean;
}

export const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED';
/** HubSpot's company hierarchy association types (v4 ids). */
export const PARENT_TO_CHILD_COMPANY_TYPE_ID = 13;
export const CHILD_TO_PARENT_COMPANY_TYPE_ID = 14;

function pair(
  fromType: ObjectType,
  toType: ObjectType,
  typeId: number,
  inverseTypeId: number,
  v3Name: string,
  inverseV3Name: string,
  primary: boolean,
): AssociationTypeDefinition[] {
  const label = primary ? 'Primary' : null;
  return [
    { fromType, toType, typeId, label, v3Name, inverseTypeId, primary },
    {
      fromType: toType,
      toType: fromType,
      typeId: inverseTypeId,
      label,
      v3Name: inverseV3Name,
      inverseTypeId: typeId,
      primary,
    },
  ];
}

/** HubSpot's ids for the associations among the sandbox's object types. */
export const ASSOCIATION_TYPES: readonly AssociationTypeDefinition[] = [
  ...pair(
    'deals',
    'companies',
    DEAL_TO_COMPANY_PRIMARY_TYPE_ID,
    6,
    'deal_to_company',
    'company_to_deal',
    true,
  ),
  ...pair(
    'deals',
    'companies',
    DEAL_TO_COMPANY_TYPE_ID,
    342,
    'deal_to_company_unlabeled',
    'company_to_deal_unlabeled',
    false,
  ),
  ...pair('tickets', 'companies', 26, 25, 'ticket_to_company', 'company_to_ticket', true),
  ...pair(
    'tickets',
    'companies',
    339,
    340,
    'ticket_to_company_unlabeled',
    'company_to_ticket_unlabeled',
    false,
  ),
  ...pair('tasks', 'companies', 192, 191, 'task_to_company', 'company_to_task', false),
  ...pair('tasks', 'deals', 216, 215, 'task_to_deal', 'deal_to_task', false),
  ...pair('calls', 'companies', 182, 181, 'call_to_company', 'company_to_call', false),
  ...pair('contacts', 'companies', 279, 280, 'contact_to_company', 'company_to_contact', false),
  ...pair(
    'meetings',
    'companies',
    188,
    187,
    'meeting_event_to_company',
    'company_to_meeting_event',
    false,
  ),
  // Company hierarchy: a child's one parent (14) and a parent's children (13).
  ...pair(
    'companies',
    'companies',
    CHILD_TO_PARENT_COMPANY_TYPE_ID,
    PARENT_TO_CHILD_COMPANY_TYPE_ID,
    'child_to_parent_company',
    'parent_to_child_company',
    false,
  ),
];

const BY_TYPE_ID = new Map(
  ASSOCIATION_TYPES.map((type) => [`${type.fromType}:${type.typeId}`, type]),
);

/** The association type with this id, when it starts at `fromType`. */
export function associationTypeById(
  fromType: ObjectType,
  typeId: number,
): AssociationTypeDefinition | undefined {
  return BY_TYPE_ID.get(`${fromType}:${typeId}`);
}

/** The unlabelled type every primary association comes with. */
function unlabelledTwin(type: AssociationTypeDefinition): AssociationTypeDefinition | undefined {
  return ASSOCIATION_TYPES.find(
    (other) => other.fromType === type.fromType && other.toType === type.toType && !other.primary,
  );
}

/** One association from an object to another, with every type it carries. */
export interface AssociationEdge {
  readonly toId: string;
  readonly typeIds: readonly number[];
}

/** What an association write changed, for webhooks. */
export interface AssociationChange {
  readonly fromType: ObjectType;
  readonly fromId: string;
  readonly toType: ObjectType;
  readonly toId: string;
  readonly typeId: number;
  readonly removed: boolean;
  readonly primary: boolean;
}

type SerialisedEdge = [ObjectType, string, ObjectType, string, number[]];

function byNumericId(left: string, right: string): number {
  return Number(left) - Number(right) || left.localeCompare(right);
}

/**
 * A portal's associations, stored in both directions so reads from either
 * side are lookups. Writes keep HubSpot's invariants: a primary association
 * always comes with its unlabelled twin and an object has at most one
 * primary association per target type.
 */
export class AssociationStore {
  readonly #edges = new Map<string, Map<string, Set<number>>>();

  #bucket(
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    create: true,
  ): Map<string, Set<number>>;
  #bucket(
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    create: false,
  ): Map<string, Set<number>> | undefined;
  #bucket(fromType: ObjectType, fromId: string, toType: ObjectType, create: boolean) {
    const key = `${fromType}/${fromId}/${toType}`;
    let bucket = this.#edges.get(key);
    if (bucket === undefined && create) {
      bucket = new Map();
      this.#edges.set(key, bucket);
    }
    return bucket;
  }

  /** The associations from one object to objects of `toType`, in id order. */
  list(fromType: ObjectType, fromId: string, toType: ObjectType): AssociationEdge[] {
    const bucket = this.#bucket(fromType, fromId, toType, false);
    if (bucket === undefined) return [];
    return [...bucket]
      .map(([toId, typeIds]) => ({ toId, typeIds: [...typeIds].sort((a, b) => a - b) }))
      .sort((left, right) => byNumericId(left.toId, right.toId));
  }

  #put(type: AssociationTypeDefinition, fromId: string, toId: string): boolean {
    const forward = this.#bucket(type.fromType, fromId, type.toType, true);
    const typeIds = forward.get(toId) ?? new Set<number>();
    const added = !typeIds.has(type.typeId);
    typeIds.add(type.typeId);
    forward.set(toId, typeIds);
    const backward = this.#bucket(type.toType, toId, type.fromType, true);
    const inverse = backward.get(fromId) ?? new Set<number>();
    inverse.add(type.inverseTypeId);
    backward.set(fromId, inverse);
    return added;
  }

  #delete(type: AssociationTypeDefinition, fromId: string, toId: string): boolean {
    const forward = this.#bucket(type.fromType, fromId, type.toType, false);
    const typeIds = forward?.get(toId);
    if (forward === undefined || typeIds === undefined || !typeIds.delete(type.typeId))
      return false;
    if (typeIds.size === 0) forward.delete(toId);
    const backward = this.#bucket(type.toType, toId, type.fromType, false);
    const inverse = backward?.get(fromId);
    inverse?.delete(type.inverseTypeId);
    if (inverse !== undefined && inverse.size === 0) backward?.delete(fromId);
    return true;
  }

  /**
   * Associates two objects with one type. Returns what changed, so the
   * caller can notify webhooks (an already existing association changes
   * nothing).
   */
  add(type: AssociationTypeDefinition, fromId: string, toId: string): AssociationChange[] {
    const changes: AssociationChange[] = [];
    const record = (definition: AssociationTypeDefinition, id: string, removed: boolean) => {
      changes.push({
        fromType: definition.fromType,
        fromId,
        toType: definition.toType,
        toId: id,
        typeId: definition.typeId,
        removed,
        primary: definition.primary,
      });
    };
    if (type.primary) {
      for (const edge of this.list(type.fromType, fromId, type.toType)) {
        if (
          edge.toId !== toId &&
          edge.typeIds.includes(type.typeId) &&
          this.#delete(type, fromId, edge.toId)
        ) {
          record(type, edge.toId, true);
        }
      }
      const twin = unlabelledTwin(type);
      if (twin !== undefined && this.#put(twin, fromId, toId)) record(twin, toId, false);
    }
    if (this.#put(type, fromId, toId)) record(type, toId, false);
    return changes;
  }

  /** Removes every association between two objects (HubSpot's v4 archive). */
  removeAll(
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
    toId: string,
  ): AssociationChange[] {
    const typeIds = this.#bucket(fromType, fromId, toType, false)?.get(toId);
    if (typeIds === undefined) return [];
    const changes: AssociationChange[] = [];
    for (const typeId of [...typeIds]) {
      const definition = associationTypeById(fromType, typeId);
      if (definition !== undefined && this.#delete(definition, fromId, toId)) {
        changes.push({
          fromType,
          fromId,
          toType,
          toId,
          typeId,
          removed: true,
          primary: definition.primary,
        });
      }
    }
    return changes;
  }

  /** Every stored edge (both directions), for persistence. */
  toJSON(): SerialisedEdge[] {
    const edges: SerialisedEdge[] = [];
    for (const [key, bucket] of this.#edges) {
      const [fromType, fromId, toType] = key.split('/') as [ObjectType, string, ObjectType];
      for (const [toId, typeIds] of bucket)
        edges.push([fromType, fromId, toType, toId, [...typeIds]]);
    }
    return edges;
  }

  /** Restores edges written by `toJSON`. */
  static fromJSON(edges: readonly SerialisedEdge[]): AssociationStore {
    const store = new AssociationStore();
    for (const [fromType, fromId, toType, toId, typeIds] of edges) {
      store.#bucket(fromType, fromId, toType, true).set(toId, new Set(typeIds));
    }
    return store;
  }
}

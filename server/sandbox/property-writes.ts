import { conflict, HubSpotError, validationError } from './errors.ts';
import type { ObjectType } from './object-types.ts';
import type { Portal } from './portal.ts';
import {
  FIELD_TYPES_BY_TYPE,
  type FieldType,
  type PropertyDefinition,
  type PropertyOption,
  type PropertyType,
} from './property-definitions.ts';
import type { PropertyCreate, PropertyUpdate } from './request-schemas.ts';

function checkShape(
  portal: Portal,
  type: ObjectType,
  shape: {
    type: PropertyType;
    fieldType: FieldType;
    groupName: string;
    options: readonly { value: string }[];
  },
): void {
  if (!FIELD_TYPES_BY_TYPE[shape.type].includes(shape.fieldType)) {
    throw validationError(
      `fieldType ${shape.fieldType} is not valid for a property of type ${shape.type}.`,
    );
  }
  if (!portal.groups[type].has(shape.groupName)) {
    throw validationError(`Property group ${shape.groupName} does not exist.`);
  }
  const values = shape.options.map((option) => option.value);
  if (new Set(values).size !== values.length)
    throw validationError('Option values must be unique.');
  if (
    shape.type === 'enumeration' &&
    shape.fieldType !== 'booleancheckbox' &&
    values.length === 0
  ) {
    throw validationError('An enumeration property needs at least one option.');
  }
}

function toOptions(options: PropertyCreate['options']): PropertyOption[] {
  return options.map((option, index) => ({
    label: option.label,
    value: option.value,
    displayOrder: option.displayOrder ?? index,
    hidden: option.hidden,
    ...(option.description === undefined ? {} : { description: option.description }),
  }));
}

/**
 * `POST /crm/v3/properties/{type}`: a custom property. An existing name
 * (archived or not) answers 409, as HubSpot does.
 */
export function createProperty(
  portal: Portal,
  type: ObjectType,
  input: PropertyCreate,
): PropertyDefinition {
  if (portal.properties[type].has(input.name)) {
    throw conflict(`Property named '${input.name}' already exists.`);
  }
  checkShape(portal, type, input);
  const at = new Date(portal.now()).toISOString();
  const definition: PropertyDefinition = {
    name: input.name,
    label: input.label,
    type: input.type,
    fieldType: input.fieldType,
    groupName: input.groupName,
    description: input.description,
    options: toOptions(input.options),
    displayOrder: input.displayOrder,
    calculated: false,
    externalOptions: input.externalOptions,
    hasUniqueValue: input.hasUniqueValue,
    hidden: input.hidden,
    hubspotDefined: false,
    formField: input.formField,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
  portal.defineProperty(type, definition);
  return definition;
}

/** `PATCH /crm/v3/properties/{type}/{name}`; HubSpot's own definitions are read-only. */
export function updateProperty(
  portal: Portal,
  type: ObjectType,
  existing: PropertyDefinition,
  change: PropertyUpdate,
): PropertyDefinition {
  if (existing.modificationMetadata.readOnlyDefinition) {
    throw new HubSpotError(
      400,
      'VALIDATION_ERROR',
      `${existing.name} is a HubSpot-defined property and cannot be changed.`,
    );
  }
  const merged = {
    type: change.type ?? existing.type,
    fieldType: change.fieldType ?? existing.fieldType,
    groupName: change.groupName ?? existing.groupName,
    options: change.options === undefined ? existing.options : toOptions(change.options),
  };
  checkShape(portal, type, merged);
  const updated: PropertyDefinition = {
    ...existing,
    ...merged,
    label: change.label ?? existing.label,
    description: change.description ?? existing.description,
    displayOrder: change.displayOrder ?? existing.displayOrder,
    hidden: change.hidden ?? existing.hidden,
    formField: change.formField ?? existing.formField,
    updatedAt: new Date(portal.now()).toISOString(),
  };
  portal.defineProperty(type, updated);
  return updated;
}

import { associationTypeById, type AssociationTypeDefinition } from './associations.ts';
import {
  HubSpotError,
  objectNotFound,
  validationError,
  type HubSpotErrorDetail,
} from './errors.ts';
import { OBJECT_TYPE_INFO, type ObjectType } from './object-types.ts';
import type { ChangeSource, Portal, StoredObject } from './portal.ts';
import { validatePropertyValues, type PropertyValueError } from './property-definitions.ts';
import type { CreateInput, UpdateInput } from './request-schemas.ts';

/** Who writes decides whether read-only (calculated) values may be set. */
export interface WriteContext {
  readonly source: ChangeSource;
  readonly allowReadOnly: boolean;
}

interface ValidatedCreate {
  readonly values: Record<string, string>;
  readonly associations: { readonly type: AssociationTypeDefinition; readonly toId: string }[];
}

function invalidValuesMessage(errors: readonly PropertyValueError[]): string {
  return `Property values were not valid: ${JSON.stringify(errors)}`;
}

/**
 * The 400 HubSpot answers when any input carries an invalid value: the
 * whole request is rejected and nothing is written. Batches list the
 * failing input of each error in `errors[].context`.
 */
function rejectInvalid(
  failures: readonly { readonly input: string; readonly errors: readonly PropertyValueError[] }[],
  batch: boolean,
): HubSpotError {
  const all = failures.flatMap((failure) => failure.errors);
  if (!batch) return validationError(invalidValuesMessage(all));
  const details: HubSpotErrorDetail[] = failures.flatMap((failure) =>
    failure.errors.map((error) => ({
      message: error.message,
      code: error.error,
      context: { input: [failure.input], propertyName: [error.name] },
    })),
  );
  return validationError(invalidValuesMessage(all), { errors: details });
}

/** Object types the sandbox serves read-only can still be changed by a user in HubSpot's UI. */
function requireWritable(type: ObjectType, context: WriteContext): void {
  if (OBJECT_TYPE_INFO[type].writeScopes === null && context.source.sourceType !== 'CRM_UI') {
    throw new HubSpotError(405, 'VALIDATION_ERROR', `The sandbox serves ${type} read-only.`);
  }
}

function validateAssociations(
  portal: Portal,
  type: ObjectType,
  input: CreateInput,
): ValidatedCreate['associations'] {
  const associations: ValidatedCreate['associations'] = [];
  for (const association of input.associations ?? []) {
    for (const requested of association.types) {
      const definition = associationTypeById(type, requested.associationTypeId);
      if (definition === undefined || requested.associationCategory !== 'HUBSPOT_DEFINED') {
        throw validationError(
          `${OBJECT_TYPE_INFO[type].objectTypeId} is not a valid source for association type ${requested.associationCategory}/${requested.associationTypeId}.`,
        );
      }
      if (portal.live(definition.toType, association.to.id) === undefined) {
        throw validationError(
          `One or more associations are invalid: ${OBJECT_TYPE_INFO[definition.toType].singular} ${association.to.id} does not exist.`,
          { context: { id: [association.to.id] } },
        );
      }
      associations.push({ type: definition, toId: association.to.id });
    }
  }
  return associations;
}

/**
 * Creates objects as `POST /crm/v3/objects/{type}` and its batch do: every
 * input is validated first (values, required properties, associations)
 * and one invalid input rejects the request.
 */
export function createObjects(
  portal: Portal,
  type: ObjectType,
  inputs: readonly CreateInput[],
  context: WriteContext,
  batch: boolean,
): StoredObject[] {
  requireWritable(type, context);
  const definitions = portal.properties[type];
  const failures: { input: string; errors: PropertyValueError[] }[] = [];
  const validated: ValidatedCreate[] = inputs.map((input, index) => {
    const { values, errors } = validatePropertyValues(definitions, input.properties, context);
    const missing = OBJECT_TYPE_INFO[type].requiredOnCreate.filter(
      (name) => (values[name] ?? '') === '',
    );
    const allErrors: PropertyValueError[] = [
      ...errors,
      ...missing.map((name) => ({
        isValid: false as const,
        message: `${name} is required`,
        error: 'REQUIRED_PROPERTY',
        name,
        localizedErrorMessage: `${name} is required`,
      })),
    ];
    if (allErrors.length > 0) failures.push({ input: String(index), errors: allErrors });
    return { values, associations: validateAssociations(portal, type, input) };
  });
  if (failures.length > 0) throw rejectInvalid(failures, batch);
  return validated.map((input) =>
    portal.create(type, input.values, input.associations, context.source),
  );
}

/** What an update request did: the updated objects and the ids it could not find. */
export interface UpdateOutcome {
  readonly updated: StoredObject[];
  readonly missing: string[];
}

/**
 * Finds a live object by id or by a unique property (`idProperty`); like
 * HubSpot, only properties defined with `hasUniqueValue` can identify records.
 */
export function findObject(
  portal: Portal,
  type: ObjectType,
  id: string,
  idProperty?: string,
): StoredObject | undefined {
  if (idProperty === undefined || idProperty === 'hs_object_id') return portal.live(type, id);
  if (portal.properties[type].get(idProperty)?.hasUniqueValue !== true) {
    throw validationError(
      `Unable to perform lookup by non-unique ${OBJECT_TYPE_INFO[type].objectTypeId} property ${idProperty}`,
    );
  }
  for (const stored of portal.objects[type].values()) {
    if (!stored.archived && stored.properties[idProperty] === id) return stored;
  }
  return undefined;
}

/**
 * Updates objects as `PATCH /crm/v3/objects/{type}/{id}` and batch update
 * do. Invalid values reject the whole request (nothing is written); ids
 * that do not exist are reported, the others are written.
 */
export function updateObjects(
  portal: Portal,
  type: ObjectType,
  inputs: readonly UpdateInput[],
  context: WriteContext,
  batch: boolean,
  idProperty?: string,
): UpdateOutcome {
  requireWritable(type, context);
  const definitions = portal.properties[type];
  const failures: { input: string; errors: PropertyValueError[] }[] = [];
  const found: { stored: StoredObject; values: Record<string, string> }[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const { values, errors } = validatePropertyValues(definitions, input.properties, context);
    if (errors.length > 0) failures.push({ input: input.id, errors: [...errors] });
    const stored = findObject(portal, type, input.id, idProperty);
    if (stored === undefined) missing.push(input.id);
    else found.push({ stored, values });
  }
  if (failures.length > 0) throw rejectInvalid(failures, batch);
  if (!batch && missing.length > 0) {
    throw objectNotFound('Object not found.  objectId are usually numeric.', missing);
  }
  const updated = found.map(({ stored, values }) =>
    portal.update(type, stored, values, context.source),
  );
  return { updated, missing };
}

import { z } from 'zod';
import { validationError } from './errors.ts';
import { FIELD_TYPES, PROPERTY_TYPES } from './property-definitions.ts';

/**
 * Request bodies of the HubSpot endpoints the sandbox serves, written from
 * HubSpot's API reference. Unknown keys are ignored, as HubSpot does.
 */
const idSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

export const propertyValuesSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

export const associationInputSchema = z.object({
  to: z.object({ id: idSchema }),
  types: z
    .array(
      z.object({
        associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
        associationTypeId: z.number().int(),
      }),
    )
    .min(1),
});
export type AssociationInput = z.infer<typeof associationInputSchema>;

export const createInputSchema = z.object({
  properties: propertyValuesSchema,
  associations: z.array(associationInputSchema).optional(),
});
export type CreateInput = z.infer<typeof createInputSchema>;

export const updateInputSchema = z.object({
  id: idSchema,
  properties: propertyValuesSchema,
});
export type UpdateInput = z.infer<typeof updateInputSchema>;

export const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: idSchema })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum([
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'IN',
    'NOT_IN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN',
  ]),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  highValue: z.union([z.string(), z.number()]).transform(String).optional(),
  values: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
});
export type SearchFilter = z.infer<typeof filterSchema>;

/** Sorts come as `{propertyName, direction}` or, from HubSpot's SDKs, as `"name"` / `"-name"`. */
const sortSchema = z.union([
  z.object({
    propertyName: z.string().min(1),
    direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING'),
  }),
  z
    .string()
    .transform((sort) =>
      sort.startsWith('-')
        ? { propertyName: sort.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: sort, direction: 'ASCENDING' as const },
    ),
]);
export type SearchSort = z.infer<typeof sortSchema>;

export const searchRequestSchema = z.object({
  query: z.string().optional(),
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;

export const associationsBatchReadSchema = z.object({
  inputs: z.array(z.object({ id: idSchema, after: z.string().optional() })),
});

const optionInputSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
  description: z.string().optional(),
});

export const propertyCreateSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'property names are lower case letters, digits and underscores')
    .max(100),
  label: z.string().min(1),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().default(''),
  options: z.array(optionInputSchema).default([]),
  displayOrder: z.number().int().default(-1),
  hasUniqueValue: z.boolean().default(false),
  hidden: z.boolean().default(false),
  formField: z.boolean().default(true),
  externalOptions: z.boolean().default(false),
});
export type PropertyCreate = z.infer<typeof propertyCreateSchema>;

export const propertyUpdateSchema = z.object({
  label: z.string().min(1).optional(),
  type: z.enum(PROPERTY_TYPES).optional(),
  fieldType: z.enum(FIELD_TYPES).optional(),
  groupName: z.string().min(1).optional(),
  description: z.string().optional(),
  options: z.array(optionInputSchema).optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});
export type PropertyUpdate = z.infer<typeof propertyUpdateSchema>;

export const groupCreateSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'group names are lower case letters, digits and underscores'),
  label: z.string().min(1),
  displayOrder: z.number().int().default(-1),
});

/** Parses a request body, answering HubSpot's 400 `VALIDATION_ERROR` when it does not fit. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    message: `${issue.path.join('.') || 'body'}: ${issue.message}`,
    code: issue.code,
  }));
  throw validationError(
    `Invalid input JSON: ${details.map((detail) => detail.message).join('; ')}`,
    { errors: details },
  );
}

/** HubSpot's list parameters arrive comma separated and/or repeated. */
export function listParameter(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const raw = Array.isArray(value) ? value : [value];
  return raw
    .flatMap((item) => (typeof item === 'string' ? item.split(',') : []))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A single query parameter as a string, when present. */
export function stringParameter(value: unknown): string | undefined {
  if (Array.isArray(value)) return stringParameter(value[0]);
  return typeof value === 'string' ? value : undefined;
}

/** Batch endpoints accept at most this many inputs. */
export const BATCH_LIMIT = 100;

export function checkBatchSize(count: number, limit: number = BATCH_LIMIT): void {
  if (count > limit) {
    throw validationError(`Batch input contained ${count} inputs; the maximum is ${limit}.`);
  }
}

import { z } from 'zod';

/**
 * HubSpot's response shapes, written from its public API reference (CRM
 * objects v3, associations v4, properties v3, pipelines v3, OAuth 2026-03,
 * webhooks).
 * The fidelity tests assert every raw sandbox response against them.
 */
const isoInstant = z.iso.datetime({ offset: true });

export const historyEntrySchema = z.object({
  value: z.string(),
  timestamp: isoInstant,
  sourceType: z.string(),
  sourceId: z.string().optional(),
  sourceLabel: z.string().optional(),
  updatedByUserId: z.number().int().optional(),
});

export const v3AssociationsSchema = z.record(
  z.string(),
  z.object({
    results: z.array(z.object({ id: z.string(), type: z.string() })),
    paging: z.unknown().optional(),
  }),
);

export const simplePublicObjectSchema = z.strictObject({
  id: z.string().regex(/^\d+$/),
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z.record(z.string(), z.array(historyEntrySchema)).optional(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  archived: z.boolean(),
  archivedAt: isoInstant.optional(),
  associations: v3AssociationsSchema.optional(),
});

export const forwardPagingSchema = z.object({
  next: z.object({ after: z.string(), link: z.string().optional() }).optional(),
});

export const collectionResponseSchema = z.strictObject({
  results: z.array(simplePublicObjectSchema),
  paging: forwardPagingSchema.optional(),
});

export const searchResponseSchema = z.strictObject({
  total: z.number().int(),
  results: z.array(simplePublicObjectSchema),
  paging: forwardPagingSchema.optional(),
});

export const standardErrorSchema = z.object({
  status: z.string(),
  category: z.string(),
  message: z.string(),
  subCategory: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
});

export function batchResponseSchema<T extends z.ZodType>(result: T) {
  return z.strictObject({
    status: z.enum(['PENDING', 'PROCESSING', 'CANCELED', 'COMPLETE']),
    results: z.array(result),
    startedAt: isoInstant,
    completedAt: isoInstant,
    requestedAt: isoInstant.optional(),
    numErrors: z.number().int().optional(),
    errors: z.array(standardErrorSchema).optional(),
  });
}

export const errorBodySchema = z.strictObject({
  status: z.literal('error'),
  message: z.string(),
  correlationId: z.uuid(),
  category: z.string(),
  subCategory: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
  links: z.record(z.string(), z.string()).optional(),
  errors: z
    .array(
      z.object({
        message: z.string(),
        code: z.string().optional(),
        in: z.string().optional(),
        subCategory: z.string().optional(),
        context: z.record(z.string(), z.array(z.string())).optional(),
      }),
    )
    .optional(),
});

export const rateLimitBodySchema = z.strictObject({
  status: z.literal('error'),
  message: z.literal('You have reached your secondly limit.'),
  errorType: z.literal('RATE_LIMIT'),
  correlationId: z.uuid(),
  policyName: z.enum(['TEN_SECONDLY_ROLLING', 'SECONDLY']),
});

export const propertySchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number']),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string(),
  options: z.array(
    z.object({
      label: z.string(),
      value: z.string(),
      displayOrder: z.number().int(),
      hidden: z.boolean(),
    }),
  ),
  hubspotDefined: z.boolean().optional(),
  modificationMetadata: z
    .object({
      archivable: z.boolean(),
      readOnlyDefinition: z.boolean(),
      readOnlyValue: z.boolean(),
    })
    .optional(),
  createdAt: isoInstant.optional(),
  updatedAt: isoInstant.optional(),
  archived: z.boolean().optional(),
});

export const propertyGroupSchema = z.strictObject({
  name: z.string(),
  label: z.string(),
  displayOrder: z.number().int(),
  archived: z.boolean(),
});

/** What a pipeline and each of its stages both carry. */
const pipelineEntry = {
  id: z.string(),
  label: z.string(),
  displayOrder: z.number().int(),
  archived: z.boolean(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
  archivedAt: isoInstant.optional(),
};

const pipelineStageSchema = z.strictObject({
  ...pipelineEntry,
  // Deal stages carry their probability and closed flag as strings.
  metadata: z.record(z.string(), z.string()),
  writePermissions: z.string().optional(),
});

export const pipelineSchema = z.strictObject({
  ...pipelineEntry,
  stages: z.array(pipelineStageSchema),
});

export const pipelineListSchema = z.strictObject({ results: z.array(pipelineSchema) });

export const v4BatchResultSchema = z.strictObject({
  from: z.object({ id: z.string() }),
  to: z.array(
    z.strictObject({
      // The reference types it as a string; HubSpot sends (and the SDK passes through) a number.
      toObjectId: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
      associationTypes: z.array(
        z.strictObject({
          category: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
          typeId: z.number().int(),
          label: z.string().nullable(),
        }),
      ),
    }),
  ),
  paging: forwardPagingSchema.optional(),
});

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.literal('bearer'),
  hub_id: z.number().int(),
  scopes: z.array(z.string()),
});

const webhookCommon = {
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: z.number().int(),
  appId: z.number().int(),
  occurredAt: z.number().int(),
  attemptNumber: z.number().int().min(0),
  changeSource: z.string(),
  sourceId: z.string().optional(),
};

export const webhookEventSchema = z.union([
  z.strictObject({
    ...webhookCommon,
    subscriptionType: z.enum(['object.creation', 'object.deletion', 'object.propertyChange']),
    objectId: z.number().int(),
    objectTypeId: z.string().regex(/^\d+-\d+$/),
    changeFlag: z.enum(['CREATED', 'DELETED']).optional(),
    propertyName: z.string().optional(),
    propertyValue: z.string().optional(),
    isSensitive: z.boolean().optional(),
  }),
  z.strictObject({
    ...webhookCommon,
    subscriptionType: z.literal('object.associationChange'),
    associationType: z.string(),
    associationCategory: z.string(),
    associationTypeId: z.number().int(),
    fromObjectTypeId: z.string(),
    fromObjectId: z.number().int(),
    toObjectTypeId: z.string(),
    toObjectId: z.number().int(),
    associationRemoved: z.boolean(),
    isPrimaryAssociation: z.boolean(),
  }),
]);
export type WebhookEventBody = z.infer<typeof webhookEventSchema>;

const propertyListSchema = z.strictObject({ results: z.array(propertySchema) });
const groupListSchema = z.strictObject({ results: z.array(propertyGroupSchema) });

/** Which documented shape a CRM response must have, by method, path and status. */
export function schemaForResponse(
  method: string,
  path: string,
  status: number,
): z.ZodType | undefined {
  if (status === 204) return undefined;
  if (status === 429) return rateLimitBodySchema;
  if (status >= 400) return errorBodySchema;
  const crm = /^\/crm\/(?:v3|v4)\/(objects|properties|pipelines|associations)\/[^/]+(\/.*)?$/.exec(
    path,
  );
  if (crm === null) return undefined;
  const [, api, rest = ''] = crm;
  if (api === 'pipelines') return rest === '' ? pipelineListSchema : pipelineSchema;
  if (api === 'associations') return batchResponseSchema(v4BatchResultSchema);
  if (api === 'objects') {
    if (rest === '/search') return searchResponseSchema;
    if (rest.startsWith('/batch/')) return batchResponseSchema(simplePublicObjectSchema);
    return rest === '' && method === 'GET' ? collectionResponseSchema : simplePublicObjectSchema;
  }
  if (rest === '/groups') return method === 'GET' ? groupListSchema : propertyGroupSchema;
  if (rest === '/batch/create') return batchResponseSchema(propertySchema);
  return rest === '' && method === 'GET' ? propertyListSchema : propertySchema;
}

import { z } from 'zod';
import {
  associatedId,
  associationSchema,
  crmObjectSchema,
  parseInstantProperty,
} from '../../src/index.ts';
import type { Association, CrmObject } from '../../src/index.ts';
import {
  createHubSpotTransport,
  toHubSpotApiError,
  type HubSpotCallStats,
  type HubSpotTransportOptions,
} from './hubspot-transport.ts';
import { KAM_PROPERTIES, KAM_PROPERTY_GROUP, propertyPatch } from './kam-properties.ts';
import type {
  CompanyUpdate,
  CompanyWithHistory,
  NewTask,
  PortalClient,
  ProvisioningOutcome,
  TaskRecord,
  UpdateOutcome,
} from './portal-client.ts';
import { HubSpotApiError } from './portal-client.ts';
import { propertyOptionsSchema, readProductLineLabels } from './product-line-labels.ts';
import { forEachRecentMeeting } from './meeting-search.ts';
import { readOwners } from './owners.ts';
import { readTicketPipelines } from './ticket-pipelines.ts';

/** HubSpot's batch endpoints take 100 inputs; associations v4 batch read 1,000. */
const BATCH_SIZE = 100;
const ASSOCIATION_BATCH_SIZE = 1_000;
/** With `propertiesWithHistory` HubSpot serves at most 50 records per call. */
const HISTORY_BATCH_SIZE = 50;
/** HubSpot-defined task→company association (hubspot-facts.md). */
const TASK_TO_COMPANY_TYPE_ID = 192;
const TASK_PROPERTIES = ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'];

export type HubSpotPortalClientOptions = HubSpotTransportOptions;

/** A `PortalClient` that also reports how many calls, 429s and retries it saw. */
export interface HubSpotPortalClient extends PortalClient {
  readonly stats: () => HubSpotCallStats;
}

const pagingSchema = z
  .object({
    next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }).optional(),
  })
  .optional();

const pageSchema = z.object({ results: z.array(z.unknown()), paging: pagingSchema });

const batchSchema = z.object({
  results: z.array(z.unknown()).default([]),
  errors: z.array(z.unknown()).optional(),
});

const historyEntrySchema = z.object({
  value: z
    .string()
    .nullable()
    .transform((value) => value ?? ''),
  timestamp: z.string(),
  sourceType: z.string(),
  sourceId: z
    .string()
    .nullish()
    .transform((value) => value ?? undefined),
});

/** The model's object schema plus HubSpot's property history, as the contract types it. */
const companyWithHistorySchema: z.ZodType<CompanyWithHistory> = crmObjectSchema.extend({
  propertiesWithHistory: z.record(z.string(), z.array(historyEntrySchema)).optional(),
});

const associationBatchSchema = z.object({
  results: z
    .array(
      z.object({
        from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
        to: z.array(associationSchema),
        paging: pagingSchema,
      }),
    )
    .default([]),
});

const batchErrorSchema = z
  .object({
    message: z.string().default(''),
    category: z.string().optional(),
    code: z.string().optional(),
    context: z.record(z.string(), z.array(z.union([z.string(), z.number()]))).optional(),
  })
  .loose();
type BatchError = z.infer<typeof batchErrorSchema>;

const errorListSchema = z.object({ category: z.string().optional(), errors: z.array(z.unknown()) });

const groupListSchema = z.object({ results: z.array(z.object({ name: z.string() }).loose()) });
const propertyListSchema = z.object({
  results: z.array(
    z
      .object({
        name: z.string(),
        label: z.string(),
        description: z.string().optional(),
        type: z.string(),
        fieldType: z.string(),
        groupName: z.string(),
        options: propertyOptionsSchema.optional(),
      })
      .loose(),
  ),
});
/** HubSpot takes a comma-separated list; an empty one is left out (HubSpot's defaults). */
function propertiesQuery(properties: readonly string[]): Record<string, string> {
  return properties.length === 0 ? {} : { properties: properties.join(',') };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    out.push(items.slice(start, start + size));
  }
  return out;
}

function parseErrors(body: unknown): BatchError[] {
  const list = errorListSchema.safeParse(body);
  if (!list.success) return [];
  return list.data.errors.flatMap((raw) => {
    const parsed = batchErrorSchema.safeParse(raw);
    return parsed.success
      ? [{ ...parsed.data, category: parsed.data.category ?? list.data.category }]
      : [];
  });
}

/** The input ids an error names in its context (`input`, `id`, `ids`). */
function namedIds(error: BatchError): string[] {
  const context = error.context ?? {};
  return ['input', 'id', 'ids', 'objectId'].flatMap((key) => (context[key] ?? []).map(String));
}

function dateOnly(value: string | null | undefined): string {
  const ms = parseInstantProperty(value);
  return ms === null || Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10);
}

function toTaskRecord(task: CrmObject): TaskRecord {
  const owner = task.properties.hubspot_owner_id;
  return {
    id: task.id,
    subject: task.properties.hs_task_subject ?? '',
    status: task.properties.hs_task_status ?? '',
    dueDate: dateOnly(task.properties.hs_timestamp),
    ownerId: owner == null || owner === '' ? null : owner,
  };
}

/**
 * Tickets are an optional scope: a portal that did not grant it answers 403,
 * and the model then sees no complaints (`missing`) instead of failing.
 */
async function withTicketsScope<T, M>(read: () => Promise<T>, missing: M): Promise<T | M> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 403) return missing;
    throw error;
  }
}

/**
 * The `PortalClient` on HubSpot's public API (or the sandbox): plain data in
 * the model's shapes, every response validated with the model's schemas.
 *
 * @example
 * const client = createHubSpotPortalClient({ portalId, baseUrl, getAccessToken, limiter });
 * await client.forEachDealPage(['amount', 'closedate'], (deals) => totals.add(deals));
 */
export function createHubSpotPortalClient(
  options: HubSpotPortalClientOptions,
): HubSpotPortalClient {
  const transport = createHubSpotTransport(options);
  const { send } = transport;

  async function forEachPage(
    objectType: 'deals' | 'companies' | 'tickets' | 'contacts',
    query: Readonly<Record<string, string>>,
    onPage: (objects: CrmObject[]) => Promise<void> | void,
    complete: (objects: CrmObject[]) => Promise<CrmObject[]>,
  ): Promise<void> {
    let after: string | undefined;
    do {
      const response = await send({
        route: `GET /crm/v3/objects/${objectType}`,
        method: 'GET',
        path: `/crm/v3/objects/${objectType}`,
        query: { limit: String(BATCH_SIZE), ...query, ...(after === undefined ? {} : { after }) },
      });
      const page = pageSchema.parse(response.body);
      const objects = page.results.map((raw) => crmObjectSchema.parse(raw));
      await onPage(await complete(objects));
      after = page.paging?.next?.after;
    } while (after !== undefined);
  }

  /**
   * Every association of each object to `toType`, through v4 batch read
   * (1,000 objects per call), following each object's own paging.
   */
  async function readAssociations(
    fromType: string,
    toType: string,
    ids: readonly string[],
  ): Promise<Map<string, Association[]>> {
    const found = new Map<string, Association[]>();
    let pending: { id: string; after?: string }[] = ids.map((id) => ({ id }));
    while (pending.length > 0) {
      const next: { id: string; after: string }[] = [];
      for (const inputs of chunks(pending, ASSOCIATION_BATCH_SIZE)) {
        // 207 with NO_ASSOCIATIONS_FOUND for objects without any: they have none.
        const response = await send({
          route: `POST /crm/v4/associations/${fromType}/${toType}/batch/read`,
          method: 'POST',
          path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
          body: { inputs },
        });
        for (const result of associationBatchSchema.parse(response.body).results) {
          const list = found.get(result.from.id) ?? [];
          list.push(...result.to);
          found.set(result.from.id, list);
          const after = result.paging?.next?.after;
          if (after !== undefined) next.push({ id: result.from.id, after });
        }
      }
      pending = next;
    }
    return found;
  }

  /** Inline associations stop at ~100 per record; complete those that say so from v4. */
  function completeCompanyAssociations(
    objectType: 'deals' | 'contacts',
  ): (objects: CrmObject[]) => Promise<CrmObject[]> {
    return async (objects) => {
      const truncated = objects
        .filter(
          (object) => pagingSchema.safeParse(object.associations?.companies?.paging).data?.next,
        )
        .map((object) => object.id);
      if (truncated.length === 0) return objects;
      const full = await readAssociations(objectType, 'companies', truncated);
      return objects.map((object) =>
        full.has(object.id)
          ? {
              ...object,
              associations: {
                ...object.associations,
                companies: { results: full.get(object.id) ?? [] },
              },
            }
          : object,
      );
    };
  }

  /** Batch read by id, `size` per call; 207's missing ids are left out, as the contract says. */
  async function batchRead<T>(
    objectType: 'companies' | 'deals' | 'tasks' | 'tickets' | 'calls' | 'contacts' | 'meetings',
    ids: readonly string[],
    request: { properties: readonly string[]; propertiesWithHistory?: readonly string[] },
    schema: z.ZodType<T>,
    size = BATCH_SIZE,
  ): Promise<T[]> {
    const out: T[] = [];
    for (const inputs of chunks(ids, size)) {
      const response = await send({
        route: `POST /crm/v3/objects/${objectType}/batch/read`,
        method: 'POST',
        path: `/crm/v3/objects/${objectType}/batch/read`,
        body: { inputs: inputs.map((id) => ({ id })), ...request },
      });
      for (const raw of batchSchema.parse(response.body).results) out.push(schema.parse(raw));
    }
    return out;
  }

  /**
   * The `toType` objects of some companies, by company: associations v4, then
   * one batch read of each object however many companies share it, then
   * `complete` (a deal's own company associations).
   */
  async function readObjectsOfCompanies(
    toType: 'deals' | 'tickets' | 'calls' | 'contacts' | 'meetings',
    companyIds: readonly string[],
    properties: readonly string[],
    complete: (objects: CrmObject[]) => Promise<CrmObject[]> = (objects) =>
      Promise.resolve(objects),
  ): Promise<Map<string, CrmObject[]>> {
    const idsOf = new Map<string, string[]>();
    for (const [companyId, associations] of await readAssociations(
      'companies',
      toType,
      companyIds,
    )) {
      idsOf.set(companyId, [...new Set(associations.map(associatedId))]);
    }
    const unique = [...new Set([...idsOf.values()].flat())];
    const byId = new Map<string, CrmObject>();
    if (unique.length > 0) {
      const objects = await batchRead(toType, unique, { properties }, crmObjectSchema);
      for (const object of await complete(objects)) byId.set(object.id, object);
    }
    return new Map(
      companyIds.map((companyId) => [
        companyId,
        (idsOf.get(companyId) ?? []).flatMap((id) => byId.get(id) ?? []),
      ]),
    );
  }

  const client: HubSpotPortalClient = {
    portalId: options.portalId,
    stats: transport.stats,

    async forEachDealPage(properties, onPage) {
      await forEachPage(
        'deals',
        { ...propertiesQuery(properties), associations: 'companies' },
        onPage,
        completeCompanyAssociations('deals'),
      );
    },

    async forEachCompanyPage(properties, onPage) {
      await forEachPage('companies', propertiesQuery(properties), onPage, (companies) =>
        Promise.resolve(companies),
      );
    },

    async forEachTicketPage(properties, onPage) {
      return withTicketsScope(async () => {
        await forEachPage(
          'tickets',
          { ...propertiesQuery(properties), associations: 'companies' },
          onPage,
          (tickets) => Promise.resolve(tickets),
        );
        return true;
      }, false);
    },

    async forEachContactPage(properties, onPage) {
      await forEachPage(
        'contacts',
        { ...propertiesQuery(properties), associations: 'companies' },
        onPage,
        completeCompanyAssociations('contacts'),
      );
    },

    async forEachMeetingPage(properties, sinceMs, onPage) {
      await forEachRecentMeeting(send, readAssociations, properties, sinceMs, onPage);
    },

    async readContactsOfCompanies(companyIds, properties) {
      return readObjectsOfCompanies('contacts', companyIds, properties);
    },

    async readMeetingsOfCompanies(companyIds, properties, sinceMs) {
      const byCompany = await readObjectsOfCompanies('meetings', companyIds, [
        ...new Set([...properties, 'hs_meeting_start_time']),
      ]);
      const recent = (meeting: CrmObject): boolean =>
        (parseInstantProperty(meeting.properties.hs_meeting_start_time) ?? -Infinity) >= sinceMs;
      return new Map(
        [...byCompany].map(([companyId, meetings]) => [companyId, meetings.filter(recent)]),
      );
    },

    async readOwners() {
      return readOwners(send);
    },

    async readCompanies(ids, properties, propertiesWithHistory = []) {
      if (propertiesWithHistory.length === 0) {
        return batchRead('companies', ids, { properties }, companyWithHistorySchema);
      }
      return batchRead(
        'companies',
        ids,
        { properties, propertiesWithHistory },
        companyWithHistorySchema,
        HISTORY_BATCH_SIZE,
      );
    },

    async readDealsOfCompanies(companyIds, properties) {
      return readObjectsOfCompanies('deals', companyIds, properties, async (deals) => {
        // Batch read returns no associations: every company of each deal, so a
        // split deal is credited to all its companies.
        const companies = await readAssociations(
          'deals',
          'companies',
          deals.map((deal) => deal.id),
        );
        return deals.map((deal) => ({
          ...deal,
          associations: { companies: { results: companies.get(deal.id) ?? [] } },
        }));
      });
    },

    async readDeals(ids, properties) {
      return batchRead('deals', ids, { properties }, crmObjectSchema);
    },

    async readTicketsOfCompanies(companyIds, properties) {
      return withTicketsScope(
        () => readObjectsOfCompanies('tickets', companyIds, properties),
        null,
      );
    },

    async readCallsOfCompanies(companyIds, properties) {
      const before = transport.stats().calls;
      const byCompany = await readObjectsOfCompanies('calls', companyIds, properties);
      return { byCompany, requests: transport.stats().calls - before };
    },

    async readTicketPipelines() {
      return readTicketPipelines(send);
    },

    async updateCompanies(updates) {
      const updated: string[] = [];
      const failed: { id: string; code: string; message: string }[] = [];
      let calls = 0;

      const fail = (id: string, errors: readonly BatchError[], fallback: string) => {
        const first = errors[0];
        failed.push({
          id,
          code: first?.code ?? first?.category ?? fallback,
          message:
            errors
              .map((error) => error.message)
              .filter((message) => message !== '')
              .join('; ') || fallback,
        });
      };

      // One refused company rejects HubSpot's whole batch; isolate it and
      // write the rest instead of failing the run.
      const writeBatch = async (inputs: readonly CompanyUpdate[]): Promise<void> => {
        if (inputs.length === 0) return;
        const response = await send({
          route: 'POST /crm/v3/objects/companies/batch/update',
          method: 'POST',
          path: '/crm/v3/objects/companies/batch/update',
          body: { inputs: inputs.map(({ id, properties }) => ({ id, properties })) },
          accept: [400],
        });
        calls += 1;
        const errors = parseErrors(response.body);
        const ids = new Set(inputs.map((input) => input.id));
        const byId = new Map<string, BatchError[]>();
        for (const error of errors) {
          for (const id of namedIds(error)) {
            if (ids.has(id)) byId.set(id, [...(byId.get(id) ?? []), error]);
          }
        }
        if (response.status !== 400) {
          // 200, or 207 naming ids it could not write (e.g. deleted companies).
          for (const raw of batchSchema.parse(response.body).results) {
            updated.push(crmObjectSchema.parse(raw).id);
          }
          for (const [id, named] of byId) fail(id, named, 'UPDATE_FAILED');
          return;
        }
        if (byId.size > 0) {
          for (const [id, named] of byId) fail(id, named, 'VALIDATION_ERROR');
          await writeBatch(inputs.filter((input) => !byId.has(input.id)));
          return;
        }
        const [only] = inputs;
        if (inputs.length === 1 && only !== undefined) {
          // The errors name no input, so the body's own message is about this one.
          const whole = batchErrorSchema.safeParse(response.body);
          fail(
            only.id,
            errors.length > 0 || !whole.success ? errors : [whole.data],
            'VALIDATION_ERROR',
          );
          return;
        }
        // HubSpot named no input: halve until the bad ones stand alone.
        const half = Math.ceil(inputs.length / 2);
        await writeBatch(inputs.slice(0, half));
        await writeBatch(inputs.slice(half));
      };

      for (const batch of chunks(updates, BATCH_SIZE)) await writeBatch(batch);
      const outcome: UpdateOutcome = { updated, failed, calls };
      return outcome;
    },

    async readProductLineLabels(property) {
      return readProductLineLabels(send, property);
    },

    async ensureKamProperties() {
      const groups = groupListSchema.parse(
        (
          await send({
            route: 'GET /crm/v3/properties/companies/groups',
            method: 'GET',
            path: '/crm/v3/properties/companies/groups',
          })
        ).body,
      );
      let groupCreated = false;
      if (!groups.results.some((group) => group.name === KAM_PROPERTY_GROUP.name)) {
        // 409: another worker (or a retry after a lost answer) created it,
        // which is what we wanted; so a retry after a 5xx is safe.
        const created = await send({
          route: 'POST /crm/v3/properties/companies/groups',
          method: 'POST',
          path: '/crm/v3/properties/companies/groups',
          body: KAM_PROPERTY_GROUP,
          accept: [409],
        });
        groupCreated = created.status !== 409;
      }

      const existing = new Map(
        propertyListSchema
          .parse(
            (
              await send({
                route: 'GET /crm/v3/properties/companies',
                method: 'GET',
                path: '/crm/v3/properties/companies',
              })
            ).body,
          )
          .results.map((definition) => [definition.name, definition]),
      );

      const created: string[] = [];
      const updated: string[] = [];
      const unchanged: string[] = [];
      const missing = KAM_PROPERTIES.filter((definition) => !existing.has(definition.name));
      for (const inputs of chunks(missing, BATCH_SIZE)) {
        const response = await send({
          route: 'POST /crm/v3/properties/companies/batch/create',
          method: 'POST',
          path: '/crm/v3/properties/companies/batch/create',
          body: { inputs },
        });
        const refused = parseErrors(response.body).filter(
          // A name that exists already was created by a concurrent run (or by
          // this one before a retried 5xx).
          (error) => error.category !== 'OBJECT_ALREADY_EXISTS' && error.category !== 'CONFLICT',
        );
        if (refused.length > 0) {
          throw toHubSpotApiError('POST /crm/v3/properties/companies/batch/create', 400, {
            message: refused.map((error) => error.message).join('; '),
            category: refused[0]?.category,
          });
        }
        for (const raw of batchSchema.parse(response.body).results) {
          const parsed = z.object({ name: z.string() }).safeParse(raw);
          if (parsed.success) created.push(parsed.data.name);
        }
      }

      for (const definition of KAM_PROPERTIES) {
        const current = existing.get(definition.name);
        if (current === undefined) continue;
        const patch = propertyPatch(definition, current);
        if (patch === null) {
          unchanged.push(definition.name);
          continue;
        }
        await send({
          route: 'PATCH /crm/v3/properties/companies/{name}',
          method: 'PATCH',
          path: `/crm/v3/properties/companies/${definition.name}`,
          body: patch,
        });
        updated.push(definition.name);
      }
      const outcome: ProvisioningOutcome = { groupCreated, created, updated, unchanged };
      return outcome;
    },

    async createTask(task: NewTask) {
      const response = await send({
        route: 'POST /crm/v3/objects/tasks',
        method: 'POST',
        path: '/crm/v3/objects/tasks',
        idempotent: false,
        body: {
          properties: {
            // hs_timestamp is a datetime: the due date at midnight UTC.
            hs_timestamp: `${task.dueDate}T00:00:00.000Z`,
            hs_task_subject: task.subject,
            hs_task_body: task.body,
            hs_task_priority: task.priority,
            hs_task_status: 'NOT_STARTED',
            ...(task.ownerId === null ? {} : { hubspot_owner_id: task.ownerId }),
          },
          associations: [
            {
              to: { id: task.companyId },
              types: [
                {
                  associationCategory: 'HUBSPOT_DEFINED',
                  associationTypeId: TASK_TO_COMPANY_TYPE_ID,
                },
              ],
            },
          ],
        },
      });
      return toTaskRecord(crmObjectSchema.parse(response.body));
    },

    async readTasks(ids) {
      const tasks = await batchRead('tasks', ids, { properties: TASK_PROPERTIES }, crmObjectSchema);
      return tasks.map(toTaskRecord);
    },
  };
  return client;
}

import { validationError } from './errors.ts';

/** The CRM object types the sandbox serves, by their v3 path names. */
export const OBJECT_TYPES = [
  'companies',
  'deals',
  'tasks',
  'tickets',
  'calls',
  'contacts',
  'meetings',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface ObjectTypeInfo {
  /** HubSpot's object type id, used in webhooks (`objectTypeId`). */
  readonly objectTypeId: string;
  /** The singular name used in `associations.company` search filters and association names. */
  readonly singular: string;
  /** The name webhook subscriptions use, when it is not `singular` (meetings: `meeting_event`). */
  readonly webhookName?: string;
  /** Any one of these grants read access. */
  readonly readScopes: readonly string[];
  /** Any one of these grants write access; `null` when the sandbox serves the type read-only. */
  readonly writeScopes: readonly string[] | null;
  /** Any one of these allows creating or editing property definitions. */
  readonly schemaWriteScopes: readonly string[];
  /** The property that holds the creation date (tasks use `hs_createdate`). */
  readonly createdateProperty: string;
  /** Properties returned when a read names none, as HubSpot does. */
  readonly defaultProperties: readonly string[];
  /** Properties `query` in a search matches against. */
  readonly searchableProperties: readonly string[];
  /** Properties a create must carry. */
  readonly requiredOnCreate: readonly string[];
}

export const OBJECT_TYPE_INFO: Readonly<Record<ObjectType, ObjectTypeInfo>> = {
  companies: {
    objectTypeId: '0-2',
    singular: 'company',
    readScopes: ['crm.objects.companies.read', 'crm.objects.companies.write'],
    writeScopes: ['crm.objects.companies.write'],
    schemaWriteScopes: ['crm.schemas.companies.write'],
    createdateProperty: 'createdate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    searchableProperties: ['name', 'domain', 'website', 'phone'],
    requiredOnCreate: [],
  },
  deals: {
    objectTypeId: '0-3',
    singular: 'deal',
    readScopes: ['crm.objects.deals.read', 'crm.objects.deals.write'],
    writeScopes: ['crm.objects.deals.write'],
    schemaWriteScopes: ['crm.schemas.deals.write'],
    createdateProperty: 'createdate',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    searchableProperties: ['dealname'],
    requiredOnCreate: ['dealname', 'dealstage'],
  },
  tasks: {
    objectTypeId: '0-27',
    singular: 'task',
    // HubSpot gates tasks (an engagement) behind the contacts scopes.
    readScopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    writeScopes: ['crm.objects.contacts.write'],
    schemaWriteScopes: ['crm.schemas.contacts.write'],
    createdateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_task_subject', 'hs_task_body'],
    requiredOnCreate: ['hs_timestamp'],
  },
  tickets: {
    objectTypeId: '0-5',
    singular: 'ticket',
    readScopes: ['tickets'],
    writeScopes: null,
    schemaWriteScopes: ['tickets'],
    createdateProperty: 'createdate',
    defaultProperties: [
      'content',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_pipeline',
      'hs_pipeline_stage',
      'hs_ticket_category',
      'hs_ticket_priority',
      'subject',
    ],
    searchableProperties: ['subject', 'content'],
    requiredOnCreate: [],
  },
  calls: {
    objectTypeId: '0-48',
    singular: 'call',
    // Calls are engagements: HubSpot gates them behind the contacts scopes, like tasks.
    readScopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    writeScopes: ['crm.objects.contacts.write'],
    schemaWriteScopes: ['crm.schemas.contacts.write'],
    createdateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_call_title', 'hs_call_body'],
    requiredOnCreate: ['hs_timestamp'],
  },
  contacts: {
    objectTypeId: '0-1',
    singular: 'contact',
    readScopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    writeScopes: ['crm.objects.contacts.write'],
    schemaWriteScopes: ['crm.schemas.contacts.write'],
    createdateProperty: 'createdate',
    defaultProperties: [
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ],
    searchableProperties: ['firstname', 'lastname', 'email', 'phone', 'company'],
    requiredOnCreate: [],
  },
  meetings: {
    // HubSpot's internal name for meetings is MEETING_EVENT (webhooks say `meeting_event`).
    objectTypeId: '0-47',
    singular: 'meeting',
    webhookName: 'meeting_event',
    // Meetings are engagements: HubSpot gates them behind the contacts scopes, like tasks.
    readScopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    writeScopes: ['crm.objects.contacts.write'],
    schemaWriteScopes: ['crm.schemas.contacts.write'],
    createdateProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    searchableProperties: ['hs_meeting_title', 'hs_meeting_body'],
    requiredOnCreate: ['hs_timestamp'],
  },
};

/** The object type name of webhook subscriptions (`objectType` in webhooks-hsmeta.json). */
export function webhookObjectName(type: ObjectType): string {
  const info = OBJECT_TYPE_INFO[type];
  return info.webhookName ?? info.singular;
}

/** Every scope a sandbox route checks; a private-app token gets all of them. */
export const ALL_SCOPES: readonly string[] = [
  ...new Set(
    Object.values(OBJECT_TYPE_INFO).flatMap((info) => [
      ...info.readScopes,
      ...(info.writeScopes ?? []),
      ...info.schemaWriteScopes,
    ]),
  ),
  'oauth',
  'settings.users.read',
  'crm.objects.owners.read',
];

const ALIASES: ReadonlyMap<string, ObjectType> = new Map(
  OBJECT_TYPES.flatMap((type) => {
    const info = OBJECT_TYPE_INFO[type];
    return [
      [type, type],
      [info.singular, type],
      [info.objectTypeId, type],
    ] as const;
  }),
);

/**
 * Resolves a path segment the way HubSpot does: plural name, singular name
 * or object type id.
 */
export function parseObjectType(segment: string): ObjectType {
  const type = ALIASES.get(segment.toLowerCase());
  if (type === undefined) throw validationError(`Unable to infer object type from: ${segment}`);
  return type;
}

/** HubSpot's read-only properties every object carries, computed from the record itself. */
export const ALWAYS_RETURNED = ['hs_object_id', 'hs_lastmodifieddate'] as const;

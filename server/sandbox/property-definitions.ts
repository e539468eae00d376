import { BUILT_IN_AT, DEAL_STAGES, PIPELINES } from './deal-pipelines.ts';
import { TICKET_PIPELINES, TICKET_STAGES } from './ticket-pipeline.ts';
import type { ObjectType } from './object-types.ts';

export const PROPERTY_TYPES = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
  'phone_number',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export const FIELD_TYPES = [
  'textarea',
  'text',
  'date',
  'file',
  'number',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'calculation_equation',
  'html',
  'phonenumber',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Which field types HubSpot accepts for each property type. */
export const FIELD_TYPES_BY_TYPE: Readonly<Record<PropertyType, readonly FieldType[]>> = {
  string: ['text', 'textarea', 'html', 'file', 'phonenumber'],
  number: ['number', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  bool: ['booleancheckbox'],
  phone_number: ['phonenumber'],
};

export interface PropertyOption {
  readonly label: string;
  readonly value: string;
  readonly displayOrder: number;
  readonly hidden: boolean;
  readonly description?: string;
}

/** A property definition in the shape `GET /crm/v3/properties/{type}` returns. */
export interface PropertyDefinition {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: FieldType;
  readonly groupName: string;
  readonly description: string;
  readonly options: readonly PropertyOption[];
  readonly displayOrder: number;
  readonly calculated: boolean;
  readonly externalOptions: boolean;
  readonly hasUniqueValue: boolean;
  readonly hidden: boolean;
  readonly hubspotDefined: boolean;
  readonly formField: boolean;
  readonly modificationMetadata: {
    readonly archivable: boolean;
    readonly readOnlyDefinition: boolean;
    readonly readOnlyValue: boolean;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

export interface PropertyGroup {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
  readonly archived: boolean;
}

interface BuiltInOptions {
  readonly options?: readonly (readonly [value: string, label: string])[];
  readonly readOnly?: boolean;
  readonly externalOptions?: boolean;
}

function builtIn(
  name: string,
  label: string,
  type: PropertyType,
  fieldType: FieldType,
  groupName: string,
  extra: BuiltInOptions = {},
): PropertyDefinition {
  const readOnly = extra.readOnly ?? false;
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options: (extra.options ?? []).map(([value, optionLabel], index) => ({
      label: optionLabel,
      value,
      displayOrder: index,
      hidden: false,
    })),
    displayOrder: -1,
    calculated: readOnly,
    externalOptions: extra.externalOptions ?? false,
    hasUniqueValue: name === 'hs_object_id',
    hidden: false,
    hubspotDefined: true,
    formField: !readOnly,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: readOnly },
    createdAt: BUILT_IN_AT,
    updatedAt: BUILT_IN_AT,
    archived: false,
  };
}

const BOOL_OPTIONS = [
  ['true', 'True'],
  ['false', 'False'],
] as const;
const INDUSTRY_OPTIONS = [
  'COMPUTER_SOFTWARE',
  'MACHINERY',
  'RETAIL',
  'HOSPITAL_HEALTH_CARE',
  'LOGISTICS_AND_SUPPLY_CHAIN',
  'FINANCIAL_SERVICES',
  'CONSTRUCTION',
  'FOOD_PRODUCTION',
  'AUTOMOTIVE',
  'TELECOMMUNICATIONS',
  'HIGHER_EDUCATION',
  'INFORMATION_TECHNOLOGY_AND_SERVICES',
].map((value) => [value, value.toLowerCase().replaceAll('_', ' ')] as const);

/** The owner property looks its options up elsewhere, so values are not checked against a list. */
function ownerProperty(groupName: string): PropertyDefinition {
  return builtIn('hubspot_owner_id', 'Owner', 'enumeration', 'select', groupName, {
    externalOptions: true,
  });
}

function recordProperties(groupName: string, createdate: string): PropertyDefinition[] {
  return [
    builtIn('hs_object_id', 'Record ID', 'number', 'number', groupName, { readOnly: true }),
    builtIn('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', groupName, {
      readOnly: true,
    }),
    builtIn(createdate, 'Create Date', 'datetime', 'date', groupName),
  ];
}

/**
 * HubSpot's built-in properties the app reads, per object type. Custom
 * (`kam_*`) properties are not here: the app creates them on install.
 */
export function builtInProperties(type: ObjectType): PropertyDefinition[] {
  switch (type) {
    case 'companies':
      return [
        ...recordProperties('companyinformation', 'createdate'),
        builtIn('name', 'Company name', 'string', 'text', 'companyinformation'),
        builtIn('domain', 'Company Domain Name', 'string', 'text', 'companyinformation'),
        builtIn('industry', 'Industry', 'enumeration', 'select', 'companyinformation', {
          options: INDUSTRY_OPTIONS,
        }),
        builtIn('annualrevenue', 'Annual Revenue', 'number', 'number', 'companyinformation'),
        builtIn(
          'numberofemployees',
          'Number of Employees',
          'number',
          'number',
          'companyinformation',
        ),
        builtIn('country', 'Country/Region', 'string', 'text', 'companyinformation'),
        builtIn('city', 'City', 'string', 'text', 'companyinformation'),
        ownerProperty('companyinformation'),
        builtIn(
          'num_associated_contacts',
          'Number of Associated Contacts',
          'number',
          'number',
          'companyinformation',
          { readOnly: true },
        ),
        builtIn(
          'notes_last_updated',
          'Last Activity Date',
          'datetime',
          'date',
          'companyinformation',
          {
            readOnly: true,
          },
        ),
        // Set by HubSpot from the child→parent association (type 14), never written directly.
        builtIn(
          'hs_parent_company_id',
          'Parent Company',
          'number',
          'number',
          'companyinformation',
          {
            readOnly: true,
          },
        ),
      ];
    case 'calls':
      return callProperties();
    case 'contacts':
      return contactProperties();
    case 'meetings':
      return meetingProperties();
    case 'deals':
      return [
        ...recordProperties('dealinformation', 'createdate'),
        builtIn('dealname', 'Deal Name', 'string', 'text', 'dealinformation'),
        builtIn('amount', 'Amount', 'number', 'number', 'dealinformation'),
        builtIn(
          'amount_in_home_currency',
          'Amount in company currency',
          'number',
          'number',
          'dealinformation',
          { readOnly: true },
        ),
        builtIn('dealstage', 'Deal Stage', 'enumeration', 'radio', 'dealinformation', {
          options: DEAL_STAGES.map((stage) => [stage.id, stage.label] as const),
        }),
        builtIn('pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation', {
          options: PIPELINES.map((pipeline) => [pipeline.id, pipeline.label] as const),
        }),
        builtIn('closedate', 'Close Date', 'datetime', 'date', 'dealinformation'),
        builtIn('hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', 'dealinformation', {
          options: BOOL_OPTIONS,
          readOnly: true,
        }),
        builtIn('hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', 'dealinformation', {
          options: BOOL_OPTIONS,
          readOnly: true,
        }),
        builtIn(
          'hs_deal_stage_probability',
          'Deal probability',
          'number',
          'number',
          'dealinformation',
          { readOnly: true },
        ),
        builtIn('deal_currency_code', 'Currency', 'enumeration', 'select', 'dealinformation', {
          options: [
            ['USD', 'US Dollar'],
            ['EUR', 'Euro'],
            ['GBP', 'British Pound'],
          ],
        }),
        builtIn(
          'closed_lost_reason',
          'Closed Lost Reason',
          'string',
          'textarea',
          'dealinformation',
        ),
        ownerProperty('dealinformation'),
      ];
    case 'tasks':
      return [
        ...recordProperties('task', 'hs_createdate'),
        builtIn('hs_timestamp', 'Due date', 'datetime', 'date', 'task'),
        builtIn('hs_task_subject', 'Task Title', 'string', 'text', 'task'),
        builtIn('hs_task_body', 'Notes', 'string', 'html', 'task'),
        builtIn('hs_task_priority', 'Priority', 'enumeration', 'select', 'task', {
          options: [
            ['NONE', 'None'],
            ['LOW', 'Low'],
            ['MEDIUM', 'Medium'],
            ['HIGH', 'High'],
          ],
        }),
        builtIn('hs_task_status', 'Task Status', 'enumeration', 'select', 'task', {
          options: [
            ['NOT_STARTED', 'Not started'],
            ['IN_PROGRESS', 'In progress'],
            ['WAITING', 'Waiting'],
            ['COMPLETED', 'Completed'],
            ['DEFERRED', 'Deferred'],
          ],
        }),
        builtIn('hs_task_type', 'Task Type', 'enumeration', 'select', 'task', {
          options: [
            ['CALL', 'Call'],
            ['EMAIL', 'Email'],
            ['TODO', 'To-do'],
          ],
        }),
        ownerProperty('task'),
      ];
    case 'tickets':
      return [
        ...recordProperties('ticketinformation', 'createdate'),
        builtIn('subject', 'Ticket name', 'string', 'text', 'ticketinformation'),
        builtIn('content', 'Ticket description', 'string', 'textarea', 'ticketinformation'),
        builtIn('hs_pipeline', 'Pipeline', 'enumeration', 'select', 'ticketinformation', {
          options: TICKET_PIPELINES.map((pipeline) => [pipeline.id, pipeline.label] as const),
        }),
        builtIn(
          'hs_pipeline_stage',
          'Ticket status',
          'enumeration',
          'select',
          'ticketinformation',
          {
            options: TICKET_STAGES.map((stage) => [stage.id, stage.label] as const),
          },
        ),
        builtIn('hs_ticket_priority', 'Priority', 'enumeration', 'select', 'ticketinformation', {
          options: [
            ['LOW', 'Low'],
            ['MEDIUM', 'Medium'],
            ['HIGH', 'High'],
            ['URGENT', 'Urgent'],
          ],
        }),
        builtIn('hs_ticket_category', 'Category', 'enumeration', 'checkbox', 'ticketinformation', {
          options: [
            ['PRODUCT_ISSUE', 'Product issue'],
            ['BILLING_ISSUE', 'Billing issue'],
            ['GENERAL_INQUIRY', 'General inquiry'],
            ['FEATURE_REQUEST', 'Feature request'],
          ],
        }),
        builtIn('closed_date', 'Close date', 'datetime', 'date', 'ticketinformation', {
          readOnly: true,
        }),
        builtIn(
          'hs_is_closed',
          'Is ticket closed?',
          'bool',
          'booleancheckbox',
          'ticketinformation',
          {
            options: BOOL_OPTIONS,
            readOnly: true,
          },
        ),
        ownerProperty('ticketinformation'),
      ];
  }
}

/** A call (an engagement) as the calls API serves it: when, its outcome, who logged it. */
function callProperties(): PropertyDefinition[] {
  return [
    ...recordProperties('call', 'hs_createdate'),
    builtIn('hs_timestamp', 'Activity date', 'datetime', 'date', 'call'),
    builtIn('hs_call_title', 'Call title', 'string', 'text', 'call'),
    builtIn('hs_call_body', 'Call notes', 'string', 'html', 'call'),
    builtIn('hs_call_direction', 'Call direction', 'enumeration', 'select', 'call', {
      options: [
        ['INBOUND', 'Inbound'],
        ['OUTBOUND', 'Outbound'],
      ],
    }),
    builtIn('hs_call_status', 'Call status', 'enumeration', 'select', 'call', {
      options: [
        ['BUSY', 'Busy'],
        ['CALLING_CRM_USER', 'Calling CRM user'],
        ['CANCELED', 'Canceled'],
        ['COMPLETED', 'Completed'],
        ['CONNECTING', 'Connecting'],
        ['FAILED', 'Failed'],
        ['IN_PROGRESS', 'In progress'],
        ['NO_ANSWER', 'No answer'],
        ['QUEUED', 'Queued'],
        ['RINGING', 'Ringing'],
      ],
    }),
    ownerProperty('call'),
  ];
}

/** A contact as the buying centre reads it (kam-model.md §9): who, their title and roles, last contact. */
function contactProperties(): PropertyDefinition[] {
  return [
    ...recordProperties('contactinformation', 'createdate'),
    builtIn('firstname', 'First Name', 'string', 'text', 'contactinformation'),
    builtIn('lastname', 'Last Name', 'string', 'text', 'contactinformation'),
    builtIn('email', 'Email', 'string', 'text', 'contactinformation'),
    builtIn('jobtitle', 'Job Title', 'string', 'text', 'contactinformation'),
    builtIn('hs_buying_role', 'Buying Role', 'enumeration', 'checkbox', 'contactinformation', {
      options: [
        ['BLOCKER', 'Blocker'],
        ['BUDGET_HOLDER', 'Budget Holder'],
        ['CHAMPION', 'Champion'],
        ['DECISION_MAKER', 'Decision Maker'],
        ['END_USER', 'End User'],
        ['EXECUTIVE_SPONSOR', 'Executive Sponsor'],
        ['INFLUENCER', 'Influencer'],
        ['LEGAL_AND_COMPLIANCE', 'Legal & Compliance'],
        ['OTHER', 'Other'],
      ],
    }),
    builtIn('notes_last_contacted', 'Last Contacted', 'datetime', 'date', 'contact_activity', {
      readOnly: true,
    }),
    ownerProperty('contactinformation'),
  ];
}

/** A meeting (an engagement) as the meetings API serves it: when, its title and outcome, whose. */
function meetingProperties(): PropertyDefinition[] {
  return [
    ...recordProperties('meeting', 'hs_createdate'),
    builtIn('hs_timestamp', 'Activity date', 'datetime', 'date', 'meeting'),
    builtIn('hs_meeting_title', 'Meeting name', 'string', 'text', 'meeting'),
    builtIn('hs_meeting_body', 'Meeting description', 'string', 'html', 'meeting'),
    builtIn('hs_meeting_start_time', 'Start Time', 'datetime', 'date', 'meeting'),
    builtIn('hs_meeting_end_time', 'End Time', 'datetime', 'date', 'meeting'),
    builtIn('hs_meeting_outcome', 'Meeting outcome', 'enumeration', 'select', 'meeting', {
      options: [
        ['SCHEDULED', 'Scheduled'],
        ['COMPLETED', 'Completed'],
        ['RESCHEDULED', 'Rescheduled'],
        ['NO_SHOW', 'No show'],
        ['CANCELED', 'Canceled'],
      ],
    }),
    ownerProperty('meeting'),
  ];
}

/** HubSpot's built-in property groups, per object type. */
export function builtInGroups(type: ObjectType): PropertyGroup[] {
  const names: Record<ObjectType, readonly (readonly [string, string])[]> = {
    companies: [
      ['companyinformation', 'Company information'],
      ['company_activity', 'Company activity'],
    ],
    deals: [
      ['dealinformation', 'Deal information'],
      ['deal_activity', 'Deal activity'],
    ],
    tasks: [['task', 'Task information']],
    calls: [['call', 'Call information']],
    contacts: [
      ['contactinformation', 'Contact information'],
      ['contact_activity', 'Contact activity'],
    ],
    meetings: [['meeting', 'Meeting information']],
    tickets: [['ticketinformation', 'Ticket information']],
  };
  return names[type].map(([name, label], displayOrder) => ({
    name,
    label,
    displayOrder,
    archived: false,
  }));
}

/** One failed value, in the form HubSpot embeds in its validation messages. */
export interface PropertyValueError {
  readonly isValid: false;
  readonly message: string;
  readonly error: string;
  readonly name: string;
  readonly localizedErrorMessage: string;
}

function valueError(name: string, error: string, message: string): PropertyValueError {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

/** HubSpot's limit on text property values. */
const MAX_TEXT_LENGTH = 65_536;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EPOCH_MILLIS = /^-?\d+$/;

function parseInstant(raw: string): number {
  return EPOCH_MILLIS.test(raw) ? Number(raw) : Date.parse(raw);
}

type Normalised = { readonly value: string } | { readonly error: PropertyValueError };

/** Turns one written value into the string HubSpot stores, or explains why it is invalid. */
function normaliseValue(definition: PropertyDefinition, raw: string): Normalised {
  const { name } = definition;
  if (raw === '') return { value: '' };
  switch (definition.type) {
    case 'number': {
      const parsed = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(parsed)) {
        return { error: valueError(name, 'INVALID_DECIMAL', `${raw} was not a valid number.`) };
      }
      return { value: raw.trim() };
    }
    case 'datetime': {
      const instant = parseInstant(raw.trim());
      if (!Number.isFinite(instant)) {
        return {
          error: valueError(
            name,
            'INVALID_DATE',
            `${raw} is not a valid date-time (epoch milliseconds or ISO 8601).`,
          ),
        };
      }
      return { value: new Date(instant).toISOString() };
    }
    case 'date': {
      const trimmed = raw.trim();
      const instant = ISO_DATE.test(trimmed)
        ? Date.parse(`${trimmed}T00:00:00Z`)
        : parseInstant(trimmed);
      if (!Number.isFinite(instant) || instant % 86_400_000 !== 0) {
        return {
          error: valueError(
            name,
            'INVALID_DATE',
            `${raw} is not a valid date; dates must be midnight UTC.`,
          ),
        };
      }
      return { value: new Date(instant).toISOString().slice(0, 10) };
    }
    case 'bool': {
      const lowered = raw.trim().toLowerCase();
      if (lowered !== 'true' && lowered !== 'false') {
        return { error: valueError(name, 'INVALID_BOOLEAN', `${raw} is not a valid boolean.`) };
      }
      return { value: lowered };
    }
    case 'enumeration': {
      if (definition.externalOptions) return { value: raw };
      const allowed = new Set(definition.options.map((option) => option.value));
      // Multiple checkboxes hold several options separated by semicolons.
      const chosen = definition.fieldType === 'checkbox' ? raw.split(';') : [raw];
      const invalid = chosen.find((value) => !allowed.has(value));
      if (invalid !== undefined) {
        return {
          error: valueError(
            name,
            'INVALID_OPTION',
            `${invalid} was not one of the allowed options: [${[...allowed].join(', ')}]`,
          ),
        };
      }
      return { value: raw };
    }
    case 'string':
    case 'phone_number':
      if (raw.length > MAX_TEXT_LENGTH) {
        return {
          error: valueError(
            name,
            'INVALID_STRING_LENGTH',
            `Value is longer than ${MAX_TEXT_LENGTH} characters.`,
          ),
        };
      }
      return { value: raw };
  }
}

/** What a client may send as a property value. */
export type WrittenValue = string | number | boolean | null;

export interface ValidatedProperties {
  /** Normalised values; `''` clears a property. */
  readonly values: Record<string, string>;
  readonly errors: readonly PropertyValueError[];
}

/**
 * Validates written values against the portal's definitions as HubSpot
 * does: unknown properties, read-only values, values outside an
 * enumeration's options and malformed numbers, dates and booleans are
 * errors; everything else is normalised to HubSpot's stored string form.
 */
export function validatePropertyValues(
  definitions: ReadonlyMap<string, PropertyDefinition>,
  written: Readonly<Record<string, WrittenValue | undefined>>,
  options: { readonly allowReadOnly: boolean },
): ValidatedProperties {
  const values: Record<string, string> = {};
  const errors: PropertyValueError[] = [];
  for (const [name, rawValue] of Object.entries(written)) {
    if (rawValue === undefined) continue;
    const definition = definitions.get(name);
    if (definition === undefined || definition.archived) {
      errors.push(valueError(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (definition.modificationMetadata.readOnlyValue && !options.allowReadOnly) {
      errors.push(
        valueError(
          name,
          'READ_ONLY_VALUE',
          `${name} is a read only property; its value cannot be set.`,
        ),
      );
      continue;
    }
    const result = normaliseValue(definition, rawValue === null ? '' : String(rawValue));
    if ('error' in result) errors.push(result.error);
    else values[name] = result.value;
  }
  return { values, errors };
}

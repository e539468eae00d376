import type { CrmObject, HubSpotOwner } from '../../src/index.ts';

/**
 * Everything the backend asks of one HubSpot portal, as plain data in the
 * model's input shapes. The implementation (`hubspot-portal-client.ts`) is
 * the only code that touches `@hubspot/api-client`; it paces every call
 * through the portal's shared rate limiter, honours 429s, retries 5xx and
 * timeouts with back-off, and validates responses at the boundary.
 */
export interface PortalClient {
  readonly portalId: number;

  /** Pages through every deal with `associations=companies` (100 per page). */
  forEachDealPage(
    properties: readonly string[],
    onPage: (deals: CrmObject[]) => Promise<void> | void,
  ): Promise<void>;

  /** Pages through every company (100 per page). */
  forEachCompanyPage(
    properties: readonly string[],
    onPage: (companies: CrmObject[]) => Promise<void> | void,
  ): Promise<void>;

  /**
   * Pages through every ticket with `associations=companies` (complaints,
   * kam-model.md §1). Returns false, having read nothing, when the portal did
   * not grant the optional `tickets` scope.
   */
  forEachTicketPage(
    properties: readonly string[],
    onPage: (tickets: CrmObject[]) => Promise<void> | void,
  ): Promise<boolean>;

  /**
   * Pages through every contact with `associations=companies` (100 per
   * page): the buying centre of kam-model.md §9.
   */
  forEachContactPage(
    properties: readonly string[],
    onPage: (contacts: CrmObject[]) => Promise<void> | void,
  ): Promise<void>;

  /**
   * Every meeting that started at or after `sinceMs`, each with its
   * companies (visits and reviews, kam-model.md §10): search, 200 a page,
   * plus one associations call per 1,000 meetings.
   */
  forEachMeetingPage(
    properties: readonly string[],
    sinceMs: number,
    onPage: (meetings: CrmObject[]) => Promise<void> | void,
  ): Promise<void>;

  /** The contacts of some companies, by company: associations v4, then batch read. */
  readContactsOfCompanies(
    companyIds: readonly string[],
    properties: readonly string[],
  ): Promise<Map<string, CrmObject[]>>;

  /**
   * The meetings of some companies that started at or after `sinceMs`, by
   * company: associations v4, then batch read of every meeting, the older
   * ones left out.
   */
  readMeetingsOfCompanies(
    companyIds: readonly string[],
    properties: readonly string[],
    sinceMs: number,
  ): Promise<Map<string, CrmObject[]>>;

  /**
   * The portal's active owners (names on the cards, the executives picker);
   * null, never an error, without the optional `crm.objects.owners.read` scope.
   */
  readOwners(): Promise<HubSpotOwner[] | null>;

  /** Batch-reads companies by id (100 per call); missing ids are left out. */
  readCompanies(
    ids: readonly string[],
    properties: readonly string[],
    propertiesWithHistory?: readonly string[],
  ): Promise<CompanyWithHistory[]>;

  /**
   * The deals of some companies, by company, each deal with all its company
   * associations (so a split deal is credited correctly): associations v4,
   * batch read, associations v4 — three calls per 100, however many deals.
   */
  readDealsOfCompanies(
    companyIds: readonly string[],
    properties: readonly string[],
  ): Promise<Map<string, CrmObject[]>>;

  /**
   * Batch-reads deals by id (100 per call), without their associations (a
   * caller that knows them keeps them); deleted ids are left out.
   */
  readDeals(ids: readonly string[], properties: readonly string[]): Promise<CrmObject[]>;

  /**
   * The tickets of some companies, by company (their open complaints):
   * associations v4, then batch read — two calls per 100 companies, one when
   * none has a ticket. Null, having read nothing, when the portal did not
   * grant the optional `tickets` scope.
   */
  readTicketsOfCompanies(
    companyIds: readonly string[],
    properties: readonly string[],
  ): Promise<Map<string, CrmObject[]> | null>;

  /**
   * The calls (an engagement) of some companies, by company: associations
   * v4, then batch read — two calls per 100 companies, one when none has a
   * call. Read only for companies with a recently closed complaint (the
   * follow-up of kam-model.md §12), so the cost stays bounded; `requests`
   * counts the HubSpot calls it took, reported apart from the recompute's.
   */
  readCallsOfCompanies(
    companyIds: readonly string[],
    properties: readonly string[],
  ): Promise<{ readonly byCompany: Map<string, CrmObject[]>; readonly requests: number }>;

  /**
   * The portal's ticket pipelines (`GET /crm/v3/pipelines/tickets`), for
   * the complaint pipelines setting; null, never an error, without the
   * optional `tickets` scope. One call.
   */
  readTicketPipelines(): Promise<TicketPipeline[] | null>;

  /**
   * Writes company properties, 100 per call. A company HubSpot refuses (400,
   * e.g. the 2026-09 required-property rule) is reported in `failed` and
   * does not stop the others.
   */
  updateCompanies(updates: readonly CompanyUpdate[]): Promise<UpdateOutcome>;

  /**
   * The labels of the product lines (kam-model.md §1), value → label, so
   * sentences name "Sales Pipeline" rather than `default`. For `pipeline`
   * the deal pipelines' labels (`GET /crm/v3/pipelines/deals`); for any
   * other deal property its options' labels. Empty, never an error, when
   * the portal refuses (403) or has no such property (404), or the property
   * has no options: the model then shows the raw values. One call.
   */
  readProductLineLabels(property: string): Promise<Record<string, string>>;

  /** Creates the `key_account_management` group and every app property; idempotent. */
  ensureKamProperties(): Promise<ProvisioningOutcome>;

  /** Creates a task associated with the company (association type 192). */
  createTask(task: NewTask): Promise<TaskRecord>;

  /** Reads tasks by id (to know whether a remembered task is still open). */
  readTasks(ids: readonly string[]): Promise<TaskRecord[]>;
}

/** A ticket pipeline as the settings page offers it (kam-model.md §12 `complaintPipelines`). */
export interface TicketPipeline {
  readonly id: string;
  readonly label: string;
}

export interface PropertyHistoryEntry {
  readonly value: string;
  readonly timestamp: string;
  readonly sourceType: string;
  readonly sourceId?: string | undefined;
}

export interface CompanyWithHistory extends CrmObject {
  readonly propertiesWithHistory?: Readonly<Record<string, readonly PropertyHistoryEntry[]>>;
}

export interface CompanyUpdate {
  readonly id: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface UpdateOutcome {
  readonly updated: readonly string[];
  readonly failed: readonly {
    readonly id: string;
    readonly code: string;
    readonly message: string;
  }[];
  /** HubSpot calls made, for progress and the benchmark's call count. */
  readonly calls: number;
}

export interface ProvisioningOutcome {
  readonly groupCreated: boolean;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

export interface NewTask {
  readonly companyId: string;
  readonly subject: string;
  readonly body: string;
  /** Due date, 'YYYY-MM-DD' (HubSpot's `hs_timestamp`). */
  readonly dueDate: string;
  readonly priority: 'LOW' | 'MEDIUM' | 'HIGH';
  readonly ownerId: string | null;
}

export interface TaskRecord {
  readonly id: string;
  readonly subject: string;
  readonly status: string;
  readonly dueDate: string;
  readonly ownerId: string | null;
}

/** HubSpot answered with an error the caller should see (not retried further). */
export class HubSpotApiError extends Error {
  override readonly name = 'HubSpotApiError';
  readonly status: number;
  readonly category: string | null;
  readonly correlationId: string | null;

  constructor(
    message: string,
    status: number,
    category: string | null,
    correlationId: string | null,
  ) {
    super(message);
    this.status = status;
    this.category = category;
    this.correlationId = correlationId;
  }
}

import { signatureV3 } from '../hubspot/request-signature.ts';
import { associationTypeById, type AssociationChange } from './associations.ts';
import type { FaultInjector } from './faults.ts';
import { OBJECT_TYPE_INFO, webhookObjectName } from './object-types.ts';
import type { OAuthRegistry, RegisteredApp, WebhookSubscription } from './oauth.ts';
import type { ChangeSource, Portal, PortalChange } from './portal.ts';
import type { SandboxStats } from './stats.ts';

export interface WebhookOptions {
  /** Events are collected this long before a delivery goes out. */
  readonly batchWindowMs: number;
  /** HubSpot gives a target 5 s to answer. */
  readonly timeoutMs: number;
  /** Attempts per batch before it is given up (HubSpot: 10 over 24 h). */
  readonly maxAttempts: number;
  /** Delay before the first retry; it doubles with every further attempt. */
  readonly retryBaseMs: number;
}

/** HubSpot sends at most 100 events per request. */
export const MAX_EVENTS_PER_DELIVERY = 100;

/** One event as HubSpot posts it (the `attemptNumber` is set per delivery). */
export type WebhookEvent = Record<string, string | number | boolean> & {
  readonly eventId: number;
  readonly appId: number;
};

function changeSourceFields(source: ChangeSource): Record<string, string> {
  return {
    changeSource: source.sourceType,
    ...(source.sourceId === undefined ? {} : { sourceId: source.sourceId }),
  };
}

/** Both directions of an association change: a company subscription sees COMPANY_TO_DEAL. */
function orientations(change: AssociationChange): AssociationChange[] {
  const inverseTypeId = associationTypeById(change.fromType, change.typeId)?.inverseTypeId;
  if (inverseTypeId === undefined) return [change];
  return [
    change,
    {
      ...change,
      fromType: change.toType,
      fromId: change.toId,
      toType: change.fromType,
      toId: change.fromId,
      typeId: inverseTypeId,
    },
  ];
}

/**
 * The legacy `associationType` name: `DEAL_TO_COMPANY`, and for the company
 * hierarchy `PARENT_TO_CHILD_COMPANY` / `CHILD_TO_PARENT_COMPANY`.
 */
function webhookAssociationType(association: AssociationChange): string {
  const definition = associationTypeById(association.fromType, association.typeId);
  if (association.fromType === 'companies' && association.toType === 'companies')
    return (definition?.v3Name ?? 'company_to_company').toUpperCase();
  return `${OBJECT_TYPE_INFO[association.fromType].singular}_TO_${OBJECT_TYPE_INFO[association.toType].singular}`.toUpperCase();
}

function matchingEvents(
  subscription: WebhookSubscription,
  change: PortalChange,
): Record<string, string | number | boolean>[] {
  if (!subscription.active) return [];
  const base = { subscriptionId: subscription.id, subscriptionType: subscription.subscriptionType };
  if (change.kind === 'associationChange') {
    if (subscription.subscriptionType !== 'object.associationChange') return [];
    return orientations(change.association)
      .filter((association) => webhookObjectName(association.fromType) === subscription.objectType)
      .map((association) => ({
        ...base,
        occurredAt: change.occurredAt,
        ...changeSourceFields(change.source),
        associationType: webhookAssociationType(association),
        associationCategory: 'HUBSPOT_DEFINED',
        associationTypeId: association.typeId,
        fromObjectTypeId: OBJECT_TYPE_INFO[association.fromType].objectTypeId,
        fromObjectId: Number(association.fromId),
        toObjectTypeId: OBJECT_TYPE_INFO[association.toType].objectTypeId,
        toObjectId: Number(association.toId),
        associationRemoved: association.removed,
        isPrimaryAssociation: association.primary,
      }));
  }
  if (webhookObjectName(change.objectType) !== subscription.objectType) return [];
  const objectFields = {
    ...base,
    occurredAt: change.occurredAt,
    objectId: Number(change.objectId),
    objectTypeId: OBJECT_TYPE_INFO[change.objectType].objectTypeId,
    ...changeSourceFields(change.source),
  };
  switch (change.kind) {
    case 'creation':
      return subscription.subscriptionType === 'object.creation'
        ? [{ ...objectFields, changeFlag: 'CREATED' }]
        : [];
    case 'deletion':
      return subscription.subscriptionType === 'object.deletion'
        ? [{ ...objectFields, changeFlag: 'DELETED' }]
        : [];
    case 'propertyChange':
      return subscription.subscriptionType === 'object.propertyChange' &&
        subscription.propertyName === change.propertyName
        ? [
            {
              ...objectFields,
              propertyName: change.propertyName,
              propertyValue: change.propertyValue,
              isSensitive: false,
            },
          ]
        : [];
  }
}

/**
 * Delivers portal changes to the installed apps' `targetUrl` the way
 * HubSpot does: JSON arrays of at most 100 events, signed v3, at least
 * once — a non-2xx answer or a timeout is retried with doubling back-off,
 * `attemptNumber` counting up, until `maxAttempts`.
 */
export class WebhookDispatcher {
  readonly #oauth: OAuthRegistry;
  readonly #stats: SandboxStats;
  readonly #faults: FaultInjector;
  readonly #options: WebhookOptions;
  readonly #now: () => number;
  readonly #queues = new Map<number, WebhookEvent[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #idleWaiters: (() => void)[] = [];
  #busy = 0;
  #nextEventId = 1;
  #closed = false;

  constructor(
    oauth: OAuthRegistry,
    stats: SandboxStats,
    faults: FaultInjector,
    options: WebhookOptions,
    now: () => number,
  ) {
    this.#oauth = oauth;
    this.#stats = stats;
    this.#faults = faults;
    this.#options = options;
    this.#now = now;
  }

  /** Starts turning a portal's changes into events; returns the detach function. */
  attach(portal: Portal): () => void {
    return portal.onChange((change) => this.#enqueue(portal.portalId, change));
  }

  #enqueue(portalId: number, change: PortalChange): void {
    if (this.#closed) return;
    for (const app of this.#oauth.installedApps(portalId)) {
      if (app.targetUrl === undefined) continue;
      for (const subscription of app.subscriptions) {
        for (const fields of matchingEvents(subscription, change)) {
          const event: WebhookEvent = {
            eventId: this.#nextEventId++,
            portalId,
            appId: app.appId,
            ...fields,
          };
          const queue = this.#queues.get(app.appId) ?? [];
          queue.push(event);
          this.#queues.set(app.appId, queue);
          if (queue.length === 1) this.#later(this.#options.batchWindowMs, () => this.#flush(app));
        }
      }
    }
  }

  /** Runs `task` after `delayMs`, counting it as pending work until it settles. */
  #later(delayMs: number, task: () => Promise<void> | void): void {
    this.#busy += 1;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void Promise.resolve()
        .then(task)
        .finally(() => this.#settle());
    }, delayMs);
    this.#timers.add(timer);
  }

  #settle(): void {
    // After close() the count is already zero; late in-flight deliveries must not drive it negative.
    if (this.#busy === 0) return;
    this.#busy -= 1;
    if (this.#busy === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #flush(app: RegisteredApp): void {
    const queue = this.#queues.get(app.appId) ?? [];
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_EVENTS_PER_DELIVERY);
      this.#later(0, () => this.#deliver(app, batch, 1));
    }
  }

  async #deliver(
    app: RegisteredApp,
    events: readonly WebhookEvent[],
    attempt: number,
  ): Promise<void> {
    if (this.#closed || app.targetUrl === undefined) return;
    if (this.#faults.shouldDropWebhook()) {
      this.#stats.webhooks.dropped += events.length;
      return;
    }
    const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt - 1 })));
    const timestamp = this.#now();
    let delivered: boolean;
    try {
      const response = await fetch(app.targetUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - sandbox',
          'X-HubSpot-Request-Timestamp': String(timestamp),
          'X-HubSpot-Signature-Version': 'v3',
          'X-HubSpot-Signature-v3': signatureV3({
            method: 'POST',
            url: app.targetUrl,
            body,
            timestamp,
            clientSecret: app.clientSecret,
          }),
        },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      await response.arrayBuffer();
      delivered = response.ok;
    } catch {
      // A refused connection or a timeout is a failed attempt, like a 5xx.
      delivered = false;
    }
    if (delivered) {
      this.#stats.webhooks.batchesDelivered += 1;
      this.#stats.webhooks.eventsDelivered += events.length;
      return;
    }
    this.#stats.webhooks.failedAttempts += 1;
    if (attempt >= this.#options.maxAttempts) {
      this.#stats.webhooks.abandoned += events.length;
      return;
    }
    this.#stats.webhooks.retries += 1;
    const delay = this.#options.retryBaseMs * 2 ** (attempt - 1);
    this.#later(delay, () => this.#deliver(app, events, attempt + 1));
  }

  /** Resolves once every queued event was delivered, dropped or given up. */
  idle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops all deliveries and pending retries. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#queues.clear();
    this.#busy = 0;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

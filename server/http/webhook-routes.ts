import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CompanyChange, RecomputeQueue } from '../jobs/recompute-queue.ts';
import type { AssociationIndex, IndexedObject } from '../recompute/association-index.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ApiError, validationError } from './api-error.ts';
import { hubSpotId } from './hubspot-id.ts';
import { signedJson } from './signed-request.ts';

/** HubSpot's object type ids, and the indexed objects whose companies an event can reach. */
const COMPANY = '0-2';
const INDEXED_TYPES: ReadonlyMap<string, IndexedObject> = new Map([
  ['0-3', 'deal'],
  ['0-5', 'ticket'],
  ['0-1', 'contact'],
  ['0-47', 'meeting'],
]);
/** Objects whose change has the pass re-read the company's activity (tickets, contacts, meetings). */
const ACTIVITY_KINDS: ReadonlySet<IndexedObject> = new Set(['ticket', 'contact', 'meeting']);
/** The company property a logged call or meeting moves (HubSpot's "Last Activity Date"). */
const LAST_ACTIVITY_PROPERTY = 'notes_last_updated';
/** The subscriptions the app declares; any other event type (merge, restore, …) is not worked. */
const WORKED_TYPES: ReadonlySet<string> = new Set([
  'object.creation',
  'object.deletion',
  'object.propertyChange',
  'object.associationChange',
]);
/** HubSpot retries a delivery for up to 24 hours: remember event ids that long. */
const EVENT_MEMORY_SECONDS = 24 * 60 * 60;

/** Object type ids and subscription names are short; anything longer is not HubSpot's. */
const name = z.string().max(100);
const eventSchema = z.looseObject({
  eventId: hubSpotId,
  portalId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  subscriptionType: name,
  objectTypeId: name.optional(),
  objectId: hubSpotId.optional(),
  fromObjectTypeId: name.optional(),
  fromObjectId: hubSpotId.optional(),
  toObjectTypeId: name.optional(),
  toObjectId: hubSpotId.optional(),
  associationRemoved: z.boolean().optional(),
  propertyName: name.optional(),
});
const deliverySchema = z.array(eventSchema).min(1).max(100);
type WebhookEvent = z.infer<typeof eventSchema>;

export interface WebhookRoutesDeps {
  readonly redis: Redis;
  readonly logger: Logger;
  readonly clientSecret: string;
  readonly publicBaseUrl: string;
  readonly now: () => number;
  /** Events of a portal the app does not serve (uninstalled, needs reauth) are not worked. */
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly associationIndex: AssociationIndex;
  readonly queue: Pick<RecomputeQueue, 'markChanged' | 'companies'>;
  readonly debounceMs: number;
}

/**
 * POST /webhooks/hubspot: answers fast (HubSpot waits 5 s), works each event
 * once (deliveries are at least once), and turns deal, ticket and company changes
 * into debounced company recomputes. Events of other types, and of portals
 * the app does not serve, are acknowledged and dropped without a trace.
 * While Redis is down it answers 503, so HubSpot delivers again later.
 *
 * The whole delivery is validated before anything is done, and an event is
 * remembered as worked only together with the changes it noted (one Redis
 * script), after its portal's pass was queued: a failure at any step
 * leaves it to HubSpot's redelivery, never half-done.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const router = Router();
  router.use('/webhooks/hubspot', signedJson(deps));
  router.post('/webhooks/hubspot', async (request, response) => {
    const parsed = deliverySchema.safeParse(request.body);
    if (!parsed.success) throw validationError(parsed.error);
    if (deps.redis.status !== 'ready')
      throw new ApiError('unavailable', 'Redis is unavailable; deliver again later');
    let queued = 0;
    const served = new Map<number, boolean>();
    /** Portals whose pass was queued by this delivery. */
    const passes = new Set<number>();
    const seen = new Set<string>();
    for (const event of parsed.data) {
      if (!WORKED_TYPES.has(event.subscriptionType)) continue;
      let active = served.get(event.portalId);
      if (active === undefined) {
        active = (await deps.tokens.status(event.portalId)) === 'active';
        served.set(event.portalId, active);
      }
      if (!active) continue;
      const key = `kam:webhook-event:${event.portalId}:${event.eventId}`;
      // A redelivery of an event already worked.
      if (seen.has(key) || (await deps.redis.exists(key)) === 1) continue;
      seen.add(key);
      const affected = await companiesAffected(event, deps.associationIndex);
      if (affected.companyIds.length > 0) {
        if (!passes.has(event.portalId)) {
          await deps.queue.companies(event.portalId, deps.debounceMs);
          passes.add(event.portalId);
        }
        const marked = await deps.queue.markChanged(
          event.portalId,
          affected.companyIds,
          affected.change,
          { key, rememberSeconds: EVENT_MEMORY_SECONDS },
        );
        if (marked) queued += affected.companyIds.length;
      }
      await affected.afterMarked?.();
    }
    // Once more, now the changes are noted: a pass that ran between the
    // first queueing and the marks (a debounce of 0) did not see them.
    // Within the debounce window this is the same pass.
    for (const portalId of passes) await deps.queue.companies(portalId, deps.debounceMs);
    response.status(200).json({ received: parsed.data.length, queued });
  });
  return router;
}

/** The companies an event may change, and what of them: activity (tickets, contacts, meetings), deals. */
interface Affected {
  readonly companyIds: readonly string[];
  readonly change: CompanyChange;
  /**
   * What the index forgets once the companies are marked: a deleted
   * object's links, which a redelivery would otherwise no longer find.
   */
  readonly afterMarked?: () => Promise<void>;
}

/**
 * The companies whose scores an event may change: a company's own inputs
 * (and its last activity, which a logged follow-up call moves); both ends of
 * a parent/child association (their groups); a deal's companies (revenue,
 * and the share of a split deal); a ticket's companies (complaints); a
 * contact's (the buying centre) and a meeting's (visits).
 */
async function companiesAffected(
  event: WebhookEvent,
  associationIndex: AssociationIndex,
): Promise<Affected> {
  const { portalId } = event;
  /** No deal came, went or changed: the pass keeps the companies' deals as it last read them. */
  const dealsKept = (activity: boolean): CompanyChange => ({ activity, deals: [] });
  const none: Affected = { companyIds: [], change: dealsKept(false) };
  if (event.subscriptionType === 'object.associationChange') {
    if (event.fromObjectTypeId === COMPANY) {
      // Company↔company is the hierarchy (types 13/14): both companies' groups
      // change, and the pass re-reads their hs_parent_company_id. A company's
      // other associations arrive again through the deal's or ticket's own
      // subscription, which is the one worked.
      return event.toObjectTypeId === COMPANY &&
        event.fromObjectId !== undefined &&
        event.toObjectId !== undefined
        ? {
            companyIds: [...new Set([event.fromObjectId, event.toObjectId])],
            change: dealsKept(false),
          }
        : none;
    }
    const ends = [
      [event.fromObjectTypeId, event.fromObjectId, event.toObjectTypeId, event.toObjectId],
      [event.toObjectTypeId, event.toObjectId, event.fromObjectTypeId, event.fromObjectId],
    ] as const;
    for (const [objectType, objectId, companyType, companyId] of ends) {
      const kind = objectType === undefined ? undefined : INDEXED_TYPES.get(objectType);
      if (
        kind === undefined ||
        companyType !== COMPANY ||
        objectId === undefined ||
        companyId === undefined
      )
        continue;
      // The other companies of a split deal change share too.
      const before = await associationIndex.companiesOf(portalId, kind, objectId);
      if (event.associationRemoved === true)
        await associationIndex.unlink(portalId, kind, objectId, companyId);
      else await associationIndex.link(portalId, kind, objectId, companyId);
      return {
        companyIds: [...new Set([...before, companyId])],
        // A deal came or went: each of those companies' deals are read again.
        change: ACTIVITY_KINDS.has(kind) ? dealsKept(true) : { activity: false, deals: 'all' },
      };
    }
    return none;
  }
  if (event.objectId === undefined || event.objectTypeId === undefined) return none;
  if (event.objectTypeId === COMPANY) {
    // A logged call (a follow-up of a complaint, §12) moves the company's last activity.
    const activity = event.propertyName === LAST_ACTIVITY_PROPERTY;
    return {
      companyIds: [event.objectId],
      // A company's own property leaves its deals; one created or deleted is read whole.
      change:
        event.subscriptionType === 'object.propertyChange'
          ? dealsKept(activity)
          : { activity, deals: 'all' },
    };
  }
  const kind = INDEXED_TYPES.get(event.objectTypeId);
  if (kind === undefined) return none;
  const { objectId } = event;
  const companyIds = await associationIndex.companiesOf(portalId, kind, objectId);
  // A deal's property names the deal; a deal created or deleted moves its companies' deals.
  const change: CompanyChange = ACTIVITY_KINDS.has(kind)
    ? dealsKept(true)
    : event.subscriptionType === 'object.propertyChange'
      ? { activity: false, deals: [objectId] }
      : { activity: false, deals: 'all' };
  if (event.subscriptionType !== 'object.deletion') return { companyIds, change };
  return {
    companyIds,
    change,
    afterMarked: () => associationIndex.forget(portalId, kind, objectId),
  };
}

import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { RecomputeQueue } from '../jobs/recompute-queue.ts';
import type { DealIndex } from '../recompute/deal-index.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ApiError, validationError } from './api-error.ts';
import { signedJson } from './signed-request.ts';

/** HubSpot's object type ids. */
const COMPANY = '0-2';
const DEAL = '0-3';
/** The subscriptions the app declares; any other event type (merge, restore, …) is not worked. */
const WORKED_TYPES: ReadonlySet<string> = new Set([
  'object.creation',
  'object.deletion',
  'object.propertyChange',
  'object.associationChange',
]);
/** HubSpot retries a delivery for up to 24 hours: remember event ids that long. */
const EVENT_MEMORY_SECONDS = 24 * 60 * 60;

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const eventSchema = z.looseObject({
  eventId: id,
  portalId: z.number().int().positive(),
  subscriptionType: z.string(),
  objectTypeId: z.string().optional(),
  objectId: id.optional(),
  fromObjectTypeId: z.string().optional(),
  fromObjectId: id.optional(),
  toObjectTypeId: z.string().optional(),
  toObjectId: id.optional(),
  associationRemoved: z.boolean().optional(),
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
  readonly dealIndex: DealIndex;
  readonly queue: Pick<RecomputeQueue, 'company'>;
  readonly debounceMs: number;
}

/**
 * POST /webhooks/hubspot: answers fast (HubSpot waits 5 s), works each event
 * once (deliveries are at least once), and turns deal and company changes
 * into debounced company recomputes. Events of other types, and of portals
 * the app does not serve, are acknowledged and dropped without a trace.
 * While Redis is down it answers 503, so HubSpot delivers again later.
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
    for (const event of parsed.data) {
      if (!WORKED_TYPES.has(event.subscriptionType)) continue;
      let active = served.get(event.portalId);
      if (active === undefined) {
        active = (await deps.tokens.status(event.portalId)) === 'active';
        served.set(event.portalId, active);
      }
      if (!active) continue;
      const fresh = await deps.redis.set(
        `kam:webhook-event:${event.portalId}:${event.eventId}`,
        '1',
        'EX',
        EVENT_MEMORY_SECONDS,
        'NX',
      );
      if (fresh === null) continue; // a redelivery of an event already worked
      for (const companyId of await companiesAffected(event, deps.dealIndex)) {
        await deps.queue.company({ portalId: event.portalId, companyId }, deps.debounceMs);
        queued += 1;
      }
    }
    response.status(200).json({ received: parsed.data.length, queued });
  });
  return router;
}

/** The companies whose scores an event may change. */
async function companiesAffected(event: WebhookEvent, dealIndex: DealIndex): Promise<string[]> {
  const { portalId } = event;
  if (event.subscriptionType === 'object.associationChange') {
    const ends = [
      [event.fromObjectTypeId, event.fromObjectId, event.toObjectTypeId, event.toObjectId],
      [event.toObjectTypeId, event.toObjectId, event.fromObjectTypeId, event.fromObjectId],
    ] as const;
    for (const [dealType, dealId, companyType, companyId] of ends) {
      if (
        dealType !== DEAL ||
        companyType !== COMPANY ||
        dealId === undefined ||
        companyId === undefined
      )
        continue;
      // The other companies of a split deal change share too.
      const before = await dealIndex.companiesOf(portalId, dealId);
      if (event.associationRemoved === true) await dealIndex.unlink(portalId, dealId, companyId);
      else await dealIndex.link(portalId, dealId, companyId);
      return [...new Set([...before, companyId])];
    }
    return [];
  }
  if (event.objectId === undefined) return [];
  if (event.objectTypeId === COMPANY) return [event.objectId];
  if (event.objectTypeId !== DEAL) return [];
  const companies = await dealIndex.companiesOf(portalId, event.objectId);
  if (event.subscriptionType === 'object.deletion')
    await dealIndex.forget(portalId, event.objectId);
  return companies;
}

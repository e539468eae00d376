import {
  COMPANY_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import type { WebhookSubscription } from './oauth.ts';

type SubscriptionInput = Omit<WebhookSubscription, 'id' | 'active'>;

/** Deal properties the key-account model reads; a change to any of them can move a score. */
const DEAL_PROPERTIES = dealInputProperties(DEFAULT_SETTINGS);

/** The company properties users fill in through the app's cards (its inputs, not its outputs). */
export const APP_COMPANY_INPUT_PROPERTIES: readonly string[] = COMPANY_INPUT_PROPERTIES.filter(
  (name) => name.startsWith('kam_'),
);

/**
 * The subscriptions the KAM app declares in its `webhooks-hsmeta.json`:
 * every deal and ticket creation, deletion, association change and change
 * of a property the model reads, and changes of the app-owned company
 * inputs. HubSpot needs one propertyChange subscription per property.
 */
export const DEFAULT_APP_SUBSCRIPTIONS: readonly SubscriptionInput[] = [
  { subscriptionType: 'object.creation', objectType: 'deal' },
  { subscriptionType: 'object.deletion', objectType: 'deal' },
  { subscriptionType: 'object.associationChange', objectType: 'deal' },
  ...DEAL_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'object.propertyChange' as const,
    objectType: 'deal',
    propertyName,
  })),
  { subscriptionType: 'object.creation', objectType: 'ticket' },
  { subscriptionType: 'object.deletion', objectType: 'ticket' },
  { subscriptionType: 'object.associationChange', objectType: 'ticket' },
  ...TICKET_INPUT_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'object.propertyChange' as const,
    objectType: 'ticket',
    propertyName,
  })),
  ...APP_COMPANY_INPUT_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'object.propertyChange' as const,
    objectType: 'company',
    propertyName,
  })),
];

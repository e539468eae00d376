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

/** One propertyChange subscription per property: HubSpot has no wildcard. */
const propertyChanges = (objectType: string, properties: readonly string[]): SubscriptionInput[] =>
  properties.map((propertyName) => ({
    subscriptionType: 'object.propertyChange' as const,
    objectType,
    propertyName,
  }));

/** Creation, deletion and association changes of a type the model reads, and its properties. */
const everyChange = (objectType: string, properties: readonly string[]): SubscriptionInput[] => [
  { subscriptionType: 'object.creation', objectType },
  { subscriptionType: 'object.deletion', objectType },
  { subscriptionType: 'object.associationChange', objectType },
  ...propertyChanges(objectType, properties),
];

/**
 * A company's parent/child associations (types 13/14: its group, kam-model.md
 * §11) and its last activity date, which a logged call moves (the follow-up
 * of §12; HubSpot sends no webhooks for calls).
 */
const COMPANY_HIERARCHY_AND_ACTIVITY: readonly SubscriptionInput[] = [
  { subscriptionType: 'object.associationChange', objectType: 'company' },
  ...propertyChanges('company', ['notes_last_updated']),
];

/**
 * The subscriptions the KAM app declares in its `webhooks-hsmeta.json`:
 * every deal and ticket creation, deletion, association change and change
 * of a property the model reads, and changes of the app-owned company
 * inputs.
 */
export const DEFAULT_APP_SUBSCRIPTIONS: readonly SubscriptionInput[] = [
  ...everyChange('deal', DEAL_PROPERTIES),
  ...everyChange('ticket', TICKET_INPUT_PROPERTIES),
  ...propertyChanges('company', APP_COMPANY_INPUT_PROPERTIES),
  ...COMPANY_HIERARCHY_AND_ACTIVITY,
];

import { SERVQUAL_DIMENSIONS } from '../../src/settings.ts';
import type { WebhookSubscription } from './oauth.ts';

type SubscriptionInput = Omit<WebhookSubscription, 'id' | 'active'>;

/** Deal properties the key-account model reads; a change to any of them can move a score. */
const DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'amount_in_home_currency',
  'dealstage',
  'pipeline',
  'closedate',
  'createdate',
  'hs_is_closed',
  'hs_is_closed_won',
  'hs_deal_stage_probability',
  'hubspot_owner_id',
  'deal_currency_code',
];

/** The company properties users fill in through the app's cards (its inputs, not its outputs). */
export const APP_COMPANY_INPUT_PROPERTIES: readonly string[] = [
  'kam_tier_override',
  ...SERVQUAL_DIMENSIONS.flatMap((dimension) => [
    `kam_servqual_${dimension}_expected`,
    `kam_servqual_${dimension}_perceived`,
  ]),
  'kam_survey_date',
  'kam_swot_strengths',
  'kam_swot_weaknesses',
  'kam_swot_opportunities',
  'kam_swot_threats',
  'kam_competitors',
  'kam_account_plan',
];

/**
 * The subscriptions the KAM app declares (as its `webhooks-hsmeta.json`
 * would): every deal creation, deletion, association change and change of
 * a property the model reads, and changes of the app-owned company inputs.
 * HubSpot needs one propertyChange subscription per property.
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
  ...APP_COMPANY_INPUT_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'object.propertyChange' as const,
    objectType: 'company',
    propertyName,
  })),
];

import { PLAN_PROPERTIES, servqualProperty, SWOT_PROPERTY } from './account-inputs.ts';
import type { Settings } from './settings.ts';
import { SERVQUAL_DIMENSIONS } from './settings.ts';

/** The company properties the model reads (kam-model.md §1 and the app-owned inputs of §8). */
export const COMPANY_INPUT_PROPERTIES: readonly string[] = Object.freeze([
  'name',
  'industry',
  'annualrevenue',
  'numberofemployees',
  'hubspot_owner_id',
  'createdate',
  'num_associated_contacts',
  'notes_last_updated',
  'kam_tier_override',
  ...SERVQUAL_DIMENSIONS.flatMap((dimension) => [
    servqualProperty(dimension, 'expected'),
    servqualProperty(dimension, 'perceived'),
  ]),
  'kam_survey_date',
  ...Object.values(SWOT_PROPERTY),
  'kam_competitors',
  'kam_account_plan',
  // §11: the group a company belongs to; §13: the account plan (OGSM).
  'hs_parent_company_id',
  ...PLAN_PROPERTIES,
]);

/**
 * The ticket properties the model reads (kam-model.md §12): whether a
 * complaint is still open, how grave, in which pipeline, and when it was made.
 */
export const TICKET_INPUT_PROPERTIES: readonly string[] = Object.freeze([
  'hs_is_closed',
  'closed_date',
  'hs_ticket_priority',
  'hs_pipeline',
  'hs_pipeline_stage',
  'createdate',
  'hs_ticket_category',
]);

/** The call properties the model reads: a completed call after a complaint's closing clears A15 (§12). */
export const CALL_INPUT_PROPERTIES: readonly string[] = Object.freeze([
  'hs_timestamp',
  'hs_call_status',
  'hubspot_owner_id',
]);

/** The deal properties the model reads under these settings (kam-model.md §1). */
export function dealInputProperties(settings: Settings): string[] {
  const properties = [
    'amount',
    'amount_in_home_currency',
    'dealstage',
    'pipeline',
    'closedate',
    'createdate',
    'hs_is_closed',
    'hs_is_closed_won',
    'hs_deal_stage_probability',
    'closed_lost_reason',
    settings.productLineProperty,
  ];
  if (settings.profitProperty !== null) properties.push(settings.profitProperty);
  return [...new Set(properties)];
}

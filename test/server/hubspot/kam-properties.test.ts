import { describe, expect, it } from 'vitest';
import {
  KAM_INPUT_PROPERTIES,
  KAM_PROPERTIES,
  KAM_PROPERTY_GROUP,
  KAM_WRITTEN_PROPERTIES,
  propertyPatch,
  type KamPropertyDefinition,
} from '../../../server/hubspot/kam-properties.ts';
import {
  GRADES,
  RATED_TIERS,
  SATISFACTION_LEVELS,
  SEGMENTS,
  STAGES,
  STRATEGIES,
  TIERS,
} from '../../../src/index.ts';

function definition(name: string): KamPropertyDefinition {
  const found = KAM_PROPERTIES.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

describe('the app properties of kam-model.md §8', () => {
  it('names every written property', () => {
    expect(KAM_WRITTEN_PROPERTIES).toEqual([
      'kam_tier',
      'kam_score',
      'kam_grade',
      'kam_attractiveness',
      'kam_strength',
      'kam_matrix_strategy',
      'kam_relationship_stage',
      'kam_loyalty',
      'kam_segment',
      'kam_satisfaction_gap',
      'kam_satisfaction_level',
      'kam_revenue_ttm',
      'kam_revenue_growth',
      'kam_pipeline_weighted',
      'kam_next_action',
      'kam_next_action_due',
      'kam_group_id',
      'kam_group_name',
      'kam_group_tier',
      'kam_group_revenue_ttm',
      'kam_group_size',
      'kam_open_complaints',
      'kam_complaints_12m',
      'kam_plan_attainment',
      'kam_buying_centre_coverage',
      'kam_days_since_visit',
      'kam_profile_completeness',
      'kam_scored_at',
    ]);
  });

  it('names every input: the pin, ten SERVQUAL ratings, the survey date, SWOT, competitors, plan', () => {
    expect(KAM_INPUT_PROPERTIES).toEqual([
      'kam_tier_override',
      'kam_servqual_tangibles_expected',
      'kam_servqual_tangibles_perceived',
      'kam_servqual_reliability_expected',
      'kam_servqual_reliability_perceived',
      'kam_servqual_responsiveness_expected',
      'kam_servqual_responsiveness_perceived',
      'kam_servqual_assurance_expected',
      'kam_servqual_assurance_perceived',
      'kam_servqual_empathy_expected',
      'kam_servqual_empathy_perceived',
      'kam_survey_date',
      'kam_swot_strengths',
      'kam_swot_weaknesses',
      'kam_swot_opportunities',
      'kam_swot_threats',
      'kam_competitors',
      'kam_account_plan',
      'kam_plan_objective',
      'kam_plan_goal_revenue',
      'kam_plan_goal_date',
      'kam_plan_strategies',
      'kam_plan_measures',
      'kam_plan_reviewed_at',
    ]);
  });

  it.each([
    ['kam_tier', TIERS],
    ['kam_group_tier', TIERS],
    ['kam_grade', GRADES],
    ['kam_matrix_strategy', STRATEGIES],
    ['kam_relationship_stage', STAGES],
    ['kam_segment', SEGMENTS],
    ['kam_satisfaction_level', SATISFACTION_LEVELS],
    ['kam_tier_override', RATED_TIERS],
  ])('%s is a select over the model’s own values, labelled in English', (name, values) => {
    const property = definition(name);
    expect(property).toMatchObject({ type: 'enumeration', fieldType: 'select' });
    expect(property.options.map((option) => option.value)).toEqual(values);
    for (const option of property.options) expect(option.label).toMatch(/^[A-Z]/);
  });

  it('labels multi-word values as words', () => {
    expect(definition('kam_satisfaction_level').options.map((option) => option.label)).toEqual([
      'Dissatisfied',
      'Below expectations',
      'Satisfied',
      'Delighted',
    ]);
  });

  it.each([
    ['kam_score', 'number', 'number'],
    ['kam_next_action', 'string', 'text'],
    ['kam_next_action_due', 'date', 'date'],
    ['kam_scored_at', 'datetime', 'date'],
    ['kam_servqual_empathy_perceived', 'number', 'number'],
    ['kam_survey_date', 'date', 'date'],
    ['kam_swot_threats', 'string', 'textarea'],
    ['kam_account_plan', 'string', 'textarea'],
  ])('%s is %s / %s', (name, type, fieldType) => {
    expect(definition(name)).toMatchObject({ type, fieldType });
  });

  it('puts every property in the group, with a label and a description', () => {
    for (const property of KAM_PROPERTIES) {
      expect(property.groupName).toBe(KAM_PROPERTY_GROUP.name);
      expect(property.label).not.toBe('');
      expect(property.description).not.toBe('');
    }
  });
});

describe('propertyPatch', () => {
  const tier = definition('kam_tier');
  const held = { ...tier, options: tier.options.map((option) => ({ ...option, hidden: false })) };

  it('is null when HubSpot holds the definition already', () => {
    expect(propertyPatch(tier, held)).toBeNull();
  });

  it('carries only what differs', () => {
    expect(
      propertyPatch(tier, { ...held, label: 'Tier', options: held.options.slice(0, 4) }),
    ).toEqual({ label: tier.label, options: tier.options });
    expect(propertyPatch(tier, { ...held, description: undefined })).toEqual({
      description: tier.description,
    });
  });

  it('notices a relabelled option', () => {
    const relabelled = held.options.map((option) =>
      option.value === 'key' ? { ...option, label: 'Key account' } : option,
    );
    expect(propertyPatch(tier, { ...held, options: relabelled })).toEqual({
      options: tier.options,
    });
  });
});

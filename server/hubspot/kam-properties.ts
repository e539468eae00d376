import {
  GRADES,
  RATED_TIERS,
  SATISFACTION_LEVELS,
  SEGMENTS,
  SERVQUAL_DIMENSIONS,
  servqualProperty,
  STAGES,
  STRATEGIES,
  SWOT_PROPERTY,
  TIERS,
} from '../../src/index.ts';

/** The company property group every app property lives in (kam-model.md §8). */
export const KAM_PROPERTY_GROUP = {
  name: 'key_account_management',
  label: 'Key account management',
} as const;

export interface PropertyOptionDefinition {
  readonly value: string;
  readonly label: string;
  readonly displayOrder: number;
}

/** A company property as the app wants it, in the shape `POST /crm/v3/properties/companies` takes. */
export interface KamPropertyDefinition {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly type: 'enumeration' | 'number' | 'string' | 'date' | 'datetime';
  readonly fieldType: 'select' | 'number' | 'text' | 'textarea' | 'date';
  readonly groupName: string;
  readonly options: readonly PropertyOptionDefinition[];
}

/** `at_risk` → `At risk`: the English label of an internal value. */
function labelOf(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function optionsOf(values: readonly string[]): PropertyOptionDefinition[] {
  return values.map((value, displayOrder) => ({ value, label: labelOf(value), displayOrder }));
}

type Shape = Pick<KamPropertyDefinition, 'type' | 'fieldType' | 'options'>;

const number: Shape = { type: 'number', fieldType: 'number', options: [] };
const date: Shape = { type: 'date', fieldType: 'date', options: [] };
const datetime: Shape = { type: 'datetime', fieldType: 'date', options: [] };
const text: Shape = { type: 'string', fieldType: 'text', options: [] };
const textarea: Shape = { type: 'string', fieldType: 'textarea', options: [] };
const select = (values: readonly string[]): Shape => ({
  type: 'enumeration',
  fieldType: 'select',
  options: optionsOf(values),
});

function property(name: string, label: string, description: string, shape: Shape) {
  return { name, label, description, groupName: KAM_PROPERTY_GROUP.name, ...shape };
}

const WRITTEN_NOTE = 'Written by KAM for HubSpot on every recompute; edits are overwritten.';

/** Group (§11), complaint (§12) and plan attainment (§13) values the recompute writes. */
const GROUP_AND_COMPLAINT_PROPERTIES: readonly KamPropertyDefinition[] = [
  property(
    'kam_group_id',
    'KAM group id',
    `The id of the group's top parent company (the company's own id when it stands alone). ${WRITTEN_NOTE}`,
    text,
  ),
  property(
    'kam_group_name',
    'KAM group name',
    `The name of the group's top parent company. ${WRITTEN_NOTE}`,
    text,
  ),
  property(
    'kam_group_tier',
    'KAM group tier',
    `The tier of the whole group by its members' revenue together. ${WRITTEN_NOTE}`,
    select(TIERS),
  ),
  property(
    'kam_group_revenue_ttm',
    'KAM group revenue (trailing 12 months)',
    `Won revenue of every member of the group over the last 12 months. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_group_size',
    'KAM group size',
    `How many companies the group has (1 = standalone). ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_open_complaints',
    'KAM open complaints',
    `Open tickets in the complaint pipelines. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_complaints_12m',
    'KAM complaints (12 months)',
    `Complaints created in the last 365 days. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_plan_attainment',
    'KAM plan attainment',
    `Won revenue towards the account plan's goal, in % of the goal; empty without a goal. ${WRITTEN_NOTE}`,
    number,
  ),
];

/** Buying centre (§9), visits (§10) and profile (§14) values the recompute writes. */
const RELATIONSHIP_PROPERTIES: readonly KamPropertyDefinition[] = [
  property(
    'kam_buying_centre_coverage',
    'KAM buying centre coverage',
    `Of the five key buying roles (decision maker, budget holder, champion, influencer, end user), the % with a contact; empty when the portal has no contact records. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_days_since_visit',
    'KAM days since visit',
    `Days since the last completed meeting with the company (the last activity when the portal has no meetings); empty when there is none. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_profile_completeness',
    'KAM profile completeness',
    `The % of the customer file's required fields that are filled in (more are required of strategic and key accounts). ${WRITTEN_NOTE}`,
    number,
  ),
];

/** The properties the recompute writes (kam-model.md §8, first list). */
const WRITTEN: readonly KamPropertyDefinition[] = [
  property(
    'kam_tier',
    'KAM tier',
    `The account's tier by revenue concentration, or its pinned tier. ${WRITTEN_NOTE}`,
    select(TIERS),
  ),
  property(
    'kam_score',
    'KAM score',
    `Weighted attractiveness and strength, 0–100. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_grade',
    'KAM grade',
    `Letter grade of the KAM score. ${WRITTEN_NOTE}`,
    select(GRADES),
  ),
  property(
    'kam_attractiveness',
    'KAM attractiveness',
    `How attractive the account is to us, 0–100. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_strength',
    'KAM strength',
    `Our position with the account, 0–100. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_matrix_strategy',
    'KAM matrix strategy',
    `Strategy from the attractiveness × strength matrix. ${WRITTEN_NOTE}`,
    select(STRATEGIES),
  ),
  property(
    'kam_relationship_stage',
    'KAM relationship stage',
    `Where the relationship stands, from its deal history. ${WRITTEN_NOTE}`,
    select(STAGES),
  ),
  property(
    'kam_loyalty',
    'KAM loyalty',
    `Loyalty (0–100) from repeat buying, the revenue trend, deals lost to rivals, the time taken to choose and satisfaction; empty before a full year as a customer. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_segment',
    'KAM segment',
    `Segment by volume and loyalty; empty while loyalty is not measurable. ${WRITTEN_NOTE}`,
    select(SEGMENTS),
  ),
  property(
    'kam_satisfaction_gap',
    'KAM satisfaction gap',
    `Importance-weighted SERVQUAL gap (perceived − expected). ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_satisfaction_level',
    'KAM satisfaction level',
    `The satisfaction gap as a level. ${WRITTEN_NOTE}`,
    select(SATISFACTION_LEVELS),
  ),
  property(
    'kam_revenue_ttm',
    'KAM revenue (trailing 12 months)',
    `Won revenue credited to the account over the last 12 months. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_revenue_growth',
    'KAM revenue growth',
    `Growth of trailing-12-month revenue over the 12 months before. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_pipeline_weighted',
    'KAM weighted pipeline',
    `Open deal amounts weighted by stage probability. ${WRITTEN_NOTE}`,
    number,
  ),
  property(
    'kam_next_action',
    'KAM next action',
    `The most important recommended next action. ${WRITTEN_NOTE}`,
    text,
  ),
  property(
    'kam_next_action_due',
    'KAM next action due',
    `When the next action is due. ${WRITTEN_NOTE}`,
    date,
  ),
  ...GROUP_AND_COMPLAINT_PROPERTIES,
  ...RELATIONSHIP_PROPERTIES,
  property(
    'kam_scored_at',
    'KAM scored at',
    `When the account was last scored. ${WRITTEN_NOTE}`,
    datetime,
  ),
];

const SWOT_LABELS: Readonly<Record<keyof typeof SWOT_PROPERTY, string>> = {
  strength: 'strengths',
  weakness: 'weaknesses',
  opportunity: 'opportunities',
  threat: 'threats',
};

const INPUT_NOTE = 'Entered through the KAM cards.';

/** The account plan, OGSM (kam-model.md §13), edited on the card. */
const PLAN_INPUTS: readonly KamPropertyDefinition[] = [
  property(
    'kam_plan_objective',
    'KAM plan objective',
    `The account plan's objective (O). ${INPUT_NOTE}`,
    textarea,
  ),
  property(
    'kam_plan_goal_revenue',
    'KAM plan goal revenue',
    `The plan's revenue goal (G), in the home currency. ${INPUT_NOTE}`,
    number,
  ),
  property(
    'kam_plan_goal_date',
    'KAM plan goal date',
    `When the plan's revenue goal is due. ${INPUT_NOTE}`,
    date,
  ),
  property(
    'kam_plan_strategies',
    'KAM plan strategies',
    `The plan's strategies (S). ${INPUT_NOTE}`,
    textarea,
  ),
  property(
    'kam_plan_measures',
    'KAM plan measures',
    `The plan's measures (M). ${INPUT_NOTE}`,
    textarea,
  ),
  property(
    'kam_plan_reviewed_at',
    'KAM plan reviewed at',
    `When a rep last saved the plan or marked it reviewed. ${INPUT_NOTE}`,
    date,
  ),
];

/** The app-owned inputs people fill in through the cards (kam-model.md §8, second list). */
const INPUTS: readonly KamPropertyDefinition[] = [
  property(
    'kam_tier_override',
    'KAM tier override',
    `Pins the account to a tier regardless of revenue. ${INPUT_NOTE}`,
    select(RATED_TIERS),
  ),
  ...SERVQUAL_DIMENSIONS.flatMap((dimension) =>
    (['expected', 'perceived'] as const).map((side) =>
      property(
        servqualProperty(dimension, side),
        `KAM SERVQUAL ${dimension} (${side})`,
        `The customer's ${side} ${dimension} on a 1–7 scale, from the latest survey. ${INPUT_NOTE}`,
        number,
      ),
    ),
  ),
  property(
    'kam_survey_date',
    'KAM survey date',
    `When the SERVQUAL survey was taken. ${INPUT_NOTE}`,
    date,
  ),
  ...Object.entries(SWOT_PROPERTY).map(([quadrant, name]) => {
    const plural = SWOT_LABELS[quadrant as keyof typeof SWOT_PROPERTY];
    return property(
      name,
      `KAM SWOT ${plural}`,
      `Manual SWOT ${plural}, one per line. ${INPUT_NOTE}`,
      textarea,
    );
  }),
  property(
    'kam_competitors',
    'KAM competitors',
    `Competitors active at the account, one per line. ${INPUT_NOTE}`,
    textarea,
  ),
  property(
    'kam_account_plan',
    'KAM account plan',
    `The account plan (OGSM: objectives, goals, strategies, measures). ${INPUT_NOTE}`,
    textarea,
  ),
  ...PLAN_INPUTS,
];

/** Every app property, written ones first. */
export const KAM_PROPERTIES: readonly KamPropertyDefinition[] = [...WRITTEN, ...INPUTS];
/** Names of the properties the recompute writes. */
export const KAM_WRITTEN_PROPERTIES: readonly string[] = WRITTEN.map(
  (definition) => definition.name,
);
/** Names of the app-owned inputs (read by the recompute, written by the card API). */
export const KAM_INPUT_PROPERTIES: readonly string[] = INPUTS.map((definition) => definition.name);

/** A property definition as HubSpot returns it, reduced to what provisioning compares. */
export interface ExistingProperty {
  readonly name: string;
  readonly label: string;
  readonly description?: string | undefined;
  readonly type: string;
  readonly fieldType: string;
  readonly groupName: string;
  readonly options?: readonly { readonly value: string; readonly label: string }[] | undefined;
}

/** The fields of a definition that differ from what HubSpot holds: a PATCH body. */
export type PropertyPatch = Partial<
  Pick<
    KamPropertyDefinition,
    'label' | 'description' | 'type' | 'fieldType' | 'groupName' | 'options'
  >
>;

function sameOptions(
  wanted: readonly PropertyOptionDefinition[],
  existing: readonly { readonly value: string; readonly label: string }[],
): boolean {
  return (
    wanted.length === existing.length &&
    wanted.every(
      (option, index) =>
        option.value === existing[index]?.value && option.label === existing[index].label,
    )
  );
}

/**
 * What to change so HubSpot's definition matches the wanted one; `null` when
 * nothing differs (so a second provisioning run makes no call). Pure.
 *
 * @example
 * propertyPatch(wanted, { ...wanted, options: [] }) // => { options: wanted.options }
 */
export function propertyPatch(
  wanted: KamPropertyDefinition,
  existing: ExistingProperty,
): PropertyPatch | null {
  const patch: { -readonly [K in keyof PropertyPatch]: PropertyPatch[K] } = {};
  if (existing.label !== wanted.label) patch.label = wanted.label;
  if ((existing.description ?? '') !== wanted.description) patch.description = wanted.description;
  if (existing.type !== wanted.type) patch.type = wanted.type;
  if (existing.fieldType !== wanted.fieldType) patch.fieldType = wanted.fieldType;
  if (existing.groupName !== wanted.groupName) patch.groupName = wanted.groupName;
  if (!sameOptions(wanted.options, existing.options ?? [])) patch.options = wanted.options;
  return Object.keys(patch).length === 0 ? null : patch;
}

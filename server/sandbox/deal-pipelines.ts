/** When HubSpot's built-in pipelines and property definitions "were created" in every sandbox portal. */
export const BUILT_IN_AT = '2020-01-01T00:00:00.000Z';

/**
 * The sandbox portal's deal pipelines. Like a fresh HubSpot portal every
 * pipeline uses the default sales stages; the synthetic portal names its
 * product lines after pipelines (kam-model.md §1).
 */
export const PIPELINES = [
  { id: 'default', label: 'Sales Pipeline' },
  { id: 'services', label: 'Services' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'hardware', label: 'Hardware' },
] as const;

interface DealStage {
  readonly id: string;
  readonly label: string;
  readonly probability: string;
  readonly isClosed: boolean;
  readonly isWon: boolean;
}

export const DEAL_STAGES: readonly DealStage[] = [
  {
    id: 'appointmentscheduled',
    label: 'Appointment Scheduled',
    probability: '0.2',
    isClosed: false,
    isWon: false,
  },
  {
    id: 'qualifiedtobuy',
    label: 'Qualified To Buy',
    probability: '0.4',
    isClosed: false,
    isWon: false,
  },
  {
    id: 'presentationscheduled',
    label: 'Presentation Scheduled',
    probability: '0.6',
    isClosed: false,
    isWon: false,
  },
  {
    id: 'decisionmakerboughtin',
    label: 'Decision Maker Bought-In',
    probability: '0.8',
    isClosed: false,
    isWon: false,
  },
  { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false, isWon: false },
  { id: 'closedwon', label: 'Closed Won', probability: '1', isClosed: true, isWon: true },
  { id: 'closedlost', label: 'Closed Lost', probability: '0', isClosed: true, isWon: false },
];

const STAGES_BY_ID = new Map(DEAL_STAGES.map((stage) => [stage.id, stage]));

/** A pipeline as `GET /crm/v3/pipelines/{objectType}` returns it; stage metadata as strings. */
export interface PipelineView<Metadata> {
  readonly id: string;
  readonly label: string;
  readonly displayOrder: number;
  readonly archived: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly stages: readonly {
    readonly id: string;
    readonly label: string;
    readonly displayOrder: number;
    readonly metadata: Metadata;
    readonly archived: boolean;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly writePermissions: string;
  }[];
}

/** A deal pipeline: each stage says whether it is closed, and its probability. */
export type DealPipelineView = PipelineView<{
  readonly isClosed: string;
  readonly probability: string;
}>;

/** Every deal pipeline in HubSpot's shape, in display order. */
export function dealPipelineViews(): DealPipelineView[] {
  const stages = DEAL_STAGES.map((stage, displayOrder) => ({
    id: stage.id,
    label: stage.label,
    displayOrder,
    metadata: { isClosed: String(stage.isClosed), probability: stage.probability },
    archived: false,
    createdAt: BUILT_IN_AT,
    updatedAt: BUILT_IN_AT,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  }));
  return PIPELINES.map((pipeline, displayOrder) => ({
    id: pipeline.id,
    label: pipeline.label,
    displayOrder,
    archived: false,
    createdAt: BUILT_IN_AT,
    updatedAt: BUILT_IN_AT,
    stages,
  }));
}

/**
 * The values HubSpot calculates when a deal's stage or amount is written:
 * closed/won flags and probability follow the stage; the home-currency
 * amount follows the amount (the sandbox portal has one currency).
 */
export function derivedDealProperties(
  written: Readonly<Record<string, string | null>>,
): Record<string, string | null> {
  const derived: Record<string, string | null> = {};
  const stageId = written.dealstage;
  if (stageId != null) {
    const stage = STAGES_BY_ID.get(stageId);
    if (stage !== undefined) {
      derived.hs_is_closed = String(stage.isClosed);
      derived.hs_is_closed_won = String(stage.isWon);
      derived.hs_deal_stage_probability = stage.probability;
    }
  }
  if ('amount' in written) derived.amount_in_home_currency = written.amount ?? null;
  return derived;
}

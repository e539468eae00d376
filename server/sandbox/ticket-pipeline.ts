import { BUILT_IN_AT, type PipelineView } from './deal-pipelines.ts';

interface TicketStage {
  readonly id: string;
  readonly label: string;
  readonly isClosed: boolean;
}

/**
 * The sandbox portal's ticket pipelines: HubSpot's default support pipeline
 * (`0`, its stages `1`–`4`) and a complaints pipeline an admin added, whose
 * ids are numbers like every pipeline created in HubSpot. Stage ids are
 * unique across pipelines, as in HubSpot.
 */
export const TICKET_PIPELINES: readonly {
  readonly id: string;
  readonly label: string;
  readonly stages: readonly TicketStage[];
}[] = [
  {
    id: '0',
    label: 'Support Pipeline',
    stages: [
      { id: '1', label: 'New', isClosed: false },
      { id: '2', label: 'Waiting on contact', isClosed: false },
      { id: '3', label: 'Waiting on us', isClosed: false },
      { id: '4', label: 'Closed', isClosed: true },
    ],
  },
  {
    id: '84512331',
    label: 'Complaints',
    stages: [
      { id: '165201431', label: 'Received', isClosed: false },
      { id: '165201432', label: 'Investigating', isClosed: false },
      { id: '165201433', label: 'Resolved', isClosed: true },
    ],
  },
];

/** Every stage of every ticket pipeline. */
export const TICKET_STAGES: readonly TicketStage[] = TICKET_PIPELINES.flatMap(
  (pipeline) => pipeline.stages,
);

const STAGES_BY_ID = new Map<string, TicketStage>(TICKET_STAGES.map((stage) => [stage.id, stage]));

/** A ticket pipeline: each stage says whether tickets in it are open or closed. */
export type TicketPipelineView = PipelineView<{
  readonly ticketState: 'OPEN' | 'CLOSED';
  readonly isClosed: string;
}>;

/** Every ticket pipeline in HubSpot's shape, in display order. */
export function ticketPipelineViews(): TicketPipelineView[] {
  return TICKET_PIPELINES.map((pipeline, displayOrder) => ({
    id: pipeline.id,
    label: pipeline.label,
    displayOrder,
    archived: false,
    createdAt: BUILT_IN_AT,
    updatedAt: BUILT_IN_AT,
    stages: pipeline.stages.map((stage, stageOrder) => ({
      id: stage.id,
      label: stage.label,
      displayOrder: stageOrder,
      metadata: {
        ticketState: stage.isClosed ? 'CLOSED' : 'OPEN',
        isClosed: String(stage.isClosed),
      },
      archived: false,
      createdAt: BUILT_IN_AT,
      updatedAt: BUILT_IN_AT,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
  }));
}

/**
 * The values HubSpot calculates when a ticket's status is written: whether
 * it is closed follows the stage, and the close date is set when it enters
 * a closed stage and cleared when it leaves one.
 */
export function derivedTicketProperties(
  written: Readonly<Record<string, string | null>>,
  before: Readonly<Record<string, string>>,
  at: number,
): Record<string, string> {
  const stage =
    written.hs_pipeline_stage == null ? undefined : STAGES_BY_ID.get(written.hs_pipeline_stage);
  if (stage === undefined) return {};
  const wasClosed = before.hs_is_closed === 'true';
  if (stage.isClosed === wasClosed) return { hs_is_closed: String(stage.isClosed) };
  return {
    hs_is_closed: String(stage.isClosed),
    closed_date: stage.isClosed ? new Date(at).toISOString() : '',
  };
}

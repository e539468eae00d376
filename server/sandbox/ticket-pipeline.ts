/** The sandbox portal's one ticket pipeline, with HubSpot's default support stages. */
export const TICKET_STAGES = [
  { id: '1', label: 'New', isClosed: false },
  { id: '2', label: 'Waiting on contact', isClosed: false },
  { id: '3', label: 'Waiting on us', isClosed: false },
  { id: '4', label: 'Closed', isClosed: true },
] as const;

const STAGES_BY_ID = new Map<string, (typeof TICKET_STAGES)[number]>(
  TICKET_STAGES.map((stage) => [stage.id, stage]),
);

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

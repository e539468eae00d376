import { Flex, Heading, MultiSelect, Text, Tile } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import { paths, type ApiClient } from '../lib/api-client.ts';
import type { Messages } from '../lib/i18n.ts';
import type {
  ComplaintSettings as ComplaintSettingsValues,
  Settings,
  TicketPipelines,
  Tier,
} from '../lib/types.ts';
import { useApiData } from '../lib/use-api-data.ts';
import { NumberFields } from './NumberFields.tsx';
import type { SettingsErrors } from './settings-form.ts';

const SLA_TIERS: readonly Tier[] = ['strategic', 'key', 'standard', 'transactional', 'unrated'];

/**
 * kam-model.md §12's settings: the ticket pipelines that hold complaints,
 * picked from the portal's own (`GET /api/v1/ticket-pipelines`; none picked
 * = every pipeline), and a major complaint's time limit per tier. Left out
 * against a backend without these settings.
 */
export function ComplaintSettings(props: SectionProps) {
  const { complaintPipelines, complaintSlaDays } = props.settings;
  if (complaintPipelines === undefined || complaintSlaDays === undefined) return null;
  return (
    <ComplaintFields
      {...props}
      complaintPipelines={complaintPipelines}
      complaintSlaDays={complaintSlaDays}
    />
  );
}

interface SectionProps {
  api: ApiClient;
  settings: Settings;
  errors: SettingsErrors;
  m: Messages;
  readOnly: boolean;
  onChange: (settings: Settings) => void;
}

function ComplaintFields({
  api,
  settings,
  errors,
  m,
  readOnly,
  onChange,
  complaintPipelines,
  complaintSlaDays,
}: SectionProps & Required<ComplaintSettingsValues>) {
  const fetchPipelines = useCallback(
    () => api.request<TicketPipelines>('GET', paths.ticketPipelines()),
    [api],
  );
  const { state } = useApiData(fetchPipelines);

  const known = state.status === 'ready' ? state.data.pipelines : [];
  // A saved pipeline the portal no longer has stays visible, so saving does not drop it unseen.
  const options = [
    ...known.map((pipeline) => ({ label: pipeline.label, value: pipeline.id })),
    ...complaintPipelines
      .filter((id) => !known.some((pipeline) => pipeline.id === id))
      .map((id) => ({ label: m.complaintSettings.unknownPipeline(id), value: id })),
  ];
  return (
    <Tile>
      <Flex direction="column" gap="sm">
        <Heading>{m.complaintSettings.title}</Heading>
        <MultiSelect
          name="complaintPipelines"
          label={m.complaintSettings.pipelines}
          description={m.complaintSettings.pipelinesHint}
          readOnly={readOnly}
          value={complaintPipelines}
          options={options}
          onChange={(value) =>
            onChange({ ...settings, complaintPipelines: value.map((id) => String(id)) })
          }
        />
        {state.status === 'error' ? (
          <Text variant="microcopy">{m.complaintSettings.pipelinesUnavailable}</Text>
        ) : null}
        <Text format={{ fontWeight: 'demibold' }}>{m.complaintSettings.slaDays}</Text>
        <NumberFields
          group="complaintSlaDays"
          keys={SLA_TIERS}
          values={complaintSlaDays}
          label={(tier) => m.tier[tier]}
          errors={errors}
          readOnly={readOnly}
          onChange={(values) => onChange({ ...settings, complaintSlaDays: values })}
        />
      </Flex>
    </Tile>
  );
}

import {
  Accordion,
  Alert,
  BarChart,
  Divider,
  EmptyState,
  Flex,
  Statistics,
  StatisticsItem,
  Text,
} from '@hubspot/ui-extensions';
import { NotReadyView } from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import { formatGap } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { Satisfaction } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { SurveyForm } from './SurveyForm.tsx';

export function SatisfactionCard() {
  const env = useCardEnvironment();
  const { m } = env;
  const { state, reload, saveSurvey } = useScorecard(env);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const satisfaction = state.data.company?.satisfaction ?? null;
  const measured =
    satisfaction?.dimensions.some((d) => d.expected !== null || d.perceived !== null) ?? false;

  // The form keeps its place in the tree whether or not a survey exists, so
  // its "saved" message survives the switch from the empty to the filled view.
  return (
    <Flex direction="column" gap="md">
      {satisfaction !== null && measured ? (
        <GapSummary satisfaction={satisfaction} m={m} />
      ) : (
        <NoSurvey satisfaction={satisfaction} m={m} />
      )}
      <Divider />
      <Accordion title={m.satisfaction.surveyTitle} defaultOpen={!measured}>
        <SurveyForm satisfaction={satisfaction} m={m} onSubmit={saveSurvey} />
      </Accordion>
    </Flex>
  );
}

function NoSurvey({ satisfaction, m }: { satisfaction: Satisfaction | null; m: Messages }) {
  return (
    <Flex direction="column" gap="sm">
      <EmptyState
        title={m.satisfaction.noSurvey}
        imageName="customerExperience"
        layout="horizontal"
      >
        <Text>{m.satisfaction.noSurveyBody}</Text>
      </EmptyState>
      {satisfaction !== null && satisfaction.openComplaints > 0 ? (
        <Complaints satisfaction={satisfaction} m={m} />
      ) : null}
    </Flex>
  );
}

function GapSummary({ satisfaction, m }: { satisfaction: Satisfaction; m: Messages }) {
  return (
    <Flex direction="column" gap="sm">
      {satisfaction.stale && satisfaction.surveyAgeDays !== null ? (
        <Alert title={m.satisfaction.staleTitle} variant="warning">
          {m.satisfaction.stale(satisfaction.surveyAgeDays)}
        </Alert>
      ) : null}
      <Statistics>
        <StatisticsItem
          label={m.satisfaction.overall}
          number={satisfaction.overallGap === null ? '—' : formatGap(satisfaction.overallGap)}
        >
          <Text>{satisfaction.level ? m.satisfactionLevel[satisfaction.level] : ''}</Text>
        </StatisticsItem>
        <StatisticsItem label={m.satisfaction.complaints} number={satisfaction.openComplaints} />
      </Statistics>
      {satisfaction.openComplaints > 0 ? <Complaints satisfaction={satisfaction} m={m} /> : null}
      <GapChart satisfaction={satisfaction} m={m} />
    </Flex>
  );
}

function Complaints({ satisfaction, m }: { satisfaction: Satisfaction; m: Messages }) {
  return (
    <Alert title={`${m.satisfaction.complaints}: ${satisfaction.openComplaints}`} variant="danger">
      {m.satisfaction.complaintsNote}
    </Alert>
  );
}

function GapChart({ satisfaction, m }: { satisfaction: Satisfaction; m: Messages }) {
  const rows = satisfaction.dimensions.flatMap((d) => [
    ...(d.expected === null
      ? []
      : [
          {
            dimension: m.dimension[d.dimension],
            series: m.satisfaction.expected,
            rating: d.expected,
          },
        ]),
    ...(d.perceived === null
      ? []
      : [
          {
            dimension: m.dimension[d.dimension],
            series: m.satisfaction.perceived,
            rating: d.perceived,
          },
        ]),
  ]);
  return (
    <BarChart
      data={rows}
      axes={{
        x: { field: 'dimension', fieldType: 'category', label: m.satisfaction.dimension },
        y: { field: 'rating', fieldType: 'linear', label: '1–7' },
        options: { groupFieldByColor: 'series' },
      }}
      options={{ title: m.satisfaction.chartTitle, showLegend: true, showTooltips: true }}
    />
  );
}

import {
  Alert,
  BarChart,
  Button,
  EmptyState,
  Flex,
  Panel,
  Statistics,
  StatisticsItem,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { NotReadyView } from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import { formatGap } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { DimensionGap, Satisfaction } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { ComplaintsSummary } from './ComplaintsSummary.tsx';
import { SURVEY_PANEL, SurveyForm } from './SurveyForm.tsx';

export function SatisfactionCard() {
  const env = useCardEnvironment();
  const { m } = env;
  const { state, reload, saveSurvey } = useScorecard(env);
  const [saved, setSaved] = useState(false);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const satisfaction = state.data.company?.satisfaction ?? null;
  // §12: an older backend has no complaints block; the satisfaction's count stands in.
  const complaints = state.data.company?.complaints;
  const measured =
    satisfaction?.dimensions.some((d) => d.expected !== null || d.perceived !== null) ?? false;

  return (
    <Flex direction="column" gap="md">
      {saved ? <Alert title={m.satisfaction.saved} variant="success" /> : null}
      {satisfaction !== null && measured ? (
        <GapSummary satisfaction={satisfaction} m={m} countComplaints={complaints === undefined} />
      ) : (
        <NoSurvey satisfaction={satisfaction} m={m} countComplaints={complaints === undefined} />
      )}
      {complaints === undefined ? null : <ComplaintsSummary complaints={complaints} m={m} />}
      <Button
        testId="survey-open"
        variant={measured ? 'secondary' : 'primary'}
        onClick={() => setSaved(false)}
        overlay={
          <Panel id={SURVEY_PANEL} title={m.satisfaction.surveyTitle} width="md">
            <SurveyForm
              satisfaction={satisfaction}
              m={m}
              onSubmit={saveSurvey}
              onSaved={() => setSaved(true)}
            />
          </Panel>
        }
      >
        {m.satisfaction.surveyTitle}
      </Button>
    </Flex>
  );
}

function NoSurvey({
  satisfaction,
  m,
  countComplaints,
}: {
  satisfaction: Satisfaction | null;
  m: Messages;
  countComplaints: boolean;
}) {
  return (
    <Flex direction="column" gap="sm">
      <EmptyState
        title={m.satisfaction.noSurvey}
        imageName="customerExperience"
        layout="horizontal"
      >
        <Text>{m.satisfaction.noSurveyBody}</Text>
      </EmptyState>
      {countComplaints && satisfaction !== null && satisfaction.openComplaints > 0 ? (
        <Complaints satisfaction={satisfaction} m={m} />
      ) : null}
    </Flex>
  );
}

function GapSummary({
  satisfaction,
  m,
  countComplaints,
}: {
  satisfaction: Satisfaction;
  m: Messages;
  countComplaints: boolean;
}) {
  const worst = worstDimension(satisfaction.dimensions);
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
        {worst === null ? null : (
          <StatisticsItem label={m.satisfaction.worst} number={formatGap(worst.gap)}>
            <Text testId="worst-dimension">{m.dimension[worst.dimension]}</Text>
          </StatisticsItem>
        )}
      </Statistics>
      {countComplaints && satisfaction.openComplaints > 0 ? (
        <Complaints satisfaction={satisfaction} m={m} />
      ) : null}
      <GapChart satisfaction={satisfaction} m={m} />
    </Flex>
  );
}

/** The dimension furthest below expectations (or least above them); null when no gap is known. */
export function worstDimension(
  dimensions: readonly DimensionGap[],
): { dimension: DimensionGap['dimension']; gap: number } | null {
  let worst: { dimension: DimensionGap['dimension']; gap: number } | null = null;
  for (const d of dimensions) {
    if (d.gap !== null && (worst === null || d.gap < worst.gap)) {
      worst = { dimension: d.dimension, gap: d.gap };
    }
  }
  return worst;
}

function Complaints({ satisfaction, m }: { satisfaction: Satisfaction; m: Messages }) {
  return (
    <Alert title={m.satisfaction.complaintsCount(satisfaction.openComplaints)} variant="danger">
      {m.satisfaction.complaintsNote}
    </Alert>
  );
}

/** Perceived − expected per dimension: a bar below zero is where the customer is let down. */
function GapChart({ satisfaction, m }: { satisfaction: Satisfaction; m: Messages }) {
  const rows = satisfaction.dimensions.flatMap((d) =>
    d.gap === null ? [] : [{ dimension: m.dimension[d.dimension], gap: d.gap }],
  );
  return (
    <BarChart
      data={rows}
      axes={{
        x: { field: 'dimension', fieldType: 'category', label: m.satisfaction.dimension },
        y: { field: 'gap', fieldType: 'linear', label: m.satisfaction.gapAxis },
      }}
      options={{ title: m.satisfaction.chartTitle, showTooltips: true }}
    />
  );
}

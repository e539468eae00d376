import {
  Accordion,
  Alert,
  DescriptionList,
  DescriptionListItem,
  Divider,
  Flex,
  Heading,
  LineChart,
  List,
  Statistics,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { EmptyView, NotReadyView, RecomputeButton } from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import { formatDateTime, formatPercent, formatScore, topDrivers } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { CompanyScore, Scorecard } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { GradeMatrix } from './GradeMatrix.tsx';
import { TierPin } from './TierPin.tsx';

export function AccountGradeCard() {
  const env = useCardEnvironment();
  const { m, locale } = env;
  const { state, reload, recompute, recomputeProgress, saveManualInputs } = useScorecard(env);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const { data: scorecard } = state;
  const controls = (
    <RecomputeButton
      label={m.recompute.button}
      testId="recompute"
      progress={recomputeProgress}
      m={m}
      onClick={() => void recompute()}
    />
  );
  const company = scorecard.company;
  if (company === null) {
    return (
      <EmptyView
        title={m.common.notScoredTitle}
        body={m.common.notScoredBody}
        imageName="companies"
      >
        {controls}
      </EmptyView>
    );
  }
  if (company.metrics.wonCount === 0) {
    return (
      <EmptyView title={m.common.noDealsTitle} body={m.common.noDealsBody} imageName="companies">
        {controls}
      </EmptyView>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {scorecard.writeFailure ? (
        <Alert title={m.grade.writeFailed} variant="warning">
          {scorecard.writeFailure.message}
        </Alert>
      ) : null}
      <GradeSummary company={company} scorecard={scorecard} m={m} />
      <Accordion title={m.grade.pinTitle} defaultOpen={false} size="sm">
        <TierPin current={scorecard.manual.tierOverride} m={m} onSave={saveManualInputs} />
      </Accordion>
      <Divider />
      <Heading>{m.grade.matrix}</Heading>
      <Text format={{ fontWeight: 'demibold' }}>
        {m.grade.strategy(m.strategy[company.strategy])}
      </Text>
      <GradeMatrix company={company} m={m} />
      <Divider />
      <ScoreDrivers company={company} m={m} locale={locale} />
      <Divider />
      <ScoreHistory scorecard={scorecard} m={m} />
      <Text variant="microcopy">
        {scorecard.scoredAt
          ? m.common.scoredAt(formatDateTime(scorecard.scoredAt))
          : m.common.neverScored}
      </Text>
      {controls}
    </Flex>
  );
}

function GradeSummary({
  company,
  scorecard,
  m,
}: {
  company: CompanyScore;
  scorecard: Scorecard;
  m: Messages;
}) {
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <Heading>{m.tier[company.tier]}</Heading>
        {company.tierPinned ? <Tag variant="warning">{m.grade.pinned}</Tag> : null}
      </Flex>
      {company.tierPinned ? (
        <Text variant="microcopy">
          {scorecard.pinnedBy
            ? m.grade.pinnedBy(
                String(scorecard.pinnedBy.userId),
                formatDateTime(scorecard.pinnedBy.at),
              )
            : m.grade.pinned}
          {' · '}
          {m.grade.computed(m.tier[company.computedTier])}
        </Text>
      ) : null}
      <Statistics>
        <StatisticsItem label={m.grade.score} number={formatScore(company.score)}>
          <Text>{m.grade.gradeLetter(company.grade)}</Text>
        </StatisticsItem>
        <StatisticsItem label={m.grade.attractiveness} number={formatScore(company.attractiveness)}>
          <Text>{m.level[company.attractivenessLevel]}</Text>
        </StatisticsItem>
        <StatisticsItem label={m.grade.strength} number={formatScore(company.strength)}>
          <Text>{m.level[company.strengthLevel]}</Text>
        </StatisticsItem>
      </Statistics>
      <DescriptionList direction="row">
        <DescriptionListItem label={m.grade.segment}>
          <Text>
            {company.segment === null ? m.grade.segmentNotYet : m.segment[company.segment]}
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label={m.grade.stage}>
          <Text>{m.stage[company.stage]}</Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

function ScoreDrivers({
  company,
  m,
  locale,
}: {
  company: CompanyScore;
  m: Messages;
  locale: Locale;
}) {
  const drivers = topDrivers(company, m);
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.grade.drivers}</Heading>
      <List variant="unordered-styled">
        {drivers.map((driver) => (
          <Text key={driver.factor}>
            {m.grade.driver(
              driver.label,
              driver.axis === 'attractiveness' ? m.grade.attractiveness : m.grade.strength,
              formatScore(driver.score),
              formatPercent(driver.weight),
            )}
            {/* The model's evidence sentence is English; Chinese readers get the label and score. */}
            {locale === 'en' ? ` — ${driver.text}` : ''}
          </Text>
        ))}
      </List>
    </Flex>
  );
}

function ScoreHistory({ scorecard, m }: { scorecard: Scorecard; m: Messages }) {
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.grade.history}</Heading>
      {scorecard.history.length === 0 ? (
        <Text variant="microcopy">{m.grade.historyEmpty}</Text>
      ) : (
        <LineChart
          data={scorecard.history.map((point) => ({ date: point.at, score: point.score }))}
          axes={{
            x: { field: 'date', fieldType: 'datetime', label: m.grade.date },
            y: { field: 'score', fieldType: 'linear', label: m.grade.score },
          }}
          options={{ showTooltips: true }}
        />
      )}
    </Flex>
  );
}

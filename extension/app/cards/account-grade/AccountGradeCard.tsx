import {
  Alert,
  Button,
  ButtonRow,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  LineChart,
  List,
  Panel,
  PanelBody,
  ScoreCircle,
  Statistics,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { EmptyView, NotReadyView, RecomputeButton } from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import {
  formatDateTime,
  formatDay,
  formatPercent,
  formatScore,
  scoreChange,
  scoreDrivers,
  type Driver,
} from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { CompanyScore, Level, Scorecard } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { GradeMatrix } from './GradeMatrix.tsx';
import { GroupMembership } from './GroupMembership.tsx';
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
  const { wonCount, lostCount, openCount } = company.metrics;
  // Only a company with no deal at all has nothing to grade: a lost or an open
  // deal already gives it a score worth showing.
  if (wonCount + lostCount + openCount === 0) {
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
      <GroupMembership group={company.group} companyId={company.id} m={m} />
      <ButtonRow>
        <Button
          size="sm"
          testId="open-matrix"
          overlay={
            <Panel id="kam-grade-matrix" title={m.grade.matrix} width="md">
              <PanelBody>
                <GradeMatrix company={company} m={m} />
              </PanelBody>
            </Panel>
          }
        >
          {m.grade.showMatrix}
        </Button>
        <Button
          size="sm"
          testId="open-pin"
          overlay={
            <Panel id="kam-tier-pin" title={m.grade.pinTitle} width="sm">
              <PanelBody>
                <TierPin current={scorecard.manual.tierOverride} m={m} onSave={saveManualInputs} />
              </PanelBody>
            </Panel>
          }
        >
          {m.grade.pinTitle}
        </Button>
      </ButtonRow>
      <ScoreDrivers company={company} m={m} locale={locale} />
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

/** What a rep takes in at a glance: the grade, the tier, the strategy and the latest move. */
function GradeSummary({
  company,
  scorecard,
  m,
}: {
  company: CompanyScore;
  scorecard: Scorecard;
  m: Messages;
}) {
  const change = company.score === null ? null : scoreChange(company.score, scorecard.history);
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="md" align="center">
        {company.score === null ? null : <ScoreCircle score={company.score} />}
        <Flex direction="column" gap="xs">
          <Heading>
            {company.score === null || company.grade === null
              ? m.grade.notGraded
              : m.grade.headline(company.grade, formatScore(company.score))}
          </Heading>
          <Flex direction="row" gap="xs" align="center" wrap>
            <Text format={{ fontWeight: 'demibold' }}>{m.grade.tier}</Text>
            <Tag variant="info" testId="tier">
              {m.tier[company.tier]}
            </Tag>
            {company.tierPinned ? <Tag variant="warning">{m.grade.pinned}</Tag> : null}
          </Flex>
          {company.strategy === null ? null : (
            <Text format={{ fontWeight: 'demibold' }}>
              {m.grade.strategy(m.strategy[company.strategy])}
            </Text>
          )}
          <Text variant="microcopy" testId="score-change">
            {change === null
              ? m.grade.historyEmpty
              : m.grade.change(
                  change.delta > 0 ? `+${formatScore(change.delta)}` : formatScore(change.delta),
                  formatDay(change.since),
                )}
          </Text>
        </Flex>
      </Flex>
      {company.tierPinned ? (
        <Text variant="microcopy">
          {scorecard.pinnedBy
            ? m.grade.pinnedBy(
                scorecard.pinnedBy.name ?? m.grade.userId(String(scorecard.pinnedBy.userId)),
                formatDateTime(scorecard.pinnedBy.at),
              )
            : m.grade.pinned}
          {m.grade.computed(m.tier[company.computedTier])}
        </Text>
      ) : null}
      <Statistics>
        <AxisItem
          label={m.grade.attractiveness}
          score={company.attractiveness}
          level={company.attractivenessLevel}
          m={m}
        />
        <AxisItem
          label={m.grade.strength}
          score={company.strength}
          level={company.strengthLevel}
          m={m}
        />
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

/** One axis of the matrix: its score and level, or a dash when none of its factors has a value. */
function AxisItem({
  label,
  score,
  level,
  m,
}: {
  label: string;
  score: number | null;
  level: Level | null;
  m: Messages;
}) {
  return (
    <StatisticsItem label={label} number={score === null ? '—' : formatScore(score)}>
      <Text>{level === null ? m.grade.noFactor : m.level[level]}</Text>
    </StatisticsItem>
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
  const { helps, hurts } = scoreDrivers(company, m);
  const line = (driver: Driver) => (
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
  );
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.grade.helps}</Heading>
      {helps.length === 0 ? (
        <Text variant="microcopy">{m.grade.noDrivers}</Text>
      ) : (
        <List variant="unordered-styled">{helps.map(line)}</List>
      )}
      <Heading>{m.grade.hurts}</Heading>
      {hurts.length === 0 ? (
        <Text variant="microcopy">{m.grade.noDrivers}</Text>
      ) : (
        <List variant="unordered-styled">{hurts.map(line)}</List>
      )}
    </Flex>
  );
}

function ScoreHistory({ scorecard, m }: { scorecard: Scorecard; m: Messages }) {
  if (scorecard.history.length < 2) return null;
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.grade.history}</Heading>
      <LineChart
        data={scorecard.history.map((point) => ({ date: point.at, score: point.score }))}
        axes={{
          x: { field: 'date', fieldType: 'datetime', label: m.grade.date },
          y: { field: 'score', fieldType: 'linear', label: m.grade.score },
        }}
        options={{ showTooltips: true }}
      />
    </Flex>
  );
}
